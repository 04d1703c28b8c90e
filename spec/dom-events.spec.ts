/**
 * The DOM face of `RxWebSocket` (src/dom-events.ts): `addEventListener`, `removeEventListener`,
 * `dispatchEvent` and the `on*` handlers, on the package's FakeWebSocket (synchronous, so no
 * test waits). The same rules are checked against real EventTarget sockets (Chromium's, and
 * undici's in Node) by spec/integration/dom-differential.spec.ts and
 * spec/browser/dom-interface.spec.ts.
 */
import { config, VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json } from '../src/codec.js';
import { DecodeError, WebSocketError } from '../src/errors.js';
import { connectTimeout, heartbeat, reconnect } from '../src/resilience.js';
import { FakeWebSocket } from '../src/testing/index.js';
import type { WsCloseEvent, WsEvent, WsMessageEvent } from '../src/types.js';
import { RxWebSocket, WebSocket } from '../src/websocket.js';
import { expectWsError } from './shared/ws-error.js';
import { textOf } from './helpers/text.js';

let reported: unknown[] = [];

beforeEach(() => {
  FakeWebSocket.reset();
  reported = [];
  config.onUnhandledError = (error) => reported.push(error);
});

afterEach(() => {
  config.onUnhandledError = null;
});

function open(): { ws: RxWebSocket; fake: FakeWebSocket } {
  const ws = new RxWebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
  return { ws, fake: FakeWebSocket.last };
}

