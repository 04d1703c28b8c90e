// A namespace import, read by property: RxJS 8 has no `ObjectUnsubscribedError`, and a named
// import of it would stop this module from loading there (ESM checks named imports at link time).
import * as rxjs from 'rxjs';

/** What `webSocket()` throws after `unsubscribe()`: an `Error` named `'ObjectUnsubscribedError'`. */
export type ObjectUnsubscribedError = Error;

/** The class of {@link ObjectUnsubscribedError}. */
export interface ObjectUnsubscribedErrorCtor {
  new (): ObjectUnsubscribedError;
  /** The prototype of its instances, so `instanceof` works. */
  readonly prototype: ObjectUnsubscribedError;
}

/** The package's own class, for RxJS 8, which removed RxJS's: the same name and message. */
class OwnObjectUnsubscribedError extends Error {
  constructor() {
    super('object unsubscribed');
    this.name = 'ObjectUnsubscribedError';
  }
}

/**
 * The error `webSocket()` throws from `next()`, and errors a subscriber with, once the subject
 * was unsubscribed. On RxJS 7 it is RxJS's own `ObjectUnsubscribedError` (the very class
 * `rxjs` exports); on RxJS 8, which removed it, a class of this package with the same name and
 * message (`'object unsubscribed'`). Either way `instanceof ObjectUnsubscribedError`, imported
 * from here, holds.
 *
 * @example
 * import { ObjectUnsubscribedError, webSocket } from 'brython-websocket/webSocket';
 * const subject = webSocket('wss://example.test');
 * subject.unsubscribe();
 * try {
 *   subject.next('late');
 * } catch (e) {
 *   if (e instanceof ObjectUnsubscribedError) console.log('the subject was unsubscribed');
 * }
 */
export const ObjectUnsubscribedError: ObjectUnsubscribedErrorCtor =
  (rxjs as unknown as { ObjectUnsubscribedError?: ObjectUnsubscribedErrorCtor }).ObjectUnsubscribedError ??
  OwnObjectUnsubscribedError;
