/**
 * The same user code, run against `rxjs/webSocket` (RxJS 7.8.2) and against this package's
 * `webSocket()`, both on `ws`'s WebSocket and a real `ws` server on port 0 (one per run).
 *
 * `where they agree`: one scenario list; each scenario's observations must be equal for the two
 * and equal to the expected value written in the test. `where they differ`: the documented
 * differences, each showing what RxJS does and what this package does instead.
 *
 * `RxJS 8's own rxjs/webSocket`: the same scenarios on RxJS 8.0.0-alpha.14's `webSocket`, in the
 * RxJS 8 projects only (an RxJS 8 Observable cannot be piped through RxJS 7's operators).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { firstValueFrom, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsCtor } from 'ws';
import { CloseError, NotImplementedError } from '../../src/errors.js';
import type { WebSocketSubjectConfig } from '../../src/rxjs-compat.js';
import { RXJS_MAJOR } from '../helpers/rxjs-major.js';
import { subjectOf, type Impl, type SubjectLike } from '../shared/subject-like.js';
import { startEchoServer, type EchoServer, type ServerConnection } from './server.js';

/** RxJS 7.8's `webSocket` and this package's; RxJS 8's has its own section at the end. */
type Pair = Exclude<Impl, 'rxjs8'>;
const IMPLS: readonly Pair[] = ['rxjs', 'ours'];

type Extra<T> = Omit<WebSocketSubjectConfig<T>, 'url' | 'WebSocketCtor'>;

const servers: EchoServer[] = [];
const httpServers: HttpServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(
    httpServers.splice(0).map(
      (http) =>
        new Promise<void>((resolve) => {
          http.closeAllConnections();
          http.close(() => resolve());
        }),
    ),
  );
  vi.unstubAllGlobals();
});

async function server(): Promise<EchoServer> {
  const started = await startEchoServer();
  servers.push(started);
  return started;
}

/** A subject of `impl` on `ws`'s WebSocket. The user code is the same; only the import differs. */
function make<T>(impl: Impl, url: string, extra: Extra<T> = {}): SubjectLike<T> {
  return subjectOf<T>(impl, { url, WebSocketCtor: WsCtor, ...extra });
}

/** Runs `body` once per implementation, each on a fresh server; resolves with what each returned. */
async function forBoth<R>(body: (impl: Pair, srv: EchoServer) => Promise<R>): Promise<Record<Pair, R>> {
  const results = {} as Record<Pair, R>;
  for (const impl of IMPLS) results[impl] = await body(impl, await server());
  return results;
}

/**
 * A subject of `impl` with one subscriber that records everything into `log` (`done` settles
 * when it ends), once `first` has been sent and echoed back.
 */
async function echoing(impl: Impl, srv: EchoServer, first = 'x', log: unknown[][] = []) {
  const s = make<unknown>(impl, srv.url);
  const done = outcome(s, log);
  s.next(first);
  await firstValueFrom(s);
  return { s, done };
}

/** The text messages a connection received, in order. */
function texts(connection: ServerConnection | undefined): string[] {
  return (connection?.received ?? []).map((m) => (m.binary ? `<binary ${m.data.length}>` : m.data));
}

/** Resolves when `source` ends, with everything it did, in order. */
function outcome<T>(source: Observable<T>, log: unknown[][] = []): Promise<unknown[][]> {
  return new Promise((resolve) => {
    source.subscribe({
      next: (value) => log.push(['next', value]),
      error: (error: unknown) => {
        log.push(['error', error]);
        resolve(log);
      },
      complete: () => {
        log.push(['complete']);
        resolve(log);
      },
    });
  });
}

// ---- One scenario list, both implementations ---------------------------------------------

interface Scenario {
  name: string;
  run(impl: Impl, server: EchoServer): Promise<unknown>;
  expected: unknown;
}

