/**
 * The seed example (Brython's browser.websocket page) against a real `ws` server on
 * 127.0.0.1, with `ws`'s WebSocket as `WebSocketCtor` (plain Node 20 has no global one).
 */
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import {
  CloseError,
  NotImplementedError,
  RxWebSocket,
  WebSocket,
  WebSocketError,
  isWebSocketError,
  supported,
} from '../../src/index.js';
import type { SocketState, WebSocketConstructor, WsEvent, WsMessageEvent } from '../../src/index.js';
import { listenerCounts, recordingCtor, trackingScheduler, watchFace, watchTimers } from './probes.js';
import { watchSockets } from './socket-watch.js';
import { startEchoServer, type EchoServer } from './server.js';
import { thrownBy } from '../helpers/thrown.js';
import { seedFlow } from '../shared/seed-flow.js';
import { textOf } from '../helpers/text.js';
import { stringMatching } from '../helpers/matchers.js';

/** `ws`'s WebSocket, the documented `WebSocketCtor` for Node 20 (it typechecks as one). */
const WsCtor: WebSocketConstructor = WsWebSocket;

let server: EchoServer;

beforeEach(async () => {
  server = await startEchoServer();
});

afterEach(async () => {
  await server.close();
});

describe('supported on plain Node 20', () => {
  it('is false, and WebSocket(url) without WebSocketCtor raises NotImplementedError', () => {
    expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe('undefined');
    expect(supported).toBe(false);
    const raised = thrownBy(() => WebSocket(server.url));
    expect(raised).toBeInstanceOf(NotImplementedError);
    expect((raised as NotImplementedError).code).toBe('ERR_WS_UNSUPPORTED');
    expect(server.connections).toHaveLength(0);
  });
});

describe('the seed flow: bind open/message/close, send on open, echo, close', () => {
  it('delivers one event argument per handler, the echo as a string, and closes with 1000', async () => {
    const ws = WebSocket(server.url, { WebSocketCtor: WsCtor });
    expect(ws).toBeInstanceOf(RxWebSocket);
    expect(ws.state).toBe('connecting');
    expect(ws.readyState).toBe(ws.CONNECTING);

    const { calls, closeEvent } = await seedFlow(ws, 'hello');
    expect(calls.map((c) => c.evt)).toEqual(['open', 'message', 'close']);
    expect(calls.map((c) => c.args.length)).toEqual([1, 1, 1]);
    expect((calls[0]!.args[0] as WsEvent).type).toBe('open');
    const message = calls[1]!.args[0] as WsMessageEvent;
    expect(message.type).toBe('message');
    expect(message.data).toBe('hello');
    expect(typeof message.data).toBe('string');
    expect(closeEvent.type).toBe('close');
    expect([closeEvent.code, closeEvent.reason, closeEvent.wasClean]).toEqual([1000, '', true]);

    expect(await server.closeOf(0)).toEqual({ code: 1000, reason: '' });
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]!.received).toEqual([{ binary: false, data: 'hello' }]);
    expect(ws.state).toBe('closed');
    expect(ws.readyState).toBe(ws.CLOSED);
  });

  it('sends close(code, reason) to the server as given', async () => {
    const ws = WebSocket(server.url, { WebSocketCtor: WsCtor });
    const closed = firstValueFrom(ws.close$);
    ws.bind('open', () => ws.close(1000, 'done for today'));
    const event = await closed;
    expect([event.code, event.reason, event.wasClean]).toEqual([1000, 'done for today', true]);
    expect(await server.closeOf(0)).toEqual({ code: 1000, reason: 'done for today' });

    const ws2 = WebSocket(server.url, { WebSocketCtor: WsCtor });
    ws2.bind('open', () => ws2.close(4000, 'app says bye'));
    await lastValueFrom(ws2.close$);
    expect(await server.closeOf(1)).toEqual({ code: 4000, reason: 'app says bye' });
  });

  it('runs handlers in bind order, event by event, with the states in order', async () => {
    const log: string[] = [];
    const states: SocketState[] = [];
    const ws = WebSocket(server.url, { WebSocketCtor: WsCtor });
    ws.state$.subscribe((state) => states.push(state));
    ws.bind('open', () => log.push('open:a'))
      .bind('open', () => {
        log.push('open:b');
        ws.send('one');
        ws.send('two');
      })
      .bind('message', (evt) => {
        log.push(`message:a:${textOf(evt.data)}`);
        if (evt.data === 'two') ws.close();
      })
      .bind('message', (evt) => log.push(`message:b:${textOf(evt.data)}`))
      .bind('close', (evt) => log.push(`close:a:${evt.code}`));
    const closed = new Promise<void>((resolve) => {
      ws.bind('close', () => {
        log.push('close:b');
        resolve();
      });
    });
    await closed;
    expect(log).toEqual([
      'open:a',
      'open:b',
      'message:a:one',
      'message:b:one',
      'message:a:two',
      'message:b:two',
      'close:a:1000',
      'close:b',
    ]);
    expect(states).toEqual(['connecting', 'open', 'closing', 'closed']);
  });
});

