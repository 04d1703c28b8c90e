import { WebSocketError } from './errors.js';
import type { Feature } from './features.js';
import { describe } from './support.js';
import { assertDelay, Timer } from './timer.js';

/**
 * The close code of a connection attempt given up by `connectTimeout()` (`close$` gets it with
 * `wasClean: false`; the server never sees it).
 */
export const CLOSE_CONNECT_TIMEOUT = 4901;

/** What `connectTimeout()` makes: the feature for `options.connectTimeout`. */
export interface ConnectTimeoutFeature extends Feature<'connectTimeout'> {
  /** How long, in ms, each connection attempt may take to open, as given to `connectTimeout(ms)`. */
  readonly ms: number;
}

/**
 * A connect timeout for `options.connectTimeout`: a connection attempt that has not opened
 * after `ms` ms (on `options.scheduler`) is given up: `error$` gets an `ERR_WS_TIMEOUT` error,
 * `close$` a close with code 4901 (`CLOSE_CONNECT_TIMEOUT`), and it counts as a failed attempt
 * for reconnection. Every attempt, the first and each reconnect, gets its own `ms`.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { connectTimeout, reconnect } from 'brython-websocket/resilience';
 * WebSocket('wss://example.test', { connectTimeout: connectTimeout(5000), reconnect: reconnect() });
 */
export function connectTimeout(ms: number): ConnectTimeoutFeature {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms <= 0) {
    throw new WebSocketError(
      'ERR_WS_INVALID_ARGUMENT',
      `connectTimeout() takes a number of milliseconds above 0 (or Infinity), got ${describe(ms)}`,
    );
  }
  assertDelay(ms, 'connectTimeout()', ', or Infinity to wait for as long as the runtime does');
  return {
    kind: 'connectTimeout',
    ms,
    attach(link) {
      const timer = new Timer(link.scheduler, () => {
        link.report(
          new WebSocketError(
            'ERR_WS_TIMEOUT',
            `no connection within ${ms} ms; the attempt was given up. ` +
              'Check that the server is up, or raise connectTimeout()',
          ),
        );
        link.drop(CLOSE_CONNECT_TIMEOUT, 'connect timeout');
      });
      const stop = (): void => timer.stop();
      return {
        connecting() {
          if (ms !== Infinity) timer.start(ms);
        },
        open: stop,
        closed: stop,
        stop,
      };
    },
  };
}
