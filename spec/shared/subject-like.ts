/**
 * One test body for `rxjs/webSocket` (RxJS 7.8), RxJS 8's `rxjs/webSocket` and this package's
 * `webSocket()`: the members they share, and a subject of either made from the same config.
 * Shared by the unit spec on FakeWebSocket (spec/rxjs-compat.spec.ts) and the one on a real
 * server (spec/integration/rxjs-parity.spec.ts).
 *
 * `rxjs/webSocket` is RxJS 7.8's in every vitest project, the RxJS 8 ones included (they leave
 * that one import on RxJS 7, see spec/rxjs8/projects.ts): the fixes are shown against the
 * version users migrate from. RxJS 8's is imported by its devDependency alias, `rxjs8`.
 */
import type { Observable } from 'rxjs';
import { webSocket as rxjsWebSocket } from 'rxjs/webSocket';
import { webSocket as rxjs8WebSocket } from 'rxjs8/webSocket';
import { webSocket, type WebSocketSubjectConfig } from '../../src/rxjs-compat.js';

/** The members both implementations have, so that one test body drives either. */
export interface SubjectLike<T> extends Observable<T> {
  next(value: T): void;
  error(error: unknown): void;
  complete(): void;
  unsubscribe(): void;
  multiplex(subMsg: () => unknown, unsubMsg: () => unknown, filter: (value: T) => boolean): Observable<T>;
}

/** `rxjs`: RxJS 7.8's `webSocket`; `rxjs8`: RxJS 8.0.0-alpha.14's; `ours`: this package's. */
export type Impl = 'rxjs' | 'rxjs8' | 'ours';

/** A subject of `impl` made from `config`: the user code is the same, only the import differs. */
export function subjectOf<T>(impl: Impl, config: WebSocketSubjectConfig<T>): SubjectLike<T> {
  if (impl === 'ours') return webSocket<T>(config);
  // The cast is needed under tsconfig.rxjs8.json, where `rxjs` is RxJS 8 and its subject has no
  // Symbol.asyncIterator; under RxJS 7.8 it is not.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- needed under RxJS 8, as said above
  if (impl === 'rxjs') return rxjsWebSocket<T>(config as never) as unknown as SubjectLike<T>;
  return withWebSocketGlobal(() => rxjs8WebSocket<T>(config as never) as unknown as SubjectLike<T>);
}

/**
 * RxJS 8.0.0-alpha.14's `WebSocketSubject` constructor reads the global `WebSocket` even when
 * `WebSocketCtor` is given, so without one (Node 20) it throws a ReferenceError (shown in
 * rxjs-parity.spec.ts). To compare the rest, the global exists, as `undefined`, while it runs.
 */
function withWebSocketGlobal<R>(create: () => R): R {
  if ('WebSocket' in globalThis) return create();
  Object.defineProperty(globalThis, 'WebSocket', { value: undefined, configurable: true, writable: true });
  try {
    return create();
  } finally {
    delete (globalThis as { WebSocket?: unknown }).WebSocket;
  }
}
