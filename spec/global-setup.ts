/**
 * Runs once before any spec worker: builds dist/ when it is missing or older than its
 * inputs, so the specs and examples that load the built package (child processes, the
 * browser bundle, a second package copy) always see the current source, whether the run is
 * `npm test` or one file run alone.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const INPUTS = ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json'];
const OUTPUTS = [
  'dist/index.js',
  'dist/index.cjs',
  'dist/index.d.ts',
  'dist/index.d.cts',
  'dist/resilience.js',
  'dist/resilience.cjs',
  'dist/resilience.d.ts',
  'dist/resilience.d.cts',
  'dist/webSocket.js',
  'dist/webSocket.cjs',
  'dist/webSocket.d.ts',
  'dist/webSocket.d.cts',
  'dist/streams.js',
  'dist/streams.cjs',
  'dist/streams.d.ts',
  'dist/streams.d.cts',
  'dist/testing/index.js',
  'dist/testing/index.cjs',
  'dist/testing/index.d.ts',
  'dist/testing/index.d.cts',
  // The Brython script (no types, no CommonJS: a browser script).
  'dist/brython.js',
];

function mtime(path: string, pick: (a: number, b: number) => number): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((acc, name) => pick(acc, mtime(join(path, name), pick)), stat.mtimeMs);
}

export default function setup(): void {
  const newestInput = Math.max(...INPUTS.map((p) => mtime(join(ROOT, p), Math.max)));
  const oldestOutput = Math.min(...OUTPUTS.map((p) => mtime(join(ROOT, p), Math.min)));
  if (oldestOutput >= newestInput) return;
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsup'), [], { cwd: ROOT, stdio: 'pipe' });
}