const agree: Scenario[] = [
  {
    name: 'JSON round trip: next() before subscribe is buffered, sent on open, echoed back and parsed',
    async run(impl, srv) {
      const s = make<{ n: number; text?: string }>(impl, srv.url);
      s.next({ n: 1, text: 'héllo' });
      const values = lastValueFrom(s.pipe(take(2), toArray()));
      s.next({ n: 2 });
      const result = { values: await values };
      await srv.closeOf(0);
      return { ...result, received: texts(srv.connections[0]), connections: srv.connections.length };
    },
    expected: {
      values: [{ n: 1, text: 'héllo' }, { n: 2 }],
      received: ['{"n":1,"text":"héllo"}', '{"n":2}'],
      connections: 1,
    },
  },
  {
    name: 'multiple subscribers share one socket and each gets every message',
    async run(impl, srv) {
      const s = make<string>(impl, srv.url);
      const a = lastValueFrom(s.pipe(take(2), toArray()));
      const b = lastValueFrom(s.pipe(take(2), toArray()));
      s.next('x');
      s.next('y');
      const values = await Promise.all([a, b]);
      await srv.closeOf(0);
      return { values, received: texts(srv.connections[0]), connections: srv.connections.length };
    },
    expected: {
      values: [
        ['x', 'y'],
        ['x', 'y'],
      ],
      received: ['"x"', '"y"'],
      connections: 1,
    },
  },
  {
    name: 'a clean close from the server completes, after closeObserver got the close event',
    async run(impl, srv) {
      const log: unknown[][] = [];
      const s = make<string>(impl, srv.url, {
        closeObserver: { next: (e) => log.push(['closeObserver', e.code, e.reason, e.wasClean]) },
      });
      const done = outcome(s, log);
      s.next('hello');
      await firstValueFrom(s);
      (await srv.connection(0)).close(4000, 'bye');
      return done;
    },
    expected: [['next', 'hello'], ['closeObserver', 4000, 'bye', true], ['complete']],
  },
  {
    name: 'subscribing again after the last subscriber left opens a new socket, and openObserver runs again',
    async run(impl, srv) {
      let opens = 0;
      const s = make<string>(impl, srv.url, { openObserver: { next: () => opens++ } });
      s.next('one');
      const first = await firstValueFrom(s);
      await srv.closeOf(0);
      s.next('two');
      const second = await firstValueFrom(s);
      await srv.closeOf(1);
      return { first, second, opens, received: srv.connections.map(texts) };
    },
    expected: { first: 'one', second: 'two', opens: 2, received: [['"one"'], ['"two"']] },
  },
  {
    name: 'openObserver, messages, closingObserver, closeObserver and complete come in this order',
    async run(impl, srv) {
      const log: unknown[][] = [];
      const s = make<string>(impl, srv.url, {
        openObserver: { next: (e) => log.push(['open', e.type]) },
        closingObserver: { next: () => log.push(['closing']) },
        closeObserver: { next: (e) => log.push(['close', e.wasClean]) },
      });
      const done = outcome(s, log);
      s.next('ping');
      await firstValueFrom(s);
      s.complete();
      return done;
    },
    expected: [['open', 'open'], ['next', 'ping'], ['closing'], ['close', true], ['complete']],
  },
  {
    name: 'multiplex: subMsg first, only matching messages, unsubMsg when the subscriber leaves',
    async run(impl, srv) {
      const s = make<{ type?: string; v?: number }>(impl, srv.url);
      const a = firstValueFrom(
        s.multiplex(
          () => ({ sub: 'A' }),
          () => ({ unsub: 'A' }),
          (m) => m.type === 'A',
        ),
      );
      s.next({ type: 'B', v: 1 });
      s.next({ type: 'A', v: 2 });
      const value = await a;
      await srv.closeOf(0);
      return { value, received: texts(srv.connections[0]) };
    },
    expected: {
      value: { type: 'A', v: 2 },
      received: ['{"sub":"A"}', '{"type":"B","v":1}', '{"type":"A","v":2}', '{"unsub":"A"}'],
    },
  },
];

