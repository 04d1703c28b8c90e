import {
  Observable,
  type Observer,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
  type TeardownLogic,
} from 'rxjs';
import { assertEventName, assertHandler, Binding, EVENT_NAMES, type Handler } from './bindings.js';
import { identityDeserializer, identitySerializer, type Deserializer, type Serializer } from './codec.js';
import { abnormalClose, checkedClose, CLOSE_GRACE, timeoutScheduler } from './close-guard.js';
import { DomEvents, type DomListener, type DomListenerOptions } from './dom-events.js';
import { CloseError, DecodeError, SendError, WebSocketError } from './errors.js';
import { EventChannel, ValueChannel } from './events.js';
import type { FeatureHooks, SocketLink } from './features.js';
import { multiplex } from './multiplex.js';
import { assertSocket, isTarget, listen, unlisten } from './native.js';
import { resolveOptions, type SocketOptions } from './options.js';
import { Outbox } from './outbox.js';
import {
  assertSendable,
  closeOf,
  describe,
  invalid,
  normalizeUrl,
  resolveConstructor,
  validateClose,
} from './support.js';
import type {
  EventName,
  MessageData,
  NativeWebSocket,
  SendData,
  WsCloseEvent,
  WsEvent,
  WsMessageEvent,
} from './types.js';

/**
 * Where the socket is in its life. `'reconnecting'` is the wait before a new connection
 * attempt (`options.reconnect`); `'closed'` is final: the streams have completed.
 */
export type SocketState = 'connecting' | 'open' | 'closing' | 'reconnecting' | 'closed';

/** What each event's handlers and observable receive. */
export interface SocketEventMap {
  /** The native `open` event. */
  open: WsEvent;
  /**
   * A native `error` event (the runtime gives no detail), or one of the package's own errors: a
   * `DecodeError`, a queued message's `SendError`, a heartbeat or connect timeout.
   */
  error: WsEvent | WebSocketError;
  /** The native `message` event; `data` holds the message as it arrived, before the deserializer. */
  message: WsMessageEvent;
  /**
   * The native `close` event, or the one a heartbeat or connect timeout makes when it drops the connection.
   */
  close: WsCloseEvent;
}

/** What the DOM face's listeners receive: native events only, never the package's own errors. */
export interface DomEventMap {
  /** The native `open` event. */
  open: WsEvent;
  /** The native `error` event. */
  error: WsEvent;
  /** The native `message` event. */
  message: WsMessageEvent;
  /** The `close` event: native, or made by a heartbeat or connect timeout. */
  close: WsCloseEvent;
}

/** A class that makes sockets with options fixed in advance: what `RxWebSocket.with(options)` returns. */
export interface RxWebSocketClass<In = MessageData, Out = SendData> {
  new (url: string | URL, protocols?: string | string[]): RxWebSocket<In, Out>;
  /** The prototype of the sockets it makes, so `instanceof` works. */
  readonly prototype: RxWebSocket<In, Out>;
  /** `readyState` while connecting, and while waiting to reconnect: 0. */
  readonly CONNECTING: 0;
  /** `readyState` while open: 1. */
  readonly OPEN: 1;
  /** `readyState` while the closing handshake runs: 2. */
  readonly CLOSING: 2;
  /** `readyState` once closed: 3. */
  readonly CLOSED: 3;
}

/** The handlers bound to each event, in bind order, as `bindings()` returns them. */
export type BindingsMap = { [K in EventName]: ((event: SocketEventMap[K]) => unknown)[] };

// readyState values, written as the numbers themselves below (0 CONNECTING, 1 OPEN, 3 CLOSED).

/** The native socket as this module drives it (the public type keeps `send` loose). */
interface Native extends NativeWebSocket {
  send(data: SendData): void;
  /** Stops and restarts reading from the transport, where the socket can (`ws` can). */
  pause?(): void;
  resume?(): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
}

/** A socket without features. */
const NO_HOOKS: readonly FeatureHooks[] = [];

/** A channel made on first use; one made after the final close of `socket` is born complete. */
function born<T>(socket: { readonly state: SocketState }): EventChannel<T> {
  const channel = new EventChannel<T>();
  if (socket.state === 'closed') channel._end();
  return channel;
}

/**
 * Brython's WebSocket object, as an RxJS subject.
 *
 * - Events: `open$`, `message$`, `error$`, `close$` (hot, one native listener each, complete
 *   after the final close, never error) and `bind(evt, fn)` on top of them.
 * - As an `Observable<In>`: each message's `deserializer(event)`; completes on a clean close or a
 *   close you asked for, errors with `CloseError` otherwise. Subscribing never opens or closes.
 * - As an `Observer<Out>`: `next(v)` sends `serializer(v)`, `complete()` closes with 1000,
 *   `error(e)` closes with `e.code`/`e.reason` when valid, else 1000.
 *
 * The connection starts in the constructor, as in Brython and the DOM.
 *
 * @example
 * import { RxWebSocket } from 'brython-websocket';
 * const ws = new RxWebSocket('ws://localhost:8080');
 * ws.bind('open', () => ws.send('hello')).bind('message', (evt) => console.log(evt.data));
 */
