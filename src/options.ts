import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Deserializer, Serializer } from './codec.js';
import { WebSocketError } from './errors.js';
import { resolveHeartbeat, type HeartbeatOptions, type HeartbeatPolicy } from './heartbeat.js';
import { DEFAULT_MAX_QUEUE } from './outbox.js';
import { resolveReconnect, type ReconnectOptions, type ReconnectPolicy } from './reconnect.js';
import { describe, validateProtocols } from './support.js';
import type { MessageData, SendData, WebSocketConstructor } from './types.js';

/**
 * Options of `WebSocket(host, options)` and `new RxWebSocket(host, options)`.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { WebSocket as WsCtor } from 'ws';
 * const ws = WebSocket('ws://localhost:8080', { WebSocketCtor: WsCtor, maxQueue: 100 });
 */
export interface SocketOptions<In = MessageData, Out = SendData> {
  /**
   * Subprotocols to offer, as the second argument of the DOM constructor. Each is a token,
   * listed once. The server's choice is `ws.protocol` once open.
   * @default undefined (none)
   * @example
   * import { WebSocket } from 'brython-websocket';
   * WebSocket('wss://example.test', { protocols: ['chat.v2', 'chat.v1'] });
   */
  protocols?: string | string[];
  /**
   * How binary messages arrive: `'blob'` or `'arraybuffer'` (browsers), also `'nodebuffer'`
   * with `ws`. Set on the native socket before any message; `ws.binaryType` changes it later.
   * @default the native socket's own default ('blob' in browsers, 'nodebuffer' in ws)
   * @example
   * import { WebSocket } from 'brython-websocket';
   * WebSocket('wss://example.test', { binaryType: 'arraybuffer' });
   */
  binaryType?: string;
  /**
   * The WebSocket constructor to use: any constructor of the DOM shape. Needed where there
   * is no global `WebSocket` (Node 20 without `--experimental-websocket`).
   * @default globalThis.WebSocket
   * @example
   * import { WebSocket } from 'brython-websocket';
   * import { WebSocket as WsCtor } from 'ws';
   * WebSocket('ws://localhost:8080', { WebSocketCtor: WsCtor });
   */
  WebSocketCtor?: WebSocketConstructor;
  /**
   * Turns what `next()` receives into what is sent. Its errors are thrown to `next()`'s caller.
   * @default the identity: text is sent as text, binary as binary
   * @example
   * import { WebSocket } from 'brython-websocket';
   * WebSocket<string, { op: string }>('wss://example.test', { serializer: (v) => JSON.stringify(v) });
   */
  serializer?: Serializer<Out>;
  /**
   * Turns each message event into what the subject face emits. When it throws, the message is
   * skipped, `error$` gets a `DecodeError` with the raw data, and the socket stays open. It
   * runs only while the subject face has a subscriber.
   * @default the event's `data`
   * @example
   * import { WebSocket } from 'brython-websocket';
   * WebSocket('wss://example.test', { deserializer: (e) => JSON.parse(String(e.data)) as unknown });
   */
  deserializer?: Deserializer<In>;
  /**
   * How many messages `send()` may queue while the socket is connecting. When full, `send()`
   * throws `ERR_WS_QUEUE_FULL` and queues nothing. `0` refuses to queue at all; `Infinity`
   * removes the bound.
   * @default 1000
   * @example
   * import { WebSocket } from 'brython-websocket';
   * WebSocket('wss://example.test', { maxQueue: 0 }); // send() before open throws
   */
  maxQueue?: number;
  /**
   * Reconnect after a close you did not ask for: `true` for the defaults, or the policy. Off,
   * as in Brython. While waiting, `state` is `'reconnecting'`, `readyState` is `CONNECTING`,
   * `send()` queues, and the same object, streams and handlers carry on with the new socket.
   * @default false
   * @example
   * import { WebSocket } from 'brython-websocket';
   * WebSocket('wss://example.test', { reconnect: { attempts: 5, initialDelay: 250 } });
   */
  reconnect?: boolean | ReconnectOptions;
  /**
   * Give up on a connection attempt that has not opened after this many ms: `error$` gets an
   * `ERR_WS_TIMEOUT` error, `close$` a close with code 4901 (`CLOSE_CONNECT_TIMEOUT`), and it
   * counts as a failed attempt for reconnection.
   * @default Infinity (no timeout)
   * @example
   * import { WebSocket } from 'brython-websocket';
   * WebSocket('wss://example.test', { connectTimeout: 5000, reconnect: true });
   */
  connectTimeout?: number;
  /**
   * Pings while idle and drops a connection that has gone silent; see `HeartbeatOptions`.
   * @default undefined (off)
   * @example
   * import { WebSocket } from 'brython-websocket';
   * WebSocket('wss://example.test', { heartbeat: { interval: 15_000, message: 'ping', timeout: 40_000 } });
   */
  heartbeat?: HeartbeatOptions;
  /**
   * The scheduler every timer of the socket runs on (reconnect delays, connect timeout,
   * heartbeat), so `TestScheduler` can drive them in virtual time.
   * @default asyncScheduler
   * @example
   * import { TestScheduler } from 'rxjs/testing';
   * import { WebSocket } from 'brython-websocket';
   * const scheduler = new TestScheduler((a, b) => console.assert(JSON.stringify(a) === JSON.stringify(b)));
   * WebSocket('wss://example.test', { scheduler, reconnect: true });
   */
  scheduler?: SchedulerLike;
}

