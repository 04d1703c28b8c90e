import { Inlet, linkOf, NONE, resolveRead, type ReadOptions } from './inlet.js';
import type { RxWebSocket } from './websocket.js';

/** What `messages()` returns: an async iterator of the socket's values, with its buffer's figures. */
export interface MessageIterator<T> extends AsyncIterableIterator<T, undefined, undefined> {
  /** How many values wait unread now. */
  readonly buffered: number;
  /** How many values were dropped by `overflow: 'drop-oldest' | 'drop-newest'` so far. */
  readonly dropped: number;
  /** Stops reading: the waiting values are let go, the socket resumes reading and stays open. */
  return(): Promise<IteratorResult<T, undefined>>;
}

const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/** A rejection to hand to a waiting `next()`. */
class Failure {
  constructor(readonly error: unknown) {}
}

type Step<T> = IteratorResult<T, undefined> | Failure | undefined;

class MessageReader<T> implements MessageIterator<T> {
  private readonly inlet: Inlet<T>;
  /** `next()` calls waiting for a value, oldest first. */
  private waiting: { resolve(result: IteratorResult<T, undefined>): void; reject(error: unknown): void }[] = [];
  /** The end's error was thrown once; after that the iterator is done. */
  private thrown = false;

  constructor(inlet: Inlet<T>) {
    this.inlet = inlet;
    inlet.wake = () => this.settle();
  }

  get buffered(): number {
    return this.inlet.size;
  }

  get dropped(): number {
    return this.inlet.dropped;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.waiting.length === 0) {
      const step = this.step();
      // The source's error as it is: an Observable may error with anything.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on unchanged, as RxJS does
      if (step instanceof Failure) return Promise.reject(step.error);
      if (step !== undefined) return Promise.resolve(step);
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.thrown = true;
    this.inlet.cancel();
    this.settle();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** What the next `next()` gets now: a value, the end, the end's error, or nothing yet. */
  private step(): Step<T> {
    const value = this.inlet.take();
    if (value !== NONE) return { done: false, value };
    if (!this.inlet.ended) return undefined;
    const failure = this.inlet.failure;
    if (failure !== undefined && !this.thrown) {
      this.thrown = true;
      return new Failure(failure.error);
    }
    return DONE;
  }

  /** Hands what has arrived to the waiting `next()` calls, in order. */
  private settle(): void {
    for (let waiter = this.waiting[0]; waiter !== undefined; waiter = this.waiting[0]) {
      const step = this.step();
      if (step === undefined) return;
      this.waiting.shift();
      if (step instanceof Failure) waiter.reject(step.error);
      else waiter.resolve(step);
    }
  }
}

/**
 * The socket's values (the subject face: each message's `deserializer(event)`), as an async
 * iterator with backpressure, for `for await`.
 *
 * - It reads from the call on: values that arrive before the loop starts wait for it.
 * - Where the native socket can pause (`ws` can), it is paused while `highWaterMark` values
 *   wait unread, and resumes when `lowWaterMark` do. Where it cannot (a browser's `WebSocket`),
 *   the buffer is bounded all the same: see `overflow`.
 * - A clean final close (or `close()`) ends the loop once every waiting value was read; an
 *   unclean one throws the `CloseError` after them. With `reconnect`, the loop goes on across
 *   connections. A message the deserializer cannot decode is skipped and reported on `error$`.
 * - Leaving the loop (`break`, `return`, a throw) stops the reading, lets the socket read again
 *   and leaves it open.
 * - Several readers may read one socket at a time: each gets every value, and the slowest
 *   keeps the socket paused.
 *
 * Throws `ERR_WS_INVALID_ARGUMENT` for bad options.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { messages } from 'brython-websocket/streams';
 * import { WebSocket as WsCtor } from 'ws';
 * const ws = WebSocket('ws://localhost:8080/feed', { WebSocketCtor: WsCtor });
 * for await (const message of messages(ws, { highWaterMark: 256, lowWaterMark: 64 })) {
 *   await saveToDatabase(message);
 * }
 */
export function messages<In>(socket: RxWebSocket<In, never>, options?: ReadOptions): MessageIterator<In> {
  return reading(socket, options, 'messages()');
}

/** `messages()`, with the name of the function the user called in its errors. */
export function reading<In>(
  socket: RxWebSocket<In, never>,
  options: ReadOptions | undefined,
  caller: string,
): MessageIterator<In> {
  const policy = resolveRead(options, caller);
  const inlet = new Inlet<In>(linkOf(socket, caller), policy);
  const reader = new MessageReader(inlet);
  inlet.start(socket);
  return reader;
}
