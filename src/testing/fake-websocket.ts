// These repeat the main entry's `MessageData`, `SendData` and `WsEvent` (structurally the same
// types) instead of importing them from '../types.js': a module shared by the two entries would
// make the declaration bundler emit a hashed chunk that the main entry's .d.ts then imports.

/** What a message event carries: text, or binary by `binaryType` (the package's `MessageData`). */
export type FakeMessageData = string | ArrayBuffer | ArrayBufferView | Blob;

/** What the client may send (the package's `SendData`). */
export type FakeSendData = string | ArrayBuffer | ArrayBufferView | Blob;

/**
 * Any event: what `dispatchEvent` takes.
 * @inline
 */
interface WsEvent {
  /** The event's name, which picks the listeners to call. */
  readonly type: string;
}

/** An event a `FakeWebSocket` dispatches: a plain object with `type` and `target`. */
export interface FakeEvent<T extends string = string> extends WsEvent {
  /** The event's name: `'open'`, `'message'`, `'error'` or `'close'` for the ones the drivers dispatch. */
  readonly type: T;
  /** The socket that dispatched it. */
  readonly target: FakeWebSocket;
}

/** A `message` event: `data` is a string, or an `ArrayBuffer`/`Blob` by `binaryType`. */
export interface FakeMessageEvent extends FakeEvent<'message'> {
  /** What the server sent, as given to `receive()`: a string, or binary as `binaryType` says. */
  readonly data: FakeMessageData;
}

/**
 * The `close` event a `FakeWebSocket` dispatches once CLOSED (after `fail()`, `serverClose()` or the
 * client's `close()`).
 */
export interface FakeCloseEvent extends FakeEvent<'close'> {
  /** The close code: the server's (`serverClose()`), the one the client asked for, or 1006 after `fail()`. */
  readonly code: number;
  /** The close reason, often empty. */
  readonly reason: string;
  /**
   * Whether the closing handshake completed: false after `fail()` or a close while connecting;
   * `serverClose()` lets the test choose.
   */
  readonly wasClean: boolean;
}

/** The events of a `FakeWebSocket`, by type. */
export interface FakeWebSocketEventMap {
  /** Dispatched by `open()`. */
  open: FakeEvent<'open'>;
  /** Dispatched by `receive()`. */
  message: FakeMessageEvent;
  /** Dispatched by `fail()` (and by a close while connecting), before the `close` event. */
  error: FakeEvent<'error'>;
  /** Dispatched once the socket is CLOSED. */
  close: FakeCloseEvent;
}

/** A listener: a function (called with the socket as `this`) or an object with `handleEvent`. */
export type FakeListener<E = FakeEvent> =
  ((this: FakeWebSocket, event: E) => unknown) | { handleEvent(event: E): unknown };

/** The options of `addEventListener`, as in the DOM (`capture` only matters for deduplication). */
export interface FakeListenerOptions {
  /**
   * Tells two registrations of the same listener apart, as in the DOM.
   * @default false
   */
  capture?: boolean;
  /**
   * Removes the listener after its first call.
   * @default false
   */
  once?: boolean;
  /**
   * Removes the listener when this signal aborts (an aborted signal adds nothing).
   * @default undefined
   */
  signal?: AbortSignal;
}

/** What the client passed to `close()` (`undefined` where it passed nothing). */
export interface CloseRequest {
  /** The code passed to `close()`, or `undefined`. */
  readonly code: number | undefined;
  /** The reason passed to `close()`, or `undefined`. */
  readonly reason: string | undefined;
}

/** The `binaryType`s of the DOM. */
export type FakeBinaryType = 'blob' | 'arraybuffer';

/**
 * An `on*` handler: a function called with the socket as `this`, or null.
 * @inline
 */
type EventHandler<E> = ((this: FakeWebSocket, event: E) => unknown) | null;

