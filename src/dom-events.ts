import type { Observable } from 'rxjs';
import { Binding, EVENT_NAMES, reportHandlerError } from './bindings.js';
import { WebSocketError } from './errors.js';
import { describe, invalid } from './support.js';
import type { EventName, WsEvent } from './types.js';

/**
 * The EventTarget half of the platform `WebSocket` on `RxWebSocket`: `addEventListener`,
 * `removeEventListener`, `dispatchEvent` and the `on*` handlers, with the DOM's rules.
 *
 * A listener of a native event type (`open`, `message`, `error`, `close`) is a subscriber of
 * that event's stream, as a `bind()` is, so `bind`, `addEventListener` and `on*` run in one
 * order: the order they were registered in. Events reach listeners as they are, unwrapped.
 * The registry (made on first use) keeps every listener, of any type, for `dispatchEvent`.
 */

/** A DOM listener: a function (called with the socket as `this`) or an object with `handleEvent`. */
export type DomListener<E = WsEvent, T = unknown> =
  ((this: T, event: E) => unknown) | { handleEvent(event: E): unknown };

/** The options of `addEventListener`, as in the DOM (`capture` only tells listeners apart). */
export interface DomListenerOptions {
  /**
   * Tells two registrations of the same listener apart, as in the DOM; a socket has no capture phase,
   * so it changes nothing else.
   * @default false
   */
  capture?: boolean;
  /**
   * Removes the listener after its first call.
   * @default false
   */
  once?: boolean;
  /**
   * Accepted for the DOM's sake; socket events cannot be cancelled, so it changes nothing.
   * @default false
   */
  passive?: boolean;
  /**
   * Removes the listener when this signal aborts (at once if it already has).
   * @default undefined
   */
  signal?: AbortSignal;
}

/**
 * One `addEventListener`, or one `on*` handler (`handler`): a binding of `evt` to `fn` that
 * follows the DOM's rules. `fn` is a function or an object with `handleEvent`.
 */
class Entry extends Binding {
  declare _fn: never;
  declare readonly _capture: boolean;
  declare readonly _once: boolean;
  declare readonly _handler: boolean;
  declare readonly _host: DomEvents;
  /** Removed by `removeEventListener`, `once`, a signal or `on* = null`: never called again. */
  declare _removed: boolean | undefined;
  /** Undoes the signal's `abort` listener. */
  declare _unhook: (() => void) | undefined;

  constructor(type: string, fn: unknown, capture: boolean, once: boolean, handler: boolean, host: DomEvents) {
    super(type as EventName, fn as never);
    Object.assign(this, { _capture: capture, _once: once, _handler: handler, _host: host });
  }

  /** A native event from the stream; the package's own errors stay on `error$` and `bind`. */
  override next(event: unknown): void {
    if (!this.closed && !(this._evt === 'error' && event instanceof WebSocketError)) this._host._invoke(this, event);
  }
}

/** The DOM face's listeners of one socket. */
export class DomEvents {
  /** Every listener, in the order added (`on*` handlers at the place they were first set). */
  #entries: readonly Entry[] = [];
  /** `this` for function listeners: the socket. */
  readonly #target: object;
  /** The stream of a native event type, or undefined once the socket is closed for good. */
  readonly #stream: (type: EventName) => Observable<unknown> | undefined;

  constructor(target: object, stream: (type: EventName) => Observable<unknown> | undefined) {
    this.#target = target;
    this.#stream = stream;
  }

  _add(type: unknown, fn: unknown, options: unknown): void {
    const [capture, once, signal] = flags(options);
    const t = String(type);
    if (fn == null || signal?.aborted || this.#find(t, fn, capture)) return;
    if (typeof fn !== 'function' && typeof fn !== 'object')
      throw invalid(`a listener is a function or an object, not ${describe(fn)}`);
    const entry = this.#push(new Entry(t, fn, capture, once, false, this));
    if (signal) {
      const abort = (): void => this.#drop(entry);
      signal.addEventListener('abort', abort);
      entry._unhook = () => signal.removeEventListener('abort', abort);
    }
  }

  _remove(type: unknown, fn: unknown, options: unknown): void {
    const entry = this.#find(String(type), fn, flags(options)[0]);
    if (entry) this.#drop(entry);
  }

  /** Delivers `event` to the listeners of `event.type`, in order; returns `!event.defaultPrevented`. */
  _dispatch(event: unknown): boolean {
    const type = (event as { type?: unknown } | null)?.type;
    if (typeof type !== 'string')
      throw invalid(`dispatchEvent takes an event with a string type, not ${describe(event)}`);
    for (const entry of this.#entries.filter((e) => e._evt === type)) this._invoke(entry, event);
    return !(event as { defaultPrevented?: unknown }).defaultPrevented;
  }

  /** The `on<type>` handler, or null. */
  _handler(type: string): unknown {
    const entry = this.#entries.find((e) => e._handler && e._evt === type);
    return entry === undefined ? null : entry._fn;
  }

  /** Sets `on<type>`: a new handler takes its place at the end, a replaced one keeps it, null removes it. */
  _setHandler(type: string, value: unknown): void {
    const entry = this.#entries.find((e) => e._handler && e._evt === type);
    if (typeof value !== 'function') {
      if (entry) this.#drop(entry);
    } else if (entry) entry._fn = value as never;
    else this.#push(new Entry(type, value, false, false, true, this));
  }

  /** At the final close: the signals let go of this socket (the streams have ended the subscriptions). */
  _release(): void {
    for (const entry of this.#entries) entry._unhook?.();
  }

  /** @internal Calls one listener with `event`; a throw is reported and stops nothing. */
  _invoke(entry: Entry, event: unknown): void {
    if (entry._removed) return;
    if (entry._once) this.#drop(entry);
    const fn = entry._fn as DomListener<unknown>;
    try {
      // An object's handleEvent is looked up at each event; a missing one throws a TypeError here.
      if (typeof fn === 'function') fn.call(this.#target, event);
      else fn.handleEvent(event);
    } catch (error) {
      reportHandlerError(error);
    }
  }

  #find(type: string, fn: unknown, capture: boolean): Entry | undefined {
    return this.#entries.find((e) => !e._handler && e._evt === type && e._fn === fn && e._capture === capture);
  }

  #push(entry: Entry): Entry {
    this.#entries = [...this.#entries, entry];
    if (EVENT_NAMES.includes(entry._evt)) this.#stream(entry._evt)?.subscribe(entry);
    return entry;
  }

  #drop(entry: Entry): void {
    entry._removed = true;
    entry._unhook?.();
    entry.unsubscribe();
    this.#entries = this.#entries.filter((e) => e !== entry);
  }
}

/** The DOM's reading of `options`: a boolean is `capture`. */
function flags(options: unknown): [capture: boolean, once: boolean, signal: AbortSignal | undefined] {
  if (typeof options !== 'object' || options === null) return [Boolean(options), false, undefined];
  const { capture, once, signal } = options as {
    capture?: unknown;
    once?: unknown;
    signal?: { addEventListener?: unknown } | null;
  };
  if (signal !== undefined && typeof signal?.addEventListener !== 'function')
    throw invalid(`options.signal must be an AbortSignal, not ${describe(signal)}`);
  return [Boolean(capture), Boolean(once), signal as AbortSignal | undefined];
}
