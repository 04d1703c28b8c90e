import type { SchedulerLike, Subscription } from 'rxjs';
import { WebSocketError } from './errors.js';
import { assertSendable, describe } from './support.js';
import type { SendData } from './types.js';

/**
 * `options.heartbeat`: keeps a quiet connection alive and detects a dead one.
 *
 * - While open, `message` is sent whenever nothing else was sent for `interval` ms (any
 *   `send`/`next` counts as traffic and puts the next ping off).
 * - When nothing at all is received for `timeout` ms, the connection is dropped as dead at
 *   once: `close$` emits a close with code 4900 (`CLOSE_HEARTBEAT_TIMEOUT`), `wasClean` false,
 *   without waiting for a closing handshake, and reconnection applies.
 * - Pings are sent only while open: never queued while disconnected.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * WebSocket('wss://example.test', { heartbeat: { interval: 15_000, message: '{"op":"ping"}', timeout: 40_000 } });
 */
export interface HeartbeatOptions {
  /** Send `message` after this many ms without sending anything. */
  interval: number;
  /** What a ping sends; a function is called for each ping. @default 'ping' */
  message?: SendData | (() => SendData);
  /** Drop the connection after this many ms without receiving anything; `Infinity` never does. @default 2 × interval */
  timeout?: number;
}

/** The close code of a connection dropped because nothing was received for `heartbeat.timeout`. */
export const CLOSE_HEARTBEAT_TIMEOUT = 4900;

const KNOWN = ['interval', 'message', 'timeout'];

export interface HeartbeatPolicy {
  interval: number;
  message: SendData | (() => SendData);
  timeout: number;
}

export function resolveHeartbeat(value: unknown): HeartbeatPolicy | undefined {
  if (value === undefined || value === false) return undefined;
  const invalid = (message: string) => new WebSocketError('ERR_WS_INVALID_ARGUMENT', message);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`options.heartbeat must be an object such as { interval: 15000, message: 'ping' }, got ${describe(value)}`);
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.includes(key)) {
      throw invalid(`unknown heartbeat option ${JSON.stringify(key)}; the heartbeat options are ${KNOWN.join(', ')}`);
    }
  }
  const interval = o.interval;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
    throw invalid(`options.heartbeat.interval must be a number of milliseconds above 0, got ${describe(interval)}`);
  }
  const timeout = o.timeout === undefined ? interval * 2 : o.timeout;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0) {
    throw invalid(`options.heartbeat.timeout must be a number of milliseconds above 0 (or Infinity), got ${describe(o.timeout)}`);
  }
  const message = o.message === undefined ? 'ping' : o.message;
  if (typeof message !== 'function') {
    try {
      assertSendable(message);
    } catch {
      throw invalid(
        `options.heartbeat.message must be what send() takes (a string, ArrayBuffer, ArrayBufferView or Blob) ` +
          `or a function returning it, got ${describe(message)}`,
      );
    }
  }
  return { interval, timeout, message: message as HeartbeatPolicy['message'] };
}

/**
 * The heartbeat of one open connection: two timers on the scheduler, re-armed from the time
 * of the last send and the last receipt (so the per-message cost is one `now()`).
 */
export class Heartbeat {
  private lastSent: number;
  private lastReceived: number;
  private pingTimer: Subscription | undefined;
  private deadTimer: Subscription | undefined;

  constructor(
    private readonly policy: HeartbeatPolicy,
    private readonly scheduler: SchedulerLike,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {
    this.lastSent = this.lastReceived = scheduler.now();
    this.armPing(policy.interval);
    if (policy.timeout !== Infinity) this.armDead(policy.timeout);
  }

  sent(): void {
    this.lastSent = this.scheduler.now();
  }

  received(): void {
    this.lastReceived = this.scheduler.now();
  }

  stop(): void {
    this.pingTimer?.unsubscribe();
    this.deadTimer?.unsubscribe();
    this.pingTimer = this.deadTimer = undefined;
  }

  private armPing(delay: number): void {
    this.pingTimer = this.scheduler.schedule(() => {
      const idle = this.scheduler.now() - this.lastSent;
      if (idle >= this.policy.interval) {
        this.lastSent = this.scheduler.now();
        this.armPing(this.policy.interval);
        this.ping();
      } else this.armPing(this.policy.interval - idle);
    }, delay);
  }

  private armDead(delay: number): void {
    this.deadTimer = this.scheduler.schedule(() => {
      const idle = this.scheduler.now() - this.lastReceived;
      if (idle >= this.policy.timeout) {
        this.deadTimer = undefined;
        this.dead();
      } else this.armDead(this.policy.timeout - idle);
    }, delay);
  }
}
