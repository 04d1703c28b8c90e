import type { Observable, Subscription } from 'rxjs';
import { WebSocketError } from './errors.js';
import type { FlowLink } from './features.js';
import { describe, invalid, refuseUnknown } from './support.js';
import { flowLink } from './flow.js';
import { RxWebSocket } from './websocket.js';

/**
 * What a reader does when values come faster than it takes them and the socket cannot pause
 * its transport (a browser's `WebSocket`, undici's):
 * - `'error'`: the reading ends with an `OverflowError` (`ERR_WS_OVERFLOW`) once the values
 *   already waiting were read; the socket stays open;
 * - `'drop-oldest'`: the oldest waiting value makes room for the new one;
 * - `'drop-newest'`: the new value is dropped.
 *
 * Drops are counted (`dropped`) and reported on `error$` as an `OverflowError`, once per
 * stretch of drops, when the reader has caught up to `lowWaterMark` (or stops reading).
 */
export type OverflowRule = 'error' | 'drop-oldest' | 'drop-newest';

/**
 * The options of `messages()`, `readable()` and `concatMapPaced()`.
 *
 * @example
 * import { messages } from 'brython-websocket/streams';
 * for await (const value of messages(ws, { highWaterMark: 512, lowWaterMark: 128 })) await sink(value);
 */
export interface ReadOptions {
  /**
   * How many values may wait unread. Where the native socket can pause (`ws`), it is paused
   * when this many wait, and the few messages it had already read still arrive and wait too.
   * Where it cannot, this is the bound of the buffer, and `overflow` says what happens beyond.
   * A whole number above `lowWaterMark`.
   * @default 256
   */
  highWaterMark?: number;
  /**
   * A paused socket resumes reading when no more than this many values wait. A whole number,
   * 0 or more, below `highWaterMark`.
   * @default Math.floor(highWaterMark / 4)
   */
  lowWaterMark?: number;
  /**
   * What happens when `highWaterMark` values wait and a socket that cannot pause receives
   * another one (see `OverflowRule`). Never applies to a socket that can pause.
   * @default 'error'
   */
  overflow?: OverflowRule;
}

/** `highWaterMark` when none is given. */
export const DEFAULT_HIGH_WATER_MARK = 256;

/** The options of a reader after validation, with the defaults applied. */
export interface ReadPolicy {
  readonly highWaterMark: number;
  readonly lowWaterMark: number;
  readonly overflow: OverflowRule;
}

const KNOWN = ['highWaterMark', 'lowWaterMark', 'overflow'];
const RULES: readonly OverflowRule[] = ['error', 'drop-oldest', 'drop-newest'];

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Validates the options of `caller` (`messages()`, `readable()`, ...); throws `ERR_WS_INVALID_ARGUMENT`. */
export function resolveRead(value: unknown, caller: string, extra: readonly string[] = []): ReadPolicy {
  if (value === undefined) value = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(
      `${caller} takes an object of options such as { highWaterMark: 256, lowWaterMark: 64 }, got ${describe(value)}`,
    );
  }
  const o = value as Record<string, unknown>;
  refuseUnknown(o, [...KNOWN, ...extra], `${caller} option`);
  const high = o.highWaterMark === undefined ? DEFAULT_HIGH_WATER_MARK : o.highWaterMark;
  if (!isCount(high) || high < 1) {
    throw invalid(
      `${caller}: highWaterMark must be a whole number of values, 1 or more, got ${describe(o.highWaterMark)}`,
    );
  }
  const low = o.lowWaterMark === undefined ? Math.floor(high / 4) : o.lowWaterMark;
  if (!isCount(low)) {
    throw invalid(
      `${caller}: lowWaterMark must be a whole number of values, 0 or more, got ${describe(o.lowWaterMark)}`,
    );
  }
  if (low >= high) {
    throw invalid(
      `${caller}: lowWaterMark (${low}) must be below highWaterMark (${high}); for example { highWaterMark: ${Math.max(high, 4)}, lowWaterMark: ${Math.floor(Math.max(high, 4) / 4)} }`,
    );
  }
  const overflow = o.overflow === undefined ? 'error' : o.overflow;
  if (!RULES.includes(overflow as OverflowRule)) {
    throw invalid(`${caller}: overflow must be 'error', 'drop-oldest' or 'drop-newest', got ${describe(o.overflow)}`);
  }
  return { highWaterMark: high, lowWaterMark: low, overflow: overflow as OverflowRule };
}

/** The hook into `socket`, or `ERR_WS_INVALID_ARGUMENT` when it is not a socket of this package. */
export function linkOf(socket: unknown, caller: string, hint = ''): FlowLink {
  if (!(socket instanceof RxWebSocket)) {
    // A socket of another copy of the package: most often one made through require() and
    // streams imported with import (or the other way round), two builds that share nothing.
    const got = describe(socket);
    const copy =
      got === 'a RxWebSocket'
        ? ' of another copy of brython-websocket: take both from import, or both from require()'
        : '';
    throw invalid(
      `${caller} works on a socket made by WebSocket() or new RxWebSocket() of brython-websocket${hint}, got ${got}${copy}`,
    );
  }
  return flowLink(socket);
}

