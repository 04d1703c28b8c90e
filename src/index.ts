/**
 * The main entry: Brython's `WebSocket` as an RxJS subject, its errors and its codecs.
 * The features with timers are in `brython-websocket/resilience`, the readers and writers with
 * backpressure in `brython-websocket/streams`, the drop-in for `rxjs/webSocket` in
 * `brython-websocket/webSocket`, and the test doubles in `brython-websocket/testing`.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * const ws = WebSocket('wss://example.test/chat');
 * ws.bind('open', () => ws.send('hello'));
 * ws.subscribe({
 *   next: (data) => console.log('received', data),
 *   error: (e) => console.error('the connection was lost', e),
 * });
 *
 * @module brython-websocket
 */
export { WebSocket, RxWebSocket } from './websocket.js';
export type {
  SocketState,
  SocketEventMap,
  BindingsMap,
  WebSocketFactory,
  DomEventMap,
  RxWebSocketClass,
} from './websocket.js';
export type { DomListener, DomListenerOptions } from './dom-events.js';
export type { SocketOptions } from './options.js';
export { supported } from './support.js';
export { json, identitySerializer, identityDeserializer } from './codec.js';
export type { Serializer, Deserializer } from './codec.js';
export { DEFAULT_MAX_QUEUE } from './outbox.js';
export { WebSocketError, NotImplementedError, CloseError, DecodeError, SendError, isWebSocketError } from './errors.js';
export type { WebSocketErrorCode } from './errors.js';
export type {
  EventName,
  MessageData,
  SendData,
  WsEvent,
  WsMessageEvent,
  WsCloseEvent,
  NativeWebSocket,
  WebSocketConstructor,
} from './types.js';
