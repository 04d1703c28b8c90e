/**
 * `brython-websocket/webSocket`: a drop-in for RxJS's `rxjs/webSocket` (`webSocket()`,
 * `WebSocketSubject`) on this package's socket, with RxJS 7's known bugs fixed.
 *
 * @example
 * import { webSocket } from 'brython-websocket/webSocket';
 * const subject = webSocket<{ text: string }>('wss://example.test/chat');
 * subject.subscribe({ next: (m) => console.log(m.text), error: (e) => console.error(e) });
 *
 * @module brython-websocket/webSocket
 */
import { Observable, type Observer, type Subscriber, type SubscriptionLike, type TeardownLogic } from 'rxjs';
import { reportHandlerError } from './bindings.js';
import { json } from './codec.js';
import { CloseError } from './errors.js';
import { EventChannel } from './events.js';
import { multiplex, type MultiplexHost } from './multiplex.js';
import { ObjectUnsubscribedError } from './object-unsubscribed.js';
import { resolveOptions } from './options.js';
import { Outbox } from './outbox.js';
import { assertSendable, closeOf, describe, invalid, normalizeUrl, refuseUnknown } from './support.js';
import type { SendData, WebSocketConstructor, WsCloseEvent, WsEvent, WsMessageEvent } from './types.js';
import { RxWebSocket } from './websocket.js';

/**
 * The configuration of `webSocket(config)`: RxJS 7's `WebSocketSubjectConfig`, with the incoming
 * and outgoing types apart (`In`, what subscribers receive; `Out`, what `next()` takes).
 *
 * The observers and the deserializer are declared as methods, so that RxJS-era code typed with
 * the DOM's `Event`, `CloseEvent` and `MessageEvent` still compiles.
 *
 * @example
 * import { webSocket } from 'brython-websocket/webSocket';
 * const subject = webSocket<{ price: number }, { subscribe: string }>({
 *   url: 'wss://example.test/ticks',
 *   openObserver: { next: () => console.log('open') },
 *   closeObserver: { next: (event) => console.log('closed with', event.code) },
 * });
 */
export interface WebSocketSubjectConfig<In, Out = In> {
  /**
   * The server's URL: `ws:` or `wss:` (`http:` and `https:` are mapped to them, as browsers do).
   * Checked when `webSocket()` is called.
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket({ url: 'wss://example.test/chat' });
   */
  url: string | URL;
  /**
   * The subprotocol or subprotocols to offer. An empty string means none, as in RxJS.
   * @default undefined (none)
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket({ url: 'wss://example.test', protocol: ['chat.v2', 'chat.v1'] });
   */
  protocol?: string | string[];
  /**
   * Turns what `next()` receives into what is sent. It runs inside `next()`, so its errors are
   * thrown to `next()`'s caller and nothing is queued or closed.
   * @default JSON.stringify (a value it cannot encode, such as `undefined`, throws a TypeError)
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket<string, string>({ url: 'wss://example.test', serializer: (text) => text });
   */
  serializer?: (value: Out) => SendData;
  /**
   * Turns each message event into what subscribers receive. When it throws, the subscribers get
   * that error and the socket is closed with 1000.
   * @default (event) => JSON.parse(event.data)
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket<string>({ url: 'wss://example.test', deserializer: (event) => String(event.data) });
   */
  deserializer?(event: WsMessageEvent): In;
  /**
   * Told of each socket's `open` event, before the messages `next()` buffered are sent (so it can
   * still queue a message of its own behind them). Called again for every new socket.
   * @default undefined
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket({ url: 'wss://example.test', openObserver: { next: (event) => console.log(event.type) } });
   */
  openObserver?: { next(event: WsEvent): void };
  /**
   * Told of each socket's `close` event (`code`, `reason`, `wasClean`), before the subscribers
   * complete or error.
   * @default undefined
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket({ url: 'wss://example.test', closeObserver: { next: (event) => console.log(event.code) } });
   */
  closeObserver?: { next(event: WsCloseEvent): void };
  /**
   * Told, with `undefined`, just before this side closes a socket: `complete()`, `error()`, the
   * last subscriber leaving, `unsubscribe()`, or a deserializer error.
   * @default undefined
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket({ url: 'wss://example.test', closingObserver: { next: () => console.log('closing') } });
   */
  closingObserver?: { next(value: undefined): void };
  /**
   * The WebSocket constructor: any of the DOM shape (`ws`'s in Node 20, mock-socket's, the
   * package's `FakeWebSocket`). Looked up at the first subscribe, so creating the subject never
   * needs one.
   * @default globalThis.WebSocket
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * import { WebSocket as WsCtor } from 'ws';
   * webSocket({ url: 'ws://localhost:8080', WebSocketCtor: WsCtor });
   */
  WebSocketCtor?: WebSocketConstructor;
  /**
   * Set on each new socket before any message: `'blob'` or `'arraybuffer'` (also `'nodebuffer'`
   * with `ws`).
   * @default the native socket's own default
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket({ url: 'wss://example.test', binaryType: 'arraybuffer', deserializer: (e) => e.data });
   */
  binaryType?: string;
  /**
   * An extension: how many messages `next()` may buffer while there is no open socket. When full,
   * `next()` throws `ERR_WS_QUEUE_FULL` and buffers nothing. RxJS's buffer has no bound.
   * @default 1000
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * webSocket({ url: 'wss://example.test', maxQueue: Infinity }); // unbounded, as in RxJS
   */
  maxQueue?: number;
}

