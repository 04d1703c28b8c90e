/**
 * The runtimes of the conformance suite (spec/runtimes/conformance.spec.ts) and of the
 * benchmark's runtimes section (spec/bench/runtimes.mjs), and how to get them.
 *
 * Node 22, Node 24, Bun and Deno are binaries from npm registry packages, pinned by
 * .ci/runtimes/package-lock.json (linux x64 only) and installed there by .ci/runtimes.sh with
 * `npm ci`. `ensureRuntimes()` runs that script when a binary is missing or is not the
 * version the lockfile pins, so a local run installs them by itself, as CI does. Node 20 is
 * the Node running the tests (the dev setup's); Chromium is Debian's (spec/browser/chromium.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RUNTIMES_DIR = join(ROOT, '.ci', 'runtimes');
const SCRIPT = join(ROOT, '.ci', 'runtimes.sh');

/** The registry packages: alias in .ci/runtimes/package.json -> the binary inside it. */
const PACKAGES = {
  node22: 'node22/bin/node',
  node24: 'node24/bin/node',
  bun: '@oven/bun-linux-x64/bin/bun',
  deno: '@deno/linux-x64-glibc/deno',
};
const PACKAGE_NAMES = { node22: 'node22', node24: 'node24', bun: '@oven/bun-linux-x64', deno: '@deno/linux-x64-glibc' };

/** The binary of a registry runtime. */
export function binary(id) {
  return join(RUNTIMES_DIR, 'node_modules', PACKAGES[id]);
}

/**
 * The rows of docs/runtimes.md, in order. `command`: the executable and its arguments before
 * the script; `socket`: `global` (the runtime's own WebSocket) or `ws` (the ws package);
 * `major`: what the child's reported version starts with.
 */
export const ROWS = [
  { id: 'node20-ws', label: 'Node 20 + `ws`', command: () => [process.execPath], socket: 'ws', major: '20.' },
  {
    id: 'node20-global',
    label: 'Node 20 `--experimental-websocket`',
    command: () => [process.execPath, '--experimental-websocket', '--no-warnings'],
    socket: 'global',
    major: '20.',
  },
  { id: 'node22', label: 'Node 22', command: () => [binary('node22')], socket: 'global', major: '22.', registry: true },
  { id: 'node24', label: 'Node 24', command: () => [binary('node24')], socket: 'global', major: '24.', registry: true },
  { id: 'bun', label: 'Bun', command: () => [binary('bun')], socket: 'global', major: '1.', registry: true },
  {
    id: 'deno',
    label: 'Deno',
    command: () => [binary('deno'), 'run', '--allow-all', '--no-lock'],
    socket: 'global',
    major: '2.',
    registry: true,
  },
  { id: 'chromium', label: 'Chromium', socket: 'global', browser: true },
];

/** Whether this machine can run the registry binaries (they are built for linux x64). */
export const REGISTRY_PLATFORM = process.platform === 'linux' && process.arch === 'x64';

/** The version .ci/runtimes/package-lock.json pins for each registry runtime. */
export function pinnedVersions() {
  const lock = JSON.parse(readFileSync(join(RUNTIMES_DIR, 'package-lock.json'), 'utf8'));
  return Object.fromEntries(
    Object.entries(PACKAGE_NAMES).map(([id, name]) => [id, lock.packages[`node_modules/${name}`].version]),
  );
}

/** The runtimes that are missing or not at their pinned version. */
export function staleRuntimes() {
  const pinned = pinnedVersions();
  return Object.keys(PACKAGES).filter((id) => {
    const manifest = join(RUNTIMES_DIR, 'node_modules', PACKAGE_NAMES[id], 'package.json');
    if (!existsSync(binary(id)) || !existsSync(manifest)) return true;
    return JSON.parse(readFileSync(manifest, 'utf8')).version !== pinned[id];
  });
}

/**
 * Installs the registry runtimes with .ci/runtimes.sh when one is missing or stale. Throws
 * with the script's output when the install fails, and on a platform the binaries are not
 * built for.
 */
export function ensureRuntimes() {
  if (!REGISTRY_PLATFORM) {
    throw new Error(`the runtimes of .ci/runtimes are linux x64 binaries; this is ${process.platform} ${process.arch}`);
  }
  const stale = staleRuntimes();
  if (stale.length === 0) return;
  try {
    execFileSync('bash', [SCRIPT], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    throw new Error(
      `.ci/runtimes.sh failed (${stale.join(', ')} missing or stale):\n${error.stdout ?? ''}${error.stderr ?? ''}`,
      {
        cause: error,
      },
    );
  }
  const still = staleRuntimes();
  if (still.length > 0) throw new Error(`.ci/runtimes.sh ran, yet ${still.join(', ')} is still missing or stale`);
}

/**
 * Runs `script` with `args` on `row`'s runtime, in the project root (where Deno finds the
 * package.json that resolves rxjs). Killed after `timeout` ms. Resolves once it has exited.
 */
export function runOn(row, script, args, timeout = 20_000) {
  const [command, ...pre] = row.command();
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1' };
    delete env.NODE_OPTIONS;
    const child = spawn(command, [...pre, script, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
