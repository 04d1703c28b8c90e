/**
 * Found by spec/properties.spec.ts (fast-check), shrunk to:
 *   { reconnect: off, connectTimeout: connectTimeout(1) }, [bind('error', () => ws.close()), tick 1 ms]
 *
 * The connect timeout puts ERR_WS_TIMEOUT on error$; an error handler closes the socket, which
 * closes the native socket at once (its close event makes the final close); then the timeout
 * goes on to drop() that native socket, which adds an `error` and a `close` listener meant to
 * be removed by the close event that already happened. docs/api.md says that after the final
 * close no native listener is left.
 */
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { connectTimeout } from '../../src/resilience.js';
import { FakeWebSocket } from '../../src/testing/index.js';
import type { WsCloseEvent } from '../../src/types.js';
import { RxWebSocket } from '../../src/websocket.js';

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  FakeWebSocket.reset();
});

it('a close() from an error handler on the connect timeout leaves no native listener behind', () => {
  const scheduler = new VirtualTimeScheduler();
  const ws = new RxWebSocket('ws://test/', {
    WebSocketCtor: FakeWebSocket,
    scheduler,
    connectTimeout: connectTimeout(1),
  });
  const fake = FakeWebSocket.last;
  const closes: WsCloseEvent[] = [];
  ws.close$.subscribe((event) => closes.push(event));
  ws.bind('error', () => ws.close());

  scheduler.flush();

  expect(ws.state).toBe('closed');
  expect(closes.map((e) => [e.code, e.wasClean])).toEqual([[1006, false]]);
  expect(scheduler.actions).toEqual([]);
  expect(fake.readyState).toBe(FakeWebSocket.CLOSED);
  expect(['open', 'message', 'error', 'close'].map((type) => [type, fake.listenerCount(type)])).toEqual([
    ['open', 0],
    ['message', 0],
    ['error', 0],
    ['close', 0],
  ]);
});