export class RxWebSocket<In = MessageData, Out = SendData> extends Observable<In> implements Observer<Out> {
  // The constants, 0 to 3, on the class and on the prototype (as the DOM has them): see `_define`.
  /** `readyState` while connecting, and while waiting to reconnect: 0. */
  declare static readonly CONNECTING: 0;
  /** `readyState` while open: 1. */
  declare static readonly OPEN: 1;
  /** `readyState` while the closing handshake runs: 2. */
  declare static readonly CLOSING: 2;
  /** `readyState` once closed: 3. */
  declare static readonly CLOSED: 3;

  // The fields marked `declare` are set, not defined: the build emits no class field for them.
  // They are set in the constructor, or read as undefined until first set, off the message path.

  // The streams are made on first use (a socket nobody watches costs no channel).
  private _openChannel: EventChannel<WsEvent> | undefined;
  /** Each open again, once every open handler has run and before the queue goes out (multiplex). */
  declare private _openedChannel: EventChannel<WsEvent> | undefined;
  private _messageChannel: EventChannel<WsMessageEvent> | undefined;
  private _errorChannel: EventChannel<WsEvent | WebSocketError> | undefined;
  private _closeChannel: EventChannel<WsCloseEvent> | undefined;
  private _dataChannel: EventChannel<In> | undefined;
  /** The state: the one place it is kept (`state`, `state$`). */
  private readonly _stateChannel = new ValueChannel<SocketState>('connecting');
  /** The bindings, in bind order (made on the first bind). */
  declare private _table: Binding[] | undefined;
  /** The send queue (made on the first message queued). */
  declare private _outbox: Outbox | undefined;
  declare private readonly _maxQueue: number;
  declare private readonly _serializer: Serializer<Out>;
  declare private readonly _deserializer: Deserializer<In>;
  declare private readonly _url: string;
  declare private readonly _Ctor: new (url: string, protocols?: string | string[]) => Native;
  declare private readonly _protocols: string | string[] | undefined;
  declare private _binaryType: string | undefined;
  /** The features' hooks (`options.reconnect`, `heartbeat`, `connectTimeout`), in order. */
  private _hooks: readonly FeatureHooks[] = NO_HOOKS;
  /** The hooks that want each message and each send (a heartbeat), apart: one field to check. */
  private readonly _onEachMessage: readonly Pick<Required<FeatureHooks>, 'message'>[] | undefined;
  private readonly _onEachSend: readonly Pick<Required<FeatureHooks>, 'sent'>[] | undefined;
  /** With `reconnect` on, a send on a socket the server is closing queues for the next one. */
  declare private readonly _reconnects: boolean;
  declare private _native: Native;
  /** `close()` was called: the end is the user's, so the subject face completes. */
  declare private _closeRequested: boolean | undefined;
  /** `close()` was called while connecting: the native error event that follows is expected. */
  declare private _abortedWhileConnecting: boolean | undefined;
  /** The last error of the current connection: the `cause` of a `CloseError` that follows it. */
  declare private _lastError: Error | undefined;
  /** `options.scheduler`: for the wait for a close after an error (`_awaitClose`), the features and `brython-websocket/streams`. */
  declare private readonly _scheduler: SchedulerLike | undefined;
  /** That wait, while one runs. */
  declare private _closeWait: Subscription | undefined;
  /** The code and reason of `close()`, for an `open` that a test double fires after it. */
  // Set by close() before the state becomes 'closing', the only state in which it is read.
  declare private _closeArgs: [number, string];
  /** The DOM face's listeners (made on first use). */
  declare private _dom: DomEvents | undefined;

  /**
   * A subclass whose `new C(url, protocols?)` takes no options and uses these: the form to hand
   * to a library that takes a WebSocket class (graphql-ws's `webSocketImpl`, stompjs's
   * `webSocketFactory`). The options are checked now. `protocols` is left to the library, which
   * passes its own to the constructor.
   *
   * @example
   * import { RxWebSocket } from 'brython-websocket';
   * import { heartbeat } from 'brython-websocket/resilience';
   * const Socket = RxWebSocket.with({ heartbeat: heartbeat({ interval: 15_000 }) });
   * const ws = new Socket('wss://example.test/graphql', 'graphql-transport-ws');
   */
  static with<In = MessageData, Out = SendData>(
    options: Omit<SocketOptions<In, Out>, 'protocols'>,
  ): RxWebSocketClass<In, Out> {
    return withOptions(options);
  }