describe('where they agree: the same scenario gives the same result', () => {
  for (const scenario of agree) {
    it(scenario.name, async () => {
      const results = await forBoth((impl, srv) => scenario.run(impl, srv));
      expect(results.ours).toEqual(results.rxjs);
      expect(results.ours).toEqual(scenario.expected);
    });
  }
});

// ---- The documented differences ----------------------------------------------------------

describe('where they differ: what RxJS does, and what this package does instead', () => {
  it('#7353: the last subscriber leaving closes with 1000 (RxJS sends no code: the server sees 1005)', async () => {
    const codes = await forBoth(async (impl, srv) => {
      const s = make<string>(impl, srv.url);
      s.next('x');
      await firstValueFrom(s);
      return srv.closeOf(0);
    });
    expect(codes).toEqual({ rxjs: { code: 1005, reason: '' }, ours: { code: 1000, reason: '' } });
  });

  it('an abrupt end (1006) errors with a CloseError (RxJS: the bare close event, not an Error)', async () => {
    const errors = await forBoth(async (impl, srv) => {
      const { done } = await echoing(impl, srv);
      (await srv.connection(0)).terminate();
      return (await done).at(-1)?.[1];
    });
    expect(errors.ours).toBeInstanceOf(CloseError);
    expect(errors.ours).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1006, wasClean: false });
    expect(errors.rxjs).not.toBeInstanceOf(Error);
    expect(errors.rxjs).toMatchObject({ type: 'close', code: 1006, wasClean: false });
  });

  it('a refused handshake (an error event, then the close) errors with a CloseError with 1006 (RxJS: the bare error event, no code)', async () => {
    const http = createServer();
    http.on('upgrade', (_request, socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    httpServers.push(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const seen: Record<Pair, unknown[][]> = { rxjs: [], ours: [] };
    for (const impl of IMPLS) {
      const closed = new Promise<void>((resolve) => {
        const s = make<string>(impl, url, {
          closeObserver: {
            next: (e) => {
              seen[impl].push(['closeObserver', e.code]);
              resolve();
            },
          },
        });
        void outcome(s, seen[impl]);
      });
      await closed;
    }
    const [oursError] = seen.ours.find((entry) => entry[0] === 'error')!.slice(1);
    expect(seen.ours.map((entry) => entry[0])).toEqual(['closeObserver', 'error']);
    expect(oursError).toBeInstanceOf(CloseError);
    expect(oursError).toMatchObject({ closeCode: 1006, wasClean: false });
    // RxJS errors with the error event first (the close code comes later, to closeObserver only)
    expect(seen.rxjs.map((entry) => entry[0])).toEqual(['error', 'closeObserver']);
    const rxjsError = seen.rxjs[0]![1] as { type: string; message: string; code?: unknown };
    expect(rxjsError).not.toBeInstanceOf(Error);
    expect(rxjsError.type).toBe('error');
    expect(rxjsError.message).toBe('Unexpected server response: 403');
    expect(rxjsError.code).toBeUndefined();
  });

  it('#6770: resubscribing while the first socket is still connecting works (RxJS: openObserver never runs, the message is lost)', async () => {
    const results = await forBoth(async (impl, srv) => {
      let opens = 0;
      const s = make<string>(impl, srv.url, { openObserver: { next: () => opens++ } });
      s.subscribe().unsubscribe(); // the first socket is closed while connecting
      const done = outcome(s.pipe(take(1)));
      s.next('hi');
      const log = await done;
      return { log, opens, received: srv.connections.flatMap(texts) };
    });
    expect(results).toEqual({
      rxjs: { log: [['complete']], opens: 0, received: [] },
      ours: { log: [['next', 'hi'], ['complete']], opens: 1, received: ['"hi"'] },
    });
  });

  it('#7111: a serializer error is thrown by next() and the connection carries on (RxJS: a TypeError ends the stream, the socket closes)', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const results = await forBoth(async (impl, srv) => {
      const log: unknown[][] = [];
      const { s, done } = await echoing(impl, srv, 'first', log);
      let thrown = 'nothing';
      try {
        s.next(circular);
      } catch (error) {
        thrown = (error as Error).name;
      }
      if (impl === 'ours') {
        s.next('after');
        await firstValueFrom(s);
        s.complete();
      }
      await done;
      const close = await srv.closeOf(0);
      return {
        thrown,
        log: log.map((entry) => (entry[0] === 'error' ? ['error', (entry[1] as Error).message.slice(0, 30)] : entry)),
        received: texts(srv.connections[0]),
        close,
      };
    });
    expect(results).toEqual({
      rxjs: {
        thrown: 'nothing',
        log: [
          ['next', 'first'],
          ['error', 'WebSocketSubject.error must be'],
        ],
        received: ['"first"'],
        close: { code: 1005, reason: '' },
      },
      ours: {
        thrown: 'TypeError',
        log: [['next', 'first'], ['next', 'after'], ['complete']],
        received: ['"first"', '"after"'],
        close: { code: 1000, reason: '' },
      },
    });
  });

  it('#5312: a deserializer error errors the stream with it and closes the socket with 1000 (RxJS 7.8.2: closed without a code)', async () => {
    const bad = new SyntaxError('not JSON');
    const results = await forBoth(async (impl, srv) => {
      const s = make<unknown>(impl, srv.url, {
        deserializer: () => {
          throw bad;
        },
      });
      const done = outcome(s);
      s.next('x');
      return { log: await done, close: await srv.closeOf(0) };
    });
    expect(results).toEqual({
      rxjs: { log: [['error', bad]], close: { code: 1005, reason: '' } },
      ours: { log: [['error', bad]], close: { code: 1000, reason: '' } },
    });
  });

  it('error({ code, reason }) reaches the server as that close, for both', async () => {
    const closes = await forBoth(async (impl, srv) => {
      const { s, done } = await echoing(impl, srv);
      s.error({ code: 4001, reason: 'app error' });
      return { server: await srv.closeOf(0), subscriber: await done };
    });
    expect(closes.ours).toEqual(closes.rxjs);
    expect(closes.ours).toEqual({
      server: { code: 4001, reason: 'app error' },
      subscriber: [['next', 'x'], ['complete']],
    });
  });
});

