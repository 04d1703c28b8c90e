import { filter, type Observable, type OperatorFunction } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { WebSocket, type RxWebSocket, type WebSocketErrorCode } from '../src/index.js';
import {
  concatMapPaced,
  messages,
  OverflowError,
  readable,
  writable,
  type MessageIterator,
  type OverflowRule,
  type ReadOptions,
} from '../src/streams.js';

const url = 'ws://localhost:8080';
interface Tick {
  price: number;
}

describe('brython-websocket/streams types', () => {
  it('messages() yields the socket In type, with its buffer figures', () => {
    const ws = WebSocket<Tick, { op: string }>(url);
    const reader = messages(ws);
    expectTypeOf(reader).toEqualTypeOf<MessageIterator<Tick>>();
    expectTypeOf(reader).toExtend<AsyncIterable<Tick>>();
    expectTypeOf(reader.buffered).toEqualTypeOf<number>();
    expectTypeOf(reader.dropped).toEqualTypeOf<number>();
    expectTypeOf(messages(WebSocket(url))).toEqualTypeOf<
      MessageIterator<string | ArrayBuffer | ArrayBufferView | Blob>
    >();
    // @ts-expect-error a plain observable is not a socket
    messages(ws.pipe(filter(() => true))); // eslint-disable-line @typescript-eslint/no-unsafe-class-instance-assignment -- that type error is under test
    // @ts-expect-error overflow takes one of three rules
    messages(ws, { overflow: 'drop' });
    // @ts-expect-error water marks are numbers
    messages(ws, { highWaterMark: '256' });
  });

  it('readable() and writable() carry In and Out', () => {
    const ws: RxWebSocket<Tick, { op: string }> = WebSocket<Tick, { op: string }>(url);
    expectTypeOf(readable(ws)).toEqualTypeOf<ReadableStream<Tick>>();
    expectTypeOf(writable(ws)).toEqualTypeOf<WritableStream<{ op: string }>>();
    // @ts-expect-error the writable takes the socket's Out type
    void writable(ws).getWriter().write('subscribe');
  });

  it('concatMapPaced() is an operator from the values to what project emits', () => {
    const ws = WebSocket<Tick, never>(url);
    const op = concatMapPaced((tick: Tick) => Promise.resolve(tick.price));
    expectTypeOf(op).toEqualTypeOf<OperatorFunction<Tick, number>>();
    expectTypeOf(ws.pipe(op)).toEqualTypeOf<Observable<number>>();
    // @ts-expect-error options.socket must be a socket
    concatMapPaced((tick: Tick) => [tick], { socket: url });
  });

  it('OverflowError has its code and counts; ERR_WS_OVERFLOW is a WebSocketErrorCode', () => {
    const error = new OverflowError(256, 3, 'drop-oldest');
    expectTypeOf(error.code).toEqualTypeOf<'ERR_WS_OVERFLOW'>();
    expectTypeOf(error.buffered).toEqualTypeOf<number>();
    expectTypeOf<'ERR_WS_OVERFLOW'>().toExtend<WebSocketErrorCode>();
    expectTypeOf<ReadOptions['overflow']>().toEqualTypeOf<OverflowRule | undefined>();
  });
});