describe('addEventListener', () => {
  it('delivers the native events as they are, with the socket as `this`', () => {
    const { ws, fake } = open();
    const seen: [string, unknown, boolean][] = [];
    for (const type of ['open', 'message', 'close'] as const) {
      ws.addEventListener(type, function (this: unknown, event: WsEvent) {
        seen.push([event.type, (event as { target?: unknown }).target, this === ws]);
      });
    }
    fake.open();
    fake.receive('hi');
    fake.serverClose(1000, 'bye');
    // The event is the native one: its target is the native socket of that connection.
    expect(seen).toEqual([
      ['open', fake, true],
      ['message', fake, true],
      ['close', fake, true],
    ]);
  });

  it('runs bind, addEventListener and on* handlers in one order: the order they were registered in', () => {
    const { ws, fake } = open();
    const order: string[] = [];
    ws.bind('message', () => order.push('bind 1'));
    ws.addEventListener('message', () => order.push('listener 1'));
    ws.onmessage = () => order.push('onmessage');
    ws.bind('message', () => order.push('bind 2'));
    ws.addEventListener('message', { handleEvent: () => order.push('listener 2') });
    fake.open();
    fake.receive('a');
    expect(order).toEqual(['bind 1', 'listener 1', 'onmessage', 'bind 2', 'listener 2']);
  });

  it('adds the same (type, listener, capture) once, where bind runs a handler bound twice twice', () => {
    const { ws, fake } = open();
    const calls: string[] = [];
    const listener = (): number => calls.push('listener');
    const handler = (): number => calls.push('bound');
    ws.addEventListener('message', listener);
    ws.addEventListener('message', listener);
    ws.addEventListener('message', listener, { once: false });
    ws.addEventListener('message', listener, true); // another capture: another listener
    ws.bind('message', handler).bind('message', handler);
    fake.open();
    fake.receive('a');
    expect(calls).toEqual(['listener', 'listener', 'bound', 'bound']);
    ws.removeEventListener('message', listener);
    ws.removeEventListener('message', listener, { capture: true });
    fake.receive('b');
    expect(calls.slice(4)).toEqual(['bound', 'bound']);
  });

  it("calls an object's handleEvent with the object as `this`, looked up at each event", () => {
    const { ws, fake } = open();
    const seen: string[] = [];
    const listener = {
      name: 'first',
      handleEvent(this: { name: string }, event: WsMessageEvent) {
        seen.push(`${this.name}:${textOf(event.data)}`);
      },
    };
    ws.addEventListener('message', listener);
    fake.open();
    fake.receive('a');
    listener.handleEvent = function (this: { name: string }) {
      seen.push('replaced');
    };
    fake.receive('b');
    expect(seen).toEqual(['first:a', 'replaced']);
  });

  it('reports an object without handleEvent, and a listener that throws, and stops nothing', () => {
    const { ws, fake } = open();
    const after: unknown[] = [];
    const boom = new Error('boom');
    ws.addEventListener('message', {} as never);
    ws.addEventListener('message', () => {
      throw boom;
    });
    ws.addEventListener('message', (e) => after.push(e.data));
    fake.open();
    fake.receive('a');
    expect(after).toEqual(['a']);
    expect(reported).toHaveLength(2);
    expect(reported[0]).toBeInstanceOf(TypeError);
    expect(reported[1]).toBe(boom);
    expect(ws.state).toBe('open');
  });

  it('runs a `once` listener once, and removes it before it runs', () => {
    const { ws, fake } = open();
    const seen: unknown[] = [];
    const listener = (e: WsMessageEvent): void => {
      seen.push(e.data);
      fake.receive('inner'); // dispatched after this event (the fake queues it as the DOM would)
    };
    ws.addEventListener('message', listener, { once: true });
    fake.open();
    fake.receive('a');
    fake.receive('b');
    expect(seen).toEqual(['a']);
    // Once removed, the same listener can be added again.
    ws.addEventListener('message', listener, { once: true });
    fake.receive('c');
    expect(seen).toEqual(['a', 'c']);
  });

  it('removes the listener when its signal aborts, and adds none for an aborted signal', () => {
    const { ws, fake } = open();
    const seen: string[] = [];
    const controller = new AbortController();
    ws.addEventListener('message', () => seen.push('signalled'), { signal: controller.signal });
    ws.addEventListener('message', () => seen.push('aborted before'), { signal: AbortSignal.abort() });
    fake.open();
    fake.receive('a');
    controller.abort();
    fake.receive('b');
    expect(seen).toEqual(['signalled']);
  });

  it('lets go of every signal once the listener is gone or the socket is closed for good', async () => {
    const { getEventListeners } = (await import('node:events')) as unknown as {
      getEventListeners: (target: EventTarget, type: string) => unknown[];
    };
    const { ws, fake } = open();
    const removed = new AbortController();
    const kept = new AbortController();
    const listener = (): void => undefined;
    ws.addEventListener('message', listener, { signal: removed.signal });
    ws.addEventListener('close', () => undefined, { signal: kept.signal });
    expect([getEventListeners(removed.signal, 'abort').length, getEventListeners(kept.signal, 'abort').length]).toEqual(
      [1, 1],
    );
    ws.removeEventListener('message', listener);
    expect(getEventListeners(removed.signal, 'abort')).toHaveLength(0);
    fake.open();
    ws.close();
    expect(ws.state).toBe('closed');
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);
  });

  it('skips a listener removed during an event, and does not call one added during it', () => {
    const { ws, fake } = open();
    const seen: string[] = [];
    const second = (): number => seen.push('second');
    const late = (): number => seen.push('late');
    ws.addEventListener('message', () => {
      seen.push('first');
      ws.removeEventListener('message', second);
      ws.addEventListener('message', late);
    });
    ws.addEventListener('message', second);
    fake.open();
    fake.receive('a');
    expect(seen).toEqual(['first']);
    fake.receive('b');
    expect(seen).toEqual(['first', 'first', 'late']);
  });

  it('fires again for every connection under reconnect(), until the final close', () => {
    const scheduler = new VirtualTimeScheduler();
    const ws = new RxWebSocket('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      scheduler,
      reconnect: reconnect({ initialDelay: 10, jitter: 0 }),
    });
    const seen: string[] = [];
    ws.onopen = () => seen.push('open');
    ws.addEventListener('close', (e) => seen.push(`close ${e.code}`));
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    scheduler.flush();
    FakeWebSocket.last.open();
    ws.close();
    expect(seen).toEqual(['open', 'close 1006', 'open', 'close 1000']);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('refuses a listener that is neither a function nor an object, and a signal that is not one', () => {
    const { ws } = open();
    expect(expectWsError(() => ws.addEventListener('open', 42 as never), 'ERR_WS_INVALID_ARGUMENT').message).toMatch(
      /a listener is a function or an object, not 42/,
    );
    expect(
      expectWsError(
        () => ws.addEventListener('open', () => undefined, { signal: {} as AbortSignal }),
        'ERR_WS_INVALID_ARGUMENT',
      ).message,
    ).toMatch(/options\.signal must be an AbortSignal/);
    // As in the DOM, a null listener is ignored.
    expect(() => ws.addEventListener('open', null)).not.toThrow();
    expect(() => ws.removeEventListener('open', null)).not.toThrow();
  });
});