// ---- Without a global WebSocket (RxJS #3942) ---------------------------------------------

describe('without a global WebSocket (SSR, Node 20): RxJS #3942', () => {
  it('in this process: creating the subject works, subscribing errors with NotImplementedError (RxJS: a ReferenceError at creation)', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
    try {
      vi.resetModules();
      const fresh = await import('../../src/rxjs-compat.js');
      const freshErrors = await import('../../src/errors.js');
      const subject = fresh.webSocket<string>('ws://127.0.0.1:9/');
      const [kind, error] = (await outcome(subject))[0]!;
      expect(kind).toBe('error');
      expect(error).toBeInstanceOf(freshErrors.NotImplementedError);
      expect((error as NotImplementedError).code).toBe('ERR_WS_UNSUPPORTED');
      expect((error as Error).message).toContain('WebSocketCtor');
      const rxjs = await import('rxjs/webSocket');
      expect(() => rxjs.webSocket('ws://127.0.0.1:9/')).toThrow(ReferenceError);
    } finally {
      if (saved !== undefined) Object.defineProperty(globalThis, 'WebSocket', saved);
      vi.resetModules();
    }
  });

  it('in plain Node, the built brython-websocket/webSocket (ESM and CJS) imports, creates and fails only at subscribe; rxjs/webSocket throws at creation', async () => {
    const distEsm = fileURLToPath(new URL('../../dist/webSocket.js', import.meta.url));
    const distCjs = fileURLToPath(new URL('../../dist/webSocket.cjs', import.meta.url));
    for (const file of [distEsm, distCjs]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx tsup\` (the global setup builds it)`);
    }
    const script = `
      const out = {};
      const probe = (mod) => new Promise((resolve) => {
        const subject = mod.webSocket('ws://127.0.0.1:9/');
        subject.subscribe({ error: (e) => resolve(e.code), complete: () => resolve('complete') });
      });
      (async () => {
        out.global = typeof globalThis.WebSocket;
        out.esm = await probe(await import(${JSON.stringify(pathToFileURL(distEsm).href)}));
        out.cjs = await probe(require(${JSON.stringify(distCjs)}));
        // The same files through the package's own name and its exports map.
        out.esmSubpath = await probe(await import('brython-websocket/webSocket'));
        out.cjsSubpath = await probe(require('brython-websocket/webSocket'));
        out.subpathFile = require.resolve('brython-websocket/webSocket') === ${JSON.stringify(distCjs)};
        out.mainEntry = typeof require('brython-websocket').webSocket;
        try { require('rxjs/webSocket').webSocket('ws://127.0.0.1:9/'); out.rxjs = 'created'; }
        catch (e) { out.rxjs = e.name; }
        process.stdout.write(JSON.stringify(out));
      })().catch((e) => { console.error(e); process.exit(1); });
    `;
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--no-experimental-websocket', '-e', script],
      { env, cwd: root },
    );
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      global: 'undefined',
      esm: 'ERR_WS_UNSUPPORTED',
      cjs: 'ERR_WS_UNSUPPORTED',
      esmSubpath: 'ERR_WS_UNSUPPORTED',
      cjsSubpath: 'ERR_WS_UNSUPPORTED',
      subpathFile: true,
      // webSocket() lives in 'brython-websocket/webSocket' only.
      mainEntry: 'undefined',
      rxjs: 'ReferenceError',
    });
  });
});

