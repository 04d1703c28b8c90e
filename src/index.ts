export { WebSocket, RxWebSocket } from './websocket.js';
export type { SocketState, SocketEventMap, BindingsMap, WebSocketFactory, DomEventMap, RxWebSocketClass } from './websocket.js';
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
