// Installs, builds and measures the Angular app (examples/angular-app/), for its specs, for
// .ci/angular.sh and for `npm run example:angular`.
//
//   node examples/angular-app/prepare.mjs            install (when needed), then build and print the figures
//   node examples/angular-app/prepare.mjs --install  install only
//
// The app has its own package.json and package-lock.json (Angular's packages stay out of the
// root install). It gets brython-websocket the way a user does: the root package is packed
// (`npm pack`: dist/, as published) and that tarball is installed into the app's node_modules.
// A link to the root folder (`file:../..`) would resolve rxjs from the root's node_modules
// and put a second copy of rxjs into the app.
//
// Install steps take a lock (a folder next to this file), so specs running in parallel
// workers install once.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);

export const APP_DIR = fileURLToPath(new URL('./', import.meta.url));
export const ROOT = resolve(APP_DIR, '../..');
const NODE_MODULES = join(APP_DIR, 'node_modules');
const LOCK_DIR = join(APP_DIR, '.prepare.lock');
/** Written after a complete `npm ci`; its absence means the install is missing or broken. */
const CI_STAMP = join(NODE_MODULES, '.angular-app-installed');
/** The hash of the packed package that is installed in the app. */
const PACKAGE_STAMP = join(NODE_MODULES, '.brython-websocket-packed');

/** The files of the root package that go into the tarball (package.json "files", and package.json). */
function packageInputs() {
  const files = [join(ROOT, 'package.json')];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
    throw new Error(`${join(ROOT, 'dist')} is missing: run \`npm run build\` in ${ROOT} first`);
  }
  walk(join(ROOT, 'dist'));
  return files.sort();
}