  // The options form stays first: TypeScript then lists a wrong option's error against it first
  // (naming `ReconnectFeature` for `reconnect: { attempts: 3 }`), and `WebSocket<T>(url, { ...json() })`
  // infers `json()`'s type (an inner generic call is fixed by the first overload tried).
  constructor(host: string | URL, options?: SocketOptions<In, Out>);
  constructor(host: string | URL, protocols?: string | string[], options?: SocketOptions<In, Out>);
  constructor(
    host: string | URL,
    protocolsOrOptions?: string | string[] | SocketOptions<In, Out>,
    maybeOptions?: SocketOptions<In, Out>,
  ) {
    super(subscribeToData as (this: Observable<In>, subscriber: Subscriber<In>) => TeardownLogic);
    this._url = normalizeUrl(host);
    const options = resolveOptions<In, Out>(protocolsOrOptions, maybeOptions);
    this._Ctor = resolveConstructor(options.WebSocketCtor) as RxWebSocket<In, Out>['_Ctor'];
    this._protocols = options.protocols;
    this._binaryType = options.binaryType;
    this._maxQueue = options.maxQueue;
    this._scheduler = options.scheduler;
    this._serializer = options.serializer ?? (identitySerializer as Serializer<Out>);
    this._deserializer = options.deserializer ?? (identityDeserializer as Deserializer<In>);
    const features = options.features;
    this._reconnects = features.some((feature) => feature.kind === 'reconnect');
    if (features.length > 0) {
      const link = this._link(this._scheduler);
      const hooks = (this._hooks = features.map((feature) => feature.attach(link)));
      const wanting = <K extends 'message' | 'sent'>(step: K): Pick<Required<FeatureHooks>, K>[] | undefined => {
        const some = hooks.filter((h): h is FeatureHooks & Pick<Required<FeatureHooks>, K> => h[step] !== undefined);
        return some.length > 0 ? some : undefined;
      };
      this._onEachMessage = wanting('message');
      this._onEachSend = wanting('sent');
    }
    this._native = this._connect();
  }

  /** The native `open` events: one per connection. */
  get open$(): Observable<WsEvent> {
    return (this._openChannel ??= born(this));
  }

  /** The native `message` events (`.data` holds the message). */
  get message$(): Observable<WsMessageEvent> {
    return (this._messageChannel ??= born(this));
  }

  /** The native `error` events, and `DecodeError`s from the deserializer. Never an error notification. */
  get error$(): Observable<WsEvent | WebSocketError> {
    return (this._errorChannel ??= born(this));
  }

  /** The native `close` events (`.code`, `.reason`, `.wasClean`). */
  get close$(): Observable<WsCloseEvent> {
    return (this._closeChannel ??= born(this));
  }

  /** The state, current value first, then each change. Completes after `'closed'`. */
  get state$(): Observable<SocketState> {
    return this._stateChannel;
  }

  // ---- Brython's methods ------------------------------------------------------------

  /**
   * Binds `fn` to `evt` (`'open'`, `'error'`, `'message'` or `'close'`): a subscription of `fn`
   * to that event's observable. `fn` gets one argument, the event. Handlers run in bind order;
   * a handler that throws is reported (RxJS `config.onUnhandledError`, else `reportError`, else
   * `console.error`) and stops nothing. Returns the socket, so binds chain.
   *
   * `bind(evt)` without a function returns a decorator that binds the function it is given.
   */
  bind<K extends EventName>(evt: K, fn: (event: SocketEventMap[K]) => unknown): this;
  bind<K extends EventName>(evt: K): <F extends (event: SocketEventMap[K]) => unknown>(fn: F) => F;
  bind(evt: EventName, ...rest: [Handler<never>?]): unknown {
    assertEventName(evt);
    if (rest.length === 0) {
      return <F extends Handler<never>>(fn: F): F => {
        this.bind(evt, fn as never);
        return fn;
      };
    }
    const fn = rest[0];
    assertHandler(evt, fn);
    if (this.state === 'closed') {
      throw new WebSocketError('ERR_WS_INVALID_STATE', `cannot bind "${evt}": the socket is closed; make a new one`);
    }
    const binding = new Binding(evt, fn);
    this._channel(evt).subscribe(binding);
    // Copied, not pushed: a list grown by push would hold room for 16 more.
    this._table = [...(this._table ?? []), binding];
    return this;
  }

  /**
   * Removes the bindings of `fn` (by identity) from `evt`, or every binding of `evt` without
   * `fn`. Unbinding a function that is not bound throws, as Brython's `unbind` does.
   */
  unbind<K extends EventName>(evt: K, fn?: (event: SocketEventMap[K]) => unknown): this {
    assertEventName(evt);
    if (fn !== undefined) assertHandler(evt, fn);
    const gone = (binding: Binding): boolean => binding._evt === evt && (fn === undefined || binding._fn === fn);
    const table = this._table ?? [];
    const removed = table.filter(gone);
    if (fn !== undefined && removed.length === 0) {
      throw invalid(`this handler is not bound to "${evt}" (see events("${evt}"))`);
    }
    this._table = table.filter((binding) => !gone(binding));
    for (const binding of removed) binding.unsubscribe();
    return this;
  }

