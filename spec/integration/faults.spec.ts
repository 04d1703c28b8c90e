/**
 * Faults against real local servers, with `ws`'s WebSocket as `WebSocketCtor`: a handshake
 * refused with HTTP 401, 404 or 500, a refused connection, a DNS failure, a `wss:` URL pointed
 * at a plain server, and a server that dies in the middle of a message.
 *
 * Each case runs twice: without reconnection (one native socket, then the final close) and
 * with `reconnect: { initialDelay: 10, jitter: 0, attempts: 2 }` (exactly two more native
 * sockets, 10 ms then 20 ms after a close, then the final close). Each checks, exactly: what
 * `error$` and `close$` carry, the states, how the subject face ends (`CloseError`), that the
 * queued message is handed back by `drainQueue()`, and that nothing is left: every native
 * socket had a listener for each event it emitted (an 'error' without one would have crashed
 * the process) and has none left, every TCP socket made is closed, and no timer is pending.
 * Every wait is an awaited event: nothing sleeps.
 */
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket as WsWebSocket, type ClientOptions } from 'ws';
import { CloseError, CLOSE_CONNECT_TIMEOUT, RxWebSocket } from '../../src/index.js';
import type { SocketState, WsCloseEvent, WsEvent } from '../../src/index.js';
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
  trackingScheduler,
  watchFace,
  watchTimers,
  type RecordedSocket,
  type Recorder,
  type TrackingScheduler,
} from './probes.js';
import { watchSockets, type SocketWatch } from './socket-watch.js';

const RECONNECT = { initialDelay: 10, jitter: 0, attempts: 2 } as const;
const NO_LISTENERS = { open: 0, message: 0, error: 0, close: 0 };
const ABNORMAL: [number, string, boolean] = [1006, '', false];

const cleanups: Array<() => unknown> = [];

/** Closes `thing` after the test, even a failed one, clients before the servers they use. */
function closeAfter<T extends { close(): unknown }>(thing: T): T {
  cleanups.push(() => thing.close());
  return thing;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

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

function closeOf(event: WsCloseEvent): [number, string, boolean] {
  return [event.code, event.reason, event.wasClean];
}

/** A `ws` ErrorEvent, as far as these specs read it: its message and its error's `code`. */
function nativeError(event: WsEvent | Error): { type: string; message: unknown; code: unknown } {
  const { type, message, error } = event as { type: string; message?: unknown; error?: { code?: unknown } };
  return { type, message, code: error?.code };
}

/** Which of the recorded native sockets an event came from (`ws` events carry it as `target`). */
function sourceOf(instances: readonly RecordedSocket[], event: WsEvent | Error): number {
  return instances.indexOf((event as { target?: unknown }).target as RecordedSocket);
}

/** Everything a case needs: the client, its probes, and the leak watches. */
interface Run {
  ws: RxWebSocket;
  instances: RecordedSocket[];
  scheduler: TrackingScheduler;
  sockets: SocketWatch;
  timers: ReturnType<typeof watchTimers>;
  /** The reconnect delays pending on the scheduler right after each close event. */
  delaysAtClose: number[][];
  errors: Recorder<WsEvent | Error>;
  closes: Recorder<WsCloseEvent>;
  states: Recorder<SocketState>;
  opens: Recorder<WsEvent>;
  messages: Recorder<{ data: unknown }>;
  face: ReturnType<typeof watchFace<unknown>>;
}

function start(url: string, mode: Mode, extra: { connectTimeout?: number } = {}, clientOptions?: ClientOptions): Run {
  const { Ctor, instances } = recordingCtor(clientOptions);
  const scheduler = trackingScheduler();
  onTestFinished(() => scheduler.cancelAll());
  const sockets = watchSockets();
  onTestFinished(() => sockets.stop());
  const timers = watchTimers();
  onTestFinished(() => timers.stop());
  const ws = closeAfter(
    new RxWebSocket(url, {
      WebSocketCtor: Ctor,
      scheduler,
      ...(mode.reconnect ? { reconnect: RECONNECT } : {}),
      ...extra,
    }),
  );
  const delaysAtClose: number[][] = [];
  ws.close$.subscribe(() => delaysAtClose.push(scheduler.pendingDelays()));
  return {
    ws,
    instances,
    scheduler,
    sockets,
    timers,
    delaysAtClose,
    errors: record(ws.error$),
    closes: record(ws.close$),
    states: record(ws.state$),
    opens: record(ws.open$),
    messages: record(ws.message$),
    face: watchFace(ws),
  };
}

/** The reconnect delays after each close: 10 ms, then 20 ms (factor 2, no jitter), then none. */
function delaysFor(mode: Mode): number[][] {
  return mode.reconnect ? [[10], [20], []] : [[]];
}

/**
 * What every case ends with: the final close came, the face errored with `CloseError` 1006,
 * the queued message is handed back, and nothing is left behind.
 */
async function expectCleanEnd(run: Run, mode: Mode, emitted: Array<[string, number]>): Promise<void> {
  const { ws, instances, scheduler, sockets, timers, face } = run;
  await run.closes.done;
  const ended = await face.ended;
  expect(ended.kind).toBe('error');
  const error = (ended as { error: unknown }).error;
  expect(error).toBeInstanceOf(CloseError);
  expect(error).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1006, reason: '', wasClean: false });
  expect((error as CloseError).message).toBe(
    'the connection closed uncleanly with code 1006; open a new connection (a new WebSocket, options.reconnect, or retry() on webSocket())',
  );
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
        Array.from({ length: mode.sockets }, () => ({ type: 'error', message: `Unexpected server response: ${status}`, code: undefined })),
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
    const run = start('ws://nothing.invalid/', mode, { connectTimeout: 5000 }, {
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
      expect(error).toEqual({ type: 'error', message: `getaddrinfo ${String(error.code)} nothing.invalid`, code: error.code });
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
    expect(errors.map((e) => [e.type, e.code])).toEqual(Array.from({ length: mode.sockets }, () => ['error', 'EPROTO']));
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

/** A resolver for `.invalid` names (RFC 6761: they never resolve), answering without any network traffic. */
function refuseInvalidNames(hostname: string, _options: unknown, callback: (error: Error) => void): void {
  if (!hostname.endsWith('.invalid')) throw new Error(`only .invalid names are resolved in these tests, not ${hostname}`);
  const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });
  process.nextTick(callback, error);
}
