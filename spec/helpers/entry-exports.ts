/**
 * What each entry of the package exports, by name, sorted as `Object.keys(...).sort()` gives
 * them: written out here (not read from src) so that the specs check the package against it.
 */

/** `brython-websocket`: the core, without the timers (resilience) or the RxJS drop-in. */
export const RUNTIME_EXPORTS = [
  'CloseError',
  'DEFAULT_MAX_QUEUE',
  'DecodeError',
  'NotImplementedError',
  'RxWebSocket',
  'SendError',
  'WebSocket',
  'WebSocketError',
  'identityDeserializer',
  'identitySerializer',
  'isWebSocketError',
  'json',
  'supported',
];

/** `brython-websocket/resilience`. */
export const RESILIENCE_EXPORTS = [
  'CLOSE_CONNECT_TIMEOUT',
  'CLOSE_HEARTBEAT_TIMEOUT',
  'RECONNECT_DEFAULTS',
  'backoffDelay',
  'connectTimeout',
  'defaultShouldReconnect',
  'heartbeat',
  'reconnect',
];

/** `brython-websocket/webSocket`. */
export const WEBSOCKET_EXPORTS = ['ObjectUnsubscribedError', 'WebSocketSubject', 'webSocket'];

/** `brython-websocket/streams`. */
export const STREAMS_EXPORTS = [
  'DEFAULT_HIGH_WATER_MARK',
  'DEFAULT_WRITE_HIGH_WATER_MARK',
  'OverflowError',
  'concatMapPaced',
  'messages',
  'readable',
  'writable',
];
