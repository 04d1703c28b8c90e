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
  private subscribers: readonly Subscriber<T>[] = NONE;
  private ended = false;
  /** How deep in `emit` calls we are, and the termination that waits for them to finish. */
  private emitting = 0;
  private pending: ((subscriber: Subscriber<T>) => void) | undefined;

  constructor() {
    super(subscribeToChannel as (this: Observable<T>, subscriber: Subscriber<T>) => TeardownLogic);
  }

  /** True while at least one subscriber listens. */
  get observed(): boolean {
    return this.subscribers.length > 0;
  }

  emit(value: T): void {
    if (this.ended) return;
    const subscribers = this.subscribers;
    this.emitting++;
    try {
      for (let i = 0; i < subscribers.length; i++) subscribers[i]!.next(value);
    } finally {
      if (--this.emitting === 0 && this.pending !== undefined) this.terminate(this.pending);
    }
  }

  /** Completes every subscriber and every later one. Idempotent. */
  end(): void {
    this.settle((subscriber) => subscriber.complete());
  }

  /** Errors every subscriber (used only by the subject face, never by the event streams). */
  fail(error: unknown): void {
    this.settle((subscriber) => subscriber.error(error));
  }

  private settle(how: (subscriber: Subscriber<T>) => void): void {
    if (this.ended) return;
    this.ended = true;
    if (this.emitting > 0) this.pending = how;
    else this.terminate(how);
  }

  private terminate(how: (subscriber: Subscriber<T>) => void): void {
    this.pending = undefined;
    const subscribers = this.subscribers;
    this.subscribers = NONE;
    for (const subscriber of subscribers) how(subscriber);
  }

  /** @internal */
  attach(subscriber: Subscriber<T>): TeardownLogic {
    if (this.ended) {
      subscriber.complete();
      return undefined;
    }
    this.subscribers = [...this.subscribers, subscriber];
    // A binding removes itself when unsubscribed: no teardown closure (and finalizer list) each.
    if (subscriber instanceof Binding) subscriber.channel = this;
    else return () => this.detach(subscriber);
  }

  /** @internal Removes `subscriber`; an emission in progress skips it (it is closed). */
  detach(subscriber: Subscriber<T> | Binding): void {
    const subscribers = this.subscribers;
    const i = subscribers.indexOf(subscriber as Subscriber<T>);
    if (i !== -1) this.subscribers = subscribers.length === 1 ? NONE : subscribers.filter((_, j) => j !== i);
  }
}

/**
 * Like `EventChannel`, but it holds a current value, gives it to each new subscriber and
 * emits only changes (a `BehaviorSubject` with `distinctUntilChanged`, off the hot path).
 */
export class ValueChannel<T> extends Observable<T> {
  private readonly channel = new EventChannel<T>();

  constructor(private current: T) {
    super(subscribeToValue as (this: Observable<T>, subscriber: Subscriber<T>) => TeardownLogic);
  }

  /** @internal */
  attach(subscriber: Subscriber<T>): TeardownLogic {
    subscriber.next(this.current);
    return this.channel.subscribe(subscriber);
  }

  get value(): T {
    return this.current;
  }

  set(value: T): void {
    if (value === this.current) return;
    this.current = value;
    this.channel.emit(value);
  }

  end(): void {
    this.channel.end();
  }
}

// One subscribe function for every channel (not a closure per instance): RxJS calls it with
// `this` set to the channel being subscribed.
function subscribeToChannel(this: EventChannel<unknown>, subscriber: Subscriber<unknown>): TeardownLogic {
  return this.attach(subscriber);
}

function subscribeToValue(this: ValueChannel<unknown>, subscriber: Subscriber<unknown>): TeardownLogic {
  return this.attach(subscriber);
}
