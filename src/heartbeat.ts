import type { SchedulerLike } from 'rxjs';
import { WebSocketError } from './errors.js';
import type { Feature } from './features.js';
import { assertSendable, describe, invalid, refuseUnknown } from './support.js';
import { assertDelay, Timer } from './timer.js';
import type { SendData } from './types.js';

/**
 * The options of `heartbeat()`.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { heartbeat } from 'brython-websocket/resilience';
 * WebSocket('wss://example.test', { heartbeat: heartbeat({ interval: 15_000, message: '{"op":"ping"}', timeout: 40_000 }) });
 */
export interface HeartbeatOptions {
  /** Send `message` after this many ms without sending anything. */
  interval: number;
  /** What a ping sends; a function is called for each ping. @default 'ping' */
  message?: SendData | (() => SendData);
  /**
   * Drop the connection after this many ms without receiving anything; `Infinity` never does.
   * Checked every `timeout / 4` ms, so the drop comes between `timeout` and 1.25 × `timeout`
   * after the last message (exactly `timeout` after the open when nothing came at all).
   * @default 2 × interval
   */
  timeout?: number;
}

/** The close code of a connection dropped because nothing was received for `heartbeat.timeout`. */
export const CLOSE_HEARTBEAT_TIMEOUT = 4900;

const KNOWN = ['interval', 'message', 'timeout'];

/**
 * The options of `heartbeat()` after validation, with the defaults applied: what
 * `HeartbeatFeature.policy` holds.
 */
export interface HeartbeatPolicy {
  /** A ping is sent after this many ms without sending anything. */
  interval: number;
  /** What a ping sends (`'ping'` when not given), or a function called for each ping. */
  message: SendData | (() => SendData);
  /**
   * The connection is dropped after this many ms without receiving anything (`2 × interval` when not
   * given; `Infinity` never drops).
   */
  timeout: number;
}

export function resolveHeartbeat(value: unknown): HeartbeatPolicy {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`heartbeat() takes an object such as { interval: 15000, message: 'ping' }, got ${describe(value)}`);
  }
  const o = value as Record<string, unknown>;
  refuseUnknown(o, KNOWN, 'heartbeat option');
  const interval = o.interval;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
    throw invalid(`heartbeat interval must be a number of milliseconds above 0, got ${describe(interval)}`);
  }
  assertDelay(interval, 'the heartbeat interval');
  const timeout = o.timeout === undefined ? interval * 2 : o.timeout;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0) {
    throw invalid(
      `heartbeat timeout must be a number of milliseconds above 0 (or Infinity), got ${describe(o.timeout)}`,
    );
  }
  // The dead-link check runs every timeout / 4, but the timeout itself is held to the same
  // limit: one rule for every duration the package takes.
  assertDelay(
    timeout,
    o.timeout === undefined ? 'the heartbeat timeout (2 × interval by default)' : 'the heartbeat timeout',
    o.timeout === undefined
      ? ': give heartbeat({ timeout }) explicitly, or Infinity to never drop'
      : ', or Infinity to never drop',
  );
  const message = o.message === undefined ? 'ping' : o.message;
  if (typeof message !== 'function') {
    try {
      assertSendable(message);
    } catch {
      throw invalid(
        `heartbeat message must be what send() takes (a string, ArrayBuffer, ArrayBufferView or Blob) ` +
          `or a function returning it, got ${describe(message)}`,
      );
    }
  }
  return { interval, timeout, message: message as HeartbeatPolicy['message'] };
}

/** What `heartbeat()` makes: the feature for `options.heartbeat`, with its policy. */
export interface HeartbeatFeature extends Feature<'heartbeat'> {
  /** The options after validation, with the defaults applied. */
  readonly policy: HeartbeatPolicy;
}

/**
 * A heartbeat for `options.heartbeat`: keeps a quiet connection alive and detects a dead one.
 *
 * - While open, `message` is sent whenever nothing else was sent for `interval` ms (any
 *   `send`/`next` counts as traffic and puts the next ping off).
 * - When nothing at all is received for `timeout` ms, the connection is dropped as dead at
 *   once: `error$` gets an `ERR_WS_TIMEOUT` error, `close$` a close with code 4900
 *   (`CLOSE_HEARTBEAT_TIMEOUT`), `wasClean` false, without waiting for a closing handshake,
 *   and reconnection applies. Receiving costs one flag per message, no clock read: the
 *   silence is checked every `timeout / 4` ms.
 * - Pings are sent only while open: never queued while disconnected.
 * - While a reader of `brython-websocket/streams` holds the transport paused, nothing can
 *   arrive, so the silence is not counted: a paused socket is not watched for a dead link.
 *   The count starts again from zero when reading resumes.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { heartbeat } from 'brython-websocket/resilience';
 * WebSocket('wss://example.test', { heartbeat: heartbeat({ interval: 15_000, timeout: 40_000 }) });
 */
