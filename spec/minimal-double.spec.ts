/**
 * Both faces, `WebSocket()` and `webSocket()`, on a native that has only `on*` properties and
 * fires events without a `type` (./helpers/minimal-socket.ts), through open, message, send,
 * error, and clean and unclean close; and the two habits of `rxjs/webSocket` users' doubles:
 * the URL handed over as given, and an `open` after a close while connecting.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CloseError } from '../src/errors.js';
import { webSocket } from '../src/rxjs-compat.js';
import type { WsCloseEvent, WsEvent, WsMessageEvent } from '../src/types.js';
import { WebSocket } from '../src/websocket.js';
import { MinimalSocket, MinimalSocketCtor } from './helpers/minimal-socket.js';
import { textOf } from './helpers/text.js';

beforeEach(() => {
  MinimalSocket.instances = [];
});

describe('WebSocket() on an on*-only double', () => {
  it('opens, receives, sends and closes cleanly when asked, then lets go of the double', () => {
    const ws = WebSocket('ws://test', { WebSocketCtor: MinimalSocketCtor });
    const seen: string[] = [];
    const values: unknown[] = [];
    ws.bind('open', (e) => seen.push(`open ${e.type}`));
    ws.bind('message', (e) => seen.push(`message ${textOf(e.data)}`));
    ws.bind('close', (e) => seen.push(`close ${e.type} ${e.code} ${e.wasClean}`));
    ws.onmessage = (e) => seen.push(`onmessage ${textOf(e.data)}`);
    ws.subscribe({ next: (v) => values.push(v), complete: () => values.push('complete') });
    expect(ws.send('queued')).toBe(false);
    const double = MinimalSocket.last;
    expect(double.url).toBe('ws://test');
    double.open();
    expect(double.sent).toEqual(['queued']);
    double.message('hello');
    expect(ws.send('reply')).toBe(true);
    ws.close(4000, 'bye');
    expect(double.closeCalls).toEqual([[4000, 'bye']]);
    double.closed(4000, 'bye', true);
    expect(seen).toEqual(['open open', 'message hello', 'onmessage hello', 'close close 4000 true']);
    expect(values).toEqual(['hello', 'complete']);
    expect(double.sent).toEqual(['queued', 'reply']);
    expect(ws.state).toBe('closed');
    expect(double.released).toBe(true);
  });

  it('reports an error event and errors the subject face on an unclean close', () => {
    const ws = WebSocket('ws://test', { WebSocketCtor: MinimalSocketCtor });
    const errors: WsEvent[] = [];
    const closes: WsCloseEvent[] = [];
    let failure: unknown;
    ws.error$.subscribe((e) => errors.push(e as WsEvent));
    ws.close$.subscribe((e) => closes.push(e));
    ws.subscribe({ error: (e: unknown) => (failure = e) });
    MinimalSocket.last.open();
    MinimalSocket.last.error();
    MinimalSocket.last.closed(1006, '', false);
    expect(errors.map((e) => e.type)).toEqual(['error']);
    expect(closes.map((e) => [e.type, e.code, e.wasClean])).toEqual([['close', 1006, false]]);
    expect(failure).toBeInstanceOf(CloseError);
    expect((failure as CloseError).closeCode).toBe(1006);
  });

  it('completes the subject face on a clean close from the server', () => {
    const ws = WebSocket('ws://test', { WebSocketCtor: MinimalSocketCtor });
    const ends: string[] = [];
    ws.subscribe({ complete: () => ends.push('complete'), error: () => ends.push('error') });
    MinimalSocket.last.open();
    MinimalSocket.last.closed(1000, '', true);
    expect(ends).toEqual(['complete']);
  });

  it('closes the double again when it fires open after a close() while connecting', () => {
    const ws = WebSocket('ws://test', { WebSocketCtor: MinimalSocketCtor });
    const opens: unknown[] = [];
    ws.bind('open', (e) => opens.push(e));
    ws.close(4001, 'changed my mind');
    MinimalSocket.last.open(); // a real socket never does this; a double may
    expect(MinimalSocket.last.closeCalls).toEqual([
      [4001, 'changed my mind'],
      [4001, 'changed my mind'],
    ]);
    expect(opens).toEqual([]);
    expect(ws.state).toBe('closing');
    MinimalSocket.last.closed(4001, 'changed my mind', true);
    expect(ws.state).toBe('closed');
  });
});

describe('webSocket() on an on*-only double', () => {
  it('hands the URL to the constructor exactly as given', () => {
    webSocket({ url: 'ws://host', WebSocketCtor: MinimalSocketCtor, protocol: 'v1' }).subscribe({
      error: () => undefined,
    });
    webSocket({ url: 'wss://Example.test:443/a?b=1', WebSocketCtor: MinimalSocketCtor }).subscribe({
      error: () => undefined,
    });
    expect(MinimalSocket.instances.map((s) => [s.url, s.protocols])).toEqual([
      ['ws://host', 'v1'],
      ['wss://Example.test:443/a?b=1', undefined],
    ]);
  });

  it('runs open, messages, next() and a clean close', () => {
    const subject = webSocket<{ n: number }>({
      url: 'ws://host',
      WebSocketCtor: MinimalSocketCtor,
      openObserver: { next: (e) => seen.push(`openObserver ${e.type}`) },
      closeObserver: { next: (e) => seen.push(`closeObserver ${e.code}`) },
    });
    const seen: string[] = [];
    subject.subscribe({ next: (m) => seen.push(`n=${m.n}`), complete: () => seen.push('complete') });
    subject.next({ n: 1 });
    const double = MinimalSocket.last;
    double.open();
    double.message('{"n":2}');
    subject.next({ n: 3 });
    double.closed(1000, '', true);
    expect(double.sent).toEqual(['{"n":1}', '{"n":3}']);
    expect(seen).toEqual(['openObserver open', 'n=2', 'closeObserver 1000', 'complete']);
    expect(double.released).toBe(true);
  });

  it('errors with CloseError on an error and an unclean close, and the double is let go', () => {
    const subject = webSocket({ url: 'ws://host', WebSocketCtor: MinimalSocketCtor });
    let failure: unknown;
    subject.subscribe({ error: (e: unknown) => (failure = e) });
    const double = MinimalSocket.last;
    double.open();
    double.error();
    double.closed(1006, '', false);
    expect(failure).toBeInstanceOf(CloseError);
    expect((failure as CloseError).closeCode).toBe(1006);
    expect(double.released).toBe(true);
  });

  it('closes with 1000 when the last subscriber leaves, and again when the double opens after that', () => {
    const subject = webSocket({ url: 'ws://host', WebSocketCtor: MinimalSocketCtor });
    subject.subscribe().unsubscribe(); // closes while connecting
    const double = MinimalSocket.last;
    expect(double.closeCalls).toEqual([[1000, '']]);
    double.open();
    expect(double.closeCalls).toEqual([
      [1000, ''],
      [1000, ''],
    ]);
  });

  it('hands the message events to a custom deserializer as they came, without a type', () => {
    const got: WsMessageEvent[] = [];
    webSocket({ url: 'ws://host', WebSocketCtor: MinimalSocketCtor, deserializer: (e) => got.push(e) }).subscribe();
    MinimalSocket.last.open();
    MinimalSocket.last.message('x');
    expect(got).toEqual([{ data: 'x' }]);
  });
});
