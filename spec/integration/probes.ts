/**
 * Client-side probes for the resilience specs: a `ws` constructor that records its instances
 * and their events, a scheduler that counts the timers it holds, a recorder of a stream's
 * values with a promise per index, and the process's handle counts. Nothing here polls.
 */
import { createHook } from 'node:async_hooks';
import { asyncScheduler, type Observable, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { WebSocket as WsWebSocket, type ClientOptions } from 'ws';
import type { WebSocketConstructor } from '../../src/index.js';

const EVENTS = ['open', 'message', 'error', 'close'] as const;
type NativeEvent = (typeof EVENTS)[number];

/** One event a native socket emitted, with how many listeners it had for it at that moment. */
export interface Emitted {
  readonly event: NativeEvent;
  readonly listeners: number;
  readonly args: readonly unknown[];
}

/** A `ws` client socket made by `recordingCtor()`. */
export interface RecordedSocket extends WsWebSocket {
  readonly emitted: Emitted[];
  /** Resolves once the socket has emitted `close` (its last event). */
  readonly closed: Promise<void>;
  /** Runs right after each `close()` call returns, including `ws`'s own on the server's close frame. */
  afterClose: (() => void) | undefined;
}

/**
 * A `WebSocketCtor`: `ws`'s client WebSocket, subclassed to record each instance and the
 * events it emits, without adding a listener of its own (listener counts stay the package's),
 * and to run a hook right after `close()` (which `ws` itself calls on the server's close frame).
 */
export function recordingCtor(clientOptions?: ClientOptions): {
  Ctor: WebSocketConstructor;
  instances: RecordedSocket[];
} {
  const instances: RecordedSocket[] = [];
  class Recorded extends WsWebSocket implements RecordedSocket {
    readonly emitted: Emitted[] = [];
    readonly closed: Promise<void>;
    afterClose: (() => void) | undefined;
    private markClosed!: () => void;

    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, clientOptions);
      this.closed = new Promise<void>((resolve) => {
        this.markClosed = resolve;
      });
      instances.push(this);
    }

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      const known = typeof event === 'string' && (EVENTS as readonly string[]).includes(event);
      if (known) this.emitted.push({ event: event as NativeEvent, listeners: this.listenerCount(event), args });
      const result = super.emit(event, ...args);
      if (event === 'close') this.markClosed();
      return result;
    }

    override close(code?: number, data?: string | Buffer): void {
      super.close(code, data);
      this.afterClose?.();
    }
  }
  const Ctor: WebSocketConstructor = Recorded;
  return { Ctor, instances };
}

/** The listeners a native socket holds, per event. */
export function listenerCounts(native: WsWebSocket): Record<NativeEvent, number> {
  return {
    open: native.listenerCount('open'),
    message: native.listenerCount('message'),
    error: native.listenerCount('error'),
    close: native.listenerCount('close'),
  };
}

/** The process's active handles of a type (`process.getActiveResourcesInfo()`). */
export function handles(type: 'TCPSocketWrap'): number {
  return process.getActiveResourcesInfo().filter((t) => t === type).length;
}

/** A Node timer as `watchTimers` sees it (`_destroyed` is set once it has fired or been cleared). */
interface NodeTimer {
  readonly _destroyed?: boolean;
  readonly _idleTimeout?: number;
  readonly _onTimeout?: unknown;
}

/**
 * Watches every Node timer (setTimeout, setInterval, and those Node and `ws` make inside)
 * created from now on; `pending()` lists those that have neither fired nor been cleared, as
 * `"<delay> ms: <callback source>"`. Unlike a count of `process.getActiveResourcesInfo()`,
 * the test runner's own timers, made before or after, do not blur it. `stop()` ends the watch.
 */
export function watchTimers(): { pending(): string[]; stop(): void } {
  const created: NodeTimer[] = [];
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'Timeout') created.push(resource);
    },
  }).enable();
  return {
    pending: () =>
      created
        .filter((timer) => timer._destroyed !== true)
        .map((timer) => `${String(timer._idleTimeout)} ms: ${String(timer._onTimeout).slice(0, 120)}`),
    stop: () => void hook.disable(),
  };
}

/**
 * `asyncScheduler`, keeping track of what it holds: `pending` is the number of scheduled
 * actions that have neither run nor been cancelled. 0 after a final close means no timer of
 * the package is left; `scheduled` counts every timer ever asked for. `cancelAll()` cancels
 * what is left, so that a leak fails its own test and does not run on into the next one.
 */
export interface TrackingScheduler extends SchedulerLike {
  readonly pending: number;
  /** The delays (ms) of the pending actions, in the order they were scheduled. */
  pendingDelays(): number[];
  readonly scheduled: number;
  cancelAll(): void;
}

export function trackingScheduler(): TrackingScheduler {
  const live = new Map<Subscription, number>();
  let scheduled = 0;
  return {
    get pending() {
      return live.size;
    },
    get scheduled() {
      return scheduled;
    },
    pendingDelays: () => [...live.values()],
    cancelAll: () => {
      for (const action of [...live.keys()]) action.unsubscribe();
    },
    now: () => asyncScheduler.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T): Subscription {
      scheduled++;
      const action = asyncScheduler.schedule<T>(
        function (this: SchedulerAction<T>, value?: T) {
          live.delete(action);
          work.call(this, value);
        },
        delay,
        state,
      );
      live.set(action, delay ?? 0);
      action.add(() => live.delete(action));
      return action;
    },
  };
}

/** Records every value of `source`; `at(k)` resolves with the k-th (0-based) once it comes. */
export interface Recorder<T> {
  readonly values: T[];
  at(index: number): Promise<T>;
  /** Resolves when the source completes (it never errors here). */
  readonly done: Promise<void>;
  readonly subscription: Subscription;
}

export function record<T>(source: Observable<T>): Recorder<T> {
  const values: T[] = [];
  const waiting = new Map<number, (value: T) => void>();
  const promises = new Map<number, Promise<T>>();
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const subscription = source.subscribe({
    next: (value) => {
      values.push(value);
      waiting.get(values.length - 1)?.(value);
    },
    complete: () => finish(),
    error: () => finish(),
  });
  return {
    values,
    done,
    subscription,
    at: (index) => {
      if (index < values.length) return Promise.resolve(values[index]!);
      let promise = promises.get(index);
      if (promise === undefined) {
        promise = new Promise<T>((resolve) => waiting.set(index, resolve));
        promises.set(index, promise);
      }
      return promise;
    },
  };
}

/** A subscriber to a subject face that records its values and settles when it ends. */
export function watchFace<T>(face: Observable<T>): {
  values: T[];
  ended: Promise<{ kind: 'complete' } | { kind: 'error'; error: unknown }>;
  settled: () => boolean;
} {
  const values: T[] = [];
  let isSettled = false;
  const ended = new Promise<{ kind: 'complete' } | { kind: 'error'; error: unknown }>((resolve) => {
    face.subscribe({
      next: (value) => values.push(value),
      complete: () => {
        isSettled = true;
        resolve({ kind: 'complete' });
      },
      error: (error: unknown) => {
        isSettled = true;
        resolve({ kind: 'error', error });
      },
    });
  });
  return { values, ended, settled: () => isSettled };
}