const KNOWN = [
  'url',
  'protocol',
  'serializer',
  'deserializer',
  'openObserver',
  'closeObserver',
  'closingObserver',
  'WebSocketCtor',
  'binaryType',
  'maxQueue',
];

const OPEN = 1;

/** The default deserializer, RxJS's: `JSON.parse` of the message's data. */
const parseJson = (event: WsMessageEvent): unknown => JSON.parse(event.data as string);

/** One socket and the subscribers that share it. */
interface Connection<In> {
  readonly socket: RxWebSocket;
  /** The values for this socket's subscribers; it ends (or fails) when the socket closes. */
  readonly output: EventChannel<In>;
  /** True once `openObserver` ran and the buffer went out: from then on `next()` sends at once. */
  ready: boolean;
  /** This side asked to close; when asked before the socket was ready, it closes once ready. */
  closeRequest: { code: number; reason: string } | undefined;
}

function checkObserver(config: Record<string, unknown>, key: string): void {
  const observer = config[key];
  if (observer === undefined) return;
  if (
    typeof observer !== 'object' ||
    observer === null ||
    typeof (observer as { next?: unknown }).next !== 'function'
  ) {
    throw invalid(
      `config.${key} must be an observer with a next method, e.g. { next: (event) => {} }, got ${describe(observer)}`,
    );
  }
}

/**
 * RxJS 7's `WebSocketSubject`, on this package's socket. Lazy: the first subscriber opens a
 * socket, every subscriber shares it, and the last one to leave closes it with 1000; the next
 * subscriber (by hand, `retry` or `repeat`) opens a new one.
 *
 * - As an `Observable<In>`: each message's `deserializer(event)`; completes on a clean close or a
 *   close this side asked for, errors with `CloseError` (`closeCode`, `reason`, `wasClean`)
 *   otherwise, and with the deserializer's own error when it throws (the socket is then closed).
 * - As an `Observer<Out>`: `next(v)` sends `serializer(v)` when the socket is open and buffers it
 *   otherwise (at most `maxQueue`), to be sent in order on the next open, after `openObserver`.
 *   `complete()` closes with 1000, `error({ code, reason })` with that code and reason.
 * - As a `SubscriptionLike`: `unsubscribe()` closes the socket for good; `closed` then is true.
 *
 * It is not a `Subject` (`instanceof Subject` is false): `next` takes `Out` where a `Subject<In>`'s
 * takes `In`, and `pipe()` returns a plain Observable, as its type in RxJS already said.
 *
 * @example
 * import { WebSocketSubject } from 'brython-websocket/webSocket';
 * const subject = new WebSocketSubject<{ text: string }>('wss://example.test/chat');
 * subject.subscribe((message) => console.log(message.text));
 * subject.next({ text: 'hello' });
 */
