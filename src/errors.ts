import type { WsCloseEvent } from './types.js';

/** Every error code the package uses. Codes are stable: match on them, not on messages. */
export type WebSocketErrorCode =
  | 'ERR_WS_UNSUPPORTED'
  | 'ERR_WS_INVALID_URL'
  | 'ERR_WS_INVALID_ARGUMENT'
  | 'ERR_WS_INVALID_STATE'
  | 'ERR_WS_INVALID_CLOSE'
  | 'ERR_WS_QUEUE_FULL'
  | 'ERR_WS_CLOSED'
  | 'ERR_WS_DECODE'
  | 'ERR_WS_TIMEOUT';

const BRAND = Symbol.for('brython-websocket.WebSocketError');

/**
 * The base class of every error the package throws or emits.
 *
 * @example
 * import { WebSocket, isWebSocketError } from 'brython-websocket';
 * try {
 *   WebSocket('localhost:8080');
 * } catch (e) {
 *   if (isWebSocketError(e) && e.code === 'ERR_WS_INVALID_URL') console.error(e.message);
 * }
 */
export class WebSocketError extends Error {
  override name: string = 'WebSocketError';
  readonly code: WebSocketErrorCode;

  constructor(code: WebSocketErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Brython's name: raised by `WebSocket()` when there is no WebSocket constructor to use. */
export class NotImplementedError extends WebSocketError {
  override name = 'NotImplementedError' as const;
  declare readonly code: 'ERR_WS_UNSUPPORTED';

  constructor(message: string) {
    super('ERR_WS_UNSUPPORTED', message);
  }
}

/**
 * How the subject face errors when the connection ends uncleanly without `close()`
 * having been called: the native close event's code, reason and `wasClean`.
 */
export class CloseError extends WebSocketError {
  override name = 'CloseError' as const;
  declare readonly code: 'ERR_WS_CLOSED';
  readonly closeCode: number;
  readonly reason: string;
  readonly wasClean: boolean;
  declare readonly event: WsCloseEvent;

  /**
   * `cause`: the error that came before the close on that connection (e.g. `ECONNREFUSED`),
   * where the runtime gave one.
   */
  constructor(event: WsCloseEvent, cause?: Error) {
    const why = event.reason ? ` (${JSON.stringify(event.reason)})` : '';
    super(
      'ERR_WS_CLOSED',
      `the connection closed uncleanly with code ${event.code}${why}; open a new one (or use reconnect())`,
      cause === undefined ? undefined : { cause },
    );
    this.closeCode = event.code;
    this.reason = event.reason;
    this.wasClean = event.wasClean;
    // Not enumerable: the native event's target holds the URL, credentials included, and
    // `console.error(error)` or `util.inspect` would print it.
    Object.defineProperty(this, 'event', { value: event, enumerable: false });
  }
}

/** A message the deserializer could not decode. The socket stays open; the raw data is kept. */
export class DecodeError extends WebSocketError {
  override name = 'DecodeError' as const;
  declare readonly code: 'ERR_WS_DECODE';
  readonly data: unknown;

  constructor(data: unknown, cause: unknown) {
    const what = cause instanceof Error ? cause.message : String(cause);
    super(
      'ERR_WS_DECODE',
      `could not decode a message (${what}); skipped, the socket stays open; the raw data is error.data`,
      { cause },
    );
    this.data = data;
  }
}

/**
 * A message that could not be sent: the native socket refused it (a detached buffer, data of a
 * kind it does not take). `data` holds what was refused, so nothing is lost silently. Thrown by
 * `send()`; emitted on `error$` for a queued message refused when the queue is sent, after
 * which the rest of the queue still goes out in order.
 */
export class SendError extends WebSocketError {
  override name = 'SendError' as const;
  declare readonly code: 'ERR_WS_INVALID_ARGUMENT';
  /** What was refused. */
  readonly data: unknown;

  constructor(message: string, data: unknown, options?: { cause?: unknown }) {
    super('ERR_WS_INVALID_ARGUMENT', message, options);
    this.data = data;
  }
}

/**
 * True for any error made by this package, also one from another realm (an iframe, a
 * worker's structured clone of the properties aside) or another copy of the package.
 */
export function isWebSocketError(value: unknown): value is WebSocketError {
  if (value instanceof WebSocketError) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