  /** The handlers bound to `evt`, in the order they run. */
  events<K extends EventName>(evt: K): ((event: SocketEventMap[K]) => unknown)[] {
    assertEventName(evt);
    return (this._table ?? [])
      .filter((binding) => binding._evt === evt)
      .map((binding) => binding._fn as (event: SocketEventMap[K]) => unknown);
  }

  /** Every event's handlers, in the order they run. */
  bindings(): BindingsMap {
    return Object.fromEntries(EVENT_NAMES.map((evt) => [evt, this.events(evt)])) as BindingsMap;
  }

  /**
   * Sends `data`: a string, an `ArrayBuffer`, an `ArrayBufferView` or a `Blob`.
   *
   * - open: hands it to the socket and returns `true`;
   * - connecting: queues it (at most `maxQueue`, else throws `ERR_WS_QUEUE_FULL`) and returns
   *   `false`; the queue is sent in order right after the open handlers have run;
   * - closing or closed: throws `ERR_WS_INVALID_STATE` (the DOM would drop the data silently);
   * - any other type: throws `ERR_WS_INVALID_ARGUMENT`, before the queue is looked at;
   * - data the native socket refuses (a detached `ArrayBuffer`): throws a `SendError`
   *   (`ERR_WS_INVALID_ARGUMENT`) whose `data` is what was refused.
   */
  send(data: SendData): boolean {
    if (typeof data !== 'string') assertSendable(data);
    if (this._writable()) {
      try {
        this._native.send(data);
      } catch (cause) {
        throw this._refused(data, cause);
      }
      if (this._onEachSend !== undefined) this._sent(this._onEachSend);
      return true;
    }
    const state = this.state;
    // With reconnection on, a socket the server is closing will be followed by a new one.
    if (state === 'connecting' || state === 'reconnecting' || (state === 'open' && this._reconnects)) {
      (this._outbox ??= new Outbox(this._maxQueue))._push(data);
      return false;
    }
    throw new WebSocketError(
      'ERR_WS_INVALID_STATE',
      `cannot send: the socket is ${state === 'open' ? (this._native.readyState === 3 /* CLOSED */ ? 'closed' : 'closing') : state}; send between open and close`,
    );
  }

  /**
   * Closes the connection with `code` (1000, or 3000-4999) and `reason` (at most 123 bytes of
   * UTF-8); an invalid one throws `ERR_WS_INVALID_CLOSE` and the socket stays as it was. Works
   * while connecting. A second call does nothing. Messages still queued stay in `drainQueue()`.
   */
  close(code = 1000, reason = ''): void {
    validateClose(code, reason);
    const state = this.state;
    if (state === 'closing' || state === 'closed') return;
    this._closeRequested = true;
    this._closeArgs = [code, reason];
    if (state === 'reconnecting') return this._finalize(undefined);
    this._step('stop');
    this._setState('closing');
    if (this._native.readyState === 0 /* CONNECTING */) this._abortedWhileConnecting = true;
    this._native.close(code, reason);
  }

  /** How many messages wait in the queue. */
  get queued(): number {
    return this._outbox?._size ?? 0;
  }

  /** Empties the queue and returns what was in it, in order: nothing is lost at a final close. */
  drainQueue(): SendData[] {
    return this._outbox?._drain() ?? [];
  }

  // ---- The subject face ---------------------------------------------------------------

  /** Sends `serializer(value)`; returns what `send` returns. A serializer error is thrown here. */
  next(value: Out): boolean {
    return this.send(this._serializer(value));
  }

  /** Closes with `error.code` and `error.reason` when they are a valid close, else with 1000. */
  error(error: unknown): void {
    this.close(...closeOf(error));
  }

  /** Closes with 1000. */
  complete(): void {
    this.close(1000);
  }

  // ---- State and native passthrough ---------------------------------------------------

  /** The current state (see `state$`). */
  get state(): SocketState {
    return this._stateChannel._value;
  }

  /** The native socket's, except `CONNECTING` while waiting to reconnect and `CLOSED` once closed for good. */
  get readyState(): number {
    const state = this.state;
    if (state === 'reconnecting') return 0; // CONNECTING
    if (state === 'closed') return 3; // CLOSED
    return this._native.readyState;
  }

