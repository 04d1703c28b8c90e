import { join } from 'node:path';
import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import { config } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { WebSocketError, WebSocketErrorCode } from '../src/errors.js';
import type { EventName, WsMessageEvent } from '../src/types.js';
import { WebSocket, type RxWebSocket } from '../src/websocket.js';
import { closeAfter } from './helpers/close-after.js';
import { ROOT, runNode } from './helpers/run-node.js';
import { thrown } from './helpers/thrown.js';
import { startEchoServer } from './integration/server.js';
import { textOf } from './helpers/text.js';

// ---- Harness ------------------------------------------------------------------------------

let seq = 0;
const servers: Server[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.stop();
  config.onUnhandledError = null;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

interface Harness {
  server: Server;
  ws: RxWebSocket;
  /** The server side of the connection, once open. */
  connection: Promise<Client>;
}

/** A mock server on a URL of its own and a socket connecting to it. */
function connect(): Harness {
  seq += 1;
  const url = `ws://mock-bindings-${seq}.test/`;
  const server = new Server(url, { mock: false });
  servers.push(server);
  const connection = new Promise<Client>((resolve) => server.on('connection', resolve));
  const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
  return { server, ws, connection };
}

/** Runs `fn`, expects it to throw a `WebSocketError` with `code`, and returns it. */
function expectWsError(fn: () => unknown, code: WebSocketErrorCode): WebSocketError {
  const error = thrown(fn);
  expect(error.code).toBe(code);
  return error;
}

/** The socket's methods without their types, to call them the way plain JavaScript may. */
function untyped(ws: RxWebSocket): {
  bind(...args: unknown[]): unknown;
  unbind(...args: unknown[]): unknown;
  events(...args: unknown[]): unknown;
} {
  return ws;
}

const EVENTS: readonly EventName[] = ['open', 'error', 'message', 'close'];
const NAMES_ALL_FOUR = /"open".*"error".*"message".*"close"/;

// ---- bind ---------------------------------------------------------------------------------

describe('bind(evt, fn)', () => {
  it('returns the socket, so binds chain', () => {
    const { ws } = connect();
    const onOpen = () => undefined;
    const onMessage = () => undefined;
    expect(ws.bind('open', onOpen)).toBe(ws);
    expect(ws.bind('message', onMessage).bind('close', onOpen)).toBe(ws);
    expect(ws.bindings()).toEqual({ open: [onOpen], error: [], message: [onMessage], close: [onOpen] });
  });

  it('calls each handler with exactly one argument, the event, for all four events', async () => {
    const { ws, server, connection } = connect();
    const calls: Record<EventName, unknown[][]> = { open: [], error: [], message: [], close: [] };
    for (const evt of EVENTS) {
      ws.bind(evt, (...args: unknown[]) => {
        calls[evt].push(args);
      });
    }
    const client = await connection;
    client.send('hello');
    server.simulate('error');
    server.close({ code: 1000, reason: '', wasClean: true });
    for (const evt of EVENTS) {
      expect(calls[evt]).toHaveLength(1);
      expect(calls[evt][0]).toHaveLength(1);
      expect((calls[evt][0]![0] as { type: string }).type).toBe(evt);
    }
    expect((calls.message[0]![0] as WsMessageEvent).data).toBe('hello');
  });

  it('passes one argument to a classic function handler too (arguments.length)', async () => {
    const { ws, connection } = connect();
    const lengths: number[] = [];
    ws.bind('message', function () {
      lengths.push(arguments.length);
    });
    const client = await connection;
    client.send('x');
    expect(lengths).toEqual([1]);
  });

  it('runs several handlers in bind order', async () => {
    const { ws, connection } = connect();
    const log: string[] = [];
    ws.bind('message', (e) => log.push(`a:${textOf(e.data)}`))
      .bind('message', (e) => log.push(`b:${textOf(e.data)}`))
      .bind('message', (e) => log.push(`c:${textOf(e.data)}`));
    const client = await connection;
    client.send('1');
    client.send('2');
    expect(log).toEqual(['a:1', 'b:1', 'c:1', 'a:2', 'b:2', 'c:2']);
  });

  it('runs a function bound twice twice per event', async () => {
    const { ws, connection } = connect();
    const fn = vi.fn();
    ws.bind('message', fn).bind('message', fn);
    expect(ws.events('message')).toEqual([fn, fn]);
    const client = await connection;
    client.send('1');
    expect(fn).toHaveBeenCalledTimes(2);
    client.send('2');
    expect(fn).toHaveBeenCalledTimes(4);
  });
});

describe('bind(evt): the decorator form', () => {
  it('returns a decorator that binds the function and returns that same function', async () => {
    const { ws, connection } = connect();
    const decorate = ws.bind('message');
    expect(typeof decorate).toBe('function');
    expect(ws.events('message')).toEqual([]);
    const handler = vi.fn();
    expect(decorate(handler)).toBe(handler);
    expect(ws.events('message')).toEqual([handler]);
    const client = await connection;
    client.send('x');
    expect(handler).toHaveBeenCalledTimes(1);
    const args = handler.mock.calls[0]!;
    expect(args).toHaveLength(1);
    expect((args[0] as WsMessageEvent).data).toBe('x');
  });
});

// ---- unbind, events, bindings -------------------------------------------------------------

describe('unbind, events and bindings', () => {
  it('unbind(evt, fn) removes every binding of fn by identity, also when fn is not the last handler', async () => {
    const { ws, connection } = connect();
    const log: string[] = [];
    const a = () => log.push('a');
    const b = () => log.push('b');
    const c = () => log.push('c');
    ws.bind('message', a).bind('message', b).bind('message', a).bind('message', c);
    expect(ws.unbind('message', a)).toBe(ws);
    expect(ws.events('message')).toEqual([b, c]);
    const client = await connection;
    client.send('x');
    expect(log).toEqual(['b', 'c']);
  });

  it("unbind(evt) removes all of evt's handlers and leaves the other events alone", async () => {
    const { ws, connection } = connect();
    const log: string[] = [];
    const onMessage = () => log.push('message');
    const onOpen = () => log.push('open');
    ws.bind('message', onMessage).bind('message', onMessage).bind('open', onOpen);
    expect(ws.unbind('message')).toBe(ws);
    expect(ws.bindings()).toEqual({ open: [onOpen], error: [], message: [], close: [] });
    const client = await connection;
    client.send('x');
    expect(log).toEqual(['open']);
  });

  it('throws ERR_WS_INVALID_ARGUMENT when unbinding a function that is not bound', () => {
    const { ws } = connect();
    const bound = () => undefined;
    const elsewhere = () => undefined;
    const never = () => undefined;
    ws.bind('message', bound).bind('open', elsewhere);
    expectWsError(() => ws.unbind('message', never), 'ERR_WS_INVALID_ARGUMENT');
    expectWsError(() => ws.unbind('message', elsewhere), 'ERR_WS_INVALID_ARGUMENT');
    ws.unbind('message', bound);
    expectWsError(() => ws.unbind('message', bound), 'ERR_WS_INVALID_ARGUMENT');
    expect(ws.bindings()).toEqual({ open: [elsewhere], error: [], message: [], close: [] });
  });

  it('events(evt) lists the handlers in order; bindings() gives an array per event', () => {
    const { ws } = connect();
    const [a, b, c, d] = [() => 1, () => 2, () => 3, () => 4];
    ws.bind('message', b).bind('message', a).bind('message', c).bind('close', d).bind('open', a);
    expect(ws.events('message')).toEqual([b, a, c]);
    expect(ws.events('error')).toEqual([]);
    const all = ws.bindings();
    expect(Object.keys(all)).toEqual(['open', 'error', 'message', 'close']);
    expect(all).toEqual({ open: [a], error: [], message: [b, a, c], close: [d] });
  });
});

// ---- Invalid arguments --------------------------------------------------------------------

describe('invalid arguments', () => {
  it.each([['Open'], [''], ['click'], [42]])(
    'an unknown event (%j) throws ERR_WS_INVALID_ARGUMENT naming the four events, in every form',
    (evt) => {
      const { ws } = connect();
      const loose = untyped(ws);
      const handler = () => undefined;
      const errors = [
        expectWsError(() => loose.bind(evt, handler), 'ERR_WS_INVALID_ARGUMENT'),
        expectWsError(() => loose.bind(evt), 'ERR_WS_INVALID_ARGUMENT'),
        expectWsError(() => loose.unbind(evt), 'ERR_WS_INVALID_ARGUMENT'),
        expectWsError(() => loose.unbind(evt, handler), 'ERR_WS_INVALID_ARGUMENT'),
        expectWsError(() => loose.events(evt), 'ERR_WS_INVALID_ARGUMENT'),
      ];
      for (const error of errors) expect(error.message).toMatch(NAMES_ALL_FOUR);
      expect(ws.bindings()).toEqual({ open: [], error: [], message: [], close: [] });
    },
  );

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'handler'],
    ['a number', 42],
    ['an object', {}],
  ])('a handler that is not a function (%s) throws ERR_WS_INVALID_ARGUMENT and binds nothing', (_name, handler) => {
    const { ws } = connect();
    const loose = untyped(ws);
    const bindError = expectWsError(() => loose.bind('message', handler), 'ERR_WS_INVALID_ARGUMENT');
    expect(bindError.message).toMatch(/"message" must be a function/);
    expectWsError(() => (ws.bind('open') as (fn: unknown) => unknown)(handler), 'ERR_WS_INVALID_ARGUMENT');
    if (handler !== undefined) expectWsError(() => loose.unbind('message', handler), 'ERR_WS_INVALID_ARGUMENT');
    expect(ws.bindings()).toEqual({ open: [], error: [], message: [], close: [] });
  });

  it('bind after the final close throws ERR_WS_INVALID_STATE, in both forms', async () => {
    const { ws, server, connection } = connect();
    await connection;
    server.close({ code: 1000, reason: '', wasClean: true });
    expect(ws.state).toBe('closed');
    expectWsError(() => ws.bind('message', () => undefined), 'ERR_WS_INVALID_STATE');
    const decorate = ws.bind('close');
    expectWsError(() => decorate(() => undefined), 'ERR_WS_INVALID_STATE');
    expect(ws.bindings()).toEqual({ open: [], error: [], message: [], close: [] });
  });
});

