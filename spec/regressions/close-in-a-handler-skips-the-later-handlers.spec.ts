/**
 * Found by spec/properties.spec.ts (fast-check), shrunk to:
 *   { reconnect: reconnect({ attempts: Infinity, jitter: 0, initialDelay: 1 }) },
 *   [bind('close', closer), bind('close', recorder), fail]
 *   -> the recorder never gets the 1006 close event.
 * The same defect on error$ (a second error handler added to the shrunk connect-timeout case
 * of connect-timeout-close-in-error-handler-leaves-listeners.spec.ts):
 *   { connectTimeout: connectTimeout(1) }, [bind('error', closer), bind('error', recorder), tick 1 ms]
 *   -> the recorder never gets the ERR_WS_TIMEOUT error.
 *
 * When a handler's close() makes the final close while its own event is being dispatched
 * (close() while 'reconnecting' finalizes at once; close() on a connecting native socket
 * closes it at once), the streams complete mid-dispatch and the handlers bound after it never
 * receive that event. Handlers run "in bind order", each once per event: the later ones should
 * get the event, then the streams end (as the DOM delivers an event to every listener even
 * when one of them closes the socket).
 */
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWebSocketError } from '../../src/errors.js';
import { connectTimeout, reconnect } from '../../src/resilience.js';
import { FakeWebSocket } from '../../src/testing/index.js';
import { RxWebSocket } from '../../src/websocket.js';

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  FakeWebSocket.reset();
});

describe('a handler that closes the socket for good during an event', () => {
  it('close$ that starts a reconnect wait: the handlers bound after it still get that close event', () => {
    const scheduler = new VirtualTimeScheduler();
    const ws = new RxWebSocket('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      scheduler,
      reconnect: reconnect({ jitter: 0, initialDelay: 1, attempts: Infinity }),
    });
    const calls: string[] = [];
    ws.bind('close', (event) => {
      calls.push(`closer ${event.code}`);
      ws.close();
    });
    ws.bind('close', (event) => {
      calls.push(`recorder ${event.code}`);
    });

    FakeWebSocket.last.fail();

    expect(ws.state).toBe('closed');
    expect(calls).toEqual(['closer 1006', 'recorder 1006']);
  });

  it('error$ on a connect timeout: the handlers bound after it still get the ERR_WS_TIMEOUT error', () => {
    const scheduler = new VirtualTimeScheduler();
    const ws = new RxWebSocket('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      scheduler,
      connectTimeout: connectTimeout(1),
    });
    const calls: string[] = [];
    const code = (error: unknown): string => (isWebSocketError(error) ? error.code : 'a native error event');
    ws.bind('error', (error) => {
      calls.push(`closer ${code(error)}`);
      ws.close();
    });
    ws.bind('error', (error) => {
      calls.push(`recorder ${code(error)}`);
    });

    scheduler.flush();

    expect(ws.state).toBe('closed');
    expect(calls).toEqual(['closer ERR_WS_TIMEOUT', 'recorder ERR_WS_TIMEOUT']);
  });
});