describe('binary round trip', () => {
  const bytes = [0, 1, 2, 127, 128, 253, 254, 255];

  it("binaryType 'arraybuffer': binary comes back as an ArrayBuffer, text as a string", async () => {
    const ws = WebSocket(server.url, { WebSocketCtor: WsCtor, binaryType: 'arraybuffer' });
    expect(ws.binaryType).toBe('arraybuffer');
    const face = watchFace(ws);
    const echoes = firstValueFrom(ws.message$.pipe(take(2), toArray()));
    ws.bind('open', () => {
      ws.send(new Uint8Array(bytes));
      ws.send('text stays text');
    });
    const [binary, text] = await echoes;
    expect(binary!.data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(binary!.data as ArrayBuffer)]).toEqual(bytes);
    expect(text!.data).toBe('text stays text');
    expect(face.values).toEqual([binary!.data, 'text stays text']);
    ws.close();
    expect(await face.ended).toEqual({ kind: 'complete' });
    expect(server.connections[0]!.received).toEqual([
      { binary: true, data: Buffer.from(bytes) },
      { binary: false, data: 'text stays text' },
    ]);
  });

  it("binaryType 'nodebuffer': binary comes back as a Buffer; an ArrayBuffer is sent as binary", async () => {
    const ws = WebSocket(server.url, { WebSocketCtor: WsCtor, binaryType: 'nodebuffer' });
    expect(ws.binaryType).toBe('nodebuffer');
    const echoes = firstValueFrom(ws.message$.pipe(take(2), toArray()));
    ws.bind('open', () => {
      ws.send(new Uint8Array(bytes).buffer);
      ws.send(Buffer.from('héllo'));
    });
    const [first, second] = await echoes;
    expect(Buffer.isBuffer(first!.data)).toBe(true);
    expect([...(first!.data as Buffer)]).toEqual(bytes);
    expect(Buffer.isBuffer(second!.data)).toBe(true);
    expect((second!.data as Buffer).toString('utf8')).toBe('héllo');
    ws.close();
    await lastValueFrom(ws.close$);
    expect(server.connections[0]!.received).toEqual([
      { binary: true, data: Buffer.from(bytes) },
      { binary: true, data: Buffer.from('héllo') },
    ]);
  });
});

describe('message events on ws', () => {
  it('have the documented shape { type, data, target }: text as a string, binary by binaryType, the native socket as target; one object for every listener', async () => {
    const { Ctor, instances } = recordingCtor();
    const ws = WebSocket(server.url, { WebSocketCtor: Ctor, binaryType: 'arraybuffer' });
    const native = instances[0]!;
    const fromStream = firstValueFrom(ws.message$.pipe(take(2), toArray()));
    const fromHandler: WsMessageEvent[] = [];
    ws.bind('message', (evt) => fromHandler.push(evt));
    ws.bind('open', () => {
      ws.send('text');
      ws.send(new Uint8Array([1, 2, 3]));
    });
    const [text, binary] = await fromStream;

    // Only the documented members are read (ws may hand a plain object or its own MessageEvent).
    const shape = (event: WsMessageEvent) => ({
      type: event.type,
      data: event.data,
      target: (event as { target?: unknown }).target,
    });
    expect(shape(text!)).toStrictEqual({ type: 'message', data: 'text', target: native });
    expect(shape(binary!).type).toBe('message');
    expect(shape(binary!).target).toBe(native);
    expect(binary!.data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(binary!.data as ArrayBuffer)]).toEqual([1, 2, 3]);
    // The same event objects reach the handlers.
    expect(fromHandler).toHaveLength(2);
    expect(fromHandler[0]).toBe(text);
    expect(fromHandler[1]).toBe(binary);
    // ws emitted each message once, to the package's one listener.
    expect(native.emitted.filter((e) => e.event === 'message').map((e) => e.listeners)).toEqual([1, 1]);
    ws.close();
    await lastValueFrom(ws.close$);
    expect(listenerCounts(native)).toEqual({ open: 0, message: 0, error: 0, close: 0 });
  });
});

describe('URLs', () => {
  it('maps http:// to ws:// and connects, keeping path and query', async () => {
    const ws = WebSocket(`http://127.0.0.1:${server.port}/chat?room=7`, { WebSocketCtor: WsCtor });
    expect(ws.url).toBe(`ws://127.0.0.1:${server.port}/chat?room=7`);
    const opened = firstValueFrom(ws.open$);
    const connection = await server.nextConnection();
    await opened;
    expect(connection.path).toBe('/chat?room=7');
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
    expect(await server.closeOf(0)).toEqual({ code: 1000, reason: '' });
  });
});

