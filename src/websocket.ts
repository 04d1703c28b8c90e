import { Observable, type Observer, type SchedulerLike, type Subscriber, type Subscription, type TeardownLogic } from 'rxjs';
import { assertEventName, assertHandler, Binding, type Handler } from './bindings.js';
import { identityDeserializer, identitySerializer, type Deserializer, type Serializer } from './codec.js';
import { abnormalClose, checkedClose, CLOSE_GRACE, timeoutScheduler } from './close-guard.js';
import { DomEvents, type DomListener, type DomListenerOptions } from './dom-events.js';
import { CloseError, DecodeError, SendError, WebSocketError } from './errors.js';
import { EventChannel, ValueChannel } from './events.js';
import type { FeatureHooks, SocketLink } from './features.js';
import { multiplex } from './multiplex.js';
import { assertSocket, listen, unlisten } from './native.js';
import { resolveOptions, type SocketOptions } from './options.js';
import { Outbox } from './outbox.js';
import { assertSendable, closeOf, describe, invalid, normalizeUrl, resolveConstructor, validateClose } from './support.js';
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
export type BindingsMap = { [K in EventName]: Array<(event: SocketEventMap[K]) => unknown> };

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

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

/** A channel made on first use; one made after the final close is born complete. */
function born<T>(closed: boolean): EventChannel<T> {
  const channel = new EventChannel<T>();
  if (closed) channel.end();
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
  /** `readyState` while connecting, and while waiting to reconnect: 0. */
  static readonly CONNECTING = 0 as const;
  /** `readyState` while open: 1. */
  static readonly OPEN = 1 as const;
  /** `readyState` while the closing handshake runs: 2. */
  static readonly CLOSING = 2 as const;
  /** `readyState` once closed: 3. */
  static readonly CLOSED = 3 as const;

  // The streams are made on first use (a socket nobody watches costs no channel).
  private openChannel: EventChannel<WsEvent> | undefined;
  /** Each open again, once every open handler has run and before the queue goes out (multiplex). */
  private openedChannel: EventChannel<WsEvent> | undefined;
  private messageChannel: EventChannel<WsMessageEvent> | undefined;
  private errorChannel: EventChannel<WsEvent | WebSocketError> | undefined;
  private closeChannel: EventChannel<WsCloseEvent> | undefined;
  private dataChannel: EventChannel<In> | undefined;
  /** The state: the one place it is kept (`state`, `state$`). */
  private readonly stateChannel = new ValueChannel<SocketState>('connecting');
  /** The bindings, in bind order (made on the first bind). */
  private table: Binding[] | undefined;
  /** The send queue (made on the first message queued). */
  private outbox: Outbox | undefined;
  private readonly maxQueue: number;
  private readonly serializer: Serializer<Out>;
  private readonly deserializer: Deserializer<In>;
  private readonly url_: string;
  private readonly Ctor: new (url: string, protocols?: string | string[]) => Native;
  private readonly protocols: string | string[] | undefined;
  private binaryType_: string | undefined;
  /** The features' hooks (`options.reconnect`, `heartbeat`, `connectTimeout`), in order. */
  private readonly hooks: readonly FeatureHooks[] = NO_HOOKS;
  /** The hooks that want each message and each send (a heartbeat), apart: one field to check. */
  private readonly onEachMessage: readonly FeatureHooks[] | undefined;
  private readonly onEachSend: readonly FeatureHooks[] | undefined;
  /** With `reconnect` on, a send on a socket the server is closing queues for the next one. */
  private readonly reconnects: boolean;
  private native!: Native;
  /** `close()` was called: the end is the user's, so the subject face completes. */
  private closeRequested = false;
  /** `close()` was called while connecting: the native error event that follows is expected. */
  private abortedWhileConnecting = false;
  /** The last error of the current connection: the `cause` of a `CloseError` that follows it. */
  private lastError: Error | undefined;
  /** `options.scheduler`: for the wait for a close after an error (`awaitClose`), the features and `brython-websocket/streams`. */
  private readonly scheduler: SchedulerLike | undefined;
  /** That wait, while one runs. */
  private closeWait: Subscription | undefined;
  /** The code and reason of `close()`, for an `open` that a test double fires after it. */
  private closeArgs: [number, string] | undefined;
  /** The DOM face's listeners (made on first use). */
  private dom: DomEvents | undefined;

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
  static with<In = MessageData, Out = SendData>(options: Omit<SocketOptions<In, Out>, 'protocols'>): RxWebSocketClass<In, Out> {
    resolveOptions(undefined, options);
    if ((options as SocketOptions<In, Out>).protocols !== undefined) {
      throw invalid('RxWebSocket.with() takes no protocols: pass them to the constructor, as a library does');
    }
    return class extends RxWebSocket<In, Out> {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, options);
      }
    };
  }
  /** Readers holding the transport paused: `brython-websocket/streams`, through `FlowLink` (src/flow.ts). */
  private holds = 0;
  /** The current native socket is paused by those holds. */
  private paused = false;

  // The options form stays first: TypeScript then lists a wrong option's error against it first
  // (naming `ReconnectFeature` for `reconnect: { attempts: 3 }`), and `WebSocket<T>(url, { ...json() })`
  // infers `json()`'s type (an inner generic call is fixed by the first overload tried).
  constructor(host: string | URL, options?: SocketOptions<In, Out>);
  constructor(host: string | URL, protocols?: string | string[], options?: SocketOptions<In, Out>);
  constructor(host: string | URL, protocolsOrOptions?: string | string[] | SocketOptions<In, Out>, maybeOptions?: SocketOptions<In, Out>) {
    super(subscribeToData as (this: Observable<In>, subscriber: Subscriber<In>) => TeardownLogic);
    this.url_ = normalizeUrl(host);
    const options = resolveOptions<In, Out>(protocolsOrOptions, maybeOptions);
    this.Ctor = resolveConstructor(options.WebSocketCtor) as RxWebSocket<In, Out>['Ctor'];
    this.protocols = options.protocols;
    this.binaryType_ = options.binaryType;
    this.maxQueue = options.maxQueue;
    this.scheduler = options.scheduler;
    this.serializer = options.serializer ?? (identitySerializer as Serializer<Out>);
    this.deserializer = options.deserializer ?? (identityDeserializer as Deserializer<In>);
    const features = options.features;
    this.reconnects = features.some((feature) => feature.kind === 'reconnect');
    if (features.length > 0) {
      const link = this.link(this.scheduler);
      const hooks = (this.hooks = features.map((feature) => feature.attach(link)));
      const wanting = (step: 'message' | 'sent'): FeatureHooks[] | undefined => {
        const some = hooks.filter((h) => h[step] !== undefined);
        return some.length > 0 ? some : undefined;
      };
      this.onEachMessage = wanting('message');
      this.onEachSend = wanting('sent');
    }
    this.native = this.connect();
  }

  /** The native `open` events: one per connection. */
  get open$(): Observable<WsEvent> {
    return (this.openChannel ??= born(this.state === 'closed'));
  }

  /** The native `message` events (`.data` holds the message). */
  get message$(): Observable<WsMessageEvent> {
    return (this.messageChannel ??= born(this.state === 'closed'));
  }

  /** The native `error` events, and `DecodeError`s from the deserializer. Never an error notification. */
  get error$(): Observable<WsEvent | WebSocketError> {
    return (this.errorChannel ??= born(this.state === 'closed'));
  }

  /** The native `close` events (`.code`, `.reason`, `.wasClean`). */
  get close$(): Observable<WsCloseEvent> {
    return (this.closeChannel ??= born(this.state === 'closed'));
  }

  /** The state, current value first, then each change. Completes after `'closed'`. */
  get state$(): Observable<SocketState> {
    return this.stateChannel;
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
      throw new WebSocketError('ERR_WS_INVALID_STATE', `cannot bind "${evt}": the socket is closed for good; create a new WebSocket`);
    }
    const binding = new Binding(evt, fn);
    this.channel(evt).subscribe(binding);
    // Copied, not pushed: a list grown by push would hold room for 16 more.
    this.table = this.table === undefined ? [binding] : [...this.table, binding];
    return this;
  }

  /**
   * Removes the bindings of `fn` (by identity) from `evt`, or every binding of `evt` without
   * `fn`. Unbinding a function that is not bound throws, as Brython's `unbind` does.
   */
  unbind<K extends EventName>(evt: K, fn?: (event: SocketEventMap[K]) => unknown): this {
    assertEventName(evt);
    if (fn !== undefined) assertHandler(evt, fn);
    const gone = (binding: Binding): boolean => binding.evt === evt && (fn === undefined || binding.fn === fn);
    const table = this.table ?? [];
    const removed = table.filter(gone);
    if (fn !== undefined && removed.length === 0) {
      throw invalid(`this handler is not bound to "${evt}"; events("${evt}") lists the bound ones`);
    }
    this.table = table.filter((binding) => !gone(binding));
    for (const binding of removed) binding.unsubscribe();
    return this;
  }

  /** The handlers bound to `evt`, in the order they run. */
  events<K extends EventName>(evt: K): Array<(event: SocketEventMap[K]) => unknown> {
    assertEventName(evt);
    return (this.table ?? []).filter((binding) => binding.evt === evt).map((binding) => binding.fn as (event: SocketEventMap[K]) => unknown);
  }

  /** Every event's handlers, in the order they run. */
  bindings(): BindingsMap {
    return {
      open: this.events('open'),
      error: this.events('error'),
      message: this.events('message'),
      close: this.events('close'),
    };
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
    if (this.writable()) {
      try {
        this.native.send(data);
      } catch (cause) {
        throw this.refused(data, cause);
      }
      if (this.onEachSend !== undefined) this.sent();
      return true;
    }
    const state = this.state;
    // With reconnection on, a socket the server is closing will be followed by a new one.
    if (state === 'connecting' || state === 'reconnecting' || (state === 'open' && this.reconnects)) {
      (this.outbox ??= new Outbox(this.maxQueue)).push(data);
      return false;
    }
    throw new WebSocketError(
      'ERR_WS_INVALID_STATE',
      `cannot send: the socket is ${state === 'open' ? (this.native.readyState === CLOSED ? 'closed' : 'closing') : state}; ` +
        'nothing was sent. Send between open and close',
    );
  }

  /**
   * Closes the connection with `code` (1000, or 3000-4999) and `reason` (at most 123 bytes of
   * UTF-8); an invalid one throws `ERR_WS_INVALID_CLOSE` and the socket stays as it was. Works
   * while connecting. A second call does nothing. Messages still queued stay in `drainQueue()`.
   */
  close(code: number = 1000, reason: string = ''): void {
    validateClose(code, reason);
    const state = this.state;
    if (state === 'closing' || state === 'closed') return;
    this.closeRequested = true;
    this.closeArgs = [code, reason];
    if (state === 'reconnecting') return this.finalize(undefined);
    this.step('stop');
    this.setState('closing');
    // The closing handshake needs the server's close frame read: a paused socket resumes.
    this.applyHolds();
    if (this.native.readyState === CONNECTING) this.abortedWhileConnecting = true;
    this.native.close(code, reason);
  }

  /** How many messages wait in the queue. */
  get queued(): number {
    return this.outbox?.size ?? 0;
  }

  /** Empties the queue and returns what was in it, in order: nothing is lost at a final close. */
  drainQueue(): SendData[] {
    return this.outbox?.drain() ?? [];
  }

  // ---- The subject face ---------------------------------------------------------------

  /** Sends `serializer(value)`; returns what `send` returns. A serializer error is thrown here. */
  next(value: Out): boolean {
    return this.send(this.serializer(value));
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
    return this.stateChannel.value;
  }

  /** The native socket's, except `CONNECTING` while waiting to reconnect and `CLOSED` once closed for good. */
  get readyState(): number {
    const state = this.state;
    if (state === 'reconnecting') return CONNECTING;
    if (state === 'closed') return CLOSED;
    return this.native.readyState;
  }

  /** The URL of the current connection, as the runtime normalized it. */
  get url(): string {
    return this.native.url;
  }

  /** The subprotocol the server chose for the current connection; empty before the open or when none was. */
  get protocol(): string {
    return this.native.protocol;
  }

  /**
   * The extensions the server chose for the current connection (e.g. `permessage-deflate`); empty
   * before the open.
   */
  get extensions(): string {
    return this.native.extensions;
  }

  /**
   * Bytes sent on the current connection that the runtime has not yet written to the network (the
   * package's own queue, while not open, is not counted).
   */
  get bufferedAmount(): number {
    return this.native.bufferedAmount;
  }

  /**
   * How binary messages arrive: `'blob'` or `'arraybuffer'` (with `ws`, also `'nodebuffer'`).
   * @default the native socket's own default (`'blob'` in browsers, `'nodebuffer'` with `ws`), or
   * `options.binaryType`
   */
  get binaryType(): string {
    return this.native.binaryType;
  }

  /** Set on the current native socket and on every one made by a reconnect. */
  set binaryType(value: string) {
    this.binaryType_ = value;
    this.native.binaryType = value;
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
        opens: (this.openedChannel ??= born(this.state === 'closed')),
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
  addEventListener(type: string, listener: DomListener<WsEvent, RxWebSocket<unknown, never>> | null, options?: boolean | DomListenerOptions): void;
  addEventListener(type: string, listener: unknown, options?: unknown): void {
    this.domEvents().add(type, listener, options);
  }

  /** The DOM's `removeEventListener`: by type, listener and `capture`. */
  removeEventListener<K extends EventName>(
    type: K,
    listener: DomListener<DomEventMap[K], RxWebSocket<unknown, never>> | null,
    options?: boolean | DomListenerOptions,
  ): void;
  removeEventListener(type: string, listener: DomListener<WsEvent, RxWebSocket<unknown, never>> | null, options?: boolean | DomListenerOptions): void;
  removeEventListener(type: string, listener: unknown, options?: unknown): void {
    this.dom?.remove(type, listener, options);
  }

  /**
   * Delivers `event` to the `addEventListener` and `on*` listeners of `event.type`, in order,
   * and returns `!event.defaultPrevented`. It leaves the socket alone: not `close$`, not
   * `state$`, not the subject face, not the queue, not the `bind` handlers.
   */
  dispatchEvent(event: WsEvent): boolean {
    return this.domEvents().dispatch(event);
  }

  /** The DOM's `onopen`: a function or null; it keeps the place it had when first set. */
  get onopen(): ((this: RxWebSocket<unknown, never>, event: WsEvent) => unknown) | null {
    return this.handler('open');
  }
  /** Sets the `onopen` handler (a function, or null to remove it), as in the DOM. */
  set onopen(fn: ((this: RxWebSocket<unknown, never>, event: WsEvent) => unknown) | null) {
    this.domEvents().setHandler('open', fn);
  }

  /** The DOM's `onmessage`. */
  get onmessage(): ((this: RxWebSocket<unknown, never>, event: WsMessageEvent) => unknown) | null {
    return this.handler('message');
  }
  /** Sets the `onmessage` handler (a function, or null to remove it), as in the DOM. */
  set onmessage(fn: ((this: RxWebSocket<unknown, never>, event: WsMessageEvent) => unknown) | null) {
    this.domEvents().setHandler('message', fn);
  }

  /** The DOM's `onerror`: native error events only. */
  get onerror(): ((this: RxWebSocket<unknown, never>, event: WsEvent) => unknown) | null {
    return this.handler('error');
  }
  /** Sets the `onerror` handler (a function, or null to remove it), as in the DOM. */
  set onerror(fn: ((this: RxWebSocket<unknown, never>, event: WsEvent) => unknown) | null) {
    this.domEvents().setHandler('error', fn);
  }

  /** The DOM's `onclose`, also for the close a heartbeat or connect timeout makes. */
  get onclose(): ((this: RxWebSocket<unknown, never>, event: WsCloseEvent) => unknown) | null {
    return this.handler('close');
  }
  /** Sets the `onclose` handler (a function, or null to remove it), as in the DOM. */
  set onclose(fn: ((this: RxWebSocket<unknown, never>, event: WsCloseEvent) => unknown) | null) {
    this.domEvents().setHandler('close', fn);
  }

  private handler<F>(type: EventName): F | null {
    return (this.dom?.handler(type) ?? null) as F | null;
  }

  private domEvents(): DomEvents {
    return (this.dom ??= new DomEvents(this, (type) => (this.state === 'closed' ? undefined : this.channel(type))));
  }

  /** `readyState` while connecting, and while waiting to reconnect: 0. */
  get CONNECTING(): 0 {
    return 0;
  }

  /** `readyState` while open: 1. */
  get OPEN(): 1 {
    return 1;
  }

  /** `readyState` while the closing handshake runs: 2. */
  get CLOSING(): 2 {
    return 2;
  }

  /** `readyState` once closed: 3. */
  get CLOSED(): 3 {
    return 3;
  }

  // ---- Native events ------------------------------------------------------------------

  private channel(evt: EventName): Observable<unknown> {
    switch (evt) {
      case 'open':
        return this.open$;
      case 'error':
        return this.error$;
      case 'message':
        return this.message$;
      case 'close':
        return this.close$;
    }
  }

  /** Open, and the native socket takes data: what `send` hands over now instead of queueing. */
  private writable(): boolean {
    return this.state === 'open' && this.native.readyState === OPEN;
  }

  private setState(state: SocketState): void {
    this.stateChannel.set(state);
  }

  private emitError(error: WsEvent | WebSocketError): void {
    this.errorChannel?.emit(error);
  }

  /** The error for data the native socket threw on: it keeps the data, and the native error when safe. */
  private refused(data: SendData, cause: unknown): SendError {
    // The native error may quote the URL: it is kept only when the URL cannot hold credentials.
    const safe = !this.url_.includes('@');
    const why = safe && cause instanceof Error ? ` (${cause.message})` : '';
    return new SendError(
      `the WebSocket refused a message${why}; nothing was sent (the data is error.data)`,
      data,
      safe ? { cause } : undefined,
    );
  }

  /** What the features may do with this socket (made once, only when there are features). */
  private link(scheduler: SocketLink['scheduler']): SocketLink {
    return {
      scheduler,
      report: (error) => {
        this.lastError = error;
        this.emitError(error);
      },
      drop: (code, reason) => this.drop(code, reason),
      sendNow: (data) => {
        if (!this.writable()) return false;
        this.native.send(data);
        return true;
      },
      reconnect: () => {
        if (this.state !== 'reconnecting') return;
        this.setState('connecting');
        try {
          this.native = this.connect();
        } catch (error) {
          this.emitError(error as WebSocketError);
          this.handleClose({ type: 'close', code: 1006, reason: 'the WebSocket constructor threw', wasClean: false });
        }
      },
    };
  }

  /** Makes a native socket and listens to it; throws only for the first one (the constructor's caller). */
  private connect(): Native {
    const url = this.url_;
    let native: Native;
    try {
      native = this.protocols === undefined ? new this.Ctor(url) : new this.Ctor(url, this.protocols);
    } catch (cause) {
      const error = cause instanceof Error;
      // The native error may quote the URL: it is kept only when the URL cannot hold credentials.
      const safe = !url.includes('@');
      const name = error ? cause.name : 'a non-Error';
      // The DOM and ws throw a SyntaxError for a URL they refuse; anything else is said as thrown.
      throw new WebSocketError(
        name === 'SyntaxError' ? 'ERR_WS_INVALID_URL' : 'ERR_WS_INVALID_ARGUMENT',
        `the WebSocket constructor ${name === 'SyntaxError' ? 'refused the URL' : `threw ${name}`}: ${
          !safe ? 'its message is left out, as the URL holds credentials' : error ? cause.message : describe(cause)
        }`,
        safe ? { cause } : undefined,
      );
    }
    assertSocket(native);
    if (this.binaryType_ !== undefined) native.binaryType = this.binaryType_;
    this.lastError = undefined;
    listen(native, this.listener, this.onMessage);
    this.step('connecting');
    return native;
  }

  /** One listener for `open`, `error` and `close`; `message`, the hot one, has its own. */
  private readonly listener = (event: WsEvent): void => {
    switch (event.type) {
      case 'open':
        return this.onOpen(event);
      case 'error':
        if (!this.abortedWhileConnecting) {
          this.lastError = errorOf(event);
          this.emitError(event);
        }
        return this.awaitClose();
      case 'close':
        this.detach(this.native);
        return this.handleClose(checkedClose(event as WsCloseEvent));
    }
  };

  private onOpen(event: WsEvent): void {
    // An open that races a close() called while connecting opens nothing; a test double may
    // fire one all the same, and then gets the close again.
    if (this.state === 'closing') return this.native.close(...this.closeArgs!);
    if (this.state !== 'connecting') return;
    this.step('open');
    this.setState('open');
    if (this.holds > 0) this.applyHolds();
    this.openChannel?.emit(event);
    this.openedChannel?.emit(event);
    this.flush();
  }

  private readonly onMessage = (event: WsMessageEvent): void => {
    const each = this.onEachMessage;
    if (each !== undefined) for (let i = 0; i < each.length; i++) each[i]!.message!();
    this.messageChannel?.emit(event);
    const data = this.dataChannel;
    if (data !== undefined && data.observed) {
      let value: In;
      try {
        value = this.deserializer(event);
      } catch (cause) {
        this.emitError(new DecodeError(event.data, cause));
        return;
      }
      data.emit(value);
    }
  };

  /**
   * After an `error` while connecting, waits `CLOSE_GRACE` ms (on `options.scheduler`) for the
   * native `close`; when none came (Node 22's and Node 20's undici never fire it), the
   * connection ends as if it had closed with 1006. The native close, or any other end of
   * this connection, cancels the wait (`detach`).
   */
  private awaitClose(): void {
    if (this.closeWait !== undefined) return;
    if (this.state !== 'connecting' && !(this.state === 'closing' && this.abortedWhileConnecting)) return;
    const native = this.native;
    this.closeWait = (this.scheduler ?? timeoutScheduler).schedule(() => {
      this.closeWait = undefined;
      if (this.native !== native || native.readyState === OPEN) return;
      this.detach(native);
      this.handleClose(abnormalClose());
    }, CLOSE_GRACE);
  }

  private sent(): void {
    for (const hooks of this.onEachSend!) hooks.sent!();
  }

  private detach(native: Native): void {
    this.closeWait?.unsubscribe();
    this.closeWait = undefined;
    unlisten(native, this.listener, this.onMessage);
  }

  /**
   * Drops the current connection at once, without waiting for a closing handshake: the
   * native socket is let go (`terminate()` where it has one, as `ws` does, else `close()`), and
   * the socket goes on as if it had closed uncleanly with `code`. Nothing happens when that
   * connection has ended meanwhile (a handler of the timeout's error event may close it).
   */
  private drop(code: number, reason: string): void {
    if (this.state === 'closed' || this.state === 'reconnecting') return;
    const native = this.native;
    this.detach(native);
    if (native.readyState !== CLOSED) letGo(native, code, reason);
    this.handleClose({ type: 'close', code, reason, wasClean: false });
  }

  /** After each connection: reconnect when a feature says so, else the final close. */
  private handleClose(event: WsCloseEvent): void {
    this.paused = false;
    let again = false;
    if (this.closeRequested) this.step('stop');
    else for (const hooks of this.hooks) if (hooks.closed?.(event) === true) again = true;
    if (!again) return this.finalize(event);
    this.setState('reconnecting');
    this.closeChannel?.emit(event);
  }

  /** Runs one step's hook of every feature (for each connection, or the final stop). */
  private step(step: 'connecting' | 'open' | 'paused' | 'resumed' | 'stop'): void {
    for (const hooks of this.hooks) hooks[step]?.();
  }

  /** The final close: every stream ends, every timer and subscription is released. */
  private finalize(event: WsCloseEvent | undefined): void {
    this.step('stop');
    this.setState('closed');
    if (event !== undefined) this.closeChannel?.emit(event);
    this.openChannel?.end();
    this.openedChannel?.end();
    this.messageChannel?.end();
    this.errorChannel?.end();
    this.closeChannel?.end();
    if (this.closeRequested || event === undefined || event.wasClean) this.dataChannel?.end();
    else this.dataChannel?.fail(new CloseError(event, this.lastError));
    this.stateChannel.end();
    this.dom?.release();
  }

  /** Pauses or resumes reading from the native socket, as the holds and the state say. */
  private applyHolds(): void {
    const native = this.native;
    const pause = this.holds > 0 && this.state === 'open';
    if (pause === this.paused || typeof native.pause !== 'function' || typeof native.resume !== 'function') return;
    this.paused = pause;
    if (pause) native.pause();
    else native.resume();
    this.step(pause ? 'paused' : 'resumed');
  }

  /** Sends the queue in order, after the open handlers ran; stops if one of them closed. */
  private flush(): void {
    const outbox = this.outbox;
    if (outbox === undefined) return;
    let sent = false;
    while (outbox.size > 0 && this.writable()) {
      const data = outbox.shift()!;
      try {
        this.native.send(data);
        sent = true;
      } catch (cause) {
        // Refused (e.g. a buffer transferred away while queued): reported with the data, and
        // the rest of the queue still goes out, in order.
        this.emitError(this.refused(data, cause));
      }
    }
    if (sent && this.onEachSend !== undefined) this.sent();
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
  const target = typeof native.addEventListener === 'function';
  const ignore = (): void => undefined;
  const release = (): void => {
    native.removeEventListener('error', ignore);
    native.removeEventListener('close', release);
  };
  if (target) {
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

/** The subject face's subscribe function, shared by every socket (RxJS calls it with `this`). */
function subscribeToData(this: RxWebSocket<unknown, unknown>, subscriber: Subscriber<unknown>): TeardownLogic {
  const self = this as unknown as { dataChannel: EventChannel<unknown> | undefined; state: SocketState };
  return (self.dataChannel ??= born(self.state === 'closed')).subscribe(subscriber);
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
  return Object.assign(factory, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const) as unknown as WebSocketFactory;
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
