/**
 * One test body for both `rxjs/webSocket` and this package's `webSocket()`: the members they
 * share, and a subject of either made from the same config. Shared by the unit spec on
 * FakeWebSocket (spec/rxjs-compat.spec.ts) and the one on a real server
 * (spec/integration/rxjs-parity.spec.ts).
 */
import type { Observable } from 'rxjs';
import { webSocket as rxjsWebSocket } from 'rxjs/webSocket';
import { webSocket, type WebSocketSubjectConfig } from '../../src/rxjs-compat.js';

/** The members both implementations have, so that one test body drives either. */
export interface SubjectLike<T> extends Observable<T> {
  next(value: T): void;
  error(error: unknown): void;
  complete(): void;
  unsubscribe(): void;
  multiplex(subMsg: () => unknown, unsubMsg: () => unknown, filter: (value: T) => boolean): Observable<T>;
}

export type Impl = 'rxjs' | 'ours';

/** A subject of `impl` made from `config`: the user code is the same, only the import differs. */
export function subjectOf<T>(impl: Impl, config: WebSocketSubjectConfig<T>): SubjectLike<T> {
  return impl === 'ours' ? webSocket<T>(config) : (rxjsWebSocket<T>(config as never) as unknown as SubjectLike<T>);
}