describe('on* handlers', () => {
  it('return what was set, and null for nothing or for what is not a function', () => {
    const { ws } = open();
    const fn = (): void => undefined;
    expect([ws.onopen, ws.onmessage, ws.onerror, ws.onclose]).toEqual([null, null, null, null]);
    ws.onmessage = fn;
    expect(ws.onmessage).toBe(fn);
    ws.onmessage = 'not a function' as never;
    expect(ws.onmessage).toBeNull();
    ws.onclose = fn;
    ws.onclose = null;
    expect(ws.onclose).toBeNull();
  });

  it('keep their place when replaced, and go to the end when set again after null (the HTML rule)', () => {
    const { ws, fake } = open();
    const order: string[] = [];
    ws.addEventListener('message', () => order.push('a'));
    ws.onmessage = () => order.push('handler 1');
    ws.addEventListener('message', () => order.push('b'));
    ws.onmessage = () => order.push('handler 2');
    fake.open();
    fake.receive('x');
    expect(order).toEqual(['a', 'handler 2', 'b']);
    ws.onmessage = null;
    ws.onmessage = () => order.push('handler 3');
    order.length = 0;
    fake.receive('y');
    expect(order).toEqual(['a', 'b', 'handler 3']);
  });

  it('are apart from addEventListener: the same function added both ways runs twice', () => {
    const { ws, fake } = open();
    let calls = 0;
    const fn = (): void => {
      calls += 1;
    };
    ws.onopen = fn;
    ws.addEventListener('open', fn);
    ws.removeEventListener('open', fn); // removes the listener, not the handler
    fake.open();
    expect(calls).toBe(1);
    expect(ws.onopen).toBe(fn);
  });

  it('are called with the socket as `this`', () => {
    const { ws, fake } = open();
    const selves: unknown[] = [];
    ws.onopen = function () {
      selves.push(this);
    };
    fake.open();
    expect(selves).toHaveLength(1);
    expect(selves[0]).toBe(ws);
  });
});

describe('what the DOM face receives', () => {
  it('never a WebSocketError: a DecodeError stays on error$ and bind("error")', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, ...json() });
    const dom: unknown[] = [];
    const bound: unknown[] = [];
    ws.onerror = (e) => dom.push(e);
    ws.addEventListener('error', (e) => dom.push(e));
    ws.bind('error', (e) => bound.push(e));
    ws.subscribe({ error: () => undefined });
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('not json');
    expect(dom).toEqual([]);
    expect(bound).toEqual([expect.any(DecodeError)]);
    FakeWebSocket.last.fail();
    expect(dom.map((e) => (e as WsEvent).type)).toEqual(['error', 'error']);
  });

  it('the close a connect timeout or a heartbeat makes, without its ERR_WS_TIMEOUT error', () => {
    const scheduler = new VirtualTimeScheduler();
    const closes: number[] = [];
    const errors: unknown[] = [];
    const bound: unknown[] = [];
    const timed = WebSocket('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      scheduler,
      connectTimeout: connectTimeout(100),
    });
    const beating = WebSocket('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      scheduler,
      heartbeat: heartbeat({ interval: 10, timeout: 40 }),
    });
    FakeWebSocket.instances[1]!.open();
    for (const ws of [timed, beating]) {
      ws.onclose = (e) => closes.push(e.code);
      ws.onerror = (e) => errors.push(e);
      ws.bind('error', (e) => bound.push(e));
    }
    scheduler.flush();
    expect(closes.sort()).toEqual([4900, 4901]);
    expect(errors).toEqual([]);
    expect(bound).toEqual([expect.any(WebSocketError), expect.any(WebSocketError)]);
  });

  it('no error event for a close() while connecting, as on error$', () => {
    const { ws } = open();
    const seen: string[] = [];
    ws.onerror = () => seen.push('error');
    ws.onclose = (e) => seen.push(`close ${e.code}`);
    ws.close();
    expect(seen).toEqual(['close 1006']);
  });
});

