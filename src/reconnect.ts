import { reportHandlerError } from './bindings.js';
import type { Feature } from './features.js';
import { describe, invalid, refuseUnknown } from './support.js';
import { assertDelay, Timer } from './timer.js';
import type { WsCloseEvent } from './types.js';

/**
 * The options of `reconnect()`: how and when a dropped connection is made again.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { reconnect } from 'brython-websocket/resilience';
 * const ws = WebSocket('wss://example.test/feed', {
 *   reconnect: reconnect({ attempts: 10, initialDelay: 500, maxDelay: 10_000 }),
 * });
 */
export interface ReconnectOptions {
  /**
   * How many reconnects in a row before giving up (the final close). The count restarts once
   * a connection has stayed open `resetAfter` ms.
   * @default Infinity
   */
  attempts?: number;
  /** The delay before the first reconnect, in ms, counted from the close. @default 1000 */
  initialDelay?: number;
  /** The longest delay, in ms. @default 30000 */
  maxDelay?: number;
  /** Each delay is the previous one times `factor`: `min(maxDelay, initialDelay × factor^(n−1))`. @default 2 */
  factor?: number;
  /**
   * Spreads each delay down by up to this fraction at random: the n-th delay is
   * `d × (1 − jitter × r)` with `r` uniform in [0, 1). `0` makes delays exact.
   * @default 0.5
   */
  jitter?: number;
  /** How long, in ms, a connection must stay open for the attempt count and backoff to restart. @default 5000 */
  resetAfter?: number;
  /**
   * Decides, for a clean close you did not ask for, whether to reconnect. An unclean close
   * (1006, a dead heartbeat, a connect timeout) always reconnects while attempts remain.
   * @default `defaultShouldReconnect`: yes for 1001, 1011, 1012, 1013 and 1014, no otherwise
   */
  shouldReconnect?: (event: WsCloseEvent) => boolean;
}

/** The reconnect options after validation, with defaults applied. */
export type ReconnectPolicy = Required<ReconnectOptions>;

/**
 * The default `shouldReconnect` for clean closes: reconnect when the server is going away or
 * restarting, or had a passing failure (1001 going away, 1011 internal error, 1012 service
 * restart, 1013 try again later, 1014 bad gateway). 1000, protocol and policy errors, and
 * application codes (3000–4999) end the socket.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { defaultShouldReconnect, reconnect } from 'brython-websocket/resilience';
 * // Also reconnect when the server closes with 4000, its own "come back later".
 * const ws = WebSocket('wss://example.test/feed', {
 *   reconnect: reconnect({
 *     shouldReconnect: (event) => event.code === 4000 || defaultShouldReconnect(event),
 *   }),
 * });
 */
export function defaultShouldReconnect(event: WsCloseEvent): boolean {
  return event.code === 1001 || (event.code >= 1011 && event.code <= 1014);
}

/**
 * What `reconnect()` uses for each option it is not given (frozen): endless attempts, 1 s
 * doubling up to 30 s, each delay up to 50 % shorter at random, the count reset after 5 s open, and
 * `defaultShouldReconnect`.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { reconnect, RECONNECT_DEFAULTS } from 'brython-websocket/resilience';
 * const ws = WebSocket('wss://example.test', {
 *   reconnect: reconnect({ maxDelay: RECONNECT_DEFAULTS.maxDelay * 2 }),
 * });
 */
export const RECONNECT_DEFAULTS: Readonly<ReconnectPolicy> = Object.freeze({
  attempts: Infinity,
  initialDelay: 1000,
  maxDelay: 30_000,
  factor: 2,
  jitter: 0.5,
  resetAfter: 5000,
  shouldReconnect: defaultShouldReconnect,
});

const KNOWN = Object.keys(RECONNECT_DEFAULTS);

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && !Number.isNaN(value);
}

