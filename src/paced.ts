import { from, Observable, type ObservableInput, type OperatorFunction, type Subscription } from 'rxjs';
import { Inlet, linkOf, NONE, resolveRead, type ReadOptions } from './inlet.js';
import { describe, invalid } from './support.js';
import type { RxWebSocket } from './websocket.js';

/**
 * The options of `concatMapPaced()`: those of `messages()`, and the socket to pause when the
 * operator does not sit right on it.
 */
export interface PacedOptions extends ReadOptions {
  /**
   * The socket whose transport is paused. Needed only when the source is not the socket itself
   * (`ws.pipe(filter(…), concatMapPaced(…, { socket: ws }))`).
   * @default the source, which must then be the socket
   */
  socket?: RxWebSocket<unknown, never>;
}

/**
 * `concatMap` for a socket's values, with backpressure: `project` runs for one value at a time,
 * and the values waiting for it are held in a bounded buffer instead of an unbounded one. Where
 * the native socket can pause (`ws`), it is paused while `highWaterMark` values wait and resumes
 * at `lowWaterMark`; where it cannot, `overflow` applies (an `OverflowError` by default).
 *
 * As with `messages()`: the values that arrived before a clean final close are all processed,
 * then the output completes; after an unclean one, they are processed, then it errors with the
 * `CloseError`. Unsubscribing lets the socket read again and leaves it open.
 *
 * Throws `ERR_WS_INVALID_ARGUMENT` for bad options, and when it is not piped from the socket
 * without `options.socket`.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { concatMapPaced } from 'brython-websocket/streams';
 * import { WebSocket as WsCtor } from 'ws';
 * const ws = WebSocket('ws://localhost:8080/feed', { WebSocketCtor: WsCtor });
 * ws.pipe(concatMapPaced((message) => saveToDatabase(message), { highWaterMark: 256 })).subscribe();
 */
export function concatMapPaced<T, R>(
  project: (value: T, index: number) => ObservableInput<R>,
  options?: PacedOptions,
): OperatorFunction<T, R> {
  if (typeof project !== 'function') {
    throw invalid(
      `concatMapPaced(project) takes a function returning an Observable, a Promise or an array, got ${describe(project)}`,
    );
  }
  const policy = resolveRead(options, 'concatMapPaced()', ['socket']);
  const socket = options?.socket;
  return (source) => {
    const link = linkOf(
      socket ?? source,
      'concatMapPaced()',
      '; pipe it right from the socket, or pass the socket as options.socket',
    );
    return new Observable<R>((subscriber) => {
      const inlet = new Inlet<T>(link, policy);
      let inner: Subscription | undefined;
      let busy = false;
      let draining = false;
      let index = 0;
      const drain = (): void => {
        if (draining) return;
        draining = true;
        while (!busy && !subscriber.closed) {
          const value = inlet.take();
          if (value === NONE) {
            if (!inlet.ended) break;
            if (inlet.failure !== undefined) subscriber.error(inlet.failure.error);
            else subscriber.complete();
            break;
          }
          busy = true;
          let output: ObservableInput<R>;
          try {
            output = project(value, index++);
          } catch (error) {
            subscriber.error(error);
            break;
          }
          inner = from(output).subscribe({
            next: (result) => subscriber.next(result),
            error: (error: unknown) => subscriber.error(error),
            complete: () => {
              busy = false;
              inner = undefined;
              drain();
            },
          });
        }
        draining = false;
      };
      inlet.wake = drain;
      inlet.start(source);
      drain();
      return () => {
        inner?.unsubscribe();
        inlet.cancel();
      };
    });
  };
}