describe('dispatchEvent', () => {
  it('reaches the listeners of any type, in order, and returns !defaultPrevented', () => {
    const { ws } = open();
    const seen: string[] = [];
    ws.addEventListener('ping', (e) => seen.push(`listener ${e.type}`));
    ws.addEventListener('ping', {
      handleEvent: (e: WsEvent) => {
        seen.push('object');
        (e as Event).preventDefault();
      },
    });
    expect(ws.dispatchEvent(new Event('ping', { cancelable: true }))).toBe(false);
    expect(ws.dispatchEvent(new Event('ping'))).toBe(true);
    expect(ws.dispatchEvent({ type: 'pong' })).toBe(true);
    expect(seen).toEqual(['listener ping', 'object', 'listener ping', 'object']);
  });

  it('leaves the socket alone: no close$, state$, bind handler, subject face or queue', () => {
    const { ws, fake } = open();
    const dom: unknown[] = [];
    const rx: unknown[] = [];
    ws.onclose = (e) => dom.push(e.code);
    ws.addEventListener('message', (e) => dom.push(e.data));
    ws.bind('close', (e) => rx.push(e));
    ws.bind('message', (e) => rx.push(e));
    ws.close$.subscribe((e) => rx.push(e));
    ws.state$.subscribe((s) => rx.push(s));
    ws.subscribe({ next: (v) => rx.push(v), complete: () => rx.push('complete') });
    ws.send('queued');
    ws.dispatchEvent({ type: 'close', code: 1000, reason: '', wasClean: true } as WsCloseEvent);
    ws.dispatchEvent({ type: 'message', data: 'forged' } as WsMessageEvent);
    expect(dom).toEqual([1000, 'forged']);
    expect(rx).toEqual(['connecting']);
    expect([ws.state, ws.queued]).toEqual(['connecting', 1]);
    fake.open();
    expect(fake.sent).toEqual(['queued']);
  });

  it('still reaches the listeners after the final close, as a native socket does', () => {
    const { ws, fake } = open();
    const seen: string[] = [];
    ws.addEventListener('message', (e) => seen.push(textOf(e.data)));
    fake.open();
    ws.close();
    ws.dispatchEvent({ type: 'message', data: 'after' } as WsMessageEvent);
    ws.addEventListener('late', () => seen.push('late'));
    ws.dispatchEvent({ type: 'late' });
    expect(seen).toEqual(['after', 'late']);
  });

  it('refuses what is not an event', () => {
    const { ws } = open();
    expect(expectWsError(() => ws.dispatchEvent({} as WsEvent), 'ERR_WS_INVALID_ARGUMENT').message).toMatch(
      /dispatchEvent takes an event with a string type, not a plain object/,
    );
    expect(expectWsError(() => ws.dispatchEvent(null as never), 'ERR_WS_INVALID_ARGUMENT').message).toMatch(/not null/);
  });
});

describe('RxWebSocket as a drop-in class', () => {
  it('new RxWebSocket(url, protocols) takes no options and uses the global WebSocket', () => {
    const global = globalThis as { WebSocket?: unknown };
    const before = global.WebSocket;
    global.WebSocket = FakeWebSocket;
    try {
      const ws = new RxWebSocket('ws://test/', ['graphql-transport-ws']);
      expect(FakeWebSocket.last.protocols).toEqual(['graphql-transport-ws']);
      FakeWebSocket.last.open('graphql-transport-ws');
      expect([ws.protocol, ws.readyState, RxWebSocket.OPEN]).toEqual(['graphql-transport-ws', 1, 1]);
      ws.close();
    } finally {
      global.WebSocket = before;
    }
  });

  it('RxWebSocket.with(options) makes a class whose sockets use those options', () => {
    const scheduler = new VirtualTimeScheduler();
    const Socket = RxWebSocket.with({
      WebSocketCtor: FakeWebSocket,
      scheduler,
      reconnect: reconnect({ initialDelay: 5, jitter: 0 }),
    });
    expect([Socket.CONNECTING, Socket.OPEN, Socket.CLOSING, Socket.CLOSED]).toEqual([0, 1, 2, 3]);
    const ws = new Socket('ws://test/', 'chat');
    expect(ws).toBeInstanceOf(RxWebSocket);
    FakeWebSocket.last.open('chat');
    FakeWebSocket.last.fail();
    scheduler.flush();
    expect(FakeWebSocket.instances).toHaveLength(2);
    ws.close();
  });

  it('RxWebSocket.with() checks its options at once and leaves the protocols to the constructor', () => {
    expect(expectWsError(() => RxWebSocket.with({ maxQueue: -1 }), 'ERR_WS_INVALID_ARGUMENT').message).toMatch(
      /maxQueue/,
    );
    expect(
      expectWsError(() => RxWebSocket.with({ protocols: 'chat' } as never), 'ERR_WS_INVALID_ARGUMENT').message,
    ).toMatch(/takes no protocols/);
  });
});
