/** Helpers for asserting on what a call throws, shared by the specs. */
import { isWebSocketError, type WebSocketError } from '../../src/errors.js';

/** What `fn` throws; fails the test when it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}

/** The `WebSocketError` that `fn` throws; anything else it throws, or no throw, fails the test. */
export function thrown(fn: () => unknown): WebSocketError {
  const error = thrownBy(fn);
  if (isWebSocketError(error)) return error;
  throw error;
}
