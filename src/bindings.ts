import { config, type Observable, type Subscription } from 'rxjs';
import { WebSocketError } from './errors.js';
import { describe } from './support.js';
import type { EventName } from './types.js';

export const EVENT_NAMES: readonly EventName[] = ['open', 'error', 'message', 'close'];

/** A handler given to `bind`: it receives exactly one argument, the event. */
export type Handler<E = unknown> = (event: E) => unknown;

interface Binding {
  readonly fn: Handler<never>;
  readonly subscription: Subscription;
}

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
  if (typeof evt !== 'string' || !(EVENT_NAMES as readonly string[]).includes(evt)) {
    throw new WebSocketError(
      'ERR_WS_INVALID_ARGUMENT',
      `unknown event ${describe(evt)}: a WebSocket has the events "open", "error", "message" and "close"`,
    );
  }
}

export function assertHandler(evt: EventName, fn: unknown): asserts fn is Handler<never> {
  if (typeof fn !== 'function') {
    throw new WebSocketError(
      'ERR_WS_INVALID_ARGUMENT',
      `the handler for "${evt}" must be a function taking one argument (the event), got ${describe(fn)}`,
    );
  }
}

/**
 * Brython's `bind`/`unbind`/`events`/`bindings`, where each binding is a subscription of
 * the handler to the event's observable. Handlers run in bind order (the observable's
 * subscriber order); binding a function twice subscribes it twice.
 */
export class Bindings {
  private readonly table: Record<EventName, Binding[]> = { open: [], error: [], message: [], close: [] };

  constructor(private readonly source: (evt: EventName) => Observable<unknown>) {}

  bind(evt: EventName, fn: Handler<never>): void {
    const handler = fn as Handler<unknown>;
    const subscription = this.source(evt).subscribe({
      next(event) {
        try {
          handler(event);
        } catch (error) {
          reportHandlerError(error);
        }
      },
    });
    this.table[evt].push({ fn, subscription });
  }

  /** Removes `fn`'s bindings of `evt`, or all of `evt`'s without `fn`. Returns how many went. */
  unbind(evt: EventName, fn?: Handler<never>): number {
    const list = this.table[evt];
    const keep: Binding[] = [];
    let removed = 0;
    for (const binding of list) {
      if (fn === undefined || binding.fn === fn) {
        binding.subscription.unsubscribe();
        removed++;
      } else keep.push(binding);
    }
    this.table[evt] = keep;
    return removed;
  }

  handlers(evt: EventName): Handler<never>[] {
    return this.table[evt].map((binding) => binding.fn);
  }
}
