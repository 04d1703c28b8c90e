import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as barrel from '../src/index.js';
import * as resilienceBarrel from '../src/resilience.js';
import * as webSocketBarrel from '../src/rxjs-compat.js';
import * as streamsBarrel from '../src/streams.js';
import { thrownBy } from './helpers/thrown.js';
import { RESILIENCE_EXPORTS, RUNTIME_EXPORTS, STREAMS_EXPORTS, WEBSOCKET_EXPORTS } from './helpers/entry-exports.js';

const run = promisify(execFile);

/** What moved out of the main entry: none of it may come back there. */
const MOVED = [...RESILIENCE_EXPORTS, ...WEBSOCKET_EXPORTS, ...STREAMS_EXPORTS];

const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

/** Each entry's built files, ESM and CJS. */
const ENTRIES = {
  main: { esm: dist('index.js'), cjs: dist('index.cjs'), keys: RUNTIME_EXPORTS },
  resilience: { esm: dist('resilience.js'), cjs: dist('resilience.cjs'), keys: RESILIENCE_EXPORTS },
  webSocket: { esm: dist('webSocket.js'), cjs: dist('webSocket.cjs'), keys: WEBSOCKET_EXPORTS },
  streams: { esm: dist('streams.js'), cjs: dist('streams.cjs'), keys: STREAMS_EXPORTS },
} as const;
type EntryName = keyof typeof ENTRIES;
const ENTRY_NAMES = Object.keys(ENTRIES) as EntryName[];

const esmUrl = (entry: EntryName): string => JSON.stringify(pathToFileURL(ENTRIES[entry].esm).href);
const cjsPath = (entry: EntryName): string => JSON.stringify(ENTRIES[entry].cjs);

/** Runs `script` in a child Node without a global WebSocket (as plain Node 20), from the package directory. */
async function node(script: string): Promise<{ stdout: string; stderr: string }> {
  for (const entry of Object.values(ENTRIES)) {
    for (const file of [entry.esm, entry.cjs]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` (npm test builds it first)`);
    }
  }
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return run(process.execPath, ['--no-experimental-websocket', '-e', script], { env });
}

