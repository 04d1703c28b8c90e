import { config, Subscription, type Observer } from 'rxjs';
import { describe, invalid } from './support.js';
import type { EventName } from './types.js';

/** The four events, in the order `bindings()` lists them. */
export const EVENT_NAMES: readonly EventName[] = ['open', 'error', 'message', 'close'];

/** A handler given to `bind`: it receives exactly one argument, the event. */
export type Handler<E = unknown> = (event: E) => unknown;

/**
 * Reports an error thrown by a bound handler without stopping anything: RxJS's
 * `config.onUnhandledError` when set, else `reportError` where the platform has it
 * (browsers, Deno, Bun), else `console.error`. It never throws, so it never crashes a
 * Node process.
 */
export function reportHandlerError(error: unknown): void {
  try {
    const onUnhandled = config.onUnhandledError;
    if (onUnhandled) return onUnhandled(error);
    const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
    if (typeof report === 'function') return report(error);
    console.error(error);
  } catch (failure) {
    console.error(failure);
  }
}

export function assertEventName(evt: unknown): asserts evt is EventName {
  if (!(EVENT_NAMES as readonly unknown[]).includes(evt)) {
    throw invalid(`unknown event ${describe(evt)}: use "open", "error", "message" or "close"`);
  }
}

export function assertHandler(evt: EventName, fn: unknown): asserts fn is Handler<never> {
  if (typeof fn !== 'function') {
    throw invalid(`the handler for "${evt}" must be a function, got ${describe(fn)}`);
  }
}

/**
 * One `bind(evt, fn)`: a `Subscription` that is also the observer `fn` is subscribed with
 * (RxJS takes an object that is both as a subscriber as it is, so a binding costs one object,
 * not a subscriber, an observer and a wrapper). `unbind` unsubscribes it. Handlers run in bind
 * order (the observable's subscriber order); binding a function twice subscribes it twice. A
 * handler that throws is reported and stops nothing.
 */
export class Binding extends Subscription implements Observer<unknown> {
  declare readonly _evt: EventName;
  declare readonly _fn: Handler<never>;

  constructor(evt: EventName, fn: Handler<never>) {
    super();
    this._evt = evt;
    this._fn = fn;
  }

  /** The channel it listens to, when it removes itself from it (see `EventChannel.attach`). */
  declare _channel: { _detach(binding: Binding): void } | undefined;

  /** Leaves the channel at once: no teardown function and list per binding. */
  override unsubscribe(): void {
    if (!this.closed) this._channel?._detach(this);
    super.unsubscribe();
  }

  next(event: unknown): void {
    if (this.closed) return;
    try {
      (this._fn as Handler)(event);
    } catch (error) {
      reportHandlerError(error);
    }
  }

  /** The event streams never error; were one to, the binding would end as on complete. */
  error(): void {
    this.unsubscribe();
  }

  complete(): void {
    this.unsubscribe();
  }
}
