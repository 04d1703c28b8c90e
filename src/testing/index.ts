/**
 * `brython-websocket/testing`: `FakeWebSocket`, a socket a test drives by hand, and
 * `marbleServer`, a server scripted with RxJS marbles. Neither opens a network connection.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { FakeWebSocket } from 'brython-websocket/testing';
 * const ws = WebSocket('ws://test', { WebSocketCtor: FakeWebSocket });
 * FakeWebSocket.last.open();
 *
 * @module brython-websocket/testing
 */
export { FakeWebSocket } from './fake-websocket.js';
export type {
  CloseRequest,
  FakeBinaryType,
  FakeCloseEvent,
  FakeEvent,
  FakeListener,
  FakeListenerOptions,
  FakeMessageData,
  FakeMessageEvent,
  FakeSendData,
  FakeWebSocketEventMap,
} from './fake-websocket.js';
export { marbleServer } from './marble.js';
export type { MarbleAction, MarbleClose, MarbleOpen, MarbleServer, ScriptOptions } from './marble.js';
