import { describe, expectTypeOf, it } from 'vitest';
import {
  RxWebSocket,
  type DomListener,
  type RxWebSocketClass,
  type WsCloseEvent,
  type WsEvent,
  type WsMessageEvent,
} from '../src/index.js';
import { FakeWebSocket } from '../src/testing/index.js';

const ws = new RxWebSocket<string, string>('ws://localhost:8080');

describe('the DOM face, typed', () => {
  it('types each native event, and `this` as the socket (a socket of any In and Out, so that the DOM face leaves RxWebSocket as variant as before)', () => {
    ws.addEventListener('message', function (event) {
      expectTypeOf(event).toEqualTypeOf<WsMessageEvent>();
      expectTypeOf(this).toEqualTypeOf<RxWebSocket<unknown, never>>();
      this.send('from a listener');
    });
    ws.addEventListener('close', (event) => expectTypeOf(event).toEqualTypeOf<WsCloseEvent>());
    // The DOM face never gets the package's errors: an error listener gets a native event.
    ws.addEventListener('error', (event) => expectTypeOf(event).toEqualTypeOf<WsEvent>());
    ws.addEventListener(
      'custom',
      { handleEvent: (event: WsEvent) => event.type },
      { once: true, signal: new AbortController().signal },
    );
    // @ts-expect-error a listener is a function or an object with handleEvent
    ws.addEventListener('open', 42);
    // @ts-expect-error the options are a boolean or an object of the DOM's options
    ws.addEventListener('open', () => undefined, 'capture');
  });

  it('keeps RxWebSocket covariant in In and contravariant in Out, as functions that take any socket expect', () => {
    expectTypeOf(ws).toExtend<RxWebSocket<string, never>>();
    expectTypeOf(ws).toExtend<RxWebSocket<unknown, never>>();
    expectTypeOf(ws).not.toExtend<RxWebSocket<number, string>>();
  });

  it('types the on* handlers, null included', () => {
    ws.onmessage = (event) => expectTypeOf(event.data).toEqualTypeOf<string | ArrayBuffer | ArrayBufferView | Blob>();
    ws.onclose = null;
    expectTypeOf(ws.onopen).toEqualTypeOf<((this: RxWebSocket<unknown, never>, event: WsEvent) => unknown) | null>();
    // @ts-expect-error onclose gets a close event, not a message event
    ws.onclose = (event: WsMessageEvent) => event.data;
    expectTypeOf(ws).toHaveProperty('dispatchEvent').returns.toEqualTypeOf<boolean>();
    expectTypeOf<DomListener>().toExtend<object>();
  });

  it('RxWebSocket.with() makes a class that takes (url, protocols) and keeps In and Out', () => {
    const Socket = RxWebSocket.with<number, string>({
      WebSocketCtor: FakeWebSocket,
      deserializer: (event) => Number(event.data),
    });
    expectTypeOf(Socket).toEqualTypeOf<RxWebSocketClass<number, string>>();
    expectTypeOf(new Socket('ws://localhost:8080', ['v1'])).toEqualTypeOf<RxWebSocket<number, string>>();
    expectTypeOf(Socket.OPEN).toEqualTypeOf<1>();
    // @ts-expect-error the protocols are the constructor's, as a library passes them
    RxWebSocket.with({ protocols: 'v1' });
    // @ts-expect-error a class made by with() takes no options
    new Socket('ws://localhost:8080', 'v1', { maxQueue: 1 });
  });

  it('fits where a library takes a WebSocket class', () => {
    const takesClass = (
      impl: new (
        url: string,
        protocols?: string | string[],
      ) => {
        send(data: string): void;
        close(code?: number, reason?: string): void;
        readyState: number;
        onopen: unknown;
      },
    ): unknown => impl;
    takesClass(RxWebSocket);
    takesClass(RxWebSocket.with({ maxQueue: 10 }));
  });
});
