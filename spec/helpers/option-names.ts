/**
 * The socket options the docs list (docs/api.md, Options), written out here rather than read
 * from src/options.ts: the specs check the package against the documented names.
 */
export const SOCKET_OPTION_NAMES: readonly string[] = [
  'protocols',
  'binaryType',
  'WebSocketCtor',
  'serializer',
  'deserializer',
  'maxQueue',
  'scheduler',
  'reconnect',
  'connectTimeout',
  'heartbeat',
];
