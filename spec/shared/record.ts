/**
 * A subscriber that records everything an observable does, shared by the unit specs. No Node
 * API: the browser project runs websocket.spec.ts with it too.
 */
import type { Observable, Subscription } from 'rxjs';

export interface Recording<T> {
  /** Every notification in order: ['next', v], ['error', e], ['complete']. */
  readonly log: unknown[][];
  readonly values: T[];
  readonly errors: unknown[];
  readonly completed: boolean;
  readonly subscription: Subscription;
}

/** Subscribes to `source` now and records what it does; `log` may be shared with other recorders. */
export function record<T>(source: Observable<T>, log: unknown[][] = []): Recording<T> {
  const rec = { log, values: [] as T[], errors: [] as unknown[], completed: false };
  const subscription = source.subscribe({
    next: (value) => {
      rec.values.push(value);
      log.push(['next', value]);
    },
    error: (error: unknown) => {
      rec.errors.push(error);
      log.push(['error', error]);
    },
    complete: () => {
      rec.completed = true;
      log.push(['complete']);
    },
  });
  return Object.assign(rec, { subscription });
}
