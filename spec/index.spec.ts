import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as barrel from '../src/index.js';

const run = promisify(execFile);

const RUNTIME_EXPORTS = [
  'CLOSE_CONNECT_TIMEOUT',
  'CLOSE_HEARTBEAT_TIMEOUT',
  'CloseError',
  'DEFAULT_MAX_QUEUE',
  'DecodeError',
  'NotImplementedError',
  'RECONNECT_DEFAULTS',
  'RxWebSocket',
  'WebSocket',
  'WebSocketError',
  'WebSocketSubject',
  'backoffDelay',
  'defaultShouldReconnect',
  'identityDeserializer',
  'identitySerializer',
  'isWebSocketError',
  'json',
  'supported',
  'webSocket',
];

const distEsm = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const distCjs = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));

/** Runs `script` in a child Node without a global WebSocket (as plain Node 20), from the package directory. */
async function node(script: string): Promise<{ stdout: string; stderr: string }> {
  for (const file of [distEsm, distCjs]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx tsup\` (npm test builds it first)`);
  }
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return run(process.execPath, ['--no-experimental-websocket', '-e', script], { env });
}

describe('the barrel (src/index.ts)', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(barrel).sort()).toEqual(RUNTIME_EXPORTS);
  });

  it('exports the pieces with their kinds', () => {
    expect(typeof barrel.WebSocket).toBe('function');
    expect(typeof barrel.RxWebSocket).toBe('function');
    expect(typeof barrel.json).toBe('function');
    expect(typeof barrel.isWebSocketError).toBe('function');
    expect(typeof barrel.supported).toBe('boolean');
    expect(barrel.DEFAULT_MAX_QUEUE).toBe(1000);
    expect(new barrel.NotImplementedError('m')).toBeInstanceOf(barrel.WebSocketError);
  });
});

describe('the built package exposes the same names', () => {
  it('in ESM (dist/index.js) and CJS (dist/index.cjs)', async () => {
    const { stdout } = await node(`
      import(${JSON.stringify(pathToFileURL(distEsm).href)}).then((esm) => {
        const cjs = require(${JSON.stringify(distCjs)});
        process.stdout.write(JSON.stringify({ esm: Object.keys(esm).sort(), cjs: Object.keys(cjs).sort() }));
      });
    `);
    expect(JSON.parse(stdout)).toEqual({ esm: RUNTIME_EXPORTS, cjs: RUNTIME_EXPORTS });
  });
});

describe('importing has no side effects', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('in plain Node without a global WebSocket (SSR): import() and require() succeed and print nothing', async () => {
    const script = `
      (async () => {
        const esm = await import(${JSON.stringify(pathToFileURL(distEsm).href)});
        const cjs = require(${JSON.stringify(distCjs)});
        if (typeof globalThis.WebSocket !== 'undefined') process.exit(2);
        if (typeof esm.WebSocket !== 'function' || typeof cjs.WebSocket !== 'function') process.exit(3);
        if (esm.supported !== false || cjs.supported !== false) process.exit(4);
      })().catch(() => process.exit(1));
    `;
    await expect(node(script)).resolves.toEqual({ stdout: '', stderr: '' });
  });

  it('in plain Node, loading the built bundles calls no timer, randomness or console', async () => {
    const script = `
      const calls = [];
      const watch = (owner, name, label) => {
        const original = owner[name];
        owner[name] = function (...args) {
          calls.push(label);
          return original.apply(this, args);
        };
      };
      for (const name of ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask']) watch(globalThis, name, name);
      watch(Math, 'random', 'Math.random');
      for (const name of ['log', 'info', 'warn', 'error', 'debug']) watch(console, name, 'console.' + name);
      import(${JSON.stringify(pathToFileURL(distEsm).href)}).then(() => {
        require(${JSON.stringify(distCjs)});
        process.stdout.write(JSON.stringify(calls));
      }, () => process.exit(1));
    `;
    await expect(node(script)).resolves.toEqual({ stdout: '[]', stderr: '' });
  });

  it('inside vitest: a fresh import calls no Math.random, console, setTimeout or setInterval', async () => {
    const spies = {
      random: vi.spyOn(Math, 'random'),
      log: vi.spyOn(console, 'log'),
      info: vi.spyOn(console, 'info'),
      warn: vi.spyOn(console, 'warn'),
      error: vi.spyOn(console, 'error'),
      setTimeout: vi.spyOn(globalThis, 'setTimeout'),
      setInterval: vi.spyOn(globalThis, 'setInterval'),
    };
    vi.resetModules();
    const fresh = await import('../src/index.js');
    // a fresh module instance really was evaluated (not the cached one)
    expect(fresh.WebSocketError).not.toBe(barrel.WebSocketError);
    expect(Object.keys(fresh).sort()).toEqual(RUNTIME_EXPORTS);
    const calls = Object.fromEntries(Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]));
    expect(calls).toEqual({ random: 0, log: 0, info: 0, warn: 0, error: 0, setTimeout: 0, setInterval: 0 });
  });
});
