import type { SchedulerLike } from 'rxjs';
import type { Deserializer, Serializer } from './codec.js';
import type { Feature, ReconnectFeatureLike } from './features.js';
import { DEFAULT_MAX_QUEUE } from './outbox.js';
import { describe, invalid, refuseUnknown, validateProtocols } from './support.js';
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
   * Reconnect after a close you did not ask for: `reconnect()` from
   * `'brython-websocket/resilience'`. Off, as in Brython. While waiting, `state` is
   * `'reconnecting'`, `readyState` is `CONNECTING`, `send()` queues, and the same object,
   * streams and handlers carry on with the new socket.
   * `false` is the same as leaving it out.
   * @default undefined (off)
   * @example
   * import { WebSocket } from 'brython-websocket';
   * import { reconnect } from 'brython-websocket/resilience';
   * WebSocket('wss://example.test', { reconnect: reconnect({ attempts: 5, initialDelay: 250 }) });
   */
  reconnect?: ReconnectFeatureLike | false;
  /**
   * Give up on a connection attempt that has not opened in time: `connectTimeout(ms)` from
   * `'brython-websocket/resilience'`.
   * @default undefined (no timeout)
   * @example
   * import { WebSocket } from 'brython-websocket';
   * import { connectTimeout, reconnect } from 'brython-websocket/resilience';
   * WebSocket('wss://example.test', { connectTimeout: connectTimeout(5000), reconnect: reconnect() });
   */
  connectTimeout?: Feature<'connectTimeout'> | false;
  /**
   * Pings while idle and drops a connection that has gone silent: `heartbeat({ interval })`
   * from `'brython-websocket/resilience'`.
   * @default undefined (off)
   * @example
   * import { WebSocket } from 'brython-websocket';
   * import { heartbeat } from 'brython-websocket/resilience';
   * WebSocket('wss://example.test', { heartbeat: heartbeat({ interval: 15_000, message: 'ping' }) });
   */
  heartbeat?: Feature<'heartbeat'> | false;
  /**
   * The scheduler every timer of the socket runs on (the reconnect delays, the connect
   * timeout, the heartbeat, and the 1,000 ms wait for a `close` that Node 22's and Node 20's
   * global WebSocket never fire after a failed connection, see docs/runtimes.md), so
   * `TestScheduler` can drive them in virtual time.
   * @default asyncScheduler for the features; one `setTimeout` for the wait for a close
   * @example
   * import { TestScheduler } from 'rxjs/testing';
   * import { WebSocket } from 'brython-websocket';
   * import { reconnect } from 'brython-websocket/resilience';
   * const scheduler = new TestScheduler((a, b) => console.assert(JSON.stringify(a) === JSON.stringify(b)));
   * WebSocket('wss://example.test', { scheduler, reconnect: reconnect() });
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
  /** The features given, in the order their hooks run. */
  features: Feature<FeatureKind>[];
  scheduler: SchedulerLike | undefined;
}

type FeatureKind = 'connectTimeout' | 'heartbeat' | 'reconnect';
/** In this order: a connect timeout and a heartbeat stop before reconnection decides. */
const FEATURES: FeatureKind[] = ['connectTimeout', 'heartbeat', 'reconnect'];

const KNOWN = [
  'protocols',
  'binaryType',
  'WebSocketCtor',
  'serializer',
  'deserializer',
  'maxQueue',
  'scheduler',
  ...FEATURES,
];

/**
 * Reads `(protocols?, options?)` or `(options?)`, checks every option's type, and refuses
 * unknown keys (a typo would otherwise be ignored silently).
 */
export function resolveOptions<In, Out>(protocolsOrOptions: unknown, maybeOptions: unknown): ResolvedOptions<In, Out> {
  let protocols: unknown;
  let options: unknown = maybeOptions;
  if (typeof protocolsOrOptions === 'string' || Array.isArray(protocolsOrOptions)) protocols = protocolsOrOptions;
  else if (protocolsOrOptions !== undefined) {
    if (maybeOptions !== undefined) {
      throw invalid(`before options, the second argument is the protocols, got ${describe(protocolsOrOptions)}`);
    }
    options = protocolsOrOptions;
  }
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid(`options must be an object, got ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  refuseUnknown(o, KNOWN, 'option');
  if (protocols !== undefined && o.protocols !== undefined) throw invalid('protocols were given twice; give them once');
  const check = (key: string, ok: boolean, what: string): void => {
    if (o[key] !== undefined && !ok) throw invalid(`options.${key} must be ${what}, got ${describe(o[key])}`);
  };
  for (const key of ['WebSocketCtor', 'serializer', 'deserializer'])
    check(key, typeof o[key] === 'function', 'a function');
  check('binaryType', typeof o.binaryType === 'string', "a string such as 'arraybuffer'");
  const maxQueue = o.maxQueue === undefined ? DEFAULT_MAX_QUEUE : o.maxQueue;
  check(
    'maxQueue',
    maxQueue === Infinity || (Number.isInteger(maxQueue) && (maxQueue as number) >= 0),
    'a whole number (0 or more, or Infinity)',
  );
  const scheduler = o.scheduler as SchedulerLike | undefined;
  check(
    'scheduler',
    typeof scheduler?.schedule === 'function' && typeof scheduler.now === 'function',
    'an RxJS scheduler',
  );
  const features: Feature<FeatureKind>[] = [];
  for (const kind of FEATURES) {
    const value = o[kind] as Partial<Feature<FeatureKind>> | false | null | undefined;
    if (value === undefined || value === false) continue;
    if (typeof value?.attach !== 'function' || value.kind !== kind) {
      throw invalid(`options.${kind} takes ${kind}(…) from 'brython-websocket/resilience', got ${describe(value)}`);
    }
    features.push(value as Feature<FeatureKind>);
  }
  // The checked options as given (binaryType, WebSocketCtor, serializer, deserializer), and the rest resolved.
  return {
    ...o,
    protocols: validateProtocols(protocols ?? o.protocols),
    maxQueue,
    features,
  } as unknown as ResolvedOptions<In, Out>;
}
