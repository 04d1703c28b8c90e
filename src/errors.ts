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
  | 'ERR_WS_TIMEOUT'
  | 'ERR_WS_OVERFLOW';

const BRAND = Symbol.for('brython-websocket.WebSocketError');

/**
 * The base class of every error the package throws or emits. Test for it with
 * {@link isWebSocketError} (which also sees errors from another realm) and branch on `code`.
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
  /** `'WebSocketError'`, or the subclass's own name (`'CloseError'`, `'DecodeError'`...). */
  override name = 'WebSocketError';
  /** What went wrong, stable across versions: match on it, not on `message`. */
  readonly code: WebSocketErrorCode;

  constructor(code: WebSocketErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Brython's name: raised by `WebSocket()` when there is no WebSocket constructor to use (no
 * global `WebSocket`, as in Node 20, and no `options.WebSocketCtor`).
 *
 * @example
 * import { WebSocket, NotImplementedError } from 'brython-websocket';
 * import { WebSocket as WsCtor } from 'ws';
 * let ws;
 * try {
 *   ws = WebSocket('ws://localhost:8080');
 * } catch (e) {
 *   if (!(e instanceof NotImplementedError)) throw e;
 *   ws = WebSocket('ws://localhost:8080', { WebSocketCtor: WsCtor }); // Node 20: use ws's
 * }
 */
export class NotImplementedError extends WebSocketError {
  /** Always `'NotImplementedError'`. */
  override name = 'NotImplementedError' as const;
  /** Always `'ERR_WS_UNSUPPORTED'`. */
  declare readonly code: 'ERR_WS_UNSUPPORTED';

  constructor(message: string) {
    super('ERR_WS_UNSUPPORTED', message);
  }
}

/**
 * How the subject face errors when the connection ends uncleanly without `close()`
 * having been called: the native close event's code, reason and `wasClean`.
 *
 * @example
 * import { WebSocket, CloseError } from 'brython-websocket';
 * WebSocket('wss://example.test/feed').subscribe({
 *   next: (data) => console.log(data),
 *   error: (e) => {
 *     if (e instanceof CloseError) console.error(`lost the connection: ${e.closeCode} ${e.reason}`);
 *   },
 * });
 */
export class CloseError extends WebSocketError {
  /** Always `'CloseError'`. */
  override name = 'CloseError' as const;
  /** Always `'ERR_WS_CLOSED'`. */
  declare readonly code: 'ERR_WS_CLOSED';
  /** The close event's code, e.g. 1006 when the connection dropped without a closing handshake. */
  readonly closeCode: number;
  /** The close event's reason: the text the server sent with its close frame, often empty. */
  readonly reason: string;
  /** Whether the closing handshake completed (false for a dropped connection). */
  readonly wasClean: boolean;
  /**
   * The native close event itself. Not enumerable, so logging the error does not print its target
   * (whose URL may hold credentials).
   */
  declare readonly event: WsCloseEvent;

  /**
   * `cause`: the error that came before the close on that connection (e.g. `ECONNREFUSED`),
   * where the runtime gave one.
   */
  constructor(event: WsCloseEvent, cause?: Error) {
    const why = event.reason ? ` (${JSON.stringify(event.reason)})` : '';
    super(
      'ERR_WS_CLOSED',
      `closed uncleanly with code ${event.code}${why}; open a new socket, or use reconnect()`,
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

/**
 * A message the deserializer could not decode, reported on `error$`. The message is skipped,
 * the socket stays open, and `data` keeps the raw data.
 *
 * @example
 * import { WebSocket, DecodeError, json } from 'brython-websocket';
 * const ws = WebSocket('wss://example.test/ticks', { ...json() });
 * ws.error$.subscribe((e) => {
 *   if (e instanceof DecodeError) console.warn('skipped a message that is not JSON:', e.data);
 * });
 */
export class DecodeError extends WebSocketError {
  /** Always `'DecodeError'`. */
  override name = 'DecodeError' as const;
  /** Always `'ERR_WS_DECODE'`. */
  declare readonly code: 'ERR_WS_DECODE';
  /** The raw message data that could not be decoded, as the socket delivered it. */
  readonly data: unknown;

  constructor(data: unknown, cause: unknown) {
    const what = cause instanceof Error ? cause.message : String(cause);
    super(
      'ERR_WS_DECODE',
      `could not decode a message (${what}); skipped, the socket stays open; the data is error.data`,
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
 *
 * @example
 * import { WebSocket, SendError } from 'brython-websocket';
 * const ws = WebSocket('wss://example.test/upload');
 * const buffer = new ArrayBuffer(8);
 * structuredClone(buffer, { transfer: [buffer] }); // detaches it
 * try {
 *   ws.send(buffer);
 * } catch (e) {
 *   if (e instanceof SendError) console.error('not sent:', e.message, e.data);
 * }
 */
export class SendError extends WebSocketError {
  /** Always `'SendError'`. */
  override name = 'SendError' as const;
  /** Always `'ERR_WS_INVALID_ARGUMENT'`. */
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
 * worker's structured clone of the properties aside) or another copy of the package, where
 * `instanceof` would say false.
 *
 * @example
 * import { WebSocket, isWebSocketError } from 'brython-websocket';
 * try {
 *   WebSocket('localhost:8080'); // no scheme
 * } catch (e) {
 *   if (isWebSocketError(e)) console.error(e.code, e.message); // ERR_WS_INVALID_URL, and what to do
 *   else throw e;
 * }
 */
export function isWebSocketError(value: unknown): value is WebSocketError {
  const v = Object(value) as { [BRAND]?: unknown; code?: unknown };
  return (
    value instanceof WebSocketError || (typeof value === 'object' && v[BRAND] === true && typeof v.code === 'string')
  );
}
