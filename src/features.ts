import type { SchedulerLike } from 'rxjs';
import type { WebSocketError } from './errors.js';
import type { SendData, WsCloseEvent } from './types.js';

/**
 * The contract between a socket and the features of `brython-websocket/resilience`
 * (`reconnect()`, `heartbeat()`, `connectTimeout()`). Types only: the main entry holds no
 * timer and no feature code, so an app that does not use them does not ship them.
 */

/** What a socket lets one of its features do. */
export interface SocketLink {
  /** `options.scheduler` when given: the features default to `asyncScheduler`. */
  readonly scheduler: SchedulerLike | undefined;
  /** Emits `error` on `error$` (and to the bound error handlers). */
  report(error: WebSocketError): void;
  /**
   * Drops the current connection at once, without a closing handshake, as an unclean close
   * with `code`. Does nothing once that connection has ended.
   */
  drop(code: number, reason: string): void;
  /** Sends `data` when the connection is open, never queued; returns whether it went out. */
  sendNow(data: SendData): boolean;
  /** Starts the next connection attempt (while the socket is reconnecting). */
  reconnect(): void;
}

/** What a feature does at each step of a socket's life. Every hook is optional but `stop`. */
export interface FeatureHooks {
  /** A connection attempt has started. */
  connecting?(): void;
  /** The connection has opened (before the open handlers run). */
  open?(): void;
  /** A message has arrived: called on the hot path, so it must cost next to nothing. */
  message?(): void;
  /** Something has been handed to the native socket. */
  sent?(): void;
  /**
   * The connection has ended with `event`, and the user did not ask for it. Return `true` to
   * keep the socket: the feature then calls `link.reconnect()` when it wants the next attempt.
   * Anything else (nothing, as most features return) lets the socket end.
   */
  closed?(event: WsCloseEvent): unknown;
  /**
   * Reading from the transport was paused on purpose (`brython-websocket/streams`): nothing
   * arrives until `resumed`, so silence is no sign of a dead link.
   */
  paused?(): void;
  /** Reading from the transport has resumed after `paused`. */
  resumed?(): void;
  /** The socket is closing or has closed for good: release every timer. May run twice. */
  stop(): void;
}

/** A feature for `options[kind]`, as made by `reconnect()`, `heartbeat()` or `connectTimeout()`. */
export interface Feature<K extends 'reconnect' | 'heartbeat' | 'connectTimeout'> {
  /**
   * The option this feature is for: `'reconnect'`, `'heartbeat'` or `'connectTimeout'`. A feature
   * passed under another option's name is refused.
   */
  readonly kind: K;
  /** Wires the feature to one socket; called once, in the socket's constructor. */
  attach(link: SocketLink): FeatureHooks;
}

/**
 * What `options.reconnect` takes: the `ReconnectFeature` that `reconnect()` from
 * `'brython-websocket/resilience'` returns, or another object of the feature shape. Named so
 * that TypeScript says it when given the reconnect options themselves (`{ attempts: 3 }`).
 */
export interface ReconnectFeatureLike extends Feature<'reconnect'> {
  readonly kind: 'reconnect';
}

/**
 * What a socket lets the readers and writers of `brython-websocket/streams` do: hold reading
 * from the transport paused (where the native socket has `pause()`/`resume()`, as `ws` has),
 * and see what their backpressure depends on. Made on request, never by the main entry.
 */
export interface FlowLink {
  /** Whether the current native socket can stop reading (it has `pause()` and `resume()`). */
  readonly canPause: boolean;
  /** `options.scheduler` when given. */
  readonly scheduler: SchedulerLike | undefined;
  /** `options.maxQueue`: the bound of the send queue. */
  readonly maxQueue: number;
  /** Whether the user called `close()` (then a final close is never a `CloseError`). */
  readonly closeRequested: boolean;
  /**
   * Adds one hold: while any hold is on and the connection is open, the native socket does
   * not read (re-applied to each new connection; released while closing, so the closing
   * handshake can complete).
   */
  hold(): void;
  /** Removes one hold; reading resumes when none is left. */
  release(): void;
  /** Emits `error` on `error$` (and to the bound error handlers). */
  report(error: WebSocketError): void;
}
