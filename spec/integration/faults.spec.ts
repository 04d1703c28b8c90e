/**
 * Faults against real local servers, with `ws`'s WebSocket as `WebSocketCtor`: a handshake
 * refused with HTTP 401, 404 or 500, a refused connection, a DNS failure, a `wss:` URL pointed
 * at a plain server, and a server that dies in the middle of a message.
 *
 * Each case runs twice: without reconnection (one native socket, then the final close) and
 * with `reconnect: reconnect({ initialDelay: 10, jitter: 0, attempts: 2 })` (exactly two more native
 * sockets, 10 ms then 20 ms after a close, then the final close). Each checks, exactly: what
 * `error$` and `close$` carry, the states, how the subject face ends (`CloseError`), that the
 * queued message is handed back by `drainQueue()`, and that nothing is left: every native
 * socket had a listener for each event it emitted (an 'error' without one would have crashed
 * the process) and has none left, every TCP socket made is closed, and no timer is pending.
 * Every wait is an awaited event: nothing sleeps.
 *
 * Then URLs in messages: a URL with an @ (it may hold credentials) is never quoted, whether
 * the server refuses it, the connect timeout gives up on it, or `ws` refuses it in its
 * constructor (`ws`'s own message is kept, with `ws`'s error as the cause, only for a URL
 * without an @); the connect timeout's message names no URL at all.
 */
import { inspect } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket as WsWebSocket, type ClientOptions } from 'ws';
import { CloseError, RxWebSocket, WebSocketError } from '../../src/index.js';
import type { SocketState, WebSocketConstructor, WsEvent } from '../../src/index.js';
import { CLOSE_CONNECT_TIMEOUT, connectTimeout, reconnect, type ConnectTimeoutFeature } from '../../src/resilience.js';
import { closeAfter } from '../helpers/close-after.js';
import { thrown } from '../helpers/thrown.js';
import {
  closeOf,
  listenersAfterClose,
  nativeError,
  NO_LISTENERS,
  recordStreams,
  trackedScheduler,
  type Streams,
} from '../helpers/ws-client.js';
import {
  closedPort,
  startPlainWsServer,
  startStatusServer,
  startTruncatingServer,
  type PlainWsServer,
  type StatusServer,
  type TruncatingServer,
} from './fault-servers.js';
import {
  listenerCounts,
  record,
  recordingCtor,
  watchFace,
  watchTimers,
  type RecordedSocket,
  type TrackingScheduler,
} from './probes.js';
import { startSilentServer } from './raw-servers.js';
import { watchSockets, type SocketWatch } from './socket-watch.js';

const RECONNECT = { initialDelay: 10, jitter: 0, attempts: 2 } as const;
/** One feature object for every socket: each socket it is attached to gets its own state. */
const RECONNECT_FEATURE = reconnect(RECONNECT);
const ABNORMAL: [number, string, boolean] = [1006, '', false];

/** Credentials put in URLs: no message may show them. */
const USER = 'alice';
const SECRET = 's3cret-token';

/** A message or a reason that shows no credentials: no password, no `user:`, no URL with an @. */
function expectNoCredentials(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(`${USER}:`);
  expect(text).not.toContain('@');
}

/**
 * A printed error (`util.inspect`: its own properties, its stack, its cause) that shows no
 * credentials. Its stack may hold an @ of its own (`node_modules/@vitest/...`), so only the
 * credentials themselves are looked for.
 */
function expectNoCredentialsPrinted(error: unknown): void {
  const printed = inspect(error, { depth: 5 });
  expect(printed).not.toContain(SECRET);
  expect(printed).not.toContain(`${USER}:`);
}

/** The two runs of every case. */
const MODES = [
  { mode: 'reconnect off', reconnect: false, sockets: 1 },
  { mode: 'reconnect on', reconnect: true, sockets: 1 + RECONNECT.attempts },
] as const;
type Mode = (typeof MODES)[number];

/** The states a socket goes through when every one of its connections fails before opening. */
function statesNeverOpen(mode: Mode): SocketState[] {
  return mode.reconnect
    ? ['connecting', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'closed']
    : ['connecting', 'closed'];
}