  // The current native socket's `url`, `protocol`, `extensions` and `bufferedAmount` (see `_define`).
  /** The URL of the current connection, as the runtime normalized it. */
  declare readonly url: string;
  /** The subprotocol the server chose for the current connection; empty before the open or when none was. */
  declare readonly protocol: string;
  /** The extensions the server chose for the current connection (e.g. `permessage-deflate`); empty before the open. */
  declare readonly extensions: string;
  /**
   * Bytes sent on the current connection that the runtime has not yet written to the network (the
   * package's own queue, while not open, is not counted).
   */
  declare readonly bufferedAmount: number;

  /**
   * How binary messages arrive: `'blob'` or `'arraybuffer'` (with `ws`, also `'nodebuffer'`).
   * @default the native socket's own default (`'blob'` in browsers, `'nodebuffer'` with `ws`), or
   * `options.binaryType`
   */
  get binaryType(): string {
    return this._native.binaryType;
  }

  /** Set on the current native socket and on every one made by a reconnect. */
  set binaryType(value: string) {
    this._binaryType = value;
    this._native.binaryType = value;
  }

  /**
   * A sub-stream of the messages, ref-counted, with RxJS's `multiplex` signature: `subMsg()` is
   * sent when the first subscriber arrives and again on each open after a reconnect,
   * `unsubMsg()` when the last leaves (only while open: never queued), and `messageFilter`
   * picks the messages of this stream. An error of `subMsg`, `unsubMsg` or the filter errors
   * the sub-stream.
   *
   * @example
   * import { WebSocket, json } from 'brython-websocket';
   * const ws = WebSocket<{ topic: string }, { sub?: string; unsub?: string }>('wss://example.test', { ...json() });
   * const prices = ws.multiplex(() => ({ sub: 'prices' }), () => ({ unsub: 'prices' }), (m) => m.topic === 'prices');
   */
  multiplex(subMsg: () => Out, unsubMsg: () => Out, messageFilter: (value: In) => boolean): Observable<In> {
    return multiplex<In, Out>(
      {
        messages: this,
        opens: (this._openedChannel ??= born(this)),
        isOpen: () => this.state === 'open',
        send: (message) => {
          this.next(message);
        },
      },
      subMsg,
      unsubMsg,
      messageFilter,
    );
  }

  // ---- The DOM face --------------------------------------------------------------------

  /**
   * The DOM's `addEventListener`: `listener` is a function (called with the socket as `this`)
   * or an object with `handleEvent`; the same `(type, listener, capture)` is added once; `once`
   * and `signal` work as in the DOM. Listeners of `open`, `message`, `error` and `close` get the
   * native events, as they are, in one order with `bind` and the `on*` handlers; never the
   * package's own errors (those are on `error$`). Any other type is reached by `dispatchEvent`.
   */
  addEventListener<K extends EventName>(
    type: K,
    listener: DomListener<DomEventMap[K], RxWebSocket<unknown, never>> | null,
    options?: boolean | DomListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: DomListener<WsEvent, RxWebSocket<unknown, never>> | null,
    options?: boolean | DomListenerOptions,
  ): void;
  addEventListener(type: string, listener: unknown, options?: unknown): void {
    this._domEvents()._add(type, listener, options);
  }

  /** The DOM's `removeEventListener`: by type, listener and `capture`. */
  removeEventListener<K extends EventName>(
    type: K,
    listener: DomListener<DomEventMap[K], RxWebSocket<unknown, never>> | null,
    options?: boolean | DomListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: DomListener<WsEvent, RxWebSocket<unknown, never>> | null,
    options?: boolean | DomListenerOptions,
  ): void;
  removeEventListener(type: string, listener: unknown, options?: unknown): void {
    this._dom?._remove(type, listener, options);
  }

  /**
   * Delivers `event` to the `addEventListener` and `on*` listeners of `event.type`, in order,
   * and returns `!event.defaultPrevented`. It leaves the socket alone: not `close$`, not
   * `state$`, not the subject face, not the queue, not the `bind` handlers.
   */
  dispatchEvent(event: WsEvent): boolean {
    return this._domEvents()._dispatch(event);
  }

  /** The DOM's `onopen`: a function or null; it keeps the place it had when first set. */
  declare onopen: ((this: RxWebSocket<unknown, never>, event: WsEvent) => unknown) | null;
  /** The DOM's `onmessage`. */
  declare onmessage: ((this: RxWebSocket<unknown, never>, event: WsMessageEvent) => unknown) | null;
  /** The DOM's `onerror`: native error events only. */
  declare onerror: ((this: RxWebSocket<unknown, never>, event: WsEvent) => unknown) | null;
  /** The DOM's `onclose`, also for the close a heartbeat or connect timeout makes. */
  declare onclose: ((this: RxWebSocket<unknown, never>, event: WsCloseEvent) => unknown) | null;

  private _domEvents(): DomEvents {
    return (this._dom ??= new DomEvents(this, (type) => (this.state === 'closed' ? undefined : this._channel(type))));
  }

