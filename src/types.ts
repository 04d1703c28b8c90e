/**
 * Structural types for the native socket and its events, so that the package does not
 * depend on the DOM's WebSocket types and accepts any constructor of the DOM shape (the
 * browser's, `ws`'s, undici's, mock-socket's). Only `Blob` and `URL` come from the
 * platform's globals (the DOM lib or @types/node, which rxjs's own types need too).
 */

/**
 * Any event a native socket dispatches: what `open$` and `error$` emit (with the package's own errors
 * on `error$`).
 */
export interface WsEvent {
  /** The event's name: `'open'`, `'message'`, `'error'` or `'close'` for a native socket's events. */
  readonly type: string;
}

/** A native `message` event: `data` is a string for text frames, binary otherwise. */
export interface WsMessageEvent<D = MessageData> extends WsEvent {
  /**
   * The message: a string for a text frame; for a binary frame a `Blob`, an `ArrayBuffer` or (with
   * `ws`) a Node `Buffer`, by the socket's `binaryType`.
   */
  readonly data: D;
}

/** A native `close` event: what `close$` emits and `bind('close', fn)` receives. */
export interface WsCloseEvent extends WsEvent {
  /**
   * The close code: 1000 for a normal close, 1006 when the connection dropped without a closing
   * handshake, 3000-4999 for codes of an application.
   */
  readonly code: number;
  /** The close reason the other side sent (at most 123 bytes of UTF-8), often empty. */
  readonly reason: string;
  /** Whether the closing handshake completed. */
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
  /** 0 (CONNECTING), 1 (OPEN), 2 (CLOSING) or 3 (CLOSED). */
  readonly readyState: number;
  /** The URL the socket connected to, after the runtime's own normalization. */
  readonly url: string;
  /** The subprotocol the server chose; empty before the open or when none was. */
  readonly protocol: string;
  /** The extensions the server chose (e.g. `permessage-deflate`); empty before the open. */
  readonly extensions: string;
  /** Bytes handed to `send()` that the runtime has not yet written to the network. */
  readonly bufferedAmount: number;
  /** How binary messages arrive: `'blob'` or `'arraybuffer'` (`ws` adds `'nodebuffer'` and `'fragments'`). */
  binaryType: string;
  /** Sends a text or binary message; typed `never` so that every runtime's own parameter type fits. */
  send(data: never): void;
  /** Starts the closing handshake with an optional code (1000 or 3000-4999) and reason. */
  close(code?: number, reason?: string): void;
  // `never`: method parameters are compared both ways, so every constructor's own
  // listener type (ws's, undici's, the DOM's, mock-socket's) fits. A socket offers these two,
  // or else the four `on*` properties (a minimal test double); `addEventListener` is preferred.
  /** Adds a listener of `open`, `message`, `error` or `close`. */
  addEventListener?(type: string, listener: never): void;
  /** Removes a listener added with `addEventListener`. */
  removeEventListener?(type: string, listener: never): void;
  /** The `open` handler property, used only when the socket has no `addEventListener`. */
  onopen?: unknown;
  /** The `message` handler property, used only when the socket has no `addEventListener`. */
  onmessage?: unknown;
  /** The `error` handler property, used only when the socket has no `addEventListener`. */
  onerror?: unknown;
  /** The `close` handler property, used only when the socket has no `addEventListener`. */
  onclose?: unknown;
}

/** A constructor of the DOM WebSocket shape: the global one, `ws`'s, mock-socket's. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => NativeWebSocket;