/** Which of the recorded native sockets an event came from (`ws` events carry it as `target`). */
function sourceOf(instances: readonly RecordedSocket[], event: WsEvent | Error): number {
  return instances.indexOf((event as { target?: unknown }).target as RecordedSocket);
}

/** Everything a case needs: the client, its probes, and the leak watches. */
interface Run extends Streams {
  ws: RxWebSocket;
  instances: RecordedSocket[];
  scheduler: TrackingScheduler;
  sockets: SocketWatch;
  timers: ReturnType<typeof watchTimers>;
  /** The reconnect delays pending on the scheduler right after each close event. */
  delaysAtClose: number[][];
}

function start(
  url: string,
  mode: Mode,
  extra: { connectTimeout?: ConnectTimeoutFeature } = {},
  clientOptions?: ClientOptions,
): Run {
  const { Ctor, instances } = recordingCtor(clientOptions);
  const scheduler = trackedScheduler();
  const sockets = watchSockets();
  onTestFinished(() => sockets.stop());
  const timers = watchTimers();
  onTestFinished(() => timers.stop());
  const ws = closeAfter(
    new RxWebSocket(url, {
      WebSocketCtor: Ctor,
      scheduler,
      ...(mode.reconnect ? { reconnect: RECONNECT_FEATURE } : {}),
      ...extra,
    }),
  );
  const delaysAtClose: number[][] = [];
  ws.close$.subscribe(() => delaysAtClose.push(scheduler.pendingDelays()));
  return { ws, instances, scheduler, sockets, timers, delaysAtClose, ...recordStreams(ws) };
}

/** The reconnect delays after each close: 10 ms, then 20 ms (factor 2, no jitter), then none. */
function delaysFor(mode: Mode): number[][] {
  return mode.reconnect ? [[10], [20], []] : [[]];
}

/**
 * What every case ends with: the final close came, the face errored with `CloseError` 1006,
 * the queued message is handed back, and nothing is left behind.
 */
async function expectCleanEnd(run: Run, mode: Mode, emitted: [string, number][]): Promise<void> {
  const { ws, instances, scheduler, sockets, timers, face } = run;
  await run.closes.done;
  const ended = await face.ended;
  expect(ended.kind).toBe('error');
  const error = (ended as { error: unknown }).error;
  expect(error).toBeInstanceOf(CloseError);
  expect(error).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1006, reason: '', wasClean: false });
  // The message names the close code (its wording is not part of the contract).
  expect((error as CloseError).message).toMatch(/\b1006\b/);
  expect(ws.state).toBe('closed');
  expect(ws.readyState).toBe(RxWebSocket.CLOSED);
  expect(() => ws.send('after')).toThrow(expect.objectContaining({ code: 'ERR_WS_INVALID_STATE' }));

  expect(instances).toHaveLength(mode.sockets);
  await Promise.all(instances.map((native) => native.closed));
  // Each event each native socket emitted found exactly the package's one listener...
  for (const native of instances) {
    expect(native.emitted.map(({ event, listeners }) => [event, listeners])).toEqual(emitted);
    expect(native.readyState).toBe(WsWebSocket.CLOSED);
  }
  // ...and none is left on any of them.
  expect(instances.map(listenerCounts)).toEqual(instances.map(() => NO_LISTENERS));
  expect(scheduler.pendingDelays()).toEqual([]);
  // Every TCP socket made meanwhile, the client's and the server's ends, closes (and the
  // watch did see them: at least one per native socket).
  expect(sockets.made()).toBeGreaterThanOrEqual(mode.sockets);
  await sockets.allClosed();
  expect(sockets.open()).toBe(0);
  // Every Node timer made meanwhile (the scheduler's, ws's) has fired or been cleared.
  expect(timers.pending()).toEqual([]);
}

