import type { Observable, Observer } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import {
  CloseError,
  isWebSocketError,
  json,
  RxWebSocket,
  WebSocket,
  type MessageData,
  type SendData,
  type SocketState,
  type WebSocketError,
  type WebSocketErrorCode,
  type WsCloseEvent,
  type WsEvent,
  type WsMessageEvent,
} from '../src/index.js';
import {
  connectTimeout,
  heartbeat,
  reconnect,
  type ConnectTimeoutFeature,
  type HeartbeatFeature,
  type HeartbeatPolicy,
  type ReconnectFeature,
  type ReconnectPolicy,
} from '../src/resilience.js';
import { textOf } from './helpers/text.js';

const url = 'ws://localhost:8080';

describe('WebSocket()', () => {
  it('returns RxWebSocket<MessageData, SendData> by default, with or without new', () => {
    expectTypeOf(WebSocket(url)).toEqualTypeOf<RxWebSocket>();
    expectTypeOf(new WebSocket(url)).toEqualTypeOf<RxWebSocket>();
    expectTypeOf(WebSocket(new URL(url), 'chat')).toEqualTypeOf<RxWebSocket>();
    expectTypeOf(WebSocket(url, ['a', 'b'], { maxQueue: 1 })).toEqualTypeOf<RxWebSocket>();
    expectTypeOf(new RxWebSocket(url)).toEqualTypeOf<RxWebSocket>();
  });

  it('types the subject face from the type arguments and json()', () => {
    const ws = WebSocket<{ a: number }>(url, { ...json() });
    expectTypeOf(ws).toEqualTypeOf<RxWebSocket<{ a: number }>>();
    ws.subscribe((value) => {
      expectTypeOf(value).toEqualTypeOf<{ a: number }>();
    });
    const typed = WebSocket<{ price: number }, { op: 'sub' }>(url, { ...json() });
    expectTypeOf(typed).toHaveProperty('next').parameter(0).toEqualTypeOf<{ op: 'sub' }>();
  });

  it('refuses misuse', () => {
    // @ts-expect-error the host is a string or a URL
    WebSocket(42);
    // @ts-expect-error a misspelt option is an error
    WebSocket(url, { reconect: true });
    // @ts-expect-error maxQueue is a number
    WebSocket(url, { maxQueue: '1' });
    // @ts-expect-error protocols are strings
    WebSocket(url, [1, 2]);
  });
});

describe('RxWebSocket', () => {
  const ws = WebSocket(url);

  it('is an Observable<In> and an Observer<Out>', () => {
    expectTypeOf(ws).toExtend<Observable<MessageData>>();
    expectTypeOf(ws).toExtend<Observer<SendData>>();
    const typed = WebSocket<{ a: number }, { b: string }>(url, { ...json() });
    expectTypeOf(typed).toExtend<Observable<{ a: number }>>();
    expectTypeOf(typed).toExtend<Observer<{ b: string }>>();
    expectTypeOf(typed).not.toExtend<Observer<number>>();
  });

  it('has typed event streams and state$', () => {
    expectTypeOf(ws.state$).toEqualTypeOf<Observable<SocketState>>();
    expectTypeOf(ws.state).toEqualTypeOf<SocketState>();
    expectTypeOf(ws.message$).toEqualTypeOf<Observable<WsMessageEvent>>();
    expectTypeOf(ws.close$).toEqualTypeOf<Observable<WsCloseEvent>>();
    expectTypeOf(ws.open$).toEqualTypeOf<Observable<WsEvent>>();
    expectTypeOf(ws.error$).toEqualTypeOf<Observable<WsEvent | WebSocketError>>();
    expectTypeOf<SocketState>().toEqualTypeOf<'connecting' | 'open' | 'closing' | 'reconnecting' | 'closed'>();
  });

  it('bind gives each handler its event type and returns the socket', () => {
    const chained = ws.bind('message', (e) => {
      expectTypeOf(e).toEqualTypeOf<WsMessageEvent>();
      expectTypeOf(e.data).toEqualTypeOf<MessageData>();
    });
    expectTypeOf(chained).toEqualTypeOf<typeof ws>();
    ws.bind('close', (e) => {
      expectTypeOf(e).toEqualTypeOf<WsCloseEvent>();
      return e.code;
    });
    ws.bind('open', (e) => {
      expectTypeOf(e).toEqualTypeOf<WsEvent>();
    });
    ws.bind('error', (e) => {
      expectTypeOf(e).toEqualTypeOf<WsEvent | WebSocketError>();
    });
  });

  it('bind(evt) without a function returns a decorator that returns the same function type', () => {
    const decorate = ws.bind('message');
    const handler = (e: WsMessageEvent): number => textOf(e.data).length;
    expectTypeOf(decorate(handler)).toEqualTypeOf<(e: WsMessageEvent) => number>();
    // @ts-expect-error a close handler cannot be bound to message
    decorate((e: WsCloseEvent) => e.code);
  });

  it('events() and bindings() are typed per event', () => {
    expectTypeOf(ws.events('close')).toEqualTypeOf<((event: WsCloseEvent) => unknown)[]>();
    expectTypeOf(ws.bindings().message).toEqualTypeOf<((event: WsMessageEvent) => unknown)[]>();
  });

  it('send, close and queue are typed', () => {
    expectTypeOf(ws.send('text')).toEqualTypeOf<boolean>();
    expectTypeOf(ws.send(new Uint8Array(1))).toEqualTypeOf<boolean>();
    expectTypeOf(ws.send(new ArrayBuffer(1))).toEqualTypeOf<boolean>();
    expectTypeOf(ws).toHaveProperty('close').toBeCallableWith(4000, 'bye');
    expectTypeOf(ws).toHaveProperty('close').toBeCallableWith();
    expectTypeOf(ws.drainQueue()).toEqualTypeOf<SendData[]>();
    expectTypeOf(ws.queued).toEqualTypeOf<number>();
  });

  it('refuses misuse', () => {
    // @ts-expect-error there is no 'click' event on a socket
    ws.bind('click', () => undefined);
    // @ts-expect-error an object must be serialized first
    ws.send({});
    // @ts-expect-error a number is not sendable
    ws.send(42);
    // @ts-expect-error the close code is a number
    ws.close('1000');
    // @ts-expect-error the reason is a string
    ws.close(1000, 42);
    // @ts-expect-error the handler takes the close event, not a message event
    ws.bind('close', (e: WsMessageEvent) => e.data);
  });
});