interface Entry {
  readonly callback: FakeListener<never>;
  readonly capture: boolean;
  readonly once: boolean;
  removed: boolean;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
type ReadyState = typeof CONNECTING | typeof OPEN | typeof CLOSING | typeof CLOSED;
const STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'] as const;

const SCHEMES: Record<string, string> = { 'ws:': 'ws:', 'wss:': 'wss:', 'http:': 'ws:', 'https:': 'wss:' };
// RFC 6455 §4.1: a subprotocol is an RFC 7230 token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A `DOMException` where the platform has one, else an `Error` with the same `name`. */
function domException(message: string, name: string): Error {
  const Ctor = (globalThis as { DOMException?: new (message: string, name: string) => Error }).DOMException;
  if (typeof Ctor === 'function') return new Ctor(message, name);
  const error = new Error(message);
  error.name = name;
  return error;
}

/** WebIDL's `[Clamp] unsigned short`, as the DOM converts `close()`'s code: 3000.5 becomes 3000. */
function clampUnsignedShort(value: number): number {
  if (Number.isNaN(value)) return 0;
  const x = Math.min(Math.max(value, 0), 65535);
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** How the DOM turns `close()`'s reason into text: any value, objects included, through `String()`. */
function toDomString(value: unknown): string {
  return String(value);
}

function isBlob(value: unknown): value is Blob {
  const tag = Object.prototype.toString.call(value);
  return tag === '[object Blob]' || tag === '[object File]';
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

function makeBlob(parts: ArrayBuffer[]): Blob {
  const BlobCtor = (globalThis as { Blob?: typeof Blob }).Blob;
  if (typeof BlobCtor !== 'function') {
    throw new Error("receive(): binaryType is 'blob' but this platform has no Blob; set binaryType = 'arraybuffer'");
  }
  return new BlobCtor(parts);
}

/**
 * A WebSocket double with the DOM's shape, to pass as `WebSocketCtor`. It never touches the
 * network and never waits: each call that drives it (`open()`, `receive()`, `fail()`,
 * `serverClose()`, and the client's `close()`) dispatches its events at once, in order, before
 * it returns. No timer, no promise.
 *
 * - The DOM surface: `url`, `protocol`, `extensions`, `bufferedAmount` (always 0), `binaryType`
 *   (`'blob'` by default; other values are ignored, as in the DOM), `readyState`, the
 *   `CONNECTING`..`CLOSED` constants, `send`, `close`, `addEventListener` (a listener added
 *   twice is kept once), `removeEventListener`, `dispatchEvent`, `onopen`/`onmessage`/
 *   `onerror`/`onclose`.
 * - `send(data)` while OPEN appends to `sent`; while CONNECTING it throws an
 *   `InvalidStateError`, as the DOM does; while CLOSING or CLOSED the DOM drops the data
 *   silently, and so does this fake, but it appends it to `discarded`, so a test can prove that
 *   nothing was dropped.
 * - `close(code?, reason?)` validates as the DOM does (`InvalidAccessError` for a code other
 *   than 1000 or 3000-4999, `SyntaxError` for a reason over 123 bytes of UTF-8). While
 *   CONNECTING, the socket becomes CLOSED and dispatches `error`, then `close` with 1006. While
 *   OPEN, it records `closeRequest` and completes the closing handshake at once: `close` with
 *   the code given (1005 without one), the reason, `wasClean: true`. With
 *   `manualCloseHandshake` it stays CLOSING until the test calls `serverClose()` or `fail()`.
 * - A driver called in the wrong state (e.g. `receive()` before `open()`) throws an `Error`
 *   that says what to call first.
 * - Events are plain objects: `{ type, target }`, plus `data` for `message` and `code`,
 *   `reason`, `wasClean` for `close`.
 * - An event caused from inside a listener (a listener that calls `close()`, or a test that
 *   calls `receive()` from `onopen`) is dispatched right after the current event's listeners
 *   have all run, as the DOM's task queue would order it; it is still dispatched before the
 *   outer call returns.
 * - A listener that throws does not stop the others (as in the DOM); the first error is
 *   rethrown by the call that dispatched the event, so a test cannot miss it.
 *
 * Call `FakeWebSocket.reset()` before each test: it empties `instances` and turns
 * `manualCloseHandshake` off.
 *
 * @example
 * import { WebSocket } from 'brython-websocket';
 * import { FakeWebSocket } from 'brython-websocket/testing';
 * FakeWebSocket.reset();
 * const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
 * ws.send('queued');               // queued while connecting
 * const fake = FakeWebSocket.last;
 * fake.open();                     // open event; the queue is flushed
 * fake.receive('hello');           // message event with data 'hello'
 * console.log(fake.sent);          // ['queued']
 * fake.serverClose(4001, 'bye');   // close event: 4001, 'bye', wasClean true
 */
export class FakeWebSocket {
  /** `readyState` before `open()`: 0. */
  static readonly CONNECTING = 0 as const;
  /** `readyState` after `open()`: 1. */
  static readonly OPEN = 1 as const;
  /** `readyState` during the closing handshake: 2. */
  static readonly CLOSING = 2 as const;
  /** `readyState` once closed: 3. */
  static readonly CLOSED = 3 as const;

  /**
   * Every `FakeWebSocket` (subclasses included) made since the last `reset()`, oldest first.
   * `reset()` empties this same array.
   */
  static readonly instances: readonly FakeWebSocket[] = [];

  /**
   * The default of `manualCloseHandshake` for the sockets made from now on.
   * @default false
   */
  static manualCloseHandshake = false;

  /** The newest `FakeWebSocket`; throws when none was made since the last `reset()`. */
  static get last(): FakeWebSocket {
    const last = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
    if (last === undefined) {
      throw new Error(
        'FakeWebSocket.last: no FakeWebSocket was made since FakeWebSocket.reset(); ' +
          "create a socket first, e.g. WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket })",
      );
    }
    return last;
  }

  /** Forgets every instance and turns `manualCloseHandshake` back off. Call it before each test. */
  static reset(): void {
    (FakeWebSocket.instances as FakeWebSocket[]).length = 0;
    FakeWebSocket.manualCloseHandshake = false;
  }

  /** `readyState` before `open()`: 0. */
  readonly CONNECTING = 0 as const;
  /** `readyState` after `open()`: 1. */
  readonly OPEN = 1 as const;
  /** `readyState` during the closing handshake: 2. */
  readonly CLOSING = 2 as const;
  /** `readyState` once closed: 3. */
  readonly CLOSED = 3 as const;

  /** The URL, as the DOM serializes it (`http:` becomes `ws:`, `https:` becomes `wss:`). */
  readonly url: string;
  /** The subprotocols the client offered, in order. */
  readonly protocols: readonly string[];
  /** The extensions the server accepted; a test may set it before `open()`. */
  extensions = '';
  /** What the client sent while OPEN, in order, as given to `send()` (strings, buffers, views, blobs). */
  readonly sent: FakeSendData[] = [];
  /** What the client sent while CLOSING or CLOSED: the DOM drops it silently. */
  readonly discarded: FakeSendData[] = [];
  /** What the client passed to `close()` the first time it had an effect; `undefined` before that. */
  closeRequest: CloseRequest | undefined = undefined;
  /**
   * When true, `close()` on an OPEN socket leaves it CLOSING until the test calls
   * `serverClose()` (or `fail()`): the server's side of the closing handshake is the test's.
   * @default FakeWebSocket.manualCloseHandshake when the socket was made
   */
  manualCloseHandshake: boolean;

  private state: ReadyState = CONNECTING;
  private chosenProtocol = '';
  private binary: FakeBinaryType = 'blob';
  private readonly listeners = new Map<string, Entry[]>();
  private readonly handlers = new Map<string, { handler: EventHandler<never>; entry: Entry }>();
  private readonly queue: (() => void)[] = [];
  private dispatching = false;

  /**
   * Validates like the DOM constructor (a `SyntaxError` for a URL that is not absolute ws:,
   * wss:, http: or https:, for a fragment, or for a subprotocol that is not a token or is
   * listed twice) and starts CONNECTING. Nothing happens until the test drives it.
   */
  constructor(url: string | URL, protocols?: string | string[]) {
    const text = String(url);
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw domException(`Failed to construct 'WebSocket': The URL '${text}' is invalid.`, 'SyntaxError');
    }
    const scheme = SCHEMES[parsed.protocol];
    if (scheme === undefined) {
      throw domException(
        `Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${parsed.protocol}' is not allowed.`,
        'SyntaxError',
      );
    }
    if (parsed.hash !== '' || text.includes('#')) {
      throw domException(
        `Failed to construct 'WebSocket': The URL contains a fragment identifier ('${parsed.hash}'). Fragment identifiers are not allowed in WebSocket URLs.`,
        'SyntaxError',
      );
    }
    parsed.protocol = scheme;
    // A JavaScript caller may offer anything: each entry is checked, whatever the types say.
    const offered: readonly unknown[] =
      protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols];
    const list: string[] = [];
    const seen = new Set<string>();
    for (const p of offered) {
      if (typeof p !== 'string' || !TOKEN.test(p) || seen.has(p)) {
        const twice = typeof p === 'string' && seen.has(p);
        throw domException(
          `Failed to construct 'WebSocket': The subprotocol '${String(p)}' is invalid${twice ? ' (listed twice)' : ''}.`,
          'SyntaxError',
        );
      }
      seen.add(p);
      list.push(p);
    }
    this.url = parsed.href;
    this.protocols = list;
    this.manualCloseHandshake = new.target.manualCloseHandshake;
    (FakeWebSocket.instances as FakeWebSocket[]).push(this);
  }

  // ---- The DOM surface ----------------------------------------------------------------

  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED. */
  get readyState(): number {
    return this.state;
  }

  /** The subprotocol the server chose: what the test passed to `open()`, '' before. */
  get protocol(): string {
    return this.chosenProtocol;
  }

  /** Always 0: the fake sends at once. */
  // eslint-disable-next-line @typescript-eslint/class-literal-property-style -- an accessor on the prototype, as in the DOM; a field would be an own, writable property of every socket
  get bufferedAmount(): number {
    return 0;
  }

  /** `'blob'` (the default) or `'arraybuffer'`; setting any other value is ignored, as in the DOM. */
  get binaryType(): FakeBinaryType {
    return this.binary;
  }

  /**
   * Sets how binary messages arrive; a value other than `'blob'` or `'arraybuffer'` is ignored, as in
   * the DOM.
   */
  set binaryType(value: string) {
    if (value === 'blob' || value === 'arraybuffer') this.binary = value;
  }

  /**
   * OPEN: appends `data` to `sent`. CONNECTING: throws an `InvalidStateError` (the DOM's).
   * CLOSING or CLOSED: appends it to `discarded` (the DOM drops it silently). A value that is
   * not a string, a Blob, an ArrayBuffer or a view is converted to a string, as the DOM does.
   */
  send(data: FakeSendData): void {
    if (this.state === CONNECTING) {
      throw domException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
    }
    const value: FakeSendData =
      typeof data === 'string' || isArrayBuffer(data) || ArrayBuffer.isView(data) || isBlob(data) ? data : String(data);
    if (this.state === OPEN) this.sent.push(value);
    else this.discarded.push(value);
  }

  /** The DOM's `close()`: see the class documentation for what happens in each state. */
  close(code?: number, reason?: string): void {
    // A JavaScript caller may pass any value: converted as the DOM does (WebIDL), the code first.
    const givenCode: unknown = code;
    const givenReason: unknown = reason;
    code = givenCode === undefined ? undefined : clampUnsignedShort(Number(givenCode));
    if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) {
      throw domException(
        `Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`,
        'InvalidAccessError',
      );
    }
    reason = givenReason === undefined ? undefined : toDomString(givenReason);
    if (reason !== undefined && new TextEncoder().encode(reason).length > 123) {
      throw domException(
        "Failed to execute 'close' on 'WebSocket': The message must not be greater than 123 bytes.",
        'SyntaxError',
      );
    }
    if (this.state === CLOSING || this.state === CLOSED) return;
    this.closeRequest = { code, reason };
    if (this.state === CONNECTING) {
      // The DOM fails the connection: CLOSED at once, then error and close (1006).
      this.state = CLOSED;
      this.run(() => {
        this.dispatch({ type: 'error', target: this });
        this.dispatch({ type: 'close', target: this, code: 1006, reason: '', wasClean: false });
      });
      return;
    }
    this.state = CLOSING;
    if (this.manualCloseHandshake) return;
    const reply = { code: code ?? 1005, reason: reason ?? '' };
    this.run(() => {
      // From inside a listener, a serverClose() or fail() called meanwhile has closed it already.
      if (this.state !== CLOSING) return;
      this.state = CLOSED;
      this.dispatch({ type: 'close', target: this, code: reply.code, reason: reply.reason, wasClean: true });
    });
  }

