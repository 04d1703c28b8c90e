import { Subscription, type SchedulerLike } from 'rxjs';
import type { WsCloseEvent } from './types.js';

/**
 * Evens out two runtime quirks of the native `close` event, so that every runtime shows the
 * same events (see docs/runtimes.md):
 *
 * - Node 22's and Node 20's global WebSocket (undici) fire `error` for a connection that
 *   fails while connecting (refused, or `close()` called before the open), and never `close`.
 *   The socket waits `CLOSE_GRACE` ms for that close, then makes it up: code 1006, unclean.
 * - Deno reports such a failure with close code 0. A close code outside 1000-4999 is
 *   reported as 1006 (abnormal closure), unclean.
 */

/** How long a socket waits for the runtime's `close` after an `error` while connecting, in ms. */
export const CLOSE_GRACE = 1000;

/** The close a socket makes up when the runtime never fires one. */
export function abnormalClose(): WsCloseEvent {
  return { type: 'close', code: 1006, reason: '', wasClean: false };
}

/**
 * `event`, or, when its code is not a close code (Deno's 0), a close event with code 1006,
 * `wasClean: false` and the same reason.
 */
export function checkedClose(event: WsCloseEvent): WsCloseEvent {
  const code = event.code;
  return code >= 1000 && code <= 4999 ? event : { ...abnormalClose(), reason: event.reason };
}

/**
 * The grace timer's scheduler when `options.scheduler` is not given: one `setTimeout` per
 * schedule, cancelled by unsubscribing. It keeps RxJS's `asyncScheduler` (and its interval
 * machinery) out of the main entry, which has no other timer.
 */
export const timeoutScheduler = {
  schedule(work: () => void, delay?: number): Subscription {
    const id = setTimeout(work, delay);
    return new Subscription(() => clearTimeout(id));
  },
} as Pick<SchedulerLike, 'schedule'>;
