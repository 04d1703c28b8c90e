/** Types of runtimes.mjs, for the conformance spec. */
export interface Row {
  readonly id: string;
  readonly label: string;
  readonly socket: 'global' | 'ws';
  /** What the runtime's version starts with. */
  readonly major?: string;
  /** A binary from .ci/runtimes (npm registry, linux x64). */
  readonly registry?: boolean;
  /** Chromium, driven by playwright: no command. */
  readonly browser?: boolean;
  command?(): string[];
}
export interface ChildRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}
export declare const ROOT: string;
export declare const RUNTIMES_DIR: string;
export declare const ROWS: readonly Row[];
export declare const REGISTRY_PLATFORM: boolean;
export declare function binary(id: 'node22' | 'node24' | 'bun' | 'deno'): string;
export declare function pinnedVersions(): Record<string, string>;
export declare function staleRuntimes(): string[];
export declare function ensureRuntimes(): void;
export declare function runOn(row: Row, script: string, args: readonly string[], timeout?: number): Promise<ChildRun>;