  /**
   * Adds a listener of `open`, `message`, `error` or `close`, typed by its event; a listener added
   * twice (with the same `capture`) is kept once.
   */
  addEventListener<K extends keyof FakeWebSocketEventMap>(
    type: K,
    listener: FakeListener<FakeWebSocketEventMap[K]> | null,
    options?: boolean | FakeListenerOptions,
  ): void;
  /** Adds a listener of any event type, for events sent with `dispatchEvent`. */
  addEventListener(type: string, listener: FakeListener | null, options?: boolean | FakeListenerOptions): void;
  addEventListener(
    type: string,
    listener: FakeListener<never> | null | undefined,
    options?: boolean | FakeListenerOptions | null,
  ): void {
    if (listener === null || listener === undefined) return;
    const { capture, once, signal } =
      typeof options === 'object' && options !== null
        ? options
        : { capture: options === true, once: false, signal: undefined };
    if (signal?.aborted) return;
    const list = this.listeners.get(type) ?? [];
    if (list.some((entry) => entry.callback === listener && entry.capture === !!capture)) return;
    const entry: Entry = { callback: listener, capture: !!capture, once: !!once, removed: false };
    this.listeners.set(type, [...list, entry]);
    signal?.addEventListener('abort', () => this.removeEntry(type, entry), { once: true });
  }