describe('isWebSocketError', () => {
  it('narrows unknown to WebSocketError', () => {
    const caught: unknown = new Error('x');
    if (isWebSocketError(caught)) {
      expectTypeOf(caught).toEqualTypeOf<WebSocketError>();
      expectTypeOf(caught.code).toEqualTypeOf<WebSocketErrorCode>();
    }
    expectTypeOf(isWebSocketError).guards.toEqualTypeOf<WebSocketError>();
  });

  it('CloseError narrows code and carries the close fields', () => {
    const error = new CloseError({ type: 'close', code: 1006, reason: '', wasClean: false });
    expectTypeOf(error.code).toEqualTypeOf<'ERR_WS_CLOSED'>();
    expectTypeOf(error.closeCode).toEqualTypeOf<number>();
    expectTypeOf(error.event).toEqualTypeOf<WsCloseEvent>();
  });
});

describe('the resilience options (brython-websocket/resilience)', () => {
  it('take what reconnect(), heartbeat() and connectTimeout() make, or false; no scheduler needed', () => {
    expectTypeOf(WebSocket(url, { reconnect: reconnect() })).toEqualTypeOf<RxWebSocket>();
    WebSocket(url, {
      reconnect: reconnect({ attempts: 5 }),
      heartbeat: heartbeat({ interval: 15_000 }),
      connectTimeout: connectTimeout(5000),
    });
    WebSocket(url, ['chat'], { reconnect: false, heartbeat: false, connectTimeout: false });
    WebSocket<{ a: number }>(url, { ...json(), reconnect: reconnect({ jitter: 0 }) });
  });

  it('the feature functions return their features, with kind, policy and ms typed', () => {
    expectTypeOf(reconnect()).toEqualTypeOf<ReconnectFeature>();
    expectTypeOf(reconnect().kind).toEqualTypeOf<'reconnect'>();
    expectTypeOf(reconnect({ attempts: 1 }).policy).toEqualTypeOf<ReconnectPolicy>();
    expectTypeOf(heartbeat({ interval: 1 })).toEqualTypeOf<HeartbeatFeature>();
    expectTypeOf(heartbeat({ interval: 1 }).policy).toEqualTypeOf<HeartbeatPolicy>();
    expectTypeOf(connectTimeout(1)).toEqualTypeOf<ConnectTimeoutFeature>();
    expectTypeOf(connectTimeout(1).ms).toEqualTypeOf<number>();
  });

  it('refuse the old plain values and a feature of another kind', () => {
    // @ts-expect-error reconnect takes reconnect(), not true
    WebSocket(url, { reconnect: true });
    // @ts-expect-error reconnect takes reconnect({ attempts: 5 }), not the options themselves
    WebSocket(url, { reconnect: { attempts: 5 } });
    // @ts-expect-error heartbeat takes heartbeat({ interval }), not the options themselves
    WebSocket(url, { heartbeat: { interval: 15_000 } });
    // @ts-expect-error connectTimeout takes connectTimeout(ms), not a number
    WebSocket(url, { connectTimeout: 5000 });
    // @ts-expect-error true is not a connect timeout
    WebSocket(url, { connectTimeout: true });
    // @ts-expect-error a heartbeat is not a reconnect
    WebSocket(url, { reconnect: heartbeat({ interval: 1 }) });
    // @ts-expect-error a reconnect is not a connect timeout
    WebSocket(url, { connectTimeout: reconnect() });
  });

  it('the feature functions type their options', () => {
    // @ts-expect-error interval is required
    heartbeat({});
    // @ts-expect-error heartbeat() needs its options
    heartbeat();
    // @ts-expect-error a misspelt reconnect option
    reconnect({ attempt: 3 });
    // @ts-expect-error true is not an object of reconnect options
    reconnect(true);
    // @ts-expect-error ms is a number
    connectTimeout('5000');
    // @ts-expect-error the heartbeat message is what send() takes
    heartbeat({ interval: 1, message: 42 });
  });
});