export class WebSocketSubject<In, Out = In> extends Observable<In> implements Observer<Out>, SubscriptionLike {
  private readonly url: string;
  private readonly protocols: string | string[] | undefined;
  private readonly binaryTypeOption: string | undefined;
  private readonly ctor: WebSocketConstructor | undefined;
  private readonly maxQueue: number;
  private readonly serializer: (value: Out) => SendData;
  private readonly deserializer: (event: WsMessageEvent) => In;
  private readonly openObserver: { next(event: WsEvent): void } | undefined;
  private readonly closeObserver: { next(event: WsCloseEvent): void } | undefined;
  private readonly closingObserver: { next(value: undefined): void } | undefined;
  /** What `next()` buffered while no socket was ready, serialized, in order. */
  private readonly pending: Outbox;
  /** Every socket's open, after `openObserver` and before the buffer goes out (for `multiplex`). */
  private readonly opens = new EventChannel<WsEvent>();
  private current: Connection<In> | undefined;
  private isClosed = false;

  constructor(urlOrConfig: string | URL | WebSocketSubjectConfig<In, Out>);
  // What JavaScript callers pass is checked here: typed as anything.
  constructor(urlOrConfig: unknown) {
    super(subscribeToSubject as (this: Observable<In>, subscriber: Subscriber<In>) => TeardownLogic);
    let config: Record<string, unknown>;
    if (typeof urlOrConfig === 'string' || urlOrConfig instanceof URL) config = { url: urlOrConfig };
    else if (typeof urlOrConfig === 'object' && urlOrConfig !== null && !Array.isArray(urlOrConfig)) {
      if (urlOrConfig instanceof Observable) {
        throw invalid(
          "webSocket() takes a URL or a config object; RxJS's internal (source, destination) form is not supported",
        );
      }
      config = urlOrConfig as unknown as Record<string, unknown>;
    } else {
      throw invalid(
        `webSocket() takes a URL or a config object such as { url: 'wss://example.test' }, got ${describe(urlOrConfig)}`,
      );
    }
    if (Object.keys(config).includes('resultSelector')) {
      throw invalid(
        'config.resultSelector is not supported: RxJS 7 ignored it (messages went through JSON.parse); ' +
          'pass your function as config.deserializer, or remove it to keep JSON.parse',
      );
    }
    refuseUnknown(config, KNOWN, 'option', ' in the webSocket() config');
    this.url = normalizeUrl(config.url);
    for (const key of ['serializer', 'deserializer']) {
      if (config[key] !== undefined && typeof config[key] !== 'function') {
        throw invalid(`config.${key} must be a function, got ${describe(config[key])}`);
      }
    }
    checkObserver(config, 'openObserver');
    checkObserver(config, 'closeObserver');
    checkObserver(config, 'closingObserver');
    const protocol = config.protocol === '' ? undefined : config.protocol;
    // The core checks the protocols, binaryType, WebSocketCtor and maxQueue: now, not at connect time.
    const resolved = resolveOptions(undefined, {
      protocols: protocol,
      binaryType: config.binaryType,
      WebSocketCtor: config.WebSocketCtor,
      maxQueue: config.maxQueue,
    });
    this.protocols = resolved.protocols;
    this.binaryTypeOption = resolved.binaryType;
    this.ctor = resolved.WebSocketCtor;
    this.maxQueue = resolved.maxQueue;
    this.pending = new Outbox(resolved.maxQueue);
    this.serializer = (config.serializer as ((value: Out) => SendData) | undefined) ?? json().serializer;
    this.deserializer =
      (config.deserializer as ((event: WsMessageEvent) => In) | undefined) ??
      (parseJson as (event: WsMessageEvent) => In);
    this.openObserver = config.openObserver as WebSocketSubjectConfig<In, Out>['openObserver'];
    this.closeObserver = config.closeObserver as WebSocketSubjectConfig<In, Out>['closeObserver'];
    this.closingObserver = config.closingObserver as WebSocketSubjectConfig<In, Out>['closingObserver'];
  }

  // ---- Observer<Out> ------------------------------------------------------------------------