  /** Removes a listener added with the same `capture`; removing one that is not there does nothing. */
  removeEventListener<K extends keyof FakeWebSocketEventMap>(
    type: K,
    listener: FakeListener<FakeWebSocketEventMap[K]> | null,
    options?: boolean | { capture?: boolean },
  ): void;
  /** Removes a listener of any event type. */
  removeEventListener(type: string, listener: FakeListener | null, options?: boolean | { capture?: boolean }): void;
  removeEventListener(
    type: string,
    listener: FakeListener<never> | null | undefined,
    options?: boolean | { capture?: boolean } | null,
  ): void {
    const capture = typeof options === 'object' && options !== null ? !!options.capture : options === true;
    const entry = this.listeners.get(type)?.find((e) => e.callback === listener && e.capture === capture);
    if (entry !== undefined) this.removeEntry(type, entry);
  }

  /**
   * Calls `event.type`'s listeners with `event`, as given, in the order they were added, and
   * returns true. It does not change the socket's state: use the drivers for that.
   */
  dispatchEvent(event: WsEvent): boolean {
    const given: unknown = event;
    if (typeof given !== 'object' || given === null || !('type' in given) || typeof given.type !== 'string') {
      throw new TypeError('dispatchEvent(): pass an event object with a string "type"');
    }
    this.run(() => this.dispatch(event));
    return true;
  }

