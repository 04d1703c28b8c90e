/**
 * Structural types for the native socket and its events, so that the package does not
 * depend on the DOM's WebSocket types and accepts any constructor of the DOM shape (the
 * browser's, `ws`'s, undici's, mock-socket's). Only `Blob` and `URL` come from the
 * platform's globals (the DOM lib or @types/node, which rxjs's own types need too).
 */

/** Any event a native socket dispatches. */
export interface WsEvent {
  readonly type: string;
}

/** A native `message` event: `data` is a string for text frames, binary otherwise. */
export interface WsMessageEvent<D = MessageData> extends WsEvent {
  readonly data: D;
}

/** A native `close` event. */
export interface WsCloseEvent extends WsEvent {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** What a native socket delivers as `data`: text, or binary by `binaryType`. */
export type MessageData = string | ArrayBuffer | ArrayBufferView | Blob;

/** What `send()` accepts. */
export type SendData = string | ArrayBuffer | ArrayBufferView | Blob;

/** The four events of a socket, as in Brython's `bind`. */
export type EventName = 'open' | 'error' | 'message' | 'close';

/** The shape this package needs from a native WebSocket instance. */
export interface NativeWebSocket {
  readonly readyState: number;
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
  readonly bufferedAmount: number;
  binaryType: string;
  send(data: never): void;
  close(code?: number, reason?: string): void;
  // `never`: method parameters are compared both ways, so every constructor's own
  // listener type (ws's, undici's, the DOM's, mock-socket's) fits. A socket offers these two,
  // or else the four `on*` properties (a minimal test double); `addEventListener` is preferred.
  addEventListener?(type: string, listener: never): void;
  removeEventListener?(type: string, listener: never): void;
  onopen?: unknown;
  onmessage?: unknown;
  onerror?: unknown;
  onclose?: unknown;
}

/** A constructor of the DOM WebSocket shape: the global one, `ws`'s, mock-socket's. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => NativeWebSocket;