  /** `readyState` while connecting, and while waiting to reconnect: 0. */
  declare readonly CONNECTING: 0;
  /** `readyState` while open: 1. */
  declare readonly OPEN: 1;
  /** `readyState` while the closing handshake runs: 2. */
  declare readonly CLOSING: 2;
  /** `readyState` once closed: 3. */
  declare readonly CLOSED: 3;

  // The accessors that differ only by name, made in one loop each: on the prototype, as the
  // DOM's are (the `on*` handlers, the native passthrough, the constants).
  // A pure call, not a static block, so that bundlers still drop the class where it is unused.
  /** @internal */
  // (`this`, not the class's name: a class that names itself in its body is emitted under
  // another name, and `constructor.name` would not read 'RxWebSocket'.)
  static readonly _accessors: boolean = /* @__PURE__ */ this._define();

  private static _define(): boolean {
    const proto = this.prototype;
    for (const type of EVENT_NAMES) {
      Object.defineProperty(proto, `on${type}`, {
        get(this: RxWebSocket) {
          return this._dom?._handler(type) ?? null;
        },
        set(this: RxWebSocket, fn: unknown) {
          this._domEvents()._setHandler(type, fn);
        },
        configurable: true,
      });
    }
    for (const key of ['url', 'protocol', 'extensions', 'bufferedAmount'] as const) {
      Object.defineProperty(proto, key, {
        get(this: RxWebSocket) {
          return this._native[key];
        },
        configurable: true,
      });
    }
    (['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const).forEach((key, value) => {
      for (const holder of [this, proto]) Object.defineProperty(holder, key, { value, enumerable: true });
    });
    return true;
  }

  // ---- Native events ------------------------------------------------------------------

  private _channel(evt: EventName): Observable<unknown> {
    return this[`${evt}$`];
  }

  /** Open, and the native socket takes data: what `send` hands over now instead of queueing. */
  private _writable(): boolean {
    return this.state === 'open' && this._native.readyState === 1; /* OPEN */
  }

  private _setState(state: SocketState): void {
    this._stateChannel._set(state);
  }

  private _emitError(error: WsEvent | WebSocketError): void {
    this._errorChannel?._emit(error);
  }

  /** The error for data the native socket threw on: it keeps the data, and the native error when safe. */
  private _refused(data: SendData, cause: unknown): SendError {
    // The native error may quote the URL: it is kept only when the URL cannot hold credentials.
    const safe = !this._url.includes('@');
    const why = safe && cause instanceof Error ? ` (${cause.message})` : '';
    return new SendError(
      `the WebSocket refused a message${why}: not sent, see error.data`,
      data,
      safe ? { cause } : undefined,
    );
  }

  /** What the features may do with this socket (made once, only when there are features). */
  private _link(scheduler: SocketLink['scheduler']): SocketLink {
    return {
      scheduler,
      report: (error) => {
        this._lastError = error;
        this._emitError(error);
      },
      drop: (code, reason) => this._drop(code, reason),
      sendNow: (data) => {
        if (!this._writable()) return false;
        this._native.send(data);
        return true;
      },
      reconnect: () => {
        if (this.state !== 'reconnecting') return;
        this._setState('connecting');
        try {
          this._native = this._connect();
        } catch (error) {
          this._emitError(error as WebSocketError);
          this._handleClose({ ...abnormalClose(), reason: 'the WebSocket constructor threw' });
        }
      },
    };
  }

  /** Makes a native socket and listens to it; throws only for the first one (the constructor's caller). */
  private _connect(): Native {
    const url = this._url;
    let native: Native;
    try {
      native = this._protocols === undefined ? new this._Ctor(url) : new this._Ctor(url, this._protocols);
    } catch (cause) {
      const error = cause instanceof Error;
      // The native error may quote the URL: it is kept only when the URL cannot hold credentials.
      const safe = !url.includes('@');
      const name = error ? cause.name : 'a non-Error';
      // The DOM and ws throw a SyntaxError for a URL they refuse; anything else is said as thrown.
      throw new WebSocketError(
        name === 'SyntaxError' ? 'ERR_WS_INVALID_URL' : 'ERR_WS_INVALID_ARGUMENT',
        `the WebSocket constructor threw ${name}: ${!safe ? '(message hidden: the URL may hold credentials)' : error ? cause.message : describe(cause)}`,
        safe ? { cause } : undefined,
      );
    }
    assertSocket(native);
    if (this._binaryType !== undefined) native.binaryType = this._binaryType;
    this._lastError = undefined;
    listen(native, this._listener, this._onMessage);
    this._step('connecting');
    return native;
  }

  /** One listener for `open`, `error` and `close`; `message`, the hot one, has its own. */
  private readonly _listener = (event: WsEvent): void => {
    switch (event.type) {
      case 'open':
        return this._onOpen(event);
      case 'error':
        if (!this._abortedWhileConnecting) {
          this._lastError = errorOf(event);
          this._emitError(event);
        }
        return this._awaitClose();
      case 'close':
        this._detach(this._native);
        return this._handleClose(checkedClose(event as WsCloseEvent));
    }
  };