  /**
   * The `onopen` handler, or null. It runs among the listeners at the place it was first set, as in the DOM.
   */
  get onopen(): EventHandler<FakeEvent<'open'>> {
    return this.getHandler('open');
  }

  /** Sets the `onopen` handler; null removes it. */
  set onopen(handler: EventHandler<FakeEvent<'open'>>) {
    this.setHandler('open', handler);
  }

  /**
   * The `onmessage` handler, or null. It runs among the listeners at the place it was first set, as
   * in the DOM.
   */
  get onmessage(): EventHandler<FakeMessageEvent> {
    return this.getHandler('message');
  }

  /** Sets the `onmessage` handler; null removes it. */
  set onmessage(handler: EventHandler<FakeMessageEvent>) {
    this.setHandler('message', handler);
  }

  /**
   * The `onerror` handler, or null. It runs among the listeners at the place it was first set, as in the DOM.
   */
  get onerror(): EventHandler<FakeEvent<'error'>> {
    return this.getHandler('error');
  }

  /** Sets the `onerror` handler; null removes it. */
  set onerror(handler: EventHandler<FakeEvent<'error'>>) {
    this.setHandler('error', handler);
  }

  /**
   * The `onclose` handler, or null. It runs among the listeners at the place it was first set, as in the DOM.
   */
  get onclose(): EventHandler<FakeCloseEvent> {
    return this.getHandler('close');
  }