/** Validates the options of `reconnect()` and applies the defaults. */
export function resolveReconnect(value: unknown): ReconnectPolicy {
  if (value === undefined) return { ...RECONNECT_DEFAULTS };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`reconnect() takes an object of reconnect options such as { attempts: 5 }, got ${describe(value)}`);
  }
  const o = value as Record<string, unknown>;
  refuseUnknown(o, KNOWN, 'reconnect option');
  const policy = { ...RECONNECT_DEFAULTS } as Record<string, unknown>;
  for (const [key, v] of Object.entries(o)) if (v !== undefined) policy[key] = v;
  const p = policy as ReconnectPolicy;
  if (!(p.attempts === Infinity || (Number.isInteger(p.attempts) && p.attempts >= 0))) {
    throw invalid(`reconnect attempts must be a whole number (0 or more, or Infinity), got ${describe(o.attempts)}`);
  }
  for (const key of ['initialDelay', 'maxDelay', 'resetAfter'] as const) {
    if (!isDuration(p[key]) || !Number.isFinite(p[key])) {
      throw invalid(`reconnect ${key} must be a finite number of milliseconds (0 or more), got ${describe(o[key])}`);
    }
    assertDelay(p[key], `reconnect ${key}`);
  }
  if (typeof p.factor !== 'number' || !Number.isFinite(p.factor) || p.factor < 1) {
    throw invalid(`reconnect factor must be a number of at least 1, got ${describe(o.factor)}`);
  }
  if (typeof p.jitter !== 'number' || !(p.jitter >= 0 && p.jitter <= 1)) {
    throw invalid(`reconnect jitter must be a number from 0 to 1, got ${describe(o.jitter)}`);
  }
  if (typeof p.shouldReconnect !== 'function') {
    throw invalid(
      `reconnect shouldReconnect must be a function of the close event, got ${describe(o.shouldReconnect)}`,
    );
  }
  return p;
}

/** What `reconnect()` makes: the feature for `options.reconnect`, with its policy. */
export interface ReconnectFeature extends Feature<'reconnect'> {
  /** The options after validation, with the defaults applied. */
  readonly policy: ReconnectPolicy;
}

/**
 * Reconnection for `options.reconnect`: after a close you did not ask for, the socket waits
 * (backoff with jitter, on `options.scheduler`) and connects again, up to `attempts` times in a
 * row. While waiting, `state` is `'reconnecting'` and `send()` queues; the same object,
 * streams and handlers carry on with the new connection. `close()` stops it.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { reconnect } from 'brython-websocket/resilience';
 * const ws = WebSocket('wss://example.test/feed', { reconnect: reconnect({ attempts: 10 }) });
 */
export function reconnect(options?: ReconnectOptions): ReconnectFeature {
  const policy = resolveReconnect(options);
  return {
    kind: 'reconnect',
    policy,
    attach(link) {
      const timer = new Timer(link.scheduler, () => link.reconnect());
      const { scheduler } = timer;
      /** Reconnects in a row since the last connection that stayed open `resetAfter` ms. */
      let attempt = 0;
      /** When the current connection opened (scheduler time), for the backoff reset. */
      let openedAt: number | undefined;
      const delay = (event: WsCloseEvent): number | undefined => {
        if (event.wasClean) {
          let again: boolean;
          try {
            again = policy.shouldReconnect(event);
          } catch (error) {
            reportHandlerError(error);
            again = false;
          }
          if (!again) return undefined;
        }
        if (openedAt !== undefined && scheduler.now() - openedAt >= policy.resetAfter) attempt = 0;
        if (attempt >= policy.attempts) return undefined;
        attempt++;
        return backoffDelay(policy, attempt);
      };
      return {
        connecting() {
          openedAt = undefined;
        },
        open() {
          openedAt = scheduler.now();
        },
        closed(event) {
          const wait = delay(event);
          if (wait === undefined) return false;
          timer.start(wait);
          return true;
        },
        stop() {
          timer.stop();
        },
      };
    },
  };
}

/**
 * The delay before the n-th reconnect in a row (n from 1):
 * `min(maxDelay, initialDelay × factor^(n−1)) × (1 − jitter × random())`. `random` defaults
 * to `Math.random`; pass your own to see the delays a policy makes.
 *
 * @example
 * import { backoffDelay, RECONNECT_DEFAULTS } from 'brython-websocket/resilience';
 * const policy = { ...RECONNECT_DEFAULTS, jitter: 0 };
 * const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n));
 * console.log(delays); // [1000, 2000, 4000, 8000, 16000, 30000]
 */
export function backoffDelay(policy: ReconnectPolicy, n: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelay, policy.initialDelay * policy.factor ** (n - 1));
  return policy.jitter === 0 ? base : base * (1 - policy.jitter * random());
}