  private _onOpen(event: WsEvent): void {
    // An open that races a close() called while connecting opens nothing; a test double may
    // fire one all the same, and then gets the close again.
    if (this.state === 'closing') return this._native.close(...this._closeArgs);
    if (this.state !== 'connecting') return;
    this._step('open');
    this._setState('open');
    this._openChannel?._emit(event);
    this._openedChannel?._emit(event);
    this._sendQueue();
  }

  private readonly _onMessage = (event: WsMessageEvent): void => {
    const each = this._onEachMessage;
    if (each !== undefined) for (const hooks of each) hooks.message();
    this._messageChannel?._emit(event);
    const data = this._dataChannel;
    if (data?.observed) {
      let value: In;
      try {
        value = this._deserializer(event);
      } catch (cause) {
        this._emitError(new DecodeError(event.data, cause));
        return;
      }
      data._emit(value);
    }
  };

  /**
   * After an `error` while connecting, waits `CLOSE_GRACE` ms (on `options.scheduler`) for the
   * native `close`; when none came (Node 22's and Node 20's undici never fire it), the
   * connection ends as if it had closed with 1006. The native close, or any other end of
   * this connection, cancels the wait (`detach`).
   */
  private _awaitClose(): void {
    if (this._closeWait !== undefined) return;
    if (this.state !== 'connecting' && !(this.state === 'closing' && this._abortedWhileConnecting)) return;
    const native = this._native;
    this._closeWait = (this._scheduler ?? timeoutScheduler).schedule(() => {
      this._closeWait = undefined;
      if (this._native !== native || native.readyState === 1 /* OPEN */) return;
      this._detach(native);
      this._handleClose(abnormalClose());
    }, CLOSE_GRACE);
  }

  private _sent(each: readonly Pick<Required<FeatureHooks>, 'sent'>[]): void {
    for (const hooks of each) hooks.sent();
  }

  private _detach(native: Native): void {
    this._closeWait?.unsubscribe();
    this._closeWait = undefined;
    unlisten(native, this._listener, this._onMessage);
  }

  /**
   * Drops the current connection at once, without waiting for a closing handshake: the
   * native socket is let go (`terminate()` where it has one, as `ws` does, else `close()`), and
   * the socket goes on as if it had closed uncleanly with `code`. Nothing happens when that
   * connection has ended meanwhile (a handler of the timeout's error event may close it).
   */
  private _drop(code: number, reason: string): void {
    if (this.state === 'closed' || this.state === 'reconnecting') return;
    const native = this._native;
    this._detach(native);
    if (native.readyState !== 3 /* CLOSED */) letGo(native, code, reason);
    this._handleClose({ ...abnormalClose(), code, reason });
  }

  /** After each connection: reconnect when a feature says so, else the final close. */
  private _handleClose(event: WsCloseEvent): void {
    let again = false;
    if (this._closeRequested) this._step('stop');
    else for (const hooks of this._hooks) if (hooks.closed?.(event) === true) again = true;
    if (!again) return this._finalize(event);
    this._setState('reconnecting');
    this._closeChannel?._emit(event);
  }

  /** Runs one step's hook of every feature (for each connection, or the final stop). */
  private _step(step: 'connecting' | 'open' | 'paused' | 'resumed' | 'stop'): void {
    for (const hooks of this._hooks) hooks[step]?.();
  }

  /** The final close: every stream ends, every timer and subscription is released. */
  private _finalize(event: WsCloseEvent | undefined): void {
    this._step('stop');
    this._setState('closed');
    if (event !== undefined) this._closeChannel?._emit(event);
    this._openChannel?._end();
    this._openedChannel?._end();
    this._messageChannel?._end();
    this._errorChannel?._end();
    this._closeChannel?._end();
    if (this._closeRequested || event === undefined || event.wasClean) this._dataChannel?._end();
    else this._dataChannel?._fail(new CloseError(event, this._lastError));
    this._stateChannel._end();
    this._dom?._release();
  }

  /** Sends the queue in order, after the open handlers ran; stops if one of them closed. */
  private _sendQueue(): void {
    const outbox = this._outbox;
    if (outbox === undefined) return;
    let sent = false;
    while (this._writable()) {
      const data = outbox._shift();
      if (data === undefined) break;
      try {
        this._native.send(data);
        sent = true;
      } catch (cause) {
        // Refused (e.g. a buffer transferred away while queued): reported with the data, and
        // the rest of the queue still goes out, in order.
        this._emitError(this._refused(data, cause));
      }
    }
    if (sent && this._onEachSend !== undefined) this._sent(this._onEachSend);
  }
}

