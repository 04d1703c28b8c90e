import { Server, WebSocket as MockWebSocket, type Client } from 'mock-socket';
import { lastValueFrom, map, Observable, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '../src/codec.js';
import { CloseError, DecodeError, WebSocketError } from '../src/errors.js';
import type { EventName, MessageData, SendData, WsCloseEvent, WsMessageEvent } from '../src/types.js';
import { FakeWebSocket } from '../src/testing/index.js';
import { RxWebSocket, WebSocket } from '../src/websocket.js';
import { thrownBy } from './helpers/thrown.js';
import { record } from './shared/record.js';
import { expectWsError } from './shared/ws-error.js';
import { textOf } from './helpers/text.js';

// ---- Harness ------------------------------------------------------------------------------
// mock-socket connects, sends and closes after a 4 ms timer; every wait below awaits an event.

let seq = 0;
const servers: Server[] = [];

afterEach(() => {
  for (const server of servers.splice(0)) server.stop();
  vi.restoreAllMocks();
});

interface Harness {
  url: string;
  server: Server;
  /** The server side of the first connection. */
  connection: Promise<Client>;
}

/** A mock server on a URL of its own; `mock: false` leaves `globalThis.WebSocket` alone. */
function serve(selectProtocol?: (protocols: string[]) => string): Harness {
  seq += 1;
  const url = `ws://mock-websocket-${seq}.test/`;
  const server = new Server(url, selectProtocol ? { mock: false, selectProtocol } : { mock: false });
  servers.push(server);
  const connection = new Promise<Client>((resolve) => server.on('connection', resolve));
  return { url, server, connection };
}

/** mock-socket types `Client.on` callbacks too narrowly: its message listener gets the raw data, close the event. */
function listen(client: Client, type: 'message', callback: (data: unknown) => void): void;
function listen(client: Client, type: 'close', callback: (event: WsCloseEvent) => void): void;
function listen(client: Client, type: 'message' | 'close', callback: (arg: never) => void): void {
  (client.on as unknown as (type: string, callback: (arg: never) => void) => void)(type, callback);
}

/** The next `count` messages the server receives on this connection, exactly as the client sent them. */
function receive(client: Client, count: number): Promise<unknown[]> {
  return new Promise((resolve) => {
    const got: unknown[] = [];
    listen(client, 'message', (data) => {
      got.push(data);
      if (got.length === count) resolve(got);
    });
  });
}

/** The close event of this connection, as the server sees it. */
function closedOnServer(client: Client): Promise<WsCloseEvent> {
  return new Promise((resolve) => listen(client, 'close', resolve));
}

interface ListenerCall {
  type: string;
  listener: unknown;
}

/**
 * mock-socket's WebSocket, recording what is done to each instance: constructor arguments,
 * listeners added and removed, sends, closes and the events it dispatches.
 */
function spyConstructor() {
  const instances: SpySocket[] = [];
  class SpySocket extends MockWebSocket {
    readonly args: unknown[];
    readonly added: ListenerCall[] = [];
    readonly removed: ListenerCall[] = [];
    readonly sent: unknown[] = [];
    readonly closeCalls: unknown[][] = [];
    readonly dispatched: { type: string }[] = [];

    constructor(...args: [url: string, protocols?: string | string[]]) {
      super(...args);
      this.args = args;
      instances.push(this);
    }

    override addEventListener(type: string, listener: (event: never) => void): void {
      this.added.push({ type, listener });
      super.addEventListener(type, listener);
    }

    override removeEventListener(type: string, listener: (event: never) => void): void {
      this.removed.push({ type, listener });
      super.removeEventListener(type, listener);
    }

    override send(data: SendData): void {
      this.sent.push(data);
      super.send(data);
    }

    override close(...args: [code?: number, reason?: string]): void {
      this.closeCalls.push(args);
      super.close(...args);
    }

    override dispatchEvent(event: { type: string }, ...rest: unknown[]): boolean {
      this.dispatched.push(event);
      return (super.dispatchEvent as (...all: unknown[]) => boolean).call(this, event, ...rest);
    }

    /** mock-socket's own listener table. */
    table(type: string): unknown[] {
      return (this as unknown as { listeners: Record<string, unknown[] | undefined> }).listeners[type] ?? [];
    }
  }
  return { Ctor: SpySocket, instances };
}

function only<T>(list: readonly T[]): T {
  expect(list).toHaveLength(1);
  return list[0]!;
}

const EVENTS: readonly EventName[] = ['open', 'error', 'message', 'close'];

// ---- Construction -------------------------------------------------------------------------

describe('WebSocket() and RxWebSocket: construction', () => {
  it('WebSocket(host) without new returns an RxWebSocket that is also a WebSocket and an Observable', () => {
    const { url } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    expect(Object.getPrototypeOf(ws)).toBe(RxWebSocket.prototype);
    expect(ws).toBeInstanceOf(RxWebSocket);
    expect(ws instanceof WebSocket).toBe(true);
    expect(ws).toBeInstanceOf(Observable);
  });

  it('new WebSocket(host) and new RxWebSocket(host) return the same kind of object', () => {
    const { url } = serve();
    const viaNew = new WebSocket(url, { WebSocketCtor: MockWebSocket });
    const viaClass = new RxWebSocket(url, { WebSocketCtor: MockWebSocket });
    for (const ws of [viaNew, viaClass]) {
      expect(Object.getPrototypeOf(ws)).toBe(RxWebSocket.prototype);
      expect(ws instanceof WebSocket).toBe(true);
      expect(ws).toBeInstanceOf(RxWebSocket);
      expect(ws).toBeInstanceOf(Observable);
    }
  });

  it('starts connecting in the constructor: the server sees a connection with no subscriber', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);
    expect(ws.state).toBe('connecting');
    expect(ws.readyState).toBe(0);
    const client = await connection;
    expect(client.target).toBe(native);
    expect(ws.state).toBe('open');
    expect(ws.readyState).toBe(1);
  });

  it('passes the protocols, given as an argument or as options.protocols, to the native constructor', () => {
    const { url } = serve();
    const spy = spyConstructor();
    WebSocket(url, ['chat.v2', 'chat.v1'], { WebSocketCtor: spy.Ctor });
    WebSocket(url, 'chat.v2', { WebSocketCtor: spy.Ctor });
    WebSocket(url, { protocols: ['chat.v1'], WebSocketCtor: spy.Ctor });
    WebSocket(url, { WebSocketCtor: spy.Ctor });
    new RxWebSocket(url, 'chat.v3', { WebSocketCtor: spy.Ctor });
    expect(spy.instances.map((native) => native.args)).toEqual([
      [url, ['chat.v2', 'chat.v1']],
      [url, 'chat.v2'],
      [url, ['chat.v1']],
      [url],
      [url, 'chat.v3'],
    ]);
  });

  it('WebSocket(host, options) and WebSocket(host, protocols, options) both connect and use the options', async () => {
    const first = serve();
    const second = serve();
    const a = WebSocket(first.url, { WebSocketCtor: MockWebSocket, maxQueue: 0 });
    const b = WebSocket(second.url, 'chat', { WebSocketCtor: MockWebSocket, maxQueue: 0 });
    expectWsError(() => a.send('x'), 'ERR_WS_QUEUE_FULL');
    expectWsError(() => b.send('x'), 'ERR_WS_QUEUE_FULL');
    await Promise.all([first.connection, second.connection]);
    expect([a.state, b.state]).toEqual(['open', 'open']);
    expect(b.protocol).toBe('chat');
  });

  it('sets options.binaryType on the native socket before any event, and leaves the default alone otherwise', () => {
    const { url } = serve();
    const spy = spyConstructor();
    WebSocket(url, { WebSocketCtor: spy.Ctor, binaryType: 'arraybuffer' });
    WebSocket(url, { WebSocketCtor: spy.Ctor });
    // mock-socket types binaryType as the DOM's BinaryType, which this project's lib (no DOM) leaves unresolved.
    expect(spy.instances.map((native): unknown => native.binaryType)).toEqual(['arraybuffer', 'blob']);
  });
});

