// Types of prepare.mjs (plain JavaScript, run by Node as it is), for the specs that use it.

export const APP_DIR: string;
export const ROOT: string;

export function installAngularApp(): Promise<{ npmCiMs: number | undefined; packMs: number | undefined }>;

export function buildAngularApp(options?: {
  /** Absolute, or relative to the app. @default 'dist' */
  outputPath?: string;
  /** Build-time constants, e.g. { ECHO_URL: '"ws://127.0.0.1:8080/echo"' } (values are JavaScript). */
  define?: Record<string, string>;
  /** More environment variables for the build's processes. */
  env?: Record<string, string>;
  /** Run the build under `nice -n 10`, so that tests running beside it keep the CPU. */
  lowPriority?: boolean;
}): Promise<{ ms: number; outputPath: string; browserDir: string; log: string }>;

export interface InitialJs {
  /** The initial script files, as index.html names them. */
  files: string[];
  /** Minified bytes. */
  bytes: number;
  /** Gzipped bytes (zlib, level 9). */
  gzip: number;
  /** Minified bytes per origin, from esbuild's metafile. */
  shares: Record<'brython-websocket' | 'rxjs' | '@angular' | 'app' | 'other', number>;
}

export function measureInitialJs(outputPath: string): Promise<InitialJs>;

export function kib(bytes: number): string;

export function formatFigures(figures: { ms: number; initial: InitialJs }): string;