  /** Sets the `onclose` handler; null removes it. */
  set onclose(handler: EventHandler<FakeCloseEvent>) {
    this.setHandler('close', handler);
  }

  /** How many listeners `type` has, the `on<type>` handler included: for leak tests. */
  listenerCount(type: string): number {
    return this.listeners.get(type)?.length ?? 0;
  }

  // ---- Driving (the server's side) ----------------------------------------------------

  /**
   * The server accepts: OPEN, then the `open` event. `protocol` is the subprotocol the server
   * chose; it must be one the client offered.
   */
  open(protocol = ''): void {
    this.expectState(
      'open()',
      [CONNECTING],
      'open() accepts a CONNECTING socket once; make a new socket to open another',
    );
    if (protocol !== '' && !this.protocols.includes(protocol)) {
      throw new Error(
        `open(${JSON.stringify(protocol)}): the client offered ${this.protocols.length === 0 ? 'no subprotocol' : `only ${JSON.stringify(this.protocols)}`}; ` +
          'open with one of those, or with no argument',
      );
    }
    this.state = OPEN;
    this.chosenProtocol = protocol;
    this.run(() => this.dispatch({ type: 'open', target: this }));
  }

  /**
   * The server sends a message: a `message` event. A string arrives as a string; binary data
   * (an `ArrayBuffer`, a typed array or `DataView`, a `Blob`) arrives as `binaryType` says: a
   * new `ArrayBuffer` with the same bytes for `'arraybuffer'`, a `Blob` for `'blob'`. A `Blob`
   * cannot be read synchronously, so with `'arraybuffer'` pass its bytes instead.
   */
  receive(data: FakeMessageData): void {
    this.expectState('receive()', [OPEN], 'call open() first');
    this.run(() => this.dispatch({ type: 'message', target: this, data: this.toBinaryType(data) }));
  }

  /**
   * The connection fails (a network error, a refused handshake): CLOSED, then `error`, then
   * `close` with code 1006, reason '', `wasClean: false`. Works while CONNECTING, OPEN or CLOSING.
   */
  fail(): void {
    this.expectState('fail()', [CONNECTING, OPEN, CLOSING], 'a closed socket cannot fail again');
    this.state = CLOSED;
    this.run(() => {
      this.dispatch({ type: 'error', target: this });
      this.dispatch({ type: 'close', target: this, code: 1006, reason: '', wasClean: false });
    });
  }

  /**
   * The server closes the connection (or, while CLOSING, answers the client's close): CLOSED,
   * then a `close` event with these values. Only `fail()` dispatches an `error` event.
   */
  serverClose(code = 1000, reason = '', wasClean = true): void {
    this.expectState('serverClose()', [OPEN, CLOSING], 'call open() first, or fail() to refuse the connection');
    if (!Number.isInteger(code) || code < 0 || code > 65535) {
      throw new Error(`serverClose(): the code must be a whole number such as 1000 or 4001, got ${String(code)}`);
    }
    this.state = CLOSED;
    this.run(() => this.dispatch({ type: 'close', target: this, code, reason, wasClean }));
  }