// ---- RxJS 8's own rxjs/webSocket -------------------------------------------------------------

/** `ws`'s WebSocket, keeping each socket it makes, so a test can await the client's own close. */
function recordingCtor(): { ctor: typeof WsCtor; sockets: WsCtor[] } {
  const sockets: WsCtor[] = [];
  class Recorded extends WsCtor {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  return { ctor: Recorded as unknown as typeof WsCtor, sockets };
}

/**
 * Resolves once the client socket has closed. Listened to after the subject's own `onclose`
 * (set when the socket was made), so the subject has handled the close by then.
 */
const clientClosed = (socket: WsCtor | undefined): Promise<void> =>
  new Promise((resolve) => socket!.once('close', () => resolve()));

/** The scenarios above on which RxJS 8.0.0-alpha.14's webSocket does something else (see below). */
const RXJS8_DIFFERS = new Set([
  'openObserver, messages, closingObserver, closeObserver and complete come in this order',
]);

describe.runIf(RXJS_MAJOR >= 8)("RxJS 8's own rxjs/webSocket (8.0.0-alpha.14), on the same server", () => {
  for (const scenario of agree.filter((each) => !RXJS8_DIFFERS.has(each.name))) {
    it(`as here: ${scenario.name}`, async () => {
      expect(await scenario.run('rxjs8', await server())).toEqual(scenario.expected);
    });
  }

  it('complete() after the open closes the socket without a code (1005), and its subscribers never complete: closeObserver is not told', async () => {
    const srv = await server();
    const { ctor, sockets } = recordingCtor();
    const log: unknown[][] = [];
    const s = subjectOf<string>('rxjs8', {
      url: srv.url,
      WebSocketCtor: ctor,
      closingObserver: { next: () => log.push(['closing']) },
      closeObserver: { next: (e) => log.push(['close', e.code]) },
    });
    void outcome(s, log);
    s.next('ping');
    await firstValueFrom(s);
    const closed = clientClosed(sockets[0]);
    s.complete();
    expect(await srv.closeOf(0)).toEqual({ code: 1005, reason: '' });
    await closed;
    // This package: [..., ['closing'], ['close', 1000], ['complete']] (the scenario above).
    expect(log).toEqual([['next', 'ping'], ['closing']]);
  });

  it('error({ code, reason }) closes with that code, and its subscribers never complete either', async () => {
    const srv = await server();
    const { ctor, sockets } = recordingCtor();
    const log: unknown[][] = [];
    const s = subjectOf<string>('rxjs8', { url: srv.url, WebSocketCtor: ctor });
    void outcome(s, log);
    s.next('x');
    await firstValueFrom(s);
    const closed = clientClosed(sockets[0]);
    s.error({ code: 4001, reason: 'app error' });
    expect(await srv.closeOf(0)).toEqual({ code: 4001, reason: 'app error' });
    await closed;
    expect(log).toEqual([['next', 'x']]);
  });

  it('a refused handshake errors with the bare error event (no code), and closeObserver is never told of the close', async () => {
    const http = createServer();
    http.on('upgrade', (_request, socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    httpServers.push(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { ctor, sockets } = recordingCtor();
    const log: unknown[][] = [];
    const s = subjectOf<string>('rxjs8', {
      url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`,
      WebSocketCtor: ctor,
      closeObserver: { next: (e) => log.push(['closeObserver', e.code]) },
    });
    const done = outcome(s, log);
    const closed = clientClosed(sockets[0]);
    await done;
    await closed;
    expect(log.map((entry) => entry[0])).toEqual(['error']);
    const error = log[0]![1] as { type: string; code?: unknown };
    expect(error).not.toBeInstanceOf(Error);
    expect(error.type).toBe('error');
    expect(error.code).toBeUndefined();
  });

  it('an abrupt end (1006) still errors with the bare close event, not an Error', async () => {
    const srv = await server();
    const { done } = await echoing('rxjs8', srv);
    (await srv.connection(0)).terminate();
    const error = (await done).at(-1)?.[1];
    expect(error).not.toBeInstanceOf(Error);
    expect(error).toMatchObject({ type: 'close', code: 1006, wasClean: false });
  });

  it('still closes without a code (1005) when the last subscriber leaves (RxJS #7353), and after a deserializer error (#5312)', async () => {
    const srv = await server();
    const s = make<string>('rxjs8', srv.url);
    s.next('x');
    await firstValueFrom(s);
    expect(await srv.closeOf(0)).toEqual({ code: 1005, reason: '' });

    const bad = new SyntaxError('not JSON');
    const srv2 = await server();
    const failing = make<unknown>('rxjs8', srv2.url, {
      deserializer: () => {
        throw bad;
      },
    });
    const done = outcome(failing);
    failing.next('x');
    expect(await done).toEqual([['error', bad]]);
    expect(await srv2.closeOf(0)).toEqual({ code: 1005, reason: '' });
  });

  it('still masks a serializer error with its TypeError, ending the stream (RxJS #7111)', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const srv = await server();
    const log: unknown[][] = [];
    const { s, done } = await echoing('rxjs8', srv, 'first', log);
    s.next(circular);
    await done;
    expect(log[1]![0]).toBe('error');
    expect((log[1]![1] as Error).message).toMatch(/^WebSocketSubject\.error must be called with an object/);
    expect(await srv.closeOf(0)).toEqual({ code: 1005, reason: '' });
  });

  it('fixes RxJS #6770: resubscribing while the first socket is still connecting works, as here', async () => {
    const srv = await server();
    let opens = 0;
    const s = make<string>('rxjs8', srv.url, { openObserver: { next: () => opens++ } });
    s.subscribe().unsubscribe();
    const done = outcome(s.pipe(take(1)));
    s.next('hi');
    expect(await done).toEqual([['next', 'hi'], ['complete']]);
    expect(opens).toBe(1);
  });

  it('reads the global WebSocket when created: without one (Node 20) it throws a ReferenceError even with WebSocketCtor (this package: no error)', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
    try {
      const rxjs8 = await import('rxjs8/webSocket');
      expect(() => rxjs8.webSocket({ url: 'ws://127.0.0.1:9/', WebSocketCtor: WsCtor as never })).toThrow(
        ReferenceError,
      );
      expect(() => subjectOf('ours', { url: 'ws://127.0.0.1:9/', WebSocketCtor: WsCtor })).not.toThrow();
    } finally {
      if (saved !== undefined) Object.defineProperty(globalThis, 'WebSocket', saved);
    }
  });
});
