import { Observable, type Observer, type SchedulerLike, type Subscriber, type Subscription, type TeardownLogic } from 'rxjs';
import { assertEventName, assertHandler, Bindings, reportHandlerError, type Handler } from './bindings.js';
import { identityDeserializer, identitySerializer, type Deserializer, type Serializer } from './codec.js';
import { CloseError, DecodeError, WebSocketError } from './errors.js';
import { EventChannel, ValueChannel } from './events.js';
import { CLOSE_HEARTBEAT_TIMEOUT, Heartbeat, type HeartbeatPolicy } from './heartbeat.js';
import { multiplex } from './multiplex.js';
import { resolveOptions, type SocketOptions } from './options.js';
import { Outbox } from './outbox.js';
import { backoffDelay, type ReconnectPolicy } from './reconnect.js';
import {
  assertSendable,
  describe,
  normalizeUrl,
  redact,
  resolveConstructor,
  scrub,
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
  open: WsEvent;
  error: WsEvent | WebSocketError;
  message: WsMessageEvent;
  close: WsCloseEvent;
}

/** The handlers bound to each event, in bind order, as `bindings()` returns them. */
export type BindingsMap = { [K in EventName]: Array<(event: SocketEventMap[K]) => unknown> };

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/**
 * The close code of a connection attempt given up after `options.connectTimeout` ms
 * (`close$` gets it with `wasClean: false`; the server never sees it).
 */
export const CLOSE_CONNECT_TIMEOUT = 4901;

/** The native socket as this module drives it (the public type keeps `send` loose). */
interface Native extends NativeWebSocket {
  send(data: SendData): void;
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
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
  static readonly CONNECTING = 0 as const;
  static readonly OPEN = 1 as const;
  static readonly CLOSING = 2 as const;
  static readonly CLOSED = 3 as const;

  private readonly openChannel = new EventChannel<WsEvent>();
  private readonly messageChannel = new EventChannel<WsMessageEvent>();
  private readonly errorChannel = new EventChannel<WsEvent | WebSocketError>();
  private readonly closeChannel = new EventChannel<WsCloseEvent>();
  private readonly dataChannel = new EventChannel<In>();
  private readonly stateChannel = new ValueChannel<SocketState>('connecting');
  private readonly table: Bindings;
  private readonly outbox: Outbox;
  private readonly serializer: Serializer<Out>;
  private readonly deserializer: Deserializer<In>;
  private readonly url_: string;
  private readonly Ctor: new (url: string, protocols?: string | string[]) => Native;
  private readonly protocols: string | string[] | undefined;
  private binaryType_: string | undefined;
  private readonly policy: ReconnectPolicy | undefined;
  private readonly connectTimeout: number;
  private readonly heartbeatPolicy: HeartbeatPolicy | undefined;
  private readonly scheduler: SchedulerLike;
  private native!: Native;
  /** `close()` was called: the end is the user's, so the subject face completes. */
  private closeRequested = false;
  /** `close()` was called while connecting: the native error event that follows is expected. */
  private abortedWhileConnecting = false;
  /** Reconnects in a row since the last connection that stayed open `resetAfter` ms. */
  private attempt = 0;
  /** When the current connection opened (scheduler time), for the backoff reset. */
  private openedAt: number | undefined;
  private reconnectTimer: Subscription | undefined;
  private connectTimer: Subscription | undefined;
  private heartbeat: Heartbeat | undefined;