// ---- state$ -------------------------------------------------------------------------------

describe('state$ and state', () => {
  it("gives the current value on subscribe, then 'open', 'closing', 'closed', then completes", async () => {
    const { url, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const log: string[] = [];
    ws.state$.subscribe({ next: (s) => log.push(s), complete: () => log.push('complete') });
    expect(log).toEqual(['connecting']);
    expect(ws.state).toBe('connecting');
    await connection;
    expect(log).toEqual(['connecting', 'open']);
    expect(ws.state).toBe('open');
    ws.close();
    expect(log).toEqual(['connecting', 'open', 'closing']);
    expect(ws.state).toBe('closing');
    await lastValueFrom(ws.close$);
    expect(log).toEqual(['connecting', 'open', 'closing', 'closed', 'complete']);
    expect(ws.state).toBe('closed');
  });

  it('gives a late subscriber the current value only; after the final close, closed and complete', async () => {
    const { url, server, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    await connection;
    const midway = record(ws.state$);
    expect(midway.values).toEqual(['open']);
    server.close({ code: 1000, reason: '', wasClean: true });
    expect(midway.values).toEqual(['open', 'closed']);
    expect(midway.completed).toBe(true);
    const late = record(ws.state$);
    expect(late.values).toEqual(['closed']);
    expect(late.completed).toBe(true);
  });
});

// ---- Event streams ------------------------------------------------------------------------

describe('open$, message$, error$, close$', () => {
  it('emit the native event objects themselves', async () => {
    const { url, server, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);
    const opens = record(ws.open$);
    const messages = record(ws.message$);
    const errors = record(ws.error$);
    const closes = record(ws.close$);
    const client = await connection;
    client.send('hello');
    server.simulate('error');
    server.close({ code: 1000, reason: 'done', wasClean: true });
    const dispatched = (type: string) => only(native.dispatched.filter((event) => event.type === type));

    expect(only(opens.values)).toBe(dispatched('open'));
    expect(only(messages.values)).toBe(dispatched('message'));
    expect(only(messages.values).data).toBe('hello');
    expect(only(errors.values)).toBe(dispatched('error'));
    const close = only(closes.values);
    expect(close).toBe(dispatched('close'));
    expect({ code: close.code, reason: close.reason, wasClean: close.wasClean }).toEqual({
      code: 1000,
      reason: 'done',
      wasClean: true,
    });
  });

  it('are hot: a subscriber sees only the events after it subscribed', async () => {
    const { url, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const client = await connection;
    const lateOpen = record(ws.open$);
    const first = record(ws.message$);
    client.send('m1');
    const second = record(ws.message$);
    client.send('m2');
    expect(lateOpen.values).toEqual([]);
    expect(first.values.map((e) => e.data)).toEqual(['m1', 'm2']);
    expect(second.values.map((e) => e.data)).toEqual(['m2']);
  });

  it.each([
    ['a clean close', { code: 1000, reason: 'bye', wasClean: true }],
    ['an unclean close', { code: 1006, reason: 'gone', wasClean: false }],
  ])('complete after %s and never error', async (_name, closeOptions) => {
    const { url, server, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const streams = [ws.open$, ws.message$, ws.error$, ws.close$].map((s) => record<unknown>(s));
    const closes = record(ws.close$);
    await connection;
    expect(streams.map((r) => r.completed)).toEqual([false, false, false, false]);
    server.close(closeOptions);
    expect(streams.map((r) => r.completed)).toEqual([true, true, true, true]);
    expect(streams.map((r) => r.errors)).toEqual([[], [], [], []]);
    const close = only(closes.values);
    expect([close.code, close.reason, close.wasClean]).toEqual([
      closeOptions.code,
      closeOptions.reason,
      closeOptions.wasClean,
    ]);
  });

  it('complete a subscriber that arrives after the final close at once', async () => {
    const { url, server, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    await connection;
    server.close({ code: 1000, reason: '', wasClean: true });
    const late = [ws.open$, ws.message$, ws.error$, ws.close$].map((s) => record<unknown>(s));
    expect(late.map((r) => [r.values.length, r.completed, r.errors.length])).toEqual([
      [0, true, 0],
      [0, true, 0],
      [0, true, 0],
      [0, true, 0],
    ]);
  });

  it('use ONE native listener per event type however many subscribers and handlers, all removed at the end', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);
    const perType = () => EVENTS.map((type) => native.added.filter((call) => call.type === type).length);
    expect(perType()).toEqual([1, 1, 1, 1]);

    const calls: string[] = [];
    for (let i = 0; i < 5; i++) {
      const streams: Observable<unknown>[] = [ws.open$, ws.message$, ws.error$, ws.close$, ws.state$, ws];
      for (const stream of streams) stream.subscribe();
    }
    for (let i = 0; i < 3; i++) {
      for (const evt of EVENTS) ws.bind(evt, () => calls.push(`${i}:${evt}`));
    }
    expect(perType()).toEqual([1, 1, 1, 1]);
    expect(native.added).toHaveLength(4);

    const client = await connection;
    client.send('x');
    expect(calls).toEqual(['0:open', '1:open', '2:open', '0:message', '1:message', '2:message']);
    expect(perType()).toEqual([1, 1, 1, 1]);

    ws.close();
    await lastValueFrom(ws.close$);
    expect(native.added).toHaveLength(4);
    expect(native.removed).toHaveLength(4);
    for (const call of native.added) expect(native.removed).toContainEqual(call);
    expect(EVENTS.map((type) => native.table(type).length)).toEqual([0, 0, 0, 0]);
  });
});

// ---- send ---------------------------------------------------------------------------------

describe('send', () => {
  it('hands the data to the native socket and returns true when open', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const client = await connection;
    const got = receive(client, 1);
    expect(ws.send('hi')).toBe(true);
    expect(only(spy.instances).sent).toEqual(['hi']);
    expect(ws.queued).toBe(0);
    expect(await got).toEqual(['hi']);
  });

  it('queues while connecting (returns false) and flushes in order right after the open handlers ran', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);
    expect(ws.send('q1')).toBe(false);
    expect(ws.queued).toBe(1);
    expect(ws.send('q2')).toBe(false);
    expect(ws.queued).toBe(2);
    expect(native.sent).toEqual([]);

    const inHandler: [number, boolean][] = [];
    ws.bind('open', () => {
      const queuedThen = ws.queued;
      inHandler.push([queuedThen, ws.send('from-open')]);
    });
    const client = await connection;
    const got = receive(client, 3);
    expect(inHandler).toEqual([[2, true]]);
    expect(native.sent).toEqual(['from-open', 'q1', 'q2']);
    expect(ws.queued).toBe(0);
    expect(await got).toEqual(['from-open', 'q1', 'q2']);
  });

  it('throws ERR_WS_QUEUE_FULL when the queue is full, and queues nothing', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor, maxQueue: 2 });
    expect([ws.send('a'), ws.send('b')]).toEqual([false, false]);
    expectWsError(() => ws.send('c'), 'ERR_WS_QUEUE_FULL');
    expect(ws.queued).toBe(2);
    await connection;
    expect(only(spy.instances).sent).toEqual(['a', 'b']);
  });

  it('refuses any queuing with maxQueue: 0, and sends once open', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor, maxQueue: 0 });
    expectWsError(() => ws.send('early'), 'ERR_WS_QUEUE_FULL');
    expect(ws.queued).toBe(0);
    await connection;
    expect(only(spy.instances).sent).toEqual([]);
    expect(ws.send('late')).toBe(true);
    expect(only(spy.instances).sent).toEqual(['late']);
  });

  it('throws ERR_WS_INVALID_STATE while closing and once closed, without sending or queuing', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    await connection;
    ws.close();
    expect(ws.state).toBe('closing');
    expectWsError(() => ws.send('while closing'), 'ERR_WS_INVALID_STATE');
    await lastValueFrom(ws.close$);
    expect(ws.state).toBe('closed');
    expectWsError(() => ws.send('when closed'), 'ERR_WS_INVALID_STATE');
    expect(only(spy.instances).sent).toEqual([]);
    expect(ws.queued).toBe(0);
  });

  it('throws ERR_WS_INVALID_STATE after a close() while connecting instead of queuing', () => {
    const { url } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    ws.close();
    expectWsError(() => ws.send('x'), 'ERR_WS_INVALID_STATE');
    expect(ws.queued).toBe(0);
  });

  const badData: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a plain object', {}],
    ['a number', 42],
    ['a SharedArrayBuffer', new SharedArrayBuffer(8)],
    ['a view on a SharedArrayBuffer', new Uint8Array(new SharedArrayBuffer(8))],
  ];

  it.each(badData)('throws ERR_WS_INVALID_ARGUMENT for %s when open, and sends nothing', async (_name, data) => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    await connection;
    expectWsError(() => ws.send(data as SendData), 'ERR_WS_INVALID_ARGUMENT');
    expect(only(spy.instances).sent).toEqual([]);
  });

  it.each(badData)(
    'checks the type (%s) before the queue bound: a full queue still gives ERR_WS_INVALID_ARGUMENT',
    (_name, data) => {
      const { url } = serve();
      const ws = WebSocket(url, { WebSocketCtor: MockWebSocket, maxQueue: 1 });
      expect(ws.send('fills the queue')).toBe(false);
      expectWsError(() => ws.send('one more'), 'ERR_WS_QUEUE_FULL');
      expectWsError(() => ws.send(data as SendData), 'ERR_WS_INVALID_ARGUMENT');
      expect(ws.queued).toBe(1);
    },
  );

  it('accepts a string, an ArrayBuffer, a Uint8Array and a Blob, and passes each through unchanged', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const queuedBlob = new Blob(['queued']);
    expect(ws.send(queuedBlob)).toBe(false);
    const client = await connection;
    const got = receive(client, 5);
    const data: SendData[] = ['text', new ArrayBuffer(4), new Uint8Array([1, 2, 3]), new Blob(['blob'])];
    expect(data.map((d) => ws.send(d))).toEqual([true, true, true, true]);
    const expected = [queuedBlob, ...data];
    const sent = only(spy.instances).sent;
    expect(sent).toHaveLength(5);
    expected.forEach((d, i) => expect(sent[i]).toBe(d));
    const received = await got;
    expected.forEach((d, i) => expect(received[i]).toBe(d));
  });

  it('drainQueue() hands back the queued data in order and empties the queue', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const buffer = new ArrayBuffer(2);
    ws.send('a');
    ws.send(buffer);
    ws.send('c');
    const drained = ws.drainQueue();
    expect(drained).toEqual(['a', buffer, 'c']);
    expect(drained[1]).toBe(buffer);
    expect(ws.queued).toBe(0);
    expect(ws.drainQueue()).toEqual([]);
    await connection;
    expect(only(spy.instances).sent).toEqual([]);
  });

  it('loses nothing at a close while connecting: the queue is still there to drain', async () => {
    const { url } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    ws.send('a');
    ws.send('b');
    ws.close();
    await lastValueFrom(ws.close$);
    expect(ws.state).toBe('closed');
    expect(ws.queued).toBe(2);
    expect(ws.drainQueue()).toEqual(['a', 'b']);
    expect(ws.queued).toBe(0);
    expect(only(spy.instances).sent).toEqual([]);
  });
});