function hashOf(files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function withLock(task) {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch (error) {
      if (error?.code !== 'EEXIST') throw error;
      const holder = Number(readText(join(LOCK_DIR, 'pid')));
      let alive = true;
      try {
        if (Number.isInteger(holder) && holder > 0) process.kill(holder, 0);
      } catch {
        alive = false;
      }
      // A lock left by a process that died: take it over.
      if (!alive) rmSync(LOCK_DIR, { recursive: true, force: true });
      else await new Promise((done) => setTimeout(done, 250));
    }
  }
  writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
  try {
    return await task();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

async function npm(args, cwd) {
  try {
    return await run('npm', [...args, '--no-audit', '--no-fund'], { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${error.stderr || error.message}`, { cause: error });
  }
}

/**
 * Makes the app's node_modules match its lockfile (`npm ci`, only when needed) and installs
 * the current build of the root package into it (packed, only when dist/ changed).
 * @returns {Promise<{ npmCiMs: number | undefined, packMs: number | undefined }>}
 */
export function installAngularApp() {
  return withLock(async () => {
    let npmCiMs;
    const lock = statSync(join(APP_DIR, 'package-lock.json')).mtimeMs;
    const installed = statSync(CI_STAMP, { throwIfNoEntry: false });
    if (installed === undefined || installed.mtimeMs < lock) {
      const started = performance.now();
      await npm(['ci'], APP_DIR);
      writeFileSync(CI_STAMP, new Date().toISOString());
      npmCiMs = performance.now() - started;
    }

    let packMs;
    const hash = hashOf(packageInputs());
    if (readText(PACKAGE_STAMP) !== hash || !existsSync(join(NODE_MODULES, 'brython-websocket', 'package.json'))) {
      const started = performance.now();
      const dir = await mkdtemp(join(tmpdir(), 'brython-websocket-pack-'));
      try {
        const { stdout } = await npm(['pack', '--json', '--pack-destination', dir], ROOT);
        const [{ filename }] = JSON.parse(stdout);
        // --no-save: the tarball changes with every build, so it stays out of the lockfile.
        await npm(['install', '--no-save', join(dir, filename)], APP_DIR);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      writeFileSync(PACKAGE_STAMP, hash);
      packMs = performance.now() - started;
    }
    return { npmCiMs, packMs };
  });
}

/**
 * Builds the app with Angular's builder (`ng build`: AOT, production, prerendered) into
 * `outputPath` (absolute, or relative to the app), with esbuild's stats (stats.json).
 * `lowPriority` runs it under `nice -n 10`, so that tests running beside it keep the CPU.
 * @param {{ outputPath?: string, define?: Record<string, string>, env?: Record<string, string>, lowPriority?: boolean }} [options]
 * @returns {Promise<{ ms: number, outputPath: string, browserDir: string, log: string }>}
 */
export async function buildAngularApp({ outputPath = 'dist', define = {}, env = {}, lowPriority = false } = {}) {
  const out = resolve(APP_DIR, outputPath);
  const args = ['build', '--configuration=production', `--output-path=${out}`, '--stats-json', '--progress=false'];
  for (const [name, value] of Object.entries(define)) args.push(`--define=${name}=${value}`);
  const started = performance.now();
  let result;
  try {
    const ng = join(NODE_MODULES, '.bin', 'ng');
    const nice = lowPriority && process.platform !== 'win32';
    result = await run(nice ? 'nice' : ng, nice ? ['-n', '10', ng, ...args] : args, {
      cwd: APP_DIR,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', ...env },
    });
  } catch (error) {
    throw new Error(`ng build failed:\n${error.stdout ?? ''}${error.stderr || error.message}`, { cause: error });
  }
  const ms = performance.now() - started;
  return { ms, outputPath: out, browserDir: join(out, 'browser'), log: `${result.stdout}${result.stderr}` };
}

/**
 * The initial JavaScript of a build: the scripts and module preloads of its index.html, their
 * minified and gzipped (zlib level 9) sizes, and the share of brython-websocket, rxjs and
 * Angular in the minified bytes (from esbuild's metafile, stats.json).
 * @param {string} outputPath
 */
export async function measureInitialJs(outputPath) {
  const browserDir = join(outputPath, 'browser');
  const html = await readFile(join(browserDir, 'index.html'), 'utf8');
  const files = [
    ...new Set(
      [...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map(
        (match) => match[1] ?? match[2],
      ),
    ),
  ];
  if (files.length === 0) throw new Error(`no script in ${join(browserDir, 'index.html')}`);
  const stats = JSON.parse(await readFile(join(outputPath, 'stats.json'), 'utf8'));
  const shares = { 'brython-websocket': 0, rxjs: 0, '@angular': 0, app: 0, other: 0 };
  let bytes = 0;
  let gzip = 0;
  for (const file of files) {
    const code = await readFile(join(browserDir, file));
    bytes += code.length;
    gzip += gzipSync(code, { level: 9 }).length;
    const output = Object.entries(stats.outputs).find(([path]) => path === file || path.endsWith(`/${file}`));
    if (output === undefined) throw new Error(`${file} is not in stats.json's outputs`);
    for (const [input, { bytesInOutput }] of Object.entries(output[1].inputs)) {
      shares[ownerOf(input)] += bytesInOutput;
    }
  }
  return { files, bytes, gzip, shares };
}

function ownerOf(input) {
  const path = input.replace(/\\/g, '/');
  if (/node_modules\/brython-websocket\//.test(path)) return 'brython-websocket';
  if (/node_modules\/rxjs\//.test(path)) return 'rxjs';
  if (/node_modules\/@angular\//.test(path)) return '@angular';
  if (/(^|\/)src\//.test(path) && !path.includes('node_modules/')) return 'app';
  return 'other';
}

/** A figure in KiB with one decimal. */
export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** One line per figure, for logs. */
export function formatFigures({ ms, initial }) {
  const total = Object.values(initial.shares).reduce((a, b) => a + b, 0);
  const share = (key) => `${kib(initial.shares[key])} (${((100 * initial.shares[key]) / total).toFixed(1)}%)`;
  return [
    `Angular build (ng build, AOT, production, prerender): ${(ms / 1000).toFixed(1)} s`,
    `initial JS: ${initial.files.join(', ')}: ${kib(initial.bytes)} minified, ${kib(initial.gzip)} gzip (level 9)`,
    `  of the minified bytes: brython-websocket ${share('brython-websocket')}, rxjs ${share('rxjs')}, ` +
      `@angular ${share('@angular')}, the app ${share('app')}, other ${share('other')}`,
  ].join('\n');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { npmCiMs, packMs } = await installAngularApp();
    console.log(
      `npm ci (examples/angular-app): ${npmCiMs === undefined ? 'up to date' : `${(npmCiMs / 1000).toFixed(1)} s`}`,
    );
    console.log(
      `packed brython-websocket installed: ${packMs === undefined ? 'up to date' : `${(packMs / 1000).toFixed(1)} s`}`,
    );
    if (!process.argv.includes('--install')) {
      const build = await buildAngularApp();
      console.log(formatFigures({ ms: build.ms, initial: await measureInitialJs(build.outputPath) }));
    }
  } catch (error) {
    console.error(`angular-app: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
