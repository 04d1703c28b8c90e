import type { ReadOptions } from './inlet.js';
import { reading } from './messages.js';
import type { RxWebSocket } from './websocket.js';

/**
 * The socket's values as a WHATWG `ReadableStream`, pulled: the stream asks for a value only
 * when its reader does, and the socket is paused and resumed as with `messages()` (same
 * options, same overflow rule where the socket cannot pause). The stream closes on a clean
 * final close once every value was read, and errors with the `CloseError` of an unclean one (or
 * the `OverflowError`). Cancelling it lets the socket read again and leaves it open.
 *
 * In Node, `Readable.fromWeb(stream, { objectMode: true })` and `Readable.from(stream)` turn it
 * into a Node stream, which reads ahead up to its own `highWaterMark` (16 in object mode).
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { readable } from 'brython-websocket/streams';
 * const ws = WebSocket('wss://example.test/feed');
 * await readable(ws, { highWaterMark: 256 }).pipeTo(new WritableStream({ write: (value) => save(value) }));
 */
export function readable<In>(socket: RxWebSocket<In, never>, options?: ReadOptions): ReadableStream<In> {
  const reader = reading(socket, options, 'readable()');
  return new ReadableStream<In>(
    {
      async pull(controller) {
        let result: IteratorResult<In, undefined>;
        try {
          result = await reader.next();
        } catch (error) {
          controller.error(error);
          return;
        }
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      async cancel() {
        await reader.return();
      },
    },
    // No queue of the stream's own: the values wait in the reader's bounded buffer.
    { highWaterMark: 0 },
  );
}