  /**
   * Sends `serializer(value)` at once when the socket is open and `openObserver` has run;
   * otherwise buffers it (before the first subscribe, while connecting, or between two sockets),
   * to be sent in order on the next open. A serializer error is thrown here, as itself, and
   * changes nothing. Throws `ERR_WS_QUEUE_FULL` when `maxQueue` messages already wait, and
   * `ObjectUnsubscribedError` after `unsubscribe()`.
   */
  next(value: Out): void {
    if (this.isClosed) throw new ObjectUnsubscribedError();
    const data = this.serializer(value);
    const conn = this.current;
    if (conn !== undefined && conn.ready && isOpen(conn)) conn.socket.send(data);
    else {
      assertSendable(data); // send() checks what it sends; what waits for the open is checked here
      this.pending._push(data);
    }
  }

  /**
   * Closes the socket with `error.code` and `error.reason` (code 1000 or 3000-4999, reason at
   * most 123 bytes of UTF-8); with 1000 when they are missing or invalid. Subscribers complete
   * once the socket has closed. Does nothing without a socket.
   */
  error(error: unknown): void {
    this.requestClose(...closeOf(error));
  }

  /** Closes the socket with 1000; subscribers complete once it has closed. Does nothing without a socket. */
  complete(): void {
    this.requestClose(1000, '');
  }

  // ---- SubscriptionLike, and the rest of a Subject's face -----------------------------------

  /** True after `unsubscribe()`. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** True while the current socket has at least one subscriber. */
  get observed(): boolean {
    return this.current?.output.observed ?? false;
  }

  /**
   * Closes the socket with 1000 and retires the subject: its subscribers complete once the socket
   * has closed, a later `subscribe` errors and a later `next()` throws with `ObjectUnsubscribedError`.
   */
  unsubscribe(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const conn = this.current;
    if (conn !== undefined) this.closeNow(conn, 1000, '');
    this.pending._drain();
    this.opens._end();
  }

  /** The incoming side alone: subscribing shares the socket, and there is no `next()`. */
  asObservable(): Observable<In> {
    return new Observable<In>((subscriber) => this.subscribe(subscriber));
  }

  /**
   * A sub-stream over the same socket, with RxJS's signature: `subMsg()` is sent when the first
   * subscriber arrives (and again on each later socket), `unsubMsg()` when the last leaves, both
   * through the serializer; `messageFilter` picks the messages. Ref-counted: two subscribers
   * send one `subMsg()`, not two (RxJS #2445), and `unsubMsg()` is only sent on an open socket,
   * never buffered for a later one (RxJS #1899).
   *
   * @example
   * import { webSocket } from 'brython-websocket/webSocket';
   * const subject = webSocket<{ type: string; value: number }>('wss://example.test');
   * const a$ = subject.multiplex(() => ({ subscribe: 'A' }), () => ({ unsubscribe: 'A' }), (m) => m.type === 'A');
   * a$.subscribe((m) => console.log(m.value));
   */
  multiplex(subMsg: () => unknown, unsubMsg: () => unknown, messageFilter: (value: In) => boolean): Observable<In> {
    const host: MultiplexHost<In, unknown> = {
      messages: this,
      opens: this.opens,
      isOpen: () => {
        const conn = this.current;
        return conn !== undefined && conn.ready && isOpen(conn);
      },
      send: (message) => {
        // Called on an open socket (at once, or from `opens`): a socket that has gone since gets
        // the message from the next open instead.
        const conn = this.current;
        const data = this.serializer(message as Out);
        assertSendable(data); // also while closed: an unsendable message errors the sub-stream now
        if (conn !== undefined && isOpen(conn)) conn.socket.send(data);
      },
    };
    return multiplex(host, subMsg, unsubMsg, messageFilter);
  }

  // ---- Connections --------------------------------------------------------------------------