  // ---- Internals ----------------------------------------------------------------------

  private expectState(call: string, allowed: readonly ReadyState[], hint: string): void {
    if (allowed.includes(this.state)) return;
    const now = STATE_NAMES[this.state];
    const want = allowed.map((s) => STATE_NAMES[s]).join(' or ');
    const advice = this.state === CONNECTING ? 'call open() first' : hint;
    throw new Error(`${call}: the socket is ${now}, and ${call} needs it ${want}; ${advice}`);
  }

  private toBinaryType(data: FakeMessageData): FakeMessageData {
    if (typeof data === 'string') return data;
    if (isBlob(data)) {
      if (this.binary === 'blob') return data;
      throw new Error(
        "receive(): binaryType is 'arraybuffer' and a Blob cannot be read synchronously; " +
          'pass its bytes as an ArrayBuffer or a typed array instead',
      );
    }
    let bytes: ArrayBuffer;
    if (isArrayBuffer(data)) bytes = data.slice(0);
    else if (ArrayBuffer.isView(data)) {
      bytes = new ArrayBuffer(data.byteLength);
      new Uint8Array(bytes).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } else {
      throw new TypeError(
        `receive(): pass a string, an ArrayBuffer, a typed array, a DataView or a Blob, got ${Object.prototype.toString.call(data)}`,
      );
    }
    return this.binary === 'arraybuffer' ? bytes : makeBlob([bytes]);
  }

  /**
   * Runs `step` now, or, when called from inside a listener, right after the current
   * dispatch. The outermost call rethrows the first error a listener threw.
   */
  private run(step: () => void): void {
    this.queue.push(step);
    if (this.dispatching) return;
    this.dispatching = true;
    let failure: { error: unknown } | undefined;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        try {
          next();
        } catch (error) {
          failure ??= { error };
        }
      }
    } finally {
      this.dispatching = false;
    }
    if (failure !== undefined) throw failure.error;
  }

  /** Calls the listeners present when the dispatch starts; one removed meanwhile is skipped. */
  private dispatch(event: FakeWebSocketEventMap[keyof FakeWebSocketEventMap] | WsEvent): void {
    const list = this.listeners.get(event.type);
    if (list === undefined) return;
    let failure: { error: unknown } | undefined;
    for (const entry of list) {
      if (entry.removed) continue;
      if (entry.once) this.removeEntry(event.type, entry);
      try {
        const callback = entry.callback as FakeListener<WsEvent>;
        if (typeof callback === 'function') callback.call(this, event);
        else callback.handleEvent(event);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  private removeEntry(type: string, entry: Entry): void {
    const list = this.listeners.get(type);
    if (!list?.includes(entry)) return;
    entry.removed = true;
    const rest = list.filter((e) => e !== entry);
    if (rest.length === 0) this.listeners.delete(type);
    else this.listeners.set(type, rest);
  }

  private getHandler<E>(type: string): EventHandler<E> {
    return (this.handlers.get(type)?.handler ?? null) as EventHandler<E>;
  }

  /** As in the DOM: the handler takes its place among the listeners when first set, and keeps it. */
  private setHandler<E>(type: string, handler: EventHandler<E>): void {
    const current = this.handlers.get(type);
    if (typeof handler !== 'function') {
      if (current !== undefined) {
        this.removeEntry(type, current.entry);
        this.handlers.delete(type);
      }
      return;
    }
    if (current !== undefined) {
      current.handler = handler;
      return;
    }
    const slot = { handler: handler as EventHandler<never>, entry: undefined as unknown as Entry };
    const callback = (event: never): unknown => slot.handler?.call(this, event);
    const entry: Entry = { callback, capture: false, once: false, removed: false };
    slot.entry = entry;
    this.handlers.set(type, slot);
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), entry]);
  }
}
