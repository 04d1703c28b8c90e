/**
 * `brython-websocket/resilience`: the features with timers, kept out of the main entry so an
 * app that does not use them does not ship them. Each makes the value of the socket option of
 * the same name.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { connectTimeout, heartbeat, reconnect } from 'brython-websocket/resilience';
 * const ws = WebSocket('wss://example.test/feed', {
 *   reconnect: reconnect({ attempts: 10 }),
 *   connectTimeout: connectTimeout(5000),
 *   heartbeat: heartbeat({ interval: 15_000 }),
 * });
 *
 * @module brython-websocket/resilience
 */
export { reconnect, defaultShouldReconnect, backoffDelay, RECONNECT_DEFAULTS } from './reconnect.js';
export type { ReconnectOptions, ReconnectPolicy, ReconnectFeature } from './reconnect.js';
export { heartbeat, CLOSE_HEARTBEAT_TIMEOUT } from './heartbeat.js';
export type { HeartbeatOptions, HeartbeatPolicy, HeartbeatFeature } from './heartbeat.js';
export { connectTimeout, CLOSE_CONNECT_TIMEOUT } from './connect-timeout.js';
export type { ConnectTimeoutFeature } from './connect-timeout.js';
export type { Feature, FeatureHooks, ReconnectFeatureLike, SocketLink } from './features.js';
