/** An assertion on what a call throws, shared by the unit specs. No Node API. */
import { expect } from 'vitest';
import { WebSocketError, type WebSocketErrorCode } from '../../src/errors.js';
import { thrownBy } from '../helpers/thrown.js';

/** Runs `fn`, expects it to throw a `WebSocketError` (of this realm) with `code`, and returns it. */
export function expectWsError(fn: () => unknown, code: WebSocketErrorCode): WebSocketError {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(WebSocketError);
  expect((error as WebSocketError).code).toBe(code);
  return error as WebSocketError;
}