describe('the barrel (src/index.ts)', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(barrel).sort()).toEqual(RUNTIME_EXPORTS);
  });

  it('no longer exports the resilience features or the RxJS drop-in (they have their own subpaths)', () => {
    const keys = Object.keys(barrel);
    expect(MOVED.filter((name) => keys.includes(name))).toEqual([]);
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

describe('the subpath barrels (src/resilience.ts, src/rxjs-compat.ts)', () => {
  it('brython-websocket/resilience exports exactly these runtime names, with their kinds', () => {
    expect(Object.keys(resilienceBarrel).sort()).toEqual(RESILIENCE_EXPORTS);
    expect(resilienceBarrel.CLOSE_HEARTBEAT_TIMEOUT).toBe(4900);
    expect(resilienceBarrel.CLOSE_CONNECT_TIMEOUT).toBe(4901);
    for (const name of [
      'reconnect',
      'heartbeat',
      'connectTimeout',
      'backoffDelay',
      'defaultShouldReconnect',
    ] as const) {
      expect(typeof resilienceBarrel[name], name).toBe('function');
    }
    expect(resilienceBarrel.reconnect().kind).toBe('reconnect');
    expect(resilienceBarrel.heartbeat({ interval: 10 }).kind).toBe('heartbeat');
    expect(resilienceBarrel.connectTimeout(10).kind).toBe('connectTimeout');
    expect(resilienceBarrel.RECONNECT_DEFAULTS).toMatchObject({ attempts: Infinity, jitter: 0.5 });
  });

  it('brython-websocket/webSocket exports exactly webSocket, WebSocketSubject and ObjectUnsubscribedError', () => {
    expect(Object.keys(webSocketBarrel).sort()).toEqual(WEBSOCKET_EXPORTS);
    expect(typeof webSocketBarrel.webSocket).toBe('function');
    expect(typeof webSocketBarrel.WebSocketSubject).toBe('function');
  });

  it('brython-websocket/streams exports exactly these runtime names, with their kinds and defaults', () => {
    expect(Object.keys(streamsBarrel).sort()).toEqual(STREAMS_EXPORTS);
    for (const name of ['messages', 'readable', 'writable', 'concatMapPaced', 'OverflowError'] as const) {
      expect(typeof streamsBarrel[name], name).toBe('function');
    }
    expect([streamsBarrel.DEFAULT_HIGH_WATER_MARK, streamsBarrel.DEFAULT_WRITE_HIGH_WATER_MARK]).toEqual([256, 65_536]);
    expect(new streamsBarrel.OverflowError(4, 0, 'error')).toBeInstanceOf(barrel.WebSocketError);
  });

  it("an error of a subpath is an instance of the main entry's WebSocketError", () => {
    const errors = [
      thrownBy(() => resilienceBarrel.connectTimeout(0)),
      thrownBy(() => webSocketBarrel.webSocket('localhost:8080')),
    ];
    expect(errors.map((error) => error instanceof barrel.WebSocketError)).toEqual([true, true]);
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual([
      'ERR_WS_INVALID_ARGUMENT',
      'ERR_WS_INVALID_URL',
    ]);
  });
});

describe('the built package exposes the same names', () => {
  it.each(ENTRY_NAMES)('%s: in ESM (dist/*.js) and CJS (dist/*.cjs)', async (entry) => {
    const { stdout } = await node(`
      import(${esmUrl(entry)}).then((esm) => {
        const cjs = require(${cjsPath(entry)});
        process.stdout.write(JSON.stringify({ esm: Object.keys(esm).sort(), cjs: Object.keys(cjs).sort() }));
      });
    `);
    const keys = [...ENTRIES[entry].keys];
    expect(JSON.parse(stdout)).toEqual({ esm: keys, cjs: keys });
  });

  // One copy of the core, in shared chunks: a feature or an error made by one entry is the
  // main entry's own (in each format; ESM and CJS are two copies, as for any dual package).
  it.each(['esm', 'cjs'] as const)(
    "%s: an error thrown by the resilience (and webSocket) entry is instanceof the main entry's WebSocketError",
    async (format) => {
      const load =
        format === 'esm'
          ? `const main = await import(${esmUrl('main')});
             const resilience = await import(${esmUrl('resilience')});
             const rx = await import(${esmUrl('webSocket')});
             const other = require(${cjsPath('main')});`
          : `const main = require(${cjsPath('main')});
             const resilience = require(${cjsPath('resilience')});
             const rx = require(${cjsPath('webSocket')});
             const other = await import(${esmUrl('main')});`;
      const { stdout } = await node(`
        (async () => {
          ${load}
          const caught = (fn) => { try { fn(); } catch (e) { return e; } return undefined; };
          const fromResilience = caught(() => resilience.connectTimeout(0));
          const fromReconnect = caught(() => resilience.reconnect({ jitter: 2 }));
          const fromWebSocket = caught(() => rx.webSocket('localhost:8080'));
          // A feature of the resilience entry is accepted by a socket of the main entry.
          class Ctor {
            constructor(url) { this.url = url; this.readyState = 0; }
            send() {}
            addEventListener() {}
            removeEventListener() {}
            close() {}
          }
          const socket = main.WebSocket('ws://test/', { WebSocketCtor: Ctor, reconnect: resilience.reconnect(), connectTimeout: resilience.connectTimeout(1000) });
          socket.close();
          process.stdout.write(JSON.stringify({
            resilience: [fromResilience.code, fromResilience instanceof main.WebSocketError, main.isWebSocketError(fromResilience)],
            reconnect: [fromReconnect.code, fromReconnect instanceof main.WebSocketError],
            webSocket: [fromWebSocket.code, fromWebSocket instanceof main.WebSocketError],
            otherFormat: fromResilience instanceof other.WebSocketError,
            socket: [socket instanceof main.RxWebSocket, socket.state],
          }));
        })().catch((e) => { console.error(e); process.exit(1); });
      `);
      expect(JSON.parse(stdout)).toEqual({
        resilience: ['ERR_WS_INVALID_ARGUMENT', true, true],
        reconnect: ['ERR_WS_INVALID_ARGUMENT', true],
        webSocket: ['ERR_WS_INVALID_URL', true],
        // The proof is not vacuous: the other format's class is another copy, and fails.
        otherFormat: false,
        socket: [true, 'closing'],
      });
    },
  );
});

describe('importing has no side effects', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it('in plain Node without a global WebSocket (SSR): import() and require() of every entry succeed and print nothing', async () => {
    const script = `
      (async () => {
        const esm = await import(${esmUrl('main')});
        const cjs = require(${cjsPath('main')});
        const resilience = [await import(${esmUrl('resilience')}), require(${cjsPath('resilience')})];
        const rx = [await import(${esmUrl('webSocket')}), require(${cjsPath('webSocket')})];
        if (typeof globalThis.WebSocket !== 'undefined') process.exit(2);
        if (typeof esm.WebSocket !== 'function' || typeof cjs.WebSocket !== 'function') process.exit(3);
        if (esm.supported !== false || cjs.supported !== false) process.exit(4);
        if (!resilience.every((m) => typeof m.reconnect === 'function')) process.exit(5);
        if (!rx.every((m) => typeof m.webSocket === 'function')) process.exit(6);
      })().catch(() => process.exit(1));
    `;
    await expect(node(script)).resolves.toEqual({ stdout: '', stderr: '' });
  });

  it('in plain Node, loading the built bundles of every entry calls no timer, randomness or console', async () => {
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
      watch(Date, 'now', 'Date.now');
      for (const name of ['log', 'info', 'warn', 'error', 'debug']) watch(console, name, 'console.' + name);
      (async () => {
        for (const url of [${esmUrl('main')}, ${esmUrl('resilience')}, ${esmUrl('webSocket')}]) await import(url);
        for (const path of [${cjsPath('main')}, ${cjsPath('resilience')}, ${cjsPath('webSocket')}]) require(path);
        process.stdout.write(JSON.stringify(calls));
      })().catch(() => process.exit(1));
    `;
    await expect(node(script)).resolves.toEqual({ stdout: '[]', stderr: '' });
  });

  it('inside vitest: a fresh import of each entry calls no Math.random, console, setTimeout or setInterval', async () => {
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
    const freshResilience = await import('../src/resilience.js');
    const freshWebSocket = await import('../src/rxjs-compat.js');
    // a fresh module instance really was evaluated (not the cached one)
    expect(fresh.WebSocketError).not.toBe(barrel.WebSocketError);
    expect(freshResilience.reconnect).not.toBe(resilienceBarrel.reconnect);
    expect(freshWebSocket.webSocket).not.toBe(webSocketBarrel.webSocket);
    expect(Object.keys(fresh).sort()).toEqual(RUNTIME_EXPORTS);
    expect(Object.keys(freshResilience).sort()).toEqual(RESILIENCE_EXPORTS);
    expect(Object.keys(freshWebSocket).sort()).toEqual(WEBSOCKET_EXPORTS);
    const calls = Object.fromEntries(Object.entries(spies).map(([name, spy]) => [name, spy.mock.calls.length]));
    expect(calls).toEqual({ random: 0, log: 0, info: 0, warn: 0, error: 0, setTimeout: 0, setInterval: 0 });
  });
});
