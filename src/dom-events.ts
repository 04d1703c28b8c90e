import type { Observable } from 'rxjs';
import { Binding, reportHandlerError } from './bindings.js';
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
export type DomListener<E = WsEvent, T = unknown> = ((this: T, event: E) => unknown) | { handleEvent(event: E): unknown };

/** The options of `addEventListener`, as in the DOM (`capture` only tells listeners apart). */
export interface DomListenerOptions {
  capture?: boolean;
  once?: boolean;
  passive?: boolean;
  signal?: AbortSignal;
}

const NATIVE: readonly string[] = ['open', 'message', 'error', 'close'];

/** One `addEventListener`, or one `on*` handler (`handler`): a binding that follows the DOM's rules. */
class Entry extends Binding {
  /** Removed by `removeEventListener`, `once`, a signal or `on* = null`: never called again. */
  removed = false;
  /** Undoes the signal's `abort` listener. */
  unhook: (() => void) | undefined;

  constructor(
    readonly type: string,
    public callback: unknown,
    readonly capture: boolean,
    readonly once: boolean,
    readonly handler: boolean,
    private readonly host: DomEvents,
  ) {
    super(type as EventName, callback as never);
  }

  /** A native event from the stream; the package's own errors stay on `error$` and `bind`. */
  override next(event: unknown): void {
    if (!this.closed && !(event instanceof WebSocketError)) this.host.invoke(this, event);
  }
}

/** The DOM face's listeners of one socket. */
export class DomEvents {
  /** Every listener, in the order added (`on*` handlers at the place they were first set). */
  private entries: readonly Entry[] = [];

  constructor(
    /** `this` for function listeners: the socket. */
    private readonly target: object,
    /** The stream of a native event type, or undefined once the socket is closed for good. */
    private readonly stream: (type: EventName) => Observable<unknown> | undefined,
  ) {}

  add(type: unknown, callback: unknown, options: unknown): void {
    const t = String(type);
    const o = flags(options);
    if (callback == null || (o.signal?.aborted ?? false) || this.find(t, callback, o.capture) !== undefined) return;
    checkListener(callback);
    this.push(new Entry(t, callback, o.capture, o.once, false, this), o.signal);
  }

  remove(type: unknown, callback: unknown, options: unknown): void {
    const entry = this.find(String(type), callback, flags(options).capture);
    if (entry !== undefined) this.drop(entry);
  }

  /** Delivers `event` to the listeners of `event.type`, in order; returns `!event.defaultPrevented`. */
  dispatch(event: unknown): boolean {
    const type = (event as { type?: unknown } | null)?.type;
    if (typeof type !== 'string') throw invalid(`dispatchEvent takes an event with a string type, e.g. new Event('ping'), got ${describe(event)}`);
    for (const entry of this.entries.filter((e) => e.type === type)) this.invoke(entry, event);
    return !(event as { defaultPrevented?: unknown }).defaultPrevented;
  }

  /** The `on<type>` handler, or null. */
  handler(type: string): unknown {
    return this.entries.find((e) => e.handler && e.type === type)?.callback ?? null;
  }

  /** Sets `on<type>`: a new handler takes its place at the end, a replaced one keeps it, null removes it. */
  setHandler(type: string, value: unknown): void {
    const entry = this.entries.find((e) => e.handler && e.type === type);
    if (typeof value !== 'function') {
      if (entry !== undefined) this.drop(entry);
    } else if (entry !== undefined) entry.callback = value;
    else this.push(new Entry(type, value, false, false, true, this), undefined);
  }

  /** At the final close: the signals let go of this socket (the streams have ended the subscriptions). */
  release(): void {
    for (const entry of this.entries) entry.unhook?.();
  }

  /** @internal Calls one listener with `event`; a throw is reported and stops nothing. */
  invoke(entry: Entry, event: unknown): void {
    if (entry.removed) return;
    if (entry.once) this.drop(entry);
    const callback = entry.callback as DomListener<unknown> & { handleEvent?: unknown };
    try {
      if (typeof callback === 'function') callback.call(this.target, event);
      else if (typeof callback.handleEvent === 'function') callback.handleEvent(event);
      else throw new TypeError(`a listener of "${entry.type}" has no handleEvent method`);
    } catch (error) {
      reportHandlerError(error);
    }
  }

  private find(type: string, callback: unknown, capture: boolean): Entry | undefined {
    return this.entries.find((e) => !e.handler && e.type === type && e.callback === callback && e.capture === capture);
  }

  private push(entry: Entry, signal: AbortSignal | undefined): void {
    this.entries = [...this.entries, entry];
    if (NATIVE.includes(entry.type)) this.stream(entry.type as EventName)?.subscribe(entry);
    if (signal !== undefined) {
      const abort = (): void => this.drop(entry);
      signal.addEventListener('abort', abort);
      entry.unhook = () => signal.removeEventListener('abort', abort);
    }
  }

  private drop(entry: Entry): void {
    entry.removed = true;
    entry.unhook?.();
    entry.unsubscribe();
    this.entries = this.entries.filter((e) => e !== entry);
  }
}

/** The DOM's reading of `options`: a boolean is `capture`. */
function flags(options: unknown): { capture: boolean; once: boolean; signal: AbortSignal | undefined } {
  if (typeof options !== 'object' || options === null) return { capture: Boolean(options), once: false, signal: undefined };
  const { capture, once, signal } = options as DomListenerOptions;
  if (signal !== undefined && (typeof signal?.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
    throw invalid(`options.signal must be an AbortSignal, got ${describe(signal)}`);
  }
  return { capture: Boolean(capture), once: Boolean(once), signal };
}

function checkListener(callback: unknown): void {
  if (typeof callback !== 'function' && typeof callback !== 'object') {
    throw invalid(`a listener must be a function or an object with a handleEvent method, got ${describe(callback)}`);
  }
}
