export { WebSocket, RxWebSocket, CLOSE_CONNECT_TIMEOUT } from './websocket.js';
export type { SocketState, SocketEventMap, BindingsMap, WebSocketFactory } from './websocket.js';
export type { SocketOptions } from './options.js';
export { defaultShouldReconnect, backoffDelay, RECONNECT_DEFAULTS } from './reconnect.js';
export type { ReconnectOptions, ReconnectPolicy } from './reconnect.js';
export { CLOSE_HEARTBEAT_TIMEOUT } from './heartbeat.js';
export type { HeartbeatOptions } from './heartbeat.js';
export { webSocket, WebSocketSubject } from './rxjs-compat.js';
export type { WebSocketSubjectConfig } from './rxjs-compat.js';
export { supported } from './support.js';
export { json, identitySerializer, identityDeserializer } from './codec.js';
export type { Serializer, Deserializer } from './codec.js';
export { DEFAULT_MAX_QUEUE } from './outbox.js';
export { WebSocketError, NotImplementedError, CloseError, DecodeError, isWebSocketError } from './errors.js';
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