describe.each(MODES.map((mode) => [mode.mode, mode] as const))('faults, %s', (_name, mode) => {
  describe.each([401, 404, 500])('a handshake refused with HTTP %i', (status) => {
    it(`error$ "Unexpected server response: ${status}", close$ 1006, ${mode.sockets} handshake(s), then the final close`, async () => {
      const server: StatusServer = closeAfter(await startStatusServer(status));
      const run = start(`${server.url}/feed`, mode);
      expect(run.ws.send('held')).toBe(false);

      await run.closes.done;
      expect(run.errors.values.map(nativeError)).toEqual(
        Array.from({ length: mode.sockets }, () => ({
          type: 'error',
          message: `Unexpected server response: ${status}`,
          code: undefined,
        })),
      );
      expect(run.closes.values.map(closeOf)).toEqual(Array.from({ length: mode.sockets }, () => ABNORMAL));
      // One error then one close per native socket, in the order the sockets were made.
      expect(run.errors.values.map((e) => sourceOf(run.instances, e))).toEqual([...Array(mode.sockets).keys()]);
      expect(run.closes.values.map((e) => sourceOf(run.instances, e))).toEqual([...Array(mode.sockets).keys()]);
      expect(run.states.values).toEqual(statesNeverOpen(mode));
      expect(run.delaysAtClose).toEqual(delaysFor(mode));
      expect(run.opens.values).toEqual([]);
      // The server answered one upgrade request per native socket, and no other request.
      await server.answered(mode.sockets - 1);
      expect(server.requests).toEqual(
        Array.from({ length: mode.sockets }, () => ({ method: 'GET', url: '/feed', upgrade: 'websocket' })),
      );
      expect(run.ws.drainQueue()).toEqual(['held']);
      await expectCleanEnd(run, mode, [
        ['error', 1],
        ['close', 1],
      ]);
    });
  });

  it(`a handshake refused with 401 for a user:password@ URL: the credentials reach the server, no message quotes them`, async () => {
    const server: StatusServer = closeAfter(await startStatusServer(401));
    const url = server.url.replace('ws://', `ws://${USER}:${SECRET}@`) + '/private';
    const run = start(url, mode);
    expect(run.ws.send('held')).toBe(false);

    await run.closes.done;
    // The credentials were really used: ws sent them as Basic auth on every attempt.
    await server.answered(mode.sockets - 1);
    const basic = `Basic ${Buffer.from(`${USER}:${SECRET}`).toString('base64')}`;
    expect(server.requests).toEqual(
      Array.from({ length: mode.sockets }, () => ({
        method: 'GET',
        url: '/private',
        upgrade: 'websocket',
        authorization: basic,
      })),
    );
    expect(run.errors.values.map(nativeError)).toEqual(
      Array.from({ length: mode.sockets }, () => ({
        type: 'error',
        message: 'Unexpected server response: 401',
        code: undefined,
      })),
    );
    expect(run.closes.values.map(closeOf)).toEqual(Array.from({ length: mode.sockets }, () => ABNORMAL));
    expect(run.states.values).toEqual(statesNeverOpen(mode));
    const ended = await run.face.ended;
    expect(ended.kind).toBe('error');
    const error = (ended as { error: unknown }).error as CloseError;
    expect(error).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1006 });
    // Nothing the package emitted or threw shows them: not a message, not the printed error
    // (the close event, whose target holds the URL, is not enumerable on it).
    expectNoCredentialsPrinted(error);
    for (const text of [
      error.message,
      ...run.errors.values.map((e) => String((e as { message?: unknown }).message)),
      ...run.closes.values.map((e) => e.reason),
    ]) {
      expectNoCredentials(text);
    }
    expect(run.ws.drainQueue()).toEqual(['held']);
    await expectCleanEnd(run, mode, [
      ['error', 1],
      ['close', 1],
    ]);
  });

  it(`connection refused: error$ ECONNREFUSED, close$ 1006 on each of ${mode.sockets} attempt(s), then the final close`, async () => {
    const port = await closedPort();
    const run = start(`ws://127.0.0.1:${port}/`, mode);
    expect(run.ws.send('held')).toBe(false);

    await run.closes.done;
    expect(run.errors.values.map(nativeError)).toEqual(
      Array.from({ length: mode.sockets }, () => ({
        type: 'error',
        message: `connect ECONNREFUSED 127.0.0.1:${port}`,
        code: 'ECONNREFUSED',
      })),
    );
    expect(run.closes.values.map(closeOf)).toEqual(Array.from({ length: mode.sockets }, () => ABNORMAL));
    expect(run.closes.values.map((e) => sourceOf(run.instances, e))).toEqual([...Array(mode.sockets).keys()]);
    expect(run.states.values).toEqual(statesNeverOpen(mode));
    expect(run.delaysAtClose).toEqual(delaysFor(mode));
    expect(run.ws.drainQueue()).toEqual(['held']);
    await expectCleanEnd(run, mode, [
      ['error', 1],
      ['close', 1],
    ]);
  });

  it(`a DNS failure on a .invalid host: error$ getaddrinfo ENOTFOUND, close$ 1006 on each of ${mode.sockets} attempt(s)`, async () => {
    // `.invalid` never resolves (RFC 6761). Tests send nothing off this machine, so the name is
    // refused in-process, as a resolver answers it, through the same `lookup` callback Node's
    // own getaddrinfo would use: ws sees exactly the error a real DNS failure gives. The connect
    // timeout only bounds a lookup that would hang (it would show as close$ 4901, and fail).
    const run = start('ws://nothing.invalid/', mode, { connectTimeout: connectTimeout(5000) }, {
      // ws hands its options on to http.request, which takes `lookup`; ws's types do not list it.
      lookup: refuseInvalidNames,
    } as ClientOptions);
    expect(run.ws.send('held')).toBe(false);
    const began = performance.now();

    await run.closes.done;
    const elapsed = performance.now() - began;
    expect(run.closes.values.map(closeOf)).toEqual(Array.from({ length: mode.sockets }, () => ABNORMAL));
    expect(run.closes.values.map(closeOf)).not.toContainEqual([CLOSE_CONNECT_TIMEOUT, 'connect timeout', false]);
    // ENOTFOUND: the resolver said the name does not exist. (EAI_AGAIN would mean no resolver
    // answered: a DNS failure all the same, on a machine without one.)
    const errors = run.errors.values.map(nativeError);
    expect(errors).toHaveLength(mode.sockets);
    for (const error of errors) {
      expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(error.code);
      expect(error).toEqual({
        type: 'error',
        message: `getaddrinfo ${String(error.code)} nothing.invalid`,
        code: error.code,
      });
    }
    expect(run.states.values).toEqual(statesNeverOpen(mode));
    expect(run.delaysAtClose).toEqual(delaysFor(mode));
    expect(run.ws.drainQueue()).toEqual(['held']);
    // Fast: well under the 5 s connect timeout, reconnect delays included.
    expect(elapsed).toBeLessThan(4000);
    await expectCleanEnd(run, mode, [
      ['error', 1],
      ['close', 1],
    ]);
  });

  it(`a wss: URL on a plain ws server: error$ EPROTO (TLS "wrong version number"), close$ 1006, ${mode.sockets} attempt(s)`, async () => {
    const server: PlainWsServer = closeAfter(await startPlainWsServer());
    const run = start(server.url.replace(/^ws:/, 'wss:'), mode);
    expect(run.ws.send('held')).toBe(false);

    await run.closes.done;
    const errors = run.errors.values.map(nativeError);
    expect(errors.map((e) => [e.type, e.code])).toEqual(
      Array.from({ length: mode.sockets }, () => ['error', 'EPROTO']),
    );
    for (const error of errors) expect(error.message).toMatch(/^write EPROTO .*:SSL routines:.*:wrong version number:/);
    expect(run.closes.values.map(closeOf)).toEqual(Array.from({ length: mode.sockets }, () => ABNORMAL));
    expect(run.closes.values.map((e) => sourceOf(run.instances, e))).toEqual([...Array(mode.sockets).keys()]);
    expect(run.states.values).toEqual(statesNeverOpen(mode));
    expect(run.delaysAtClose).toEqual(delaysFor(mode));
    // The server saw one TCP connection per attempt, each a TLS ClientHello its HTTP parser
    // refused (it answered 400 in plain HTTP, which the client's TLS layer could not read), and
    // no WebSocket connection at all.
    await server.clientError(mode.sockets - 1);
    expect(server.tcpConnections()).toBe(mode.sockets);
    expect(server.clientErrors).toEqual(Array.from({ length: mode.sockets }, () => 'HPE_INVALID_METHOD'));
    expect(server.wsConnections()).toBe(0);
    expect(run.ws.drainQueue()).toEqual(['held']);
    await expectCleanEnd(run, mode, [
      ['error', 1],
      ['close', 1],
    ]);
  });

  it(`a server that dies in the middle of a message: close$ 1006, the cut message never delivered, ${mode.sockets} connection(s)`, async () => {
    const server: TruncatingServer = closeAfter(await startTruncatingServer(1000, 10));
    const run = start(server.url, mode);

    await run.closes.done;
    // Each connection opened and delivered its whole message; the frame cut after 10 of its
    // 1000 bytes reached nobody, as a message or as an error.
    const wholes = Array.from({ length: mode.sockets }, (_, i) => `whole ${i}`);
    expect(run.messages.values.map((e) => e.data)).toEqual(wholes);
    expect(run.face.values).toEqual(wholes);
    expect(run.opens.values.map((e) => sourceOf(run.instances, e))).toEqual([...Array(mode.sockets).keys()]);
    // ws reports a connection cut mid-frame as an abnormal close (1006), without an error event.
    expect(run.errors.values).toEqual([]);
    expect(run.closes.values.map(closeOf)).toEqual(Array.from({ length: mode.sockets }, () => ABNORMAL));
    expect(run.closes.values.map((e) => sourceOf(run.instances, e))).toEqual([...Array(mode.sockets).keys()]);
    expect(run.states.values).toEqual(
      mode.reconnect
        ? ['connecting', 'open', 'reconnecting', 'connecting', 'open', 'reconnecting', 'connecting', 'open', 'closed']
        : ['connecting', 'open', 'closed'],
    );
    expect(run.delaysAtClose).toEqual(delaysFor(mode));
    await server.closeOf(mode.sockets - 1);
    expect(server.connections.map((c) => [c.index, c.whole])).toEqual(wholes.map((whole, i) => [i, whole]));
    for (const connection of server.connections) {
      expect(connection.request).toMatch(/^GET \/ HTTP\/1\.1\r\n[\s\S]*upgrade: websocket\r\n/i);
    }
    expect(run.ws.drainQueue()).toEqual([]);
    await expectCleanEnd(run, mode, [
      ['open', 1],
      ['message', 1],
      ['close', 1],
    ]);
  });
});