  constructor(host: string | URL, options?: SocketOptions<In, Out>);
  constructor(host: string | URL, protocols?: string | string[], options?: SocketOptions<In, Out>);
  constructor(host: string | URL, protocolsOrOptions?: string | string[] | SocketOptions<In, Out>, maybeOptions?: SocketOptions<In, Out>) {
    super(subscribeToData as (this: Observable<In>, subscriber: Subscriber<In>) => TeardownLogic);
    this.url_ = normalizeUrl(host);
    const options = resolveOptions<In, Out>(protocolsOrOptions, maybeOptions);
    this.Ctor = resolveConstructor(options.WebSocketCtor) as RxWebSocket<In, Out>['Ctor'];
    this.protocols = options.protocols;
    this.binaryType_ = options.binaryType;
    this.policy = options.reconnect;
    this.connectTimeout = options.connectTimeout;
    this.heartbeatPolicy = options.heartbeat;
    this.scheduler = options.scheduler;
    this.serializer = options.serializer ?? (identitySerializer as Serializer<Out>);
    this.deserializer = options.deserializer ?? (identityDeserializer as Deserializer<In>);
    this.outbox = new Outbox(options.maxQueue);
    this.table = new Bindings((evt) => this.channel(evt));
    this.native = this.connect();
  }

  /** The native `open` events: one per connection. */
  get open$(): Observable<WsEvent> {
    return this.openChannel;
  }

  /** The native `message` events (`.data` holds the message). */
  get message$(): Observable<WsMessageEvent> {
    return this.messageChannel;
  }

  /** The native `error` events, and `DecodeError`s from the deserializer. Never an error notification. */
  get error$(): Observable<WsEvent | WebSocketError> {
    return this.errorChannel;
  }

  /** The native `close` events (`.code`, `.reason`, `.wasClean`). */
  get close$(): Observable<WsCloseEvent> {
    return this.closeChannel;
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
    if (this.stateChannel.value === 'closed') {
      throw new WebSocketError(
        'ERR_WS_INVALID_STATE',
        `cannot bind "${evt}": the socket is closed for good and no event will come; ` +
          'bind before closing, or create a new WebSocket',
      );
    }
    this.table.bind(evt, fn);
    return this;
  }

  /**
   * Removes the bindings of `fn` (by identity) from `evt`, or every binding of `evt` without
   * `fn`. Unbinding a function that is not bound throws, as Brython's `unbind` does.
   */
  unbind<K extends EventName>(evt: K, fn?: (event: SocketEventMap[K]) => unknown): this {
    assertEventName(evt);
    if (fn !== undefined) assertHandler(evt, fn);
    const removed = this.table.unbind(evt, fn as Handler<never> | undefined);
    if (fn !== undefined && removed === 0) {
      throw new WebSocketError(
        'ERR_WS_INVALID_ARGUMENT',
        `this handler is not bound to "${evt}"; events("${evt}") lists the bound handlers`,
      );
    }
    return this;
  }

