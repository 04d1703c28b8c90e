/**
 * What TypeScript says to a user who passes an option wrongly. A type test sees only whether
 * a call compiles, not the message, so these run `tsc` on a small file and read its
 * diagnostics: a wrong option must be reported against the options first, naming what to
 * pass (`ReconnectFeatureLike`: what `reconnect()` returns), before the protocols overload's error.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** One call per line, so each diagnostic is found by its line. Line 1 is the import. */
const CALLS = {
  factory: "WebSocket('ws://localhost:1', { reconnect: { attempts: 3 } });",
  factoryNew: "new WebSocket('ws://localhost:1', { reconnect: { attempts: 3 } });",
  constructor: "new RxWebSocket('ws://localhost:1', { reconnect: { attempts: 3 } });",
  withProtocols: "WebSocket('ws://localhost:1', ['chat'], { reconnect: { attempts: 3 } });",
  // The right form compiles: the fixture's setup (paths, types) is sound.
  right: "WebSocket('ws://localhost:1', { reconnect: reconnect({ attempts: 3 }) });",
} as const;
type Call = keyof typeof CALLS;
const LINES = Object.keys(CALLS) as Call[];

/** The diagnostic text of each line, as `tsc --pretty false` prints it (first line and the indented rest). */
const diagnostics: Partial<Record<Call, string>> = {};
let output = '';
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'brython-websocket-tsc-'));
  const source = [
    "import { RxWebSocket, WebSocket } from 'brython-websocket';",
    "import { reconnect } from 'brython-websocket/resilience';",
    ...LINES.map((call) => CALLS[call]),
  ].join('\n');
  writeFileSync(join(dir, 'misuse.mts'), `${source}\n`);
  // The project's own settings and paths (to src/), on this one file.
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { noEmit: true, typeRoots: [join(ROOT, 'node_modules', '@types')] },
      include: [],
      files: ['misuse.mts'],
    }),
  );
  output = await new Promise<string>((resolve) => {
    execFile(
      process.execPath,
      [TSC, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'],
      { cwd: dir, timeout: 90_000 },
      (_error, stdout) => resolve(stdout),
    );
  });
  // "misuse.mts(3,1): error TS2769: ..." followed by indented lines.
  for (const block of output.split(/\n(?=\S)/)) {
    const m = /^misuse\.mts\((\d+),\d+\): /.exec(block);
    if (m === null) continue;
    const call = LINES[Number(m[1]) - 3];
    if (call !== undefined) diagnostics[call] = (diagnostics[call] ?? '') + block;
  }
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** The lines of a call's diagnostic, trimmed. */
const lines = (text: string | undefined): string[] =>
  (text ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

const NAMED = `Object literal may only specify known properties, and 'attempts' does not exist in type 'ReconnectFeatureLike'.`;

describe('the TypeScript error for reconnect options given without reconnect()', () => {
  it('compiles the right form, and reports each wrong one (no other error in the file)', () => {
    expect(diagnostics.right, output).toBeUndefined();
    for (const call of LINES.filter((c) => c !== 'right'))
      expect(diagnostics[call], `${call}\n${output}`).toBeDefined();
    expect(output.split('\n').filter((line) => line.startsWith('misuse.mts')).length, output).toBe(LINES.length - 1);
  });

  it.each(['factory', 'factoryNew', 'constructor'] as const)(
    '%s: the options overload comes first, and its error names ReconnectFeatureLike (what reconnect() returns)',
    (call) => {
      const text = lines(diagnostics[call]);
      expect(text[0]).toMatch(/error TS2769: No overload matches this call\.$/);
      expect(text[1]).toMatch(/^Overload 1 of 2, '\(host: string \| URL, options\?: SocketOptions</);
      expect(text[2]).toBe(NAMED);
    },
  );

  it('with protocols, the one error is about the options and names ReconnectFeatureLike', () => {
    const text = lines(diagnostics.withProtocols);
    expect(text).toEqual([expect.stringMatching(/error TS2353: /)]);
    expect(text[0]!.endsWith(NAMED)).toBe(true);
    expect(text.join('\n')).not.toContain("type 'string[]'");
  });
});
