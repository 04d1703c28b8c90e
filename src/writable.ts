import { Subscription, type SchedulerLike } from 'rxjs';
import { CloseError, WebSocketError } from './errors.js';
import { linkOf } from './inlet.js';
import { describe, invalid, refuseUnknown } from './support.js';
import { Timer } from './timer.js';
import type { WsCloseEvent } from './types.js';
import type { RxWebSocket } from './websocket.js';

/**
 * The options of `writable()`.
 *
 * @example
 * import { writable } from 'brython-websocket/streams';
 * await source.pipeTo(writable(ws, { highWaterMark: 256 * 1024 }));
 */
export interface WriteOptions {
  /**
   * A write resolves once the socket's `bufferedAmount` (bytes handed to it and not yet sent)
   * is below this many bytes. A whole number, 1 or more.
   * @default 65536
   */
  highWaterMark?: number;
  /**
   * How often, in ms, `bufferedAmount` and the queue are looked at while a write waits
   * (browsers have no drain event). A number above 0.
   * @default 10
   */
  pollInterval?: number;
  /**
   * The scheduler of that polling (a `TestScheduler` in marble tests).
   * @default the socket's `options.scheduler`, else `asyncScheduler`
   */
  scheduler?: SchedulerLike;
  /**
   * Closes the socket when the stream is closed (with 1000, once everything written has gone
   * out) or aborted (with the reason's `code` and `reason` when they are a valid close, else
   * 1000). Without it the socket stays open.
   * @default false
   */
  closeSocket?: boolean;
}

/** `highWaterMark` of `writable()` when none is given, in bytes. */
export const DEFAULT_WRITE_HIGH_WATER_MARK = 65_536;

const KNOWN = ['highWaterMark', 'pollInterval', 'scheduler', 'closeSocket'];

interface WritePolicy {
  highWaterMark: number;
  pollInterval: number;
  scheduler: SchedulerLike | undefined;
  closeSocket: boolean;
}

function resolveWrite(value: unknown): WritePolicy {
  if (value === undefined) value = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`writable() takes an object of options such as { highWaterMark: 65536 }, got ${describe(value)}`);
  }
  const o = value as Record<string, unknown>;
  refuseUnknown(o, KNOWN, 'writable() option');
  const high = o.highWaterMark === undefined ? DEFAULT_WRITE_HIGH_WATER_MARK : o.highWaterMark;
  if (typeof high !== 'number' || !Number.isSafeInteger(high) || high < 1) {
    throw invalid(
      `writable(): highWaterMark must be a whole number of bytes, 1 or more, got ${describe(o.highWaterMark)}`,
    );
  }
  const poll = o.pollInterval === undefined ? 10 : o.pollInterval;
  if (typeof poll !== 'number' || !Number.isFinite(poll) || poll <= 0 || poll > 2_147_483_647) {
    throw invalid(
      `writable(): pollInterval must be a number of milliseconds above 0 (and at most 2147483647), got ${describe(o.pollInterval)}`,
    );
  }
  const scheduler = o.scheduler;
  if (
    scheduler !== undefined &&
    (typeof scheduler !== 'object' || scheduler === null || typeof (scheduler as SchedulerLike).schedule !== 'function')
  ) {
    throw invalid(`writable(): scheduler must be an RxJS scheduler such as asyncScheduler, got ${describe(scheduler)}`);
  }
  if (o.closeSocket !== undefined && typeof o.closeSocket !== 'boolean') {
    throw invalid(`writable(): closeSocket must be true or false, got ${describe(o.closeSocket)}`);
  }
  return {
    highWaterMark: high,
    pollInterval: poll,
    scheduler: scheduler as SchedulerLike | undefined,
    closeSocket: o.closeSocket === true,
  };
}

/**
 * A WHATWG `WritableStream` that sends each chunk with `socket.next()` (so through the
 * serializer), with backpressure: a write resolves only once the socket's `bufferedAmount` is
 * below `highWaterMark` and the send queue (while connecting or reconnecting) is below its
 * bound, `maxQueue`. So `source.pipeTo(writable(ws))` from a fast producer never meets
 * `ERR_WS_QUEUE_FULL` and never grows memory without bound. Neither the DOM nor `ws`'s DOM face
 * has a drain event: the two are looked at every `pollInterval` ms while a write waits.
 *
 * The stream errors when the socket closes for good: with the `CloseError` after an unclean
 * close, else with `ERR_WS_INVALID_STATE`; a write the socket refuses rejects with its error.
 * Closing the stream waits until everything written has gone out.
 *
 * Throws `ERR_WS_INVALID_ARGUMENT` for bad options.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { writable } from 'brython-websocket/streams';
 * const ws = WebSocket('wss://example.test/upload');
 * await fileStream.pipeTo(writable(ws, { highWaterMark: 1024 * 1024, closeSocket: true }));
 */
export function writable<Out>(socket: RxWebSocket<unknown, Out>, options?: WriteOptions): WritableStream<Out> {
  const policy = resolveWrite(options);
  const link = linkOf(socket, 'writable()');
  const subscription = new Subscription();
  const timer = new Timer(policy.scheduler ?? link.scheduler, () => check());
  let waiter: { ready: () => boolean; resolve: () => void; reject: (error: unknown) => void } | undefined;
  let ended: { error: unknown } | undefined;

  const room = (): boolean => socket.queued < link.maxQueue;
  const drained = (): boolean => room() && !(socket.state === 'open' && socket.bufferedAmount >= policy.highWaterMark);
  const empty = (): boolean => socket.queued === 0 && !(socket.state === 'open' && socket.bufferedAmount > 0);

  const check = (): void => {
    const w = waiter;
    if (w === undefined) return;
    if (ended !== undefined) {
      waiter = undefined;
      w.reject(ended.error);
    } else if (w.ready()) {
      waiter = undefined;
      w.resolve();
    } else timer.start(policy.pollInterval);
  };
  /** Resolves once `ready()` holds, looking again every `pollInterval`; rejects when the socket has ended. */
  const until = (ready: () => boolean): Promise<void> | undefined => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the socket's end as it came: a CloseError, or what the source errored with
    if (ended !== undefined) return Promise.reject(ended.error);
    if (ready()) return undefined;
    return new Promise<void>((resolve, reject) => {
      waiter = { ready, resolve, reject };
      timer.start(policy.pollInterval);
    });
  };
  const release = (): void => {
    subscription.unsubscribe();
    timer.stop();
  };

  return new WritableStream<Out>({
    start(controller) {
      let last: WsCloseEvent | undefined;
      subscription.add(
        socket.close$.subscribe({
          next: (event) => {
            last = event;
          },
          complete: () => {
            const error =
              last !== undefined && !last.wasClean && !link.closeRequested
                ? new CloseError(last)
                : new WebSocketError(
                    'ERR_WS_INVALID_STATE',
                    `the socket closed for good${last === undefined ? '' : ` (code ${last.code})`}; nothing more can be written. ` +
                      'Open a new socket and a new writable()',
                  );
            ended = { error };
            release();
            check();
            controller.error(error);
          },
        }),
      );
    },
    async write(chunk) {
      await until(room);
      try {
        socket.next(chunk);
      } catch (error) {
        release();
        throw error;
      }
      await until(drained);
    },
    async close() {
      await until(empty);
      release();
      if (policy.closeSocket) socket.close(1000);
    },
    abort(reason) {
      release();
      if (policy.closeSocket) socket.error(reason);
    },
  });
}