// ---- close --------------------------------------------------------------------------------

describe('close(code?, reason?)', () => {
  it('closes with 1000 by default: the server sees 1000, not 1005', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const client = await connection;
    const seen = closedOnServer(client);
    ws.close();
    expect(only(spy.instances).closeCalls).toEqual([[1000, '']]);
    const event = await seen;
    expect([event.code, event.reason]).toEqual([1000, '']);
  });

  it('passes an explicit code and reason to the server', async () => {
    const { url, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const closes = record(ws.close$);
    const client = await connection;
    const seen = closedOnServer(client);
    ws.close(4000, 'bye');
    const event = await seen;
    expect([event.code, event.reason]).toEqual([4000, 'bye']);
    expect(only(closes.values)).toBe(event);
  });

  it('accepts a reason of exactly 123 UTF-8 bytes', async () => {
    const { url, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const client = await connection;
    const reason = `${'é'.repeat(61)}a`;
    expect(new TextEncoder().encode(reason).length).toBe(123);
    const seen = closedOnServer(client);
    ws.close(3000, reason);
    expect((await seen).reason).toBe(reason);
  });

  const invalid: [string, unknown, unknown][] = [
    ['code 0', 0, ''],
    ['code 999', 999, ''],
    ['code 1001', 1001, ''],
    ['code 2999', 2999, ''],
    ['code 5000', 5000, ''],
    ['code NaN', NaN, ''],
    ['code 1000.5', 1000.5, ''],
    ["code '1000'", '1000', ''],
    ['a 124-byte reason (62 × é)', 1000, 'é'.repeat(62)],
    ['a 124-byte reason (31 × 😀, 62 UTF-16 units)', 1000, '😀'.repeat(31)],
  ];

  it.each(invalid)('throws ERR_WS_INVALID_CLOSE for %s and the socket stays open', async (_name, code, reason) => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const client = await connection;
    if (typeof reason === 'string' && reason.length > 0) expect(new TextEncoder().encode(reason).length).toBe(124);
    expectWsError(() => ws.close(code as number, reason as string), 'ERR_WS_INVALID_CLOSE');
    expect(only(spy.instances).closeCalls).toEqual([]);
    expect(ws.state).toBe('open');
    expect(ws.readyState).toBe(1);
    const got = receive(client, 1);
    expect(ws.send('still open')).toBe(true);
    expect(await got).toEqual(['still open']);
  });

  it('works while connecting: no error$ from our own abort, close$ fires, the state ends closed', async () => {
    const { url, server } = serve();
    const spy = spyConstructor();
    let connected = false;
    server.on('connection', () => {
      connected = true;
    });
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);
    const states = record(ws.state$);
    const errors = record(ws.error$);
    ws.close();
    expect(ws.state).toBe('closing');
    const close = await lastValueFrom(ws.close$);
    expect(native.dispatched.map((e) => e.type)).toEqual(['error', 'close']);
    expect(errors.values).toEqual([]);
    expect(errors.completed).toBe(true);
    expect(close).toBe(native.dispatched[1]);
    expect(states.values).toEqual(['connecting', 'closing', 'closed']);
    expect(ws.state).toBe('closed');
    expect(connected).toBe(false);
  });

  it('an open event that comes after close() while connecting (a native slow to abort) opens nothing', () => {
    // A native socket whose close() while CONNECTING takes effect later: its open may still come.
    class SlowToAbort extends FakeWebSocket {
      override close(): void {
        // Slow to abort: the close() asked for while connecting has not taken effect yet.
      }
    }
    const ws = WebSocket('ws://test/', { WebSocketCtor: SlowToAbort });
    const native = FakeWebSocket.last;
    const states = record(ws.state$);
    const opens = record(ws.open$);
    const handled: string[] = [];
    ws.bind('open', () => handled.push('open'));
    expect(ws.send('queued')).toBe(false);
    ws.close();

    native.dispatchEvent({ type: 'open' });
    expect(opens.values).toEqual([]);
    expect(handled).toEqual([]);
    expect(ws.state).toBe('closing');
    expect(native.sent).toEqual([]);

    native.dispatchEvent({ type: 'close', code: 1006, reason: '', wasClean: false } as WsCloseEvent);
    expect(states.values).toEqual(['connecting', 'closing', 'closed']);
    expect(ws.drainQueue()).toEqual(['queued']);
  });

  it('does nothing the second time: the native close is called once', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    await connection;
    ws.close();
    ws.close(4000, 'again');
    expect(only(spy.instances).closeCalls).toEqual([[1000, '']]);
    const close = await lastValueFrom(ws.close$);
    expect(close.code).toBe(1000);
    ws.close();
    expect(only(spy.instances).closeCalls).toEqual([[1000, '']]);
    expect(ws.state).toBe('closed');
  });
});