// ---- Throwing handlers --------------------------------------------------------------------

describe('a throwing handler', () => {
  it('stops neither the later handlers nor the socket, and goes to config.onUnhandledError', async () => {
    const { ws, connection } = connect();
    const reported: unknown[] = [];
    config.onUnhandledError = (error) => reported.push(error);
    const failure = new Error('handler failed');
    const log: string[] = [];
    ws.bind('message', (e) => log.push(`a:${textOf(e.data)}`))
      .bind('message', (e) => {
        log.push(`boom:${textOf(e.data)}`);
        throw failure;
      })
      .bind('message', (e) => log.push(`c:${textOf(e.data)}`));
    const data: unknown[] = [];
    ws.subscribe((value) => data.push(value));
    const client = await connection;
    client.send('1');
    client.send('2');
    expect(log).toEqual(['a:1', 'boom:1', 'c:1', 'a:2', 'boom:2', 'c:2']);
    expect(data).toEqual(['1', '2']);
    expect(reported).toHaveLength(2);
    expect(reported[0]).toBe(failure);
    expect(reported[1]).toBe(failure);
    expect(ws.state).toBe('open');
    expect(ws.send('still open')).toBe(true);
  });

  it('in an open handler, does not keep the queue from being flushed', async () => {
    const { ws, connection } = connect();
    const reported: unknown[] = [];
    config.onUnhandledError = (error) => reported.push(error);
    const failure = new Error('open handler failed');
    ws.bind('open', () => {
      throw failure;
    });
    expect(ws.send('queued')).toBe(false);
    const client = await connection;
    expect(reported).toEqual([failure]);
    expect(ws.queued).toBe(0);
    const got = await new Promise<unknown>((resolve) =>
      (client.on as (t: string, cb: (d: unknown) => void) => void)('message', resolve),
    );
    expect(got).toBe('queued');
  });

  it('in a close handler, does not keep the streams from completing', async () => {
    const { ws, server, connection } = connect();
    const reported: unknown[] = [];
    config.onUnhandledError = (error) => reported.push(error);
    const failure = new Error('close handler failed');
    const later: string[] = [];
    ws.bind('close', () => {
      throw failure;
    }).bind('close', () => later.push('ran'));
    let completed = false;
    ws.state$.subscribe({ complete: () => (completed = true) });
    await connection;
    server.close({ code: 1000, reason: '', wasClean: true });
    expect(reported).toEqual([failure]);
    expect(later).toEqual(['ran']);
    expect(completed).toBe(true);
  });

  it('goes to globalThis.reportError when onUnhandledError is not set', async () => {
    const { ws, connection } = connect();
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failure = new Error('reported');
    ws.bind('message', () => {
      throw failure;
    });
    const client = await connection;
    client.send('x');
    expect(reportError).toHaveBeenCalledTimes(1);
    expect(reportError.mock.calls[0]![0]).toBe(failure);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('goes to console.error when there is neither onUnhandledError nor reportError', async () => {
    const { ws, connection } = connect();
    vi.stubGlobal('reportError', undefined);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failure = new Error('logged');
    ws.bind('message', () => {
      throw failure;
    });
    const client = await connection;
    client.send('x');
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(consoleError.mock.calls[0]![0]).toBe(failure);
    expect(ws.state).toBe('open');
  });
});

// ---- In a real Node process ---------------------------------------------------------------

const fixture = join(ROOT, 'spec', 'fixtures', 'throwing-handler.mjs');

describe('a throwing handler in a Node process', () => {
  it('is printed to stderr and does not crash the process, without onUnhandledError', async () => {
    const result = await runNode([fixture]);
    expect(result.stdout.split('\n')).toEqual(['received echo:boom', 'received echo:after', 'closed 1000', '']);
    expect(result.stderr).toContain('Error: handler failed on purpose');
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
  });
});

// ---- On ws's socket (its own 'message' path) ------------------------------------------------

describe("bind('message') on a socket made with ws's constructor", () => {
  /** A server that sends a text and a binary message to each client, then closes with 1000; closed after the test. */
  async function server(): Promise<string> {
    const echo = await startEchoServer({
      onConnection: ({ socket }) => {
        socket.send('héllo');
        socket.send(new Uint8Array([1, 2, 3]), { binary: true });
        socket.close(1000, 'done');
      },
    });
    return `${closeAfter(echo).url}/`;
  }

  it.each([
    ['arraybuffer', (data: unknown) => data instanceof ArrayBuffer && [...new Uint8Array(data)].join()],
    ['nodebuffer', (data: unknown) => Buffer.isBuffer(data) && [...data].join()],
  ] as const)(
    'handlers get a message event with type, data and target: text as a string, binary as binaryType %s says',
    async (binaryType, binary) => {
      const ws = WebSocket(await server(), { WebSocketCtor: WsWebSocket, binaryType });
      const events: WsMessageEvent[] = [];
      const order: string[] = [];
      ws.bind('message', (event) => {
        events.push(event);
        order.push('first');
      }).bind('message', () => order.push('second'));
      const closed = new Promise<void>((resolve) => ws.bind('close', () => resolve()));
      await closed;
      expect(events).toHaveLength(2);
      const target = (event: WsMessageEvent): unknown => (event as WsMessageEvent & { target?: unknown }).target;
      const native = target(events[0]!) as WsWebSocket;
      expect(native).toBeInstanceOf(WsWebSocket);
      expect(events.map((event) => event.type)).toEqual(['message', 'message']);
      expect(events[0]!.data).toBe('héllo');
      expect(binary(events[1]!.data)).toBe('1,2,3');
      expect(target(events[1]!)).toBe(native);
      // In bind order, for each message.
      expect(order).toEqual(['first', 'second', 'first', 'second']);
      // Nothing of the socket stays on ws's socket once closed.
      expect(native.listenerCount('message')).toBe(0);
    },
  );

  it('unbind() stops the handler; bindings made later start with the next message', async () => {
    const url = await server();
    const ws = WebSocket(url, { WebSocketCtor: WsWebSocket });
    const got: string[] = [];
    const first = (event: WsMessageEvent): void => {
      got.push(`first:${typeof event.data}`);
      ws.unbind('message', first).bind('message', (e) => got.push(`later:${typeof e.data}`));
    };
    ws.bind('message', first);
    await new Promise<void>((resolve) => ws.bind('close', () => resolve()));
    expect(got).toEqual(['first:string', 'later:object']);
    expect(ws.events('message')).toHaveLength(1);
  });
});