describe('URLs in messages: one with an @ is never quoted, the connect timeout names no URL', () => {
  it.each([
    ['without credentials', ''],
    ['with user:password@', `${USER}:${SECRET}@`],
  ])(
    'a connect timeout %s: ERR_WS_TIMEOUT names the time, never the URL; close$ 4901; the aborted ws socket is let go',
    async (_name, userinfo) => {
      const silent = closeAfter(await startSilentServer());
      const url = silent.url.replace('ws://', `ws://${userinfo}`) + '/feed';
      const { Ctor, instances } = recordingCtor();
      const scheduler = trackedScheduler();
      const ws = closeAfter(
        new RxWebSocket(url, { WebSocketCtor: Ctor, connectTimeout: connectTimeout(50), scheduler }),
      );
      const errors = record(ws.error$);
      const closes = record(ws.close$);
      const face = watchFace(ws);

      await closes.done;
      expect(closes.values.map(closeOf)).toEqual([[CLOSE_CONNECT_TIMEOUT, 'connect timeout', false]]);
      expect(errors.values).toHaveLength(1);
      const error = errors.values[0] as WebSocketError;
      expect(error).toBeInstanceOf(WebSocketError);
      expect(error.code).toBe('ERR_WS_TIMEOUT');
      expect(error.message).toMatch(/\b50 ?ms\b/);
      // Neither the URL nor any part of it: not the host and port, not the path.
      expect(error.message).not.toContain(`127.0.0.1:${silent.port}`);
      expect(error.message).not.toContain('/feed');
      expectNoCredentials(error.message);
      const ended = await face.ended;
      expect(ended.kind).toBe('error');
      expect((ended as { error: unknown }).error).toMatchObject({
        code: 'ERR_WS_CLOSED',
        closeCode: CLOSE_CONNECT_TIMEOUT,
      });
      expectNoCredentials((ended as { error: CloseError }).error.message);

      // The request that got no answer did reach the server (with the credentials, when given),
      // and the client let its TCP connection go.
      await silent.closeOf(0);
      const request = silent.connections[0]!.received();
      expect(request).toMatch(/^GET \/feed HTTP\/1\.1\r\n/);
      expect(/^authorization: Basic /im.test(request)).toBe(userinfo !== '');
      expect(await listenersAfterClose(instances)).toEqual([NO_LISTENERS]);
      expect(scheduler.pendingDelays()).toEqual([]);
    },
  );

  /**
   * A `ws` WebSocket handed an address it cannot parse, so that `ws` itself throws its
   * SyntaxError, whose message quotes the address: `Invalid URL: <address>`. From instance
   * `from` on (0: every one).
   */
  function refusingCtor(from: number): { Ctor: WebSocketConstructor; made: () => number } {
    let made = 0;
    class Refusing extends WsWebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(made++ >= from ? `not a URL ${url}` : url, protocols);
      }
    }
    return { Ctor: Refusing, made: () => made };
  }

  it("ws refusing a URL without an @: ERR_WS_INVALID_URL with ws's own message (it quotes the URL), and ws's error as the cause", async () => {
    const server: StatusServer = closeAfter(await startStatusServer(401));
    const url = `${server.url}/feed`;
    const error = thrown(() => new RxWebSocket(url, { WebSocketCtor: refusingCtor(0).Ctor }));
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).toContain(`Invalid URL: not a URL ${url}`);
    const cause = error.cause as Error;
    expect(cause).toBeInstanceOf(SyntaxError);
    expect(cause.message).toBe(`Invalid URL: not a URL ${url}`);
    expect(server.requests).toEqual([]);
  });

  it("ws refusing a URL with an @: ERR_WS_INVALID_URL without ws's message and without a cause; on a reconnect too, on error$", async () => {
    const server: StatusServer = closeAfter(await startStatusServer(401));
    const url = server.url.replace('ws://', `ws://${USER}:${SECRET}@`) + '/feed';

    // The first socket: the constructor throws to the caller.
    const error = thrown(() => new RxWebSocket(url, { WebSocketCtor: refusingCtor(0).Ctor }));
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.cause).toBeUndefined();
    expect(error.message).not.toContain('Invalid URL');
    expectNoCredentials(error.message);
    expectNoCredentialsPrinted(error);

    // A later socket (a reconnect after the 401): error$ gets the same error, and each such
    // attempt counts as a failed one (a 1006 close), up to `attempts`.
    const { Ctor, made } = refusingCtor(1);
    const scheduler = trackedScheduler();
    const ws = closeAfter(new RxWebSocket(url, { WebSocketCtor: Ctor, reconnect: RECONNECT_FEATURE, scheduler }));
    const errors = record(ws.error$);
    const closes = record(ws.close$);
    const states = record(ws.state$);
    await closes.done;

    expect(made()).toBe(1 + RECONNECT.attempts);
    expect(nativeError(errors.values[0]!)).toEqual({
      type: 'error',
      message: 'Unexpected server response: 401',
      code: undefined,
    });
    const refused = errors.values.slice(1);
    expect(refused).toHaveLength(RECONNECT.attempts);
    for (const e of refused) {
      expect(e).toBeInstanceOf(WebSocketError);
      expect(e).toMatchObject({ code: 'ERR_WS_INVALID_URL' });
      expect((e as Error).cause).toBeUndefined();
      expectNoCredentials((e as Error).message);
    }
    expect(closes.values.map((e) => [e.code, e.wasClean])).toEqual(
      Array.from({ length: 1 + RECONNECT.attempts }, () => [1006, false]),
    );
    for (const e of closes.values) expectNoCredentials(e.reason);
    expect(states.values).toEqual(['connecting', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'closed']);
    // Only the first socket reached the server.
    await server.answered(0);
    expect(server.requests).toHaveLength(1);
    expect(scheduler.pendingDelays()).toEqual([]);
  });
});

/** A resolver for `.invalid` names (RFC 6761: they never resolve), answering without any network traffic. */
function refuseInvalidNames(hostname: string, _options: unknown, callback: (error: Error) => void): void {
  if (!hostname.endsWith('.invalid'))
    throw new Error(`only .invalid names are resolved in these tests, not ${hostname}`);
  const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });
  process.nextTick(callback, error);
}