// ---- Passthrough --------------------------------------------------------------------------

describe('native passthrough', () => {
  it('readyState follows the native socket through its life', async () => {
    const { url, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const seen = [ws.readyState];
    await connection;
    seen.push(ws.readyState);
    ws.close();
    seen.push(ws.readyState);
    await lastValueFrom(ws.close$);
    seen.push(ws.readyState);
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('url, protocol, extensions and bufferedAmount read the current native values', async () => {
    const { url, connection } = serve(() => 'chat.v1');
    const spy = spyConstructor();
    const ws = WebSocket(url, ['chat.v2', 'chat.v1'], { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);
    expect(ws.url).toBe(url);
    expect(ws.protocol).toBe('chat.v2');
    await connection;
    expect(ws.protocol).toBe('chat.v1');
    Object.assign(native, { extensions: 'permessage-deflate', bufferedAmount: 42 });
    expect([ws.extensions, ws.bufferedAmount]).toEqual(['permessage-deflate', 42]);
    Object.assign(native, { extensions: '', bufferedAmount: 7 });
    expect([ws.extensions, ws.bufferedAmount]).toEqual(['', 7]);
  });

  it('binaryType reads and writes the native property', () => {
    const { url } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);
    expect(ws.binaryType).toBe('blob');
    ws.binaryType = 'arraybuffer';
    expect(native.binaryType).toBe('arraybuffer');
    native.binaryType = 'blob';
    expect(ws.binaryType).toBe('blob');
  });

  it('CONNECTING..CLOSED are 0..3 on the class, the factory and instances', () => {
    const { url } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    for (const holder of [RxWebSocket, WebSocket, ws]) {
      expect([holder.CONNECTING, holder.OPEN, holder.CLOSING, holder.CLOSED]).toEqual([0, 1, 2, 3]);
    }
    expect([MockWebSocket.CONNECTING, MockWebSocket.OPEN, MockWebSocket.CLOSING, MockWebSocket.CLOSED]).toEqual([
      ws.CONNECTING,
      ws.OPEN,
      ws.CLOSING,
      ws.CLOSED,
    ]);
  });
});

// ---- Subject face -------------------------------------------------------------------------

describe('the subject face', () => {
  it('emits event.data by default', async () => {
    const { url, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const data = record(ws);
    const client = await connection;
    client.send('a');
    client.send('b');
    expect(data.values).toEqual(['a', 'b']);
  });

  it('emits deserializer(event), given the native message event', async () => {
    const { url, connection } = serve();
    const given: WsMessageEvent[] = [];
    const ws = WebSocket<string>(url, {
      WebSocketCtor: MockWebSocket,
      deserializer: (event) => {
        given.push(event);
        return `<${textOf(event.data)}>`;
      },
    });
    const events = record(ws.message$);
    const data = record(ws);
    const client = await connection;
    client.send('a');
    expect(data.values).toEqual(['<a>']);
    expect(only(given)).toBe(only(events.values));
  });

  it('completes on a clean final close', async () => {
    const { url, server, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const data = record(ws);
    const client = await connection;
    client.send('last');
    server.close({ code: 1000, reason: '', wasClean: true });
    expect(data.values).toEqual(['last']);
    expect(data.completed).toBe(true);
    expect(data.errors).toEqual([]);
  });

  it('completes after a close() the user asked for, even when the native close is not clean', async () => {
    const { url, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const data = record(ws);
    await connection;
    ws.close(4000, 'done');
    const close = await lastValueFrom(ws.close$);
    expect(close.wasClean).toBe(false);
    expect(data.completed).toBe(true);
    expect(data.errors).toEqual([]);
  });

  it('errors with a CloseError on an unclean close the user did not ask for', async () => {
    const { url, server, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const data = record(ws);
    const closes = record(ws.close$);
    await connection;
    server.close({ code: 1006, reason: 'gone', wasClean: false });
    expect(data.completed).toBe(false);
    const error = only(data.errors);
    expect(error).toBeInstanceOf(CloseError);
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1006, reason: 'gone', wasClean: false });
    expect((error as CloseError).event).toBe(only(closes.values));
  });

  it('never opens or closes a connection by subscribing or by unsubscribing all', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);
    ws.subscribe().unsubscribe();
    ws.pipe(map(textOf)).subscribe().unsubscribe();
    const client = await connection;
    const held = ws.subscribe();
    held.unsubscribe();
    expect(spy.instances).toEqual([native]);
    expect(native.closeCalls).toEqual([]);
    expect(ws.state).toBe('open');
    const got = receive(client, 1);
    expect(ws.send('still open')).toBe(true);
    expect(await got).toEqual(['still open']);
  });

  it('works with pipe(map(...))', async () => {
    const { url, server, connection } = serve();
    const ws = WebSocket(url, { WebSocketCtor: MockWebSocket });
    const upper = record(ws.pipe(map((data) => textOf(data).toUpperCase())));
    const client = await connection;
    client.send('a');
    client.send('b');
    server.close({ code: 1000, reason: '', wasClean: true });
    expect(upper.values).toEqual(['A', 'B']);
    expect(upper.completed).toBe(true);
  });

  it('next(v) sends v with the default serializer and returns what send returns', async () => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const buffer = new ArrayBuffer(3);
    expect(ws.next('queued')).toBe(false);
    const client = await connection;
    const got = receive(client, 2);
    expect(ws.next(buffer)).toBe(true);
    expect(only(spy.instances).sent).toEqual(['queued', buffer]);
    const received = await got;
    expect(received[0]).toBe('queued');
    expect(received[1]).toBe(buffer);
  });

  it('next(v) sends serializer(v) with a custom serializer', async () => {
    const { url, connection } = serve();
    const ws = WebSocket<MessageData, { n: number }>(url, {
      WebSocketCtor: MockWebSocket,
      serializer: (value) => `n=${value.n}`,
    });
    expect(ws.next({ n: 1 })).toBe(false);
    expect(ws.drainQueue()).toEqual(['n=1']);
    const client = await connection;
    const got = receive(client, 1);
    expect(ws.next({ n: 2 })).toBe(true);
    expect(await got).toEqual(['n=2']);
  });

  it("throws a serializer's error from next() as itself, and the socket stays open", async () => {
    const { url, connection } = serve();
    const failure = new RangeError('cannot serialize this');
    const ws = WebSocket<MessageData, string>(url, {
      WebSocketCtor: MockWebSocket,
      serializer: (value) => {
        if (value === 'bad') throw failure;
        return value;
      },
    });
    const client = await connection;
    expect(thrownBy(() => ws.next('bad'))).toBe(failure);
    expect(ws.state).toBe('open');
    const got = receive(client, 1);
    expect(ws.next('good')).toBe(true);
    expect(await got).toEqual(['good']);
  });

  it.each([
    ['complete()', (ws: RxWebSocket) => ws.complete(), [1000, '']],
    [
      "error({ code: 4001, reason: 'bye' })",
      (ws: RxWebSocket) => ws.error({ code: 4001, reason: 'bye' }),
      [4001, 'bye'],
    ],
    ["error(new Error('x'))", (ws: RxWebSocket) => ws.error(new Error('x')), [1000, '']],
  ])('%s closes with the matching code and reason', async (_name, act, expected) => {
    const { url, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const data = record(ws);
    const client = await connection;
    const seen = closedOnServer(client);
    act(ws);
    expect(only(spy.instances).closeCalls).toEqual([expected]);
    const event = await seen;
    expect([event.code, event.reason]).toEqual(expected);
    expect(ws.state).toBe('closed');
    expect(data.completed).toBe(true);
    expect(data.errors).toEqual([]);
  });

  it('round-trips JSON with json()', async () => {
    const { url, connection } = serve();
    const ws = WebSocket<{ reply: number[] }, { ask: string }>(url, {
      ...json<{ reply: number[] }, { ask: string }>(),
      WebSocketCtor: MockWebSocket,
    });
    const data = record(ws);
    const client = await connection;
    const got = receive(client, 1);
    expect(ws.next({ ask: 'sum' })).toBe(true);
    expect(await got).toEqual(['{"ask":"sum"}']);
    client.send('{"reply":[1,2]}');
    expect(data.values).toEqual([{ reply: [1, 2] }]);
  });

  it('with json(), skips a non-JSON message, reports a DecodeError on error$ and keeps delivering', async () => {
    const { url, connection } = serve();
    const ws = WebSocket<{ ok: boolean }>(url, { ...json<{ ok: boolean }>(), WebSocketCtor: MockWebSocket });
    const data = record(ws);
    const errors = record(ws.error$);
    const messages = record(ws.message$);
    const client = await connection;
    client.send('not json');
    client.send('{"ok":true}');
    expect(messages.values.map((e) => e.data)).toEqual(['not json', '{"ok":true}']);
    expect(data.values).toEqual([{ ok: true }]);
    expect(data.errors).toEqual([]);
    const error = only(errors.values);
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ code: 'ERR_WS_DECODE', data: 'not json' });
    expect((error as DecodeError).cause).toBeInstanceOf(SyntaxError);
    expect(ws.state).toBe('open');
    client.send('{"ok":false}');
    expect(data.values).toEqual([{ ok: true }, { ok: false }]);
  });
});

// ---- Cleanup ------------------------------------------------------------------------------

describe('cleanup after the final close', () => {
  it.each([
    ['a close() the user asked for', (ws: RxWebSocket) => ws.close()],
    [
      'an unclean close from the server',
      (_ws: RxWebSocket, server: Server) => server.close({ code: 1006, reason: '', wasClean: false }),
    ],
  ])('after %s, no native listener remains and every subscription is closed', async (_name, end) => {
    const { url, server, connection } = serve();
    const spy = spyConstructor();
    const ws = WebSocket(url, { WebSocketCtor: spy.Ctor });
    const native = only(spy.instances);

    const subscribe = vi.spyOn(Observable.prototype, 'subscribe');
    for (const evt of EVENTS) ws.bind(evt, () => undefined);
    const bound = subscribe.mock.results.map((result) => result.value as Subscription);
    subscribe.mockRestore();
    expect(bound).toHaveLength(4);

    const streams = [ws.open$, ws.message$, ws.error$, ws.close$].map((s) => s.subscribe());
    const face = ws.subscribe({ error: () => undefined });
    const piped = ws.pipe(map(textOf)).subscribe({ error: () => undefined });
    const state = record(ws.state$);
    const all = [...bound, ...streams, face, piped, state.subscription];
    await connection;
    expect(all.map((s) => s.closed)).toEqual(all.map(() => false));

    end(ws, server);
    await lastValueFrom(ws.state$);
    expect(ws.state).toBe('closed');
    expect(all.map((s) => s.closed)).toEqual(all.map(() => true));
    expect(state.completed).toBe(true);
    expect(EVENTS.map((type) => native.table(type).length)).toEqual([0, 0, 0, 0]);
    expect(native.removed.map((call) => call.type).sort()).toEqual(['close', 'error', 'message', 'open']);
  });
});
