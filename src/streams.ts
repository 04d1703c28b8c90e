/**
 * `brython-websocket/streams`: reading a socket at the pace of its slowest consumer, in
 * bounded memory (`messages()` for `for await`, `readable()`, `concatMapPaced()` for Rx), and
 * writing to it no faster than it sends (`writable()`). Kept out of the main entry.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { messages } from 'brython-websocket/streams';
 * import { WebSocket as WsCtor } from 'ws';
 * const ws = WebSocket('ws://localhost:8080/feed', { WebSocketCtor: WsCtor });
 * for await (const message of messages(ws)) await saveToDatabase(message);
 *
 * @module brython-websocket/streams
 */
export { messages } from './messages.js';
export type { MessageIterator } from './messages.js';
export { readable } from './readable.js';
export { writable, DEFAULT_WRITE_HIGH_WATER_MARK } from './writable.js';
export type { WriteOptions } from './writable.js';
export { concatMapPaced } from './paced.js';
export type { PacedOptions } from './paced.js';
export { OverflowError, DEFAULT_HIGH_WATER_MARK } from './inlet.js';
export type { ReadOptions, OverflowRule } from './inlet.js';