/**
 * A reader fell behind a socket that cannot pause: with `overflow: 'error'` its reading ends
 * with this error; with a drop rule, `error$` gets one for each stretch of drops. The socket
 * stays open either way, and other readers and subscribers are untouched.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { messages, OverflowError } from 'brython-websocket/streams';
 * const ws = WebSocket('wss://example.test/feed'); // a browser's socket cannot pause reading
 * try {
 *   for await (const message of messages(ws, { highWaterMark: 1000 })) await render(message);
 * } catch (e) {
 *   if (e instanceof OverflowError) console.warn(`fell behind by ${e.buffered} messages`);
 *   else throw e;
 * }
 */
export class OverflowError extends WebSocketError {
  /** Always `'OverflowError'`. */
  override name = 'OverflowError' as const;
  /** Always `'ERR_WS_OVERFLOW'`. */
  declare readonly code: 'ERR_WS_OVERFLOW';
  /** How many values were waiting unread (the reader's `highWaterMark`). */
  readonly buffered: number;
  /** How many values were dropped (0 with `overflow: 'error'`). */
  readonly dropped: number;

  constructor(buffered: number, dropped: number, rule: OverflowRule) {
    super(
      'ERR_WS_OVERFLOW',
      rule === 'error'
        ? `the reader fell behind: ${buffered} values were waiting unread (its highWaterMark) and this socket cannot pause ` +
            `reading; those ${buffered} values were delivered, later ones were not, and the reading ended here (the socket ` +
            `stays open). Read faster, raise highWaterMark, or choose overflow: 'drop-oldest' or 'drop-newest'`
        : `the reader fell behind and this socket cannot pause reading: ${dropped} value${dropped === 1 ? ' was' : 's were'} ` +
            `dropped (overflow: '${rule}', highWaterMark ${buffered}); the socket stays open`,
    );
    this.buffered = buffered;
    this.dropped = dropped;
  }
}

/** What `Inlet.take()` returns when nothing waits. */
export const NONE: unique symbol = Symbol('none');

/**
 * The bounded buffer between a socket and one reader: holds the socket's transport paused
 * while `highWaterMark` values wait (where it can pause), releases it at `lowWaterMark`, and
 * applies the overflow rule where it cannot. One per reader: several readers each get every
 * value, and the slowest one keeps the socket paused.
 */
export class Inlet<T> {
  /** The waiting values, a ring: `ring[head]` is the oldest, `count` of them; its length is a power of 2. */
  private ring: (T | undefined)[] = new Array<T | undefined>(16);
  private head = 0;
  private count = 0;
  private holding = false;
  private subscription: Subscription | undefined;
  /** No value will be added any more (the source ended, overflowed, or the reader left). */
  ended = false;
  /** Set with `ended` when the reading ends with an error (a `CloseError`, an `OverflowError`). */
  failure: { readonly error: unknown } | undefined;
  /** Values dropped by a drop rule, in all; those of the current stretch are `stretch`. */
  dropped = 0;
  private stretch = 0;
  /** Called when a value or the end arrives while nothing waited. */
  wake: () => void = () => undefined;

  constructor(
    private readonly link: FlowLink,
    private readonly policy: ReadPolicy,
  ) {}

  /** How many values wait. */
  get size(): number {
    return this.count;
  }

  start(source: Observable<T>): void {
    const subscription = source.subscribe({
      next: (value) => this.push(value),
      error: (error: unknown) => this.end({ error }),
      complete: () => this.end(undefined),
    });
    if (this.ended) subscription.unsubscribe();
    else this.subscription = subscription;
  }

  /** The oldest waiting value, or `NONE`. */
  take(): T | typeof NONE {
    if (this.count === 0) return NONE;
    const value = this.shift();
    if (this.count <= this.policy.lowWaterMark) this.caughtUp();
    return value;
  }

  /** The reader leaves: nothing more is read, the waiting values are let go, the hold released. */
  cancel(): void {
    this.ring = new Array<T | undefined>(16);
    this.head = 0;
    this.count = 0;
    this.end(undefined);
  }

  private push(value: T): void {
    const size = this.size;
    const { highWaterMark, overflow } = this.policy;
    if (size >= highWaterMark && !this.link.canPause) {
      if (overflow === 'error') {
        this.end({ error: new OverflowError(size, 0, overflow) });
        return;
      }
      this.dropped++;
      this.stretch++;
      if (overflow === 'drop-newest') return;
      this.shift();
    }
    this.append(value);
    if (size + 1 >= highWaterMark && !this.holding && this.link.canPause) {
      this.holding = true;
      this.link.hold();
    }
    if (size === 0) this.wake();
  }

  private append(value: T): void {
    let ring = this.ring;
    if (this.count === ring.length) {
      // Full: double it, the oldest first.
      const bigger = new Array<T | undefined>(ring.length * 2);
      for (let i = 0; i < this.count; i++) bigger[i] = ring[(this.head + i) & (ring.length - 1)];
      this.ring = ring = bigger;
      this.head = 0;
    }
    ring[(this.head + this.count) & (ring.length - 1)] = value;
    this.count++;
  }

  private shift(): T {
    const ring = this.ring;
    const value = ring[this.head] as T;
    ring[this.head] = undefined;
    this.head = (this.head + 1) & (ring.length - 1);
    this.count--;
    return value;
  }

  private caughtUp(): void {
    if (this.holding) {
      this.holding = false;
      this.link.release();
    }
    if (this.stretch > 0) {
      const dropped = this.stretch;
      this.stretch = 0;
      this.link.report(new OverflowError(this.policy.highWaterMark, dropped, this.policy.overflow));
    }
  }

  private end(failure: { error: unknown } | undefined): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.caughtUp();
    if (this.size === 0) this.wake();
  }
}