  /** The handlers bound to `evt`, in the order they run. */
  events<K extends EventName>(evt: K): Array<(event: SocketEventMap[K]) => unknown> {
    assertEventName(evt);
    return this.table.handlers(evt) as Array<(event: SocketEventMap[K]) => unknown>;
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
   * - any other type: throws `ERR_WS_INVALID_ARGUMENT`, before the queue is looked at.
   */
  send(data: SendData): boolean {
    if (typeof data !== 'string') assertSendable(data);
    const state = this.stateChannel.value;
    if (state === 'open' && this.native.readyState === OPEN) {
      this.native.send(data);
      if (this.heartbeat !== undefined) this.heartbeat.sent();
      return true;
    }
    // With reconnection on, a socket the server is closing will be followed by a new one.
    if (state === 'connecting' || state === 'reconnecting' || (state === 'open' && this.policy !== undefined)) {
      this.outbox.push(data);
      return false;
    }
    throw new WebSocketError(
      'ERR_WS_INVALID_STATE',
      `cannot send: the socket is ${state === 'open' ? (this.native.readyState === CLOSED ? 'closed' : 'closing') : state}, ` +
        'and the data was not sent. ' +
        'Send after the open event and before close, or create a new WebSocket',
    );
  }

  /**
   * Closes the connection with `code` (1000, or 3000-4999) and `reason` (at most 123 bytes of
   * UTF-8); an invalid one throws `ERR_WS_INVALID_CLOSE` and the socket stays as it was. Works
   * while connecting. A second call does nothing. Messages still queued stay in `drainQueue()`.
   */
  close(code: number = 1000, reason: string = ''): void {
    validateClose(code, reason);
    const state = this.stateChannel.value;
    if (state === 'closing' || state === 'closed') return;
    this.closeRequested = true;
    if (state === 'reconnecting') return this.finalize(undefined);
    this.stopTimers();
    this.stateChannel.set('closing');
    if (this.native.readyState === CONNECTING) this.abortedWhileConnecting = true;
    this.native.close(code, reason);
  }

  /** How many messages wait in the queue. */
  get queued(): number {
    return this.outbox.size;
  }

  /** Empties the queue and returns what was in it, in order: nothing is lost at a final close. */
  drainQueue(): SendData[] {
    return this.outbox.drain();
  }

  // ---- The subject face ---------------------------------------------------------------

  /** Sends `serializer(value)`; returns what `send` returns. A serializer error is thrown here. */
  next(value: Out): boolean {
    return this.send(this.serializer(value));
  }

  /** Closes with `error.code` and `error.reason` when they are a valid close, else with 1000. */
  error(error: unknown): void {
    const { code, reason } = (typeof error === 'object' && error !== null ? error : {}) as {
      code?: unknown;
      reason?: unknown;
    };
    try {
      validateClose(code, reason ?? '');
    } catch {
      return this.close(1000);
    }
    this.close(code as number, (reason as string | undefined) ?? '');
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
    const state = this.stateChannel.value;
    if (state === 'reconnecting') return CONNECTING;
    if (state === 'closed') return CLOSED;
    return this.native.readyState;
  }

  get url(): string {
    return this.native.url;
  }

  get protocol(): string {
    return this.native.protocol;
  }

  get extensions(): string {
    return this.native.extensions;
  }

  get bufferedAmount(): number {
    return this.native.bufferedAmount;
  }

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
        opens: this.openChannel,
        isOpen: () => this.stateChannel.value === 'open',
        send: (message) => {
          this.next(message);
        },
      },
      subMsg,
      unsubMsg,
      messageFilter,
    );
  }

  get CONNECTING(): 0 {
    return 0;
  }

  get OPEN(): 1 {
    return 1;
  }

  get CLOSING(): 2 {
    return 2;
  }

  get CLOSED(): 3 {
    return 3;
  }

  // ---- Native events ------------------------------------------------------------------

  private channel(evt: EventName): Observable<unknown> {
    switch (evt) {
      case 'open':
        return this.openChannel;
      case 'error':
        return this.errorChannel;
      case 'message':
        return this.messageChannel;
      case 'close':
        return this.closeChannel;
    }
  }

  /** Makes a native socket and listens to it; throws only for the first one (the constructor's caller). */
  private connect(): Native {
    const url = this.url_;
    let native: Native;
    try {
      native = this.protocols === undefined ? new this.Ctor(url) : new this.Ctor(url, this.protocols);
    } catch (cause) {
      const syntax = cause instanceof Error && cause.name === 'SyntaxError';
      const safe = redact(url) === url;
      throw new WebSocketError(
        syntax ? 'ERR_WS_INVALID_URL' : 'ERR_WS_INVALID_ARGUMENT',
        `the WebSocket constructor refused ${JSON.stringify(redact(url))}: ` +
          scrub(cause instanceof Error ? cause.message : describe(cause), url),
        // The native error may quote the URL: keep it only when the URL has no credentials.
        safe ? { cause } : undefined,
      );
    }
    if (this.binaryType_ !== undefined) native.binaryType = this.binaryType_;
    native.addEventListener('open', this.onOpen);
    native.addEventListener('message', this.onMessage);
    native.addEventListener('error', this.onError);
    native.addEventListener('close', this.onClose);
    this.openedAt = undefined;
    if (this.connectTimeout !== Infinity) {
      this.connectTimer = this.scheduler.schedule(() => {
        this.connectTimer = undefined;
        const native = this.native;
        this.errorChannel.emit(
          new WebSocketError(
            'ERR_WS_TIMEOUT',
            `no connection to ${JSON.stringify(redact(url))} within ${this.connectTimeout} ms; the attempt was ` +
              'given up. Check that the server is up, or raise options.connectTimeout',
          ),
        );
        this.drop(native, CLOSE_CONNECT_TIMEOUT, 'connect timeout');
      }, this.connectTimeout);
    }
    return native;
  }

  private readonly onOpen = (event: WsEvent): void => {
    // An open that races a close() called while connecting opens nothing.
    if (this.stateChannel.value !== 'connecting') return;
    this.connectTimer?.unsubscribe();
    this.connectTimer = undefined;
    this.openedAt = this.scheduler.now();
    if (this.heartbeatPolicy !== undefined) {
      this.heartbeat = new Heartbeat(this.heartbeatPolicy, this.scheduler, this.ping, this.onDead);
    }
    this.stateChannel.set('open');
    this.openChannel.emit(event);
    this.flush();
  };

  private readonly onMessage = (event: WsMessageEvent): void => {
    if (this.heartbeat !== undefined) this.heartbeat.received();
    this.messageChannel.emit(event);
    if (this.dataChannel.observed) {
      let value: In;
      try {
        value = this.deserializer(event);
      } catch (cause) {
        this.errorChannel.emit(new DecodeError(event.data, cause));
        return;
      }
      this.dataChannel.emit(value);
    }
  };

  private readonly onError = (event: WsEvent): void => {
    if (this.abortedWhileConnecting) return;
    this.errorChannel.emit(event);
  };

  private readonly onClose = (event: WsCloseEvent): void => {
    this.detach(this.native);
    this.handleClose(event);
  };

  private readonly ping = (): void => {
    const native = this.native;
    if (this.stateChannel.value !== 'open' || native.readyState !== OPEN) return;
    try {
      const { message } = this.heartbeatPolicy!;
      const data = typeof message === 'function' ? message() : message;
      assertSendable(data);
      native.send(data);
    } catch (cause) {
      this.errorChannel.emit(
        new WebSocketError('ERR_WS_INVALID_ARGUMENT', 'the heartbeat message could not be sent; check options.heartbeat.message', {
          cause,
        }),
      );
    }
  };

  private readonly onDead = (): void => {
    this.heartbeat?.stop();
    this.heartbeat = undefined;
    const native = this.native;
    this.errorChannel.emit(
      new WebSocketError(
        'ERR_WS_TIMEOUT',
        `nothing was received for ${this.heartbeatPolicy!.timeout} ms; the connection was dropped as dead ` +
          `(close code ${CLOSE_HEARTBEAT_TIMEOUT})`,
      ),
    );
    this.drop(native, CLOSE_HEARTBEAT_TIMEOUT, 'heartbeat timeout');
  };

  private detach(native: Native): void {
    native.removeEventListener('open', this.onOpen);
    native.removeEventListener('message', this.onMessage);
    native.removeEventListener('error', this.onError);
    native.removeEventListener('close', this.onClose);
  }

  /**
   * Drops the connection of `native` at once, without waiting for a closing handshake: the
   * native socket is let go (`terminate()` where it has one, as `ws` does, else `close()`), and
   * the socket goes on as if it had closed uncleanly with `code`. Nothing happens when that
   * connection has ended meanwhile (a handler of the timeout's error event may close it).
   */
  private drop(native: Native, code: number, reason: string): void {
    if (this.native !== native || this.stateChannel.value === 'closed') return;
    this.detach(native);
    if (native.readyState !== CLOSED) this.letGo(native, code, reason);
    this.handleClose({ type: 'close', code, reason, wasClean: false });
  }

  /** Closes a socket nobody listens to any more, without waiting for its closing handshake. */
  private letGo(native: Native, code: number, reason: string): void {
    // The let-go socket may still emit an error (ws does, closing while connecting): a listener
    // that lives until its close event keeps that from being an unhandled 'error'.
    const ignore = (): void => undefined;
    const release = (): void => {
      native.removeEventListener('error', ignore);
      native.removeEventListener('close', release);
    };
    native.addEventListener('error', ignore);
    native.addEventListener('close', release);
    try {
      const terminate = (native as { terminate?: () => void }).terminate;
      if (typeof terminate === 'function') terminate.call(native);
      else native.close(code, reason);
    } catch {
      // A socket that refuses to close is let go all the same.
    }
  }

  /** After each connection: reconnect when the policy says so, else the final close. */
  private handleClose(event: WsCloseEvent): void {
    this.stopTimers();
    const delay = this.nextDelay(event);
    if (delay === undefined) return this.finalize(event);
    this.abortedWhileConnecting = false;
    this.reconnectTimer = this.scheduler.schedule(() => {
      this.reconnectTimer = undefined;
      this.stateChannel.set('connecting');
      try {
        this.native = this.connect();
      } catch (error) {
        this.errorChannel.emit(error as WebSocketError);
        this.handleClose({ type: 'close', code: 1006, reason: 'the WebSocket constructor threw', wasClean: false });
      }
    }, delay);
    this.stateChannel.set('reconnecting');
    this.closeChannel.emit(event);
  }

  /** The delay before the next reconnect, or `undefined` for a final close. */
  private nextDelay(event: WsCloseEvent): number | undefined {
    const policy = this.policy;
    if (policy === undefined || this.closeRequested) return undefined;
    if (event.wasClean) {
      let again: boolean;
      try {
        again = policy.shouldReconnect(event) === true;
      } catch (error) {
        reportHandlerError(error);
        again = false;
      }
      if (!again) return undefined;
    }
    if (this.openedAt !== undefined && this.scheduler.now() - this.openedAt >= policy.resetAfter) this.attempt = 0;
    if (this.attempt >= policy.attempts) return undefined;
    this.attempt++;
    return backoffDelay(policy, this.attempt);
  }

  private stopTimers(): void {
    this.reconnectTimer?.unsubscribe();
    this.connectTimer?.unsubscribe();
    this.heartbeat?.stop();
    this.reconnectTimer = this.connectTimer = this.heartbeat = undefined;
  }

  /** The final close: every stream ends, every timer and subscription is released. */
  private finalize(event: WsCloseEvent | undefined): void {
    this.stopTimers();
    this.stateChannel.set('closed');
    if (event !== undefined) this.closeChannel.emit(event);
    this.openChannel.end();
    this.messageChannel.end();
    this.errorChannel.end();
    this.closeChannel.end();
    if (this.closeRequested || event === undefined || event.wasClean) this.dataChannel.end();
    else this.dataChannel.fail(new CloseError(event));
    this.stateChannel.end();
  }

  /** Sends the queue in order, after the open handlers ran; stops if one of them closed. */
  private flush(): void {
    const native = this.native;
    let sent = false;
    while (this.outbox.size > 0 && this.stateChannel.value === 'open' && native.readyState === OPEN) {
      native.send(this.outbox.shift()!);
      sent = true;
    }
    if (sent && this.heartbeat !== undefined) this.heartbeat.sent();
  }
}

/** The subject face's subscribe function, shared by every socket (RxJS calls it with `this`). */
function subscribeToData(this: RxWebSocket<unknown, unknown>, subscriber: Subscriber<unknown>): TeardownLogic {
  return (this as unknown as { dataChannel: EventChannel<unknown> }).dataChannel.subscribe(subscriber);
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
  readonly prototype: RxWebSocket<unknown, unknown>;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
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