export function heartbeat(options: HeartbeatOptions): HeartbeatFeature {
  const policy = resolveHeartbeat(options);
  return {
    kind: 'heartbeat',
    policy,
    attach(link) {
      let beat: Heartbeat | undefined;
      const stop = (): void => {
        beat?.stop();
        beat = undefined;
      };
      const ping = (): void => {
        try {
          const { message } = policy;
          const data = typeof message === 'function' ? message() : message;
          assertSendable(data);
          link.sendNow(data);
        } catch (cause) {
          link.report(
            new WebSocketError(
              'ERR_WS_INVALID_ARGUMENT',
              'the heartbeat message could not be sent; check heartbeat({ message })',
              {
                cause,
              },
            ),
          );
        }
      };
      const dead = (): void => {
        stop();
        link.report(
          new WebSocketError(
            'ERR_WS_TIMEOUT',
            `nothing was received for ${policy.timeout} ms; the connection was dropped as dead ` +
              `(close code ${CLOSE_HEARTBEAT_TIMEOUT})`,
          ),
        );
        link.drop(CLOSE_HEARTBEAT_TIMEOUT, 'heartbeat timeout');
      };
      return {
        open() {
          beat = new Heartbeat(policy, link.scheduler, ping, dead);
        },
        message() {
          if (beat !== undefined) beat.heard = true;
        },
        sent() {
          beat?.sent();
        },
        paused() {
          beat?.suspend();
        },
        resumed() {
          beat?.resume();
        },
        closed: stop,
        stop,
      };
    },
  };
}

/**
 * The heartbeat of one open connection, on the scheduler: the ping timer is re-armed from the
 * time of the last send; the dead-link check runs every `timeout / 4` ms and reads a flag that
 * each message sets (so receiving costs no clock read).
 */
export class Heartbeat {
  /** Something arrived since the last check. */
  heard = false;
  private lastSent: number;
  /** Checks in a row that found nothing received. */
  private silent = 0;
  private readonly pinger: Timer;
  /**
   * The silence check, `timeout / 4` apart. A new action each time, as for the ping: a
   * rescheduled one can confuse `TestScheduler.run` when the drop cancels a ping due in the
   * same frame.
   */
  private readonly checker: Timer;

  constructor(
    private readonly policy: HeartbeatPolicy,
    scheduler: SchedulerLike | undefined,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {
    this.pinger = new Timer(scheduler, () => this.pingIfIdle());
    this.checker = new Timer(scheduler, () => this.check());
    this.lastSent = this.now();
    this.pinger.start(policy.interval);
    if (policy.timeout !== Infinity) this.checker.start(policy.timeout / 4);
  }

  sent(): void {
    this.lastSent = this.now();
  }

  stop(): void {
    this.pinger.stop();
    this.checker.stop();
  }

  /**
   * Reading is paused on purpose (`brython-websocket/streams`): the silence is not counted
   * until `resume()`. Pings still go out.
   */
  suspend(): void {
    this.checker.stop();
  }

  /** Reading has resumed: the dead-link count starts again from zero. */
  resume(): void {
    this.heard = false;
    this.silent = 0;
    if (this.policy.timeout !== Infinity) this.checker.start(this.policy.timeout / 4);
  }

  private now(): number {
    return this.pinger.scheduler.now();
  }

  private check(): void {
    if (this.heard) {
      this.heard = false;
      this.silent = 0;
    } else if (++this.silent >= 4) return this.dead();
    this.checker.start(this.policy.timeout / 4);
  }

  /** Pings when nothing was sent for `interval`; else waits for what is left of it. */
  private pingIfIdle(): void {
    const idle = this.now() - this.lastSent;
    if (idle < this.policy.interval) return this.pinger.start(this.policy.interval - idle);
    this.lastSent = this.now();
    this.pinger.start(this.policy.interval);
    this.ping();
  }
}