/**
 * The `Error` behind a native error event, where the runtime gives one (`ws`'s `ErrorEvent.error`,
 * e.g. `ECONNREFUSED`). Never the event itself: its target holds the URL, credentials included.
 */
function errorOf(event: WsEvent): Error | undefined {
  const error = (event as { error?: unknown }).error;
  return error instanceof Error ? error : undefined;
}

/** Closes a socket nobody listens to any more, without waiting for its closing handshake. */
function letGo(native: Native, code: number, reason: string): void {
  // The let-go socket may still emit an error (ws does, closing while connecting): a listener
  // that lives until its close event keeps that from being an unhandled 'error'.
  const ignore = (): void => undefined;
  const release = (): void => {
    native.removeEventListener('error', ignore);
    native.removeEventListener('close', release);
  };
  if (isTarget(native)) {
    native.addEventListener('error', ignore);
    native.addEventListener('close', release);
  }
  try {
    const terminate = (native as { terminate?: () => void }).terminate;
    if (typeof terminate === 'function') terminate.call(native);
    else native.close(code, reason);
  } catch {
    // A socket that refuses to close is let go all the same.
  }
}

/** `RxWebSocket.with(options)`, outside the class: see the note on `_accessors`. */
function withOptions<In, Out>(options: Omit<SocketOptions<In, Out>, 'protocols'>): RxWebSocketClass<In, Out> {
  resolveOptions(undefined, options);
  if ((options as SocketOptions<In, Out>).protocols !== undefined) {
    throw invalid('RxWebSocket.with() takes no protocols: pass them to the constructor');
  }
  return class extends RxWebSocket<In, Out> {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, options);
    }
  };
}

/** The subject face's subscribe function, shared by every socket (RxJS calls it with `this`). */
function subscribeToData(this: RxWebSocket<unknown, unknown>, subscriber: Subscriber<unknown>): TeardownLogic {
  const self = this as unknown as { _dataChannel: EventChannel<unknown> | undefined; state: SocketState };
  return (self._dataChannel ??= born(self)).subscribe(subscriber);
}

/** `WebSocket(...)` and `new WebSocket(...)`: the Brython factory, callable either way. */
export interface WebSocketFactory {
  <In = MessageData, Out = SendData>(host: string | URL, options?: SocketOptions<In, Out>): RxWebSocket<In, Out>;
  <In = MessageData, Out = SendData>(
    host: string | URL,
    protocols?: string | string[],
    options?: SocketOptions<In, Out>,
  ): RxWebSocket<In, Out>;
  new <In = MessageData, Out = SendData>(host: string | URL, options?: SocketOptions<In, Out>): RxWebSocket<In, Out>;
  new <In = MessageData, Out = SendData>(
    host: string | URL,
    protocols?: string | string[],
    options?: SocketOptions<In, Out>,
  ): RxWebSocket<In, Out>;
  /** `RxWebSocket.prototype`, so `WebSocket(...) instanceof WebSocket` holds. */
  readonly prototype: RxWebSocket<unknown, unknown>;
  /** `readyState` while connecting, and while waiting to reconnect: 0. */
  readonly CONNECTING: 0;
  /** `readyState` while open: 1. */
  readonly OPEN: 1;
  /** `readyState` while the closing handshake runs: 2. */
  readonly CLOSING: 2;
  /** `readyState` once closed: 3. */
  readonly CLOSED: 3;
}

function makeFactory(): WebSocketFactory {
  const factory = function WebSocket(
    host: string | URL,
    protocolsOrOptions?: string | string[] | SocketOptions<unknown, unknown>,
    options?: SocketOptions<unknown, unknown>,
  ): RxWebSocket<unknown, unknown> {
    return new RxWebSocket(host, protocolsOrOptions as string | string[] | undefined, options);
  };
  factory.prototype = RxWebSocket.prototype;
  return Object.assign(factory, {
    CONNECTING: 0,
    OPEN: 1,
    CLOSING: 2,
    CLOSED: 3,
  } as const) as unknown as WebSocketFactory;
}

/**
 * Brython's `websocket.WebSocket(host)`: opens a connection at once and returns an
 * `RxWebSocket`. Works with and without `new`; `instanceof WebSocket` holds for the result.
 * Throws `NotImplementedError` (`ERR_WS_UNSUPPORTED`) when there is no WebSocket constructor,
 * and `ERR_WS_INVALID_URL` for a host that is not an absolute ws:, wss:, http: or https: URL.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * const ws = WebSocket('ws://localhost:8080');
 * ws.bind('open', () => ws.send('hello'));
 * ws.bind('message', (evt) => console.log(`Message received : ${String(evt.data)}`));
 * ws.bind('close', () => console.log('Connection is closed'));
 */
export const WebSocket: WebSocketFactory = /* @__PURE__ */ makeFactory();
