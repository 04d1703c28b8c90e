import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { Binding } from './bindings.js';

/** The subscribers of a channel nobody watches: one shared empty list. */
const NONE: readonly never[] = [];

/**
 * A hot observable over a plain array of subscribers: the per-event path is one loop,
 * with no Subject, no operator and no allocation. The array is replaced, never mutated,
 * when a subscriber arrives or leaves, so an emission in progress is never disturbed: a
 * subscriber that leaves mid-emission is skipped (RxJS stops a closed subscriber), one that
 * arrives mid-emission sees the next event.
 *
 * It completes once (`end()`), never errors, and a late subscriber is completed at once. An
 * `end()` or `fail()` called by a subscriber during an emission waits for that emission to
 * reach every subscriber (a handler that closes the socket stops none bound after it).
 */
export class EventChannel<T> extends Observable<T> {
  private _subscribers: readonly Subscriber<T>[] = NONE;
  private _ended = false;
  /** How deep in `emit` calls we are, and the termination that waits for them to finish. */
  private _emitting = 0;
  declare private _pending: ((subscriber: Subscriber<T>) => void) | undefined;

  constructor() {
    super(subscribeToChannel as (this: Observable<T>, subscriber: Subscriber<T>) => TeardownLogic);
  }

  /** True while at least one subscriber listens. */
  get observed(): boolean {
    return this._subscribers.length > 0;
  }

  _emit(value: T): void {
    if (this._ended) return;
    const subscribers = this._subscribers;
    this._emitting++;
    try {
      for (const subscriber of subscribers) subscriber.next(value);
    } finally {
      if (--this._emitting === 0 && this._pending !== undefined) this._terminate(this._pending);
    }
  }

  /** Completes every subscriber and every later one. Idempotent. */
  _end(): void {
    this._settle((subscriber) => subscriber.complete());
  }

  /** Errors every subscriber (used only by the subject face, never by the event streams). */
  _fail(error: unknown): void {
    this._settle((subscriber) => subscriber.error(error));
  }

  private _settle(how: (subscriber: Subscriber<T>) => void): void {
    if (this._ended) return;
    this._ended = true;
    if (this._emitting > 0) this._pending = how;
    else this._terminate(how);
  }

  private _terminate(how: (subscriber: Subscriber<T>) => void): void {
    this._pending = undefined;
    const subscribers = this._subscribers;
    this._subscribers = NONE;
    for (const subscriber of subscribers) how(subscriber);
  }

  /** @internal */
  _attach(subscriber: Subscriber<T>): TeardownLogic {
    if (this._ended) {
      subscriber.complete();
      return undefined;
    }
    this._subscribers = [...this._subscribers, subscriber];
    // A binding removes itself when unsubscribed: no teardown closure (and finalizer list) each.
    if (subscriber instanceof Binding) subscriber._channel = this;
    else return () => this._detach(subscriber);
  }

  /** @internal Removes `subscriber`; an emission in progress skips it (it is closed). */
  _detach(subscriber: Subscriber<T> | Binding): void {
    // Each subscriber is in the list once (RxJS wraps each subscribe; a binding subscribes once).
    this._subscribers = this._subscribers.filter((s) => s !== subscriber);
  }
}

/**
 * Like `EventChannel`, but it holds a current value, gives it to each new subscriber and
 * emits only changes (a `BehaviorSubject` with `distinctUntilChanged`, off the hot path).
 */
export class ValueChannel<T> extends EventChannel<T> {
  declare private _current: T;

  constructor(current: T) {
    super();
    this._current = current;
  }

  /** @internal */
  override _attach(subscriber: Subscriber<T>): TeardownLogic {
    subscriber.next(this._current);
    return super._attach(subscriber);
  }

  get _value(): T {
    return this._current;
  }

  _set(value: T): void {
    if (value === this._current) return;
    this._current = value;
    this._emit(value);
  }
}

// One subscribe function for every channel (not a closure per instance): RxJS calls it with
// `this` set to the channel being subscribed.
function subscribeToChannel(this: EventChannel<unknown>, subscriber: Subscriber<unknown>): TeardownLogic {
  return this._attach(subscriber);
}
