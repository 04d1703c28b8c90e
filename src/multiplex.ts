import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { reportHandlerError } from './bindings.js';

/** What `multiplex` needs from a socket: the messages, its opens, and a way to send. */
export interface MultiplexHost<In, Out> {
  /** The deserialized messages. Subscribing to it is what keeps the connection for the sub-stream. */
  readonly messages: Observable<In>;
  /** Emits on every open (the first and each reconnect). */
  readonly opens: Observable<unknown>;
  /** True while a message handed to `send` goes straight out. */
  isOpen(): boolean;
  send(message: Out): void;
}

/**
 * A ref-counted sub-stream of a socket, with RxJS's `multiplex(subMsg, unsubMsg, filter)`
 * signature and its bugs fixed:
 * - one `subMsg()` when the first subscriber arrives, one `unsubMsg()` when the last leaves,
 *   however many subscribe in between (RxJS #2445 sends them per subscriber);
 * - `subMsg()` is sent again on every open after a reconnect, since the new server-side
 *   connection knows nothing of the old one; while the socket is not open it is not queued but
 *   sent by the next open, before the queue is flushed;
 * - `unsubMsg()` is sent only while the socket is open: a closed connection has no
 *   subscription left to cancel, so it is never queued (RxJS #1899);
 * - a throwing `subMsg` (or serializer) errors the sub-stream; a throwing `unsubMsg` is
 *   reported like a throwing handler.
 */
export function multiplex<In, Out>(
  host: MultiplexHost<In, Out>,
  subMsg: () => Out,
  unsubMsg: () => Out,
  messageFilter: (value: In) => boolean,
): Observable<In> {
  const subscribers = new Set<Subscriber<In>>();
  let opens: Subscription | undefined;
  /** subMsg went out on the current connection: only then is there something to cancel. */
  let live = false;
  // Runs on each open too, outside any caller: a throwing subMsg or serializer errors the
  // sub-stream instead of escaping as an unhandled error.
  const subscribe = (): void => {
    live = false;
    try {
      host.send(subMsg());
      live = true;
    } catch (error) {
      for (const subscriber of [...subscribers]) subscriber.error(error);
    }
  };
  const release = (subscriber: Subscriber<In>): void => {
    subscribers.delete(subscriber);
    if (subscribers.size > 0 || opens === undefined) return;
    opens.unsubscribe();
    opens = undefined;
    if (!live || !host.isOpen()) return;
    live = false;
    try {
      host.send(unsubMsg());
    } catch (error) {
      reportHandlerError(error);
    }
  };
  return new Observable<In>((subscriber) => {
    subscribers.add(subscriber);
    // In place before anything can fail, so the count is right whatever happens next.
    subscriber.add(() => release(subscriber));
    subscriber.add(
      host.messages.subscribe({
        next(value) {
          let keep: boolean;
          try {
            keep = messageFilter(value);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          if (keep) subscriber.next(value);
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
    if (opens === undefined && !subscriber.closed) {
      opens = host.opens.subscribe(subscribe);
      if (host.isOpen()) subscribe();
    }
  });
}
