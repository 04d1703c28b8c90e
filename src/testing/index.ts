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