/** The options after validation, with defaults applied. */
export interface ResolvedOptions<In, Out> {
  protocols: string | string[] | undefined;
  binaryType: string | undefined;
  WebSocketCtor: WebSocketConstructor | undefined;
  serializer: Serializer<Out> | undefined;
  deserializer: Deserializer<In> | undefined;
  maxQueue: number;
  reconnect: ReconnectPolicy | undefined;
  connectTimeout: number;
  heartbeat: HeartbeatPolicy | undefined;
  scheduler: SchedulerLike;
}

const KNOWN = [
  'protocols',
  'binaryType',
  'WebSocketCtor',
  'serializer',
  'deserializer',
  'maxQueue',
  'reconnect',
  'connectTimeout',
  'heartbeat',
  'scheduler',
];

function invalid(message: string): WebSocketError {
  return new WebSocketError('ERR_WS_INVALID_ARGUMENT', message);
}

/**
 * Reads `(protocols?, options?)` or `(options?)`, checks every option's type, and refuses
 * unknown keys (a typo would otherwise be ignored silently).
 */
export function resolveOptions<In, Out>(
  protocolsOrOptions: unknown,
  maybeOptions: unknown,
): ResolvedOptions<In, Out> {
  let protocols: unknown;
  let options: unknown;
  if (typeof protocolsOrOptions === 'string' || Array.isArray(protocolsOrOptions)) {
    protocols = protocolsOrOptions;
    options = maybeOptions;
  } else if (protocolsOrOptions === undefined) {
    options = maybeOptions;
  } else {
    if (maybeOptions !== undefined) {
      throw invalid(
        `the second argument must be the protocols (a string or an array of strings) when options follow it, got ${describe(protocolsOrOptions)}`,
      );
    }
    options = protocolsOrOptions;
  }
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`options must be an object, got ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.includes(key)) {
      throw invalid(`unknown option ${JSON.stringify(key)}; the options are ${KNOWN.join(', ')}`);
    }
  }
  if (protocols !== undefined && o.protocols !== undefined) {
    throw invalid('protocols were given twice, as an argument and as options.protocols; give them once');
  }
  const checkFunction = (key: string): void => {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw invalid(`options.${key} must be a function, got ${describe(o[key])}`);
    }
  };
  checkFunction('WebSocketCtor');
  checkFunction('serializer');
  checkFunction('deserializer');
  if (o.binaryType !== undefined && typeof o.binaryType !== 'string') {
    throw invalid(`options.binaryType must be a string such as 'arraybuffer' or 'blob', got ${describe(o.binaryType)}`);
  }
  const maxQueue = o.maxQueue === undefined ? DEFAULT_MAX_QUEUE : o.maxQueue;
  if (
    typeof maxQueue !== 'number' ||
    !(maxQueue === Infinity || (Number.isInteger(maxQueue) && maxQueue >= 0))
  ) {
    throw invalid(`options.maxQueue must be a whole number of messages (0 or more, or Infinity), got ${describe(maxQueue)}`);
  }
  const connectTimeout = o.connectTimeout === undefined ? Infinity : o.connectTimeout;
  if (typeof connectTimeout !== 'number' || Number.isNaN(connectTimeout) || connectTimeout <= 0) {
    throw invalid(`options.connectTimeout must be a number of milliseconds above 0 (or Infinity), got ${describe(connectTimeout)}`);
  }
  const scheduler = o.scheduler === undefined ? asyncScheduler : o.scheduler;
  if (
    typeof scheduler !== 'object' ||
    scheduler === null ||
    typeof (scheduler as SchedulerLike).schedule !== 'function' ||
    typeof (scheduler as SchedulerLike).now !== 'function'
  ) {
    throw invalid(`options.scheduler must be an RxJS scheduler (asyncScheduler, a TestScheduler), got ${describe(scheduler)}`);
  }
  return {
    reconnect: resolveReconnect(o.reconnect),
    connectTimeout,
    heartbeat: resolveHeartbeat(o.heartbeat),
    scheduler: scheduler as SchedulerLike,
    protocols: validateProtocols(protocols ?? o.protocols),
    binaryType: o.binaryType as string | undefined,
    WebSocketCtor: o.WebSocketCtor as WebSocketConstructor | undefined,
    serializer: o.serializer as Serializer<Out> | undefined,
    deserializer: o.deserializer as Deserializer<In> | undefined,
    maxQueue,
  };
}