  private attach(subscriber: Subscriber<In>): TeardownLogic {
    if (this.isClosed) {
      subscriber.error(new ObjectUnsubscribedError());
      return undefined;
    }
    let conn = this.current;
    if (conn === undefined) {
      try {
        conn = this.connect();
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      this.current = conn;
    }
    const joined = conn;
    joined.output.subscribe(subscriber);
    return () => {
      if (this.current === joined && !joined.output.observed) this.closeNow(joined, 1000, '');
    };
  }

  private connect(): Connection<In> {
    const socket = new RxWebSocket(this.url, {
      protocols: this.protocols,
      binaryType: this.binaryTypeOption,
      WebSocketCtor: this.ctor,
      maxQueue: this.maxQueue,
    });
    const conn: Connection<In> = { socket, output: new EventChannel<In>(), ready: false, closeRequest: undefined };
    socket.open$.subscribe((event) => this.onOpen(conn, event));
    // bind, not subscribe: a binding is its own subscriber, one hop less per message.
    socket.bind('message', (event) => this.onMessage(conn, event));
    socket.close$.subscribe((event) => this.onClose(conn, event));
    return conn;
  }

  private onOpen(conn: Connection<In>, event: WsEvent): void {
    notify(this.openObserver, event);
    if (this.current !== conn || !isOpen(conn)) return;
    this.opens._emit(event);
    while (this.current === conn && isOpen(conn)) {
      const data = this.pending._shift();
      if (data === undefined) break;
      conn.socket.send(data);
    }
    if (this.current !== conn || !isOpen(conn)) return;
    conn.ready = true;
    const request = conn.closeRequest;
    if (request !== undefined) this.closeNow(conn, request.code, request.reason);
  }

  private onMessage(conn: Connection<In>, event: WsMessageEvent): void {
    const output = conn.output;
    if (!output.observed) return;
    let value: In;
    try {
      value = this.deserializer(event);
    } catch (error) {
      this.closeNow(conn, 1000, '');
      output._fail(error);
      return;
    }
    output._emit(value);
  }

  private onClose(conn: Connection<In>, event: WsCloseEvent): void {
    if (this.current === conn) this.current = undefined;
    notify(this.closeObserver, event);
    if (event.wasClean || conn.closeRequest !== undefined) conn.output._end();
    else conn.output._fail(new CloseError(event));
  }

  /** `complete()` and `error()`: close now, or right after the open when the socket is not ready yet. */
  private requestClose(code: number, reason: string): void {
    const conn = this.current;
    if (this.isClosed || conn === undefined || conn.closeRequest !== undefined) return;
    if (conn.ready) return this.closeNow(conn, code, reason);
    conn.closeRequest = { code, reason };
    notify(this.closingObserver, undefined);
  }

  /**
   * Closes `conn` at once (with the code asked for earlier, if any); the next subscriber gets a
   * new socket. Closing a socket that is already closing does nothing.
   */
  private closeNow(conn: Connection<In>, code: number, reason: string): void {
    if (this.current === conn) this.current = undefined;
    let request = conn.closeRequest;
    if (request === undefined) {
      request = conn.closeRequest = { code, reason };
      notify(this.closingObserver, undefined);
    }
    conn.socket.close(request.code, request.reason);
  }
}

function isOpen(conn: Connection<unknown>): boolean {
  return conn.socket.state === 'open' && conn.socket.readyState === OPEN;
}

/** Calls a config observer; one that throws is reported and stops nothing. */
function notify<T>(observer: { next(value: T): void } | undefined, value: T): void {
  if (observer === undefined) return;
  try {
    observer.next(value);
  } catch (error) {
    reportHandlerError(error);
  }
}

/** The subject's subscribe function, shared by every subject (RxJS calls it with `this`). */
function subscribeToSubject(this: WebSocketSubject<unknown, unknown>, subscriber: Subscriber<unknown>): TeardownLogic {
  return this['attach'](subscriber);
}

/**
 * RxJS 7's `webSocket()`, with its known bugs fixed: a drop-in for `rxjs/webSocket`.
 * `webSocket<In, Out>` types what comes in apart from what goes out; `webSocket<T>` uses `T` for both.
 *
 * @example
 * import { webSocket } from 'brython-websocket/webSocket';
 * const subject = webSocket<{ text: string }>('wss://example.test/chat');
 * subject.subscribe({
 *   next: (message) => console.log(message.text),
 *   error: (error) => console.error(error), // a CloseError: error.closeCode, error.reason
 *   complete: () => console.log('closed'),
 * });
 * subject.next({ text: 'hello' }); // buffered until the socket opens
 */
export function webSocket<In, Out = In>(
  urlOrConfig: string | URL | WebSocketSubjectConfig<In, Out>,
): WebSocketSubject<In, Out> {
  return new WebSocketSubject<In, Out>(urlOrConfig);
}

export { ObjectUnsubscribedError } from './object-unsubscribed.js';
export type { ObjectUnsubscribedErrorCtor } from './object-unsubscribed.js';