describe('close() while CONNECTING', () => {
  it('before the request reached the server: close$ fires, error$ stays silent, nothing crashes', async () => {
    const { Ctor, instances } = recordingCtor();
    const ws = WebSocket(server.url, { WebSocketCtor: Ctor });
    const errors: unknown[] = [];
    ws.error$.subscribe((error) => errors.push(error));
    const states: SocketState[] = [];
    ws.state$.subscribe((state) => states.push(state));
    const closed = firstValueFrom(ws.close$);
    const face = watchFace(ws);

    expect(ws.readyState).toBe(ws.CONNECTING);
    ws.close();
    const event = await closed;

    expect([event.code, event.wasClean]).toEqual([1006, false]);
    expect(errors).toEqual([]);
    expect(ws.state).toBe('closed');
    expect(states).toEqual(['connecting', 'closing', 'closed']);
    expect(await face.ended).toEqual({ kind: 'complete' });
    // ws did emit its error, and a listener was there to take it: an error emitted without
    // a listener would have been thrown as an uncaught exception.
    const native = instances[0]!;
    expect(native.emitted.map(({ event, listeners }) => [event, listeners])).toEqual([
      ['error', 1],
      ['close', 1],
    ]);
    expect((native.emitted[0]!.args[0] as Error).message).toBe(
      'WebSocket was closed before the connection was established',
    );
    expect(listenerCounts(native)).toEqual({ open: 0, message: 0, error: 0, close: 0 });
    expect(thrownBy(() => ws.send('late'))).toMatchObject({
      code: 'ERR_WS_INVALID_STATE',
      message: stringMatching(/\bclosed\b/),
    });
  });

  it('after the server accepted the upgrade: same, and the server sees the connection drop', async () => {
    const { Ctor, instances } = recordingCtor();
    const ws = WebSocket(server.url, { WebSocketCtor: Ctor });
    const errors: unknown[] = [];
    ws.error$.subscribe((error) => errors.push(error));
    const closed = firstValueFrom(ws.close$);
    const opens: WsEvent[] = [];
    ws.bind('open', (evt) => opens.push(evt));

    await server.nextConnection();
    // The server has answered 101, but the client has not read it yet.
    expect(ws.readyState).toBe(ws.CONNECTING);
    ws.close();
    const event = await closed;

    expect([event.code, event.wasClean]).toEqual([1006, false]);
    expect(errors).toEqual([]);
    expect(opens).toEqual([]);
    expect(ws.state).toBe('closed');
    expect(instances[0]!.emitted.map(({ event: name, listeners }) => [name, listeners])).toEqual([
      ['error', 1],
      ['close', 1],
    ]);
    expect((await server.closeOf(0)).code).toBe(1006);
  });
});

describe('the outgoing queue on a real connection', () => {
  it('sends queued messages in order, after an open handler’s own send', async () => {
    const ws = WebSocket(server.url, { WebSocketCtor: WsCtor });
    expect(ws.send('queued 1')).toBe(false);
    expect(ws.send('queued 2')).toBe(false);
    expect(ws.queued).toBe(2);
    const fromOpen: { sent: boolean; queued: number }[] = [];
    ws.bind('open', () => fromOpen.push({ sent: ws.send('from open'), queued: ws.queued }));
    const echoes = firstValueFrom(ws.message$.pipe(take(3), toArray()));

    expect((await echoes).map((evt) => evt.data)).toEqual(['from open', 'queued 1', 'queued 2']);
    expect(fromOpen).toEqual([{ sent: true, queued: 2 }]);
    expect(ws.queued).toBe(0);
    expect(server.connections[0]!.received.map((m) => m.data)).toEqual(['from open', 'queued 1', 'queued 2']);
    ws.close();
    await lastValueFrom(ws.close$);
  });
});

describe('closes that the server starts', () => {
  it('a close with 4001/"bye" reaches close$ (clean) and completes the subject face', async () => {
    const ws = WebSocket(server.url, { WebSocketCtor: WsCtor });
    const face = watchFace(ws);
    const closed = firstValueFrom(ws.close$);
    const errors: unknown[] = [];
    ws.error$.subscribe((error) => errors.push(error));
    const echoed = firstValueFrom(ws.message$);
    ws.bind('open', () => ws.send('last words'));
    const connection = await server.nextConnection();
    await echoed;

    connection.close(4001, 'bye');
    const event = await closed;
    expect([event.code, event.reason, event.wasClean]).toEqual([4001, 'bye', true]);
    expect(await face.ended).toEqual({ kind: 'complete' });
    expect(face.values).toEqual(['last words']);
    expect(errors).toEqual([]);
    expect(ws.state).toBe('closed');
    expect(await server.closeOf(0)).toEqual({ code: 4001, reason: 'bye' });
  });

  it('an abrupt terminate() gives 1006, wasClean false, and errors the subject face with CloseError', async () => {
    const ws = WebSocket(server.url, { WebSocketCtor: WsCtor });
    const face = watchFace(ws);
    const closed = firstValueFrom(ws.close$);
    const opened = firstValueFrom(ws.open$);
    const errors: unknown[] = [];
    ws.error$.subscribe((error) => errors.push(error));
    const connection = await server.nextConnection();
    await opened;

    connection.terminate();
    const event = await closed;
    expect([event.code, event.reason, event.wasClean]).toEqual([1006, '', false]);
    const ended = await face.ended;
    expect(ended.kind).toBe('error');
    const error = (ended as { error: unknown }).error;
    expect(error).toBeInstanceOf(CloseError);
    expect(isWebSocketError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1006, reason: '', wasClean: false });
    expect((error as CloseError).event).toBe(event);
    expect(errors).toEqual([]);
    expect(ws.state).toBe('closed');
  });

  it('send() after the server started closing throws ERR_WS_INVALID_STATE instead of dropping', async () => {
    const { Ctor, instances } = recordingCtor();
    const ws = WebSocket(server.url, { WebSocketCtor: Ctor });
    const closed = firstValueFrom(ws.close$);
    const opened = firstValueFrom(ws.open$);
    const connection = await server.nextConnection();
    await opened;
    const native = instances[0]!;
    const attempt = new Promise<{ readyState: number; error: unknown }>((resolve) => {
      native.afterClose = () => {
        native.afterClose = undefined;
        try {
          ws.send('too late');
          resolve({ readyState: native.readyState, error: undefined });
        } catch (error) {
          resolve({ readyState: native.readyState, error });
        }
      };
    });

    connection.close(4002, 'going away');
    const { readyState, error } = await attempt;
    expect(readyState).toBe(WsWebSocket.CLOSING);
    expect(error).toBeInstanceOf(WebSocketError);
    expect((error as WebSocketError).code).toBe('ERR_WS_INVALID_STATE');
    // It names the state (the server got nothing: checked below).
    expect((error as WebSocketError).message).toMatch(/\bclosing\b/);

    const event = await closed;
    expect([event.code, event.reason]).toEqual([4002, 'going away']);
    expect(await server.closeOf(0)).toEqual({ code: 4002, reason: 'going away' });
    expect(server.connections[0]!.received).toEqual([]);
    expect(thrownBy(() => ws.send('after close'))).toMatchObject({
      code: 'ERR_WS_INVALID_STATE',
      message: stringMatching(/\bclosed\b/),
    });
  });
});

describe('teardown after the final close', () => {
  it('leaves no listener on the ws client, no socket handle and no timer', async () => {
    // Only what is made from here on is watched: an earlier test's sockets, still finishing
    // their close, do not blur the counts.
    const sockets = watchSockets();
    onTestFinished(() => sockets.stop());
    const timers = watchTimers();
    onTestFinished(() => timers.stop());
    // Every timer of the package goes through options.scheduler: a tracking one shows it made none.
    const scheduler = trackingScheduler();
    const { Ctor, instances } = recordingCtor();
    const ws = WebSocket(server.url, { WebSocketCtor: Ctor, scheduler });
    const native = instances[0]!;
    expect(listenerCounts(native)).toEqual({ open: 1, message: 1, error: 1, close: 1 });
    ws.bind('open', () => ws.send('ping'));
    ws.bind('message', () => ws.close(1000, 'finished'));
    const closed = lastValueFrom(ws.close$);
    await firstValueFrom(ws.open$);
    // The client's and the server's end of the connection.
    expect(sockets.made()).toBe(2);
    expect(sockets.open()).toBe(2);

    await closed;
    expect(await server.closeOf(0)).toEqual({ code: 1000, reason: 'finished' });
    expect(listenerCounts(native)).toEqual({ open: 0, message: 0, error: 0, close: 0 });
    expect(native.readyState).toBe(WsWebSocket.CLOSED);
    // Both ends close: a leaked socket would keep this from resolving (and the test would time out).
    await sockets.allClosed();
    expect(sockets.open()).toBe(0);
    expect(sockets.made()).toBe(2);
    // ws's closing timer was cleared, and the package made none.
    expect(timers.pending()).toEqual([]);
    expect(scheduler.scheduled).toBe(0);
  });
});
