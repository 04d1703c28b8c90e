/**
 * A `CloseError` from an unclean close carries, as its `cause`, the error that came before it
 * on that connection: the underlying `Error` where the runtime gives one (`ws`'s
 * `ErrorEvent.error`, e.g. `ECONNREFUSED`), never the event (whose target holds the URL,
 * credentials included); and no cause where there is no underlying `Error` (a browser's bare
 * `Event`).
 */
import { inspect } from 'node:util';
import type { SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { CloseError, RxWebSocket } from '../../src/index.js';
import { connectTimeout, reconnect } from '../../src/resilience.js';
import { FakeWebSocket } from '../../src/testing/index.js';
import { closedPort } from './fault-servers.js';
import { startEchoServer } from './server.js';

/** How the subject face of `ws` ends: its error, or 'complete'. */
function ending(ws: RxWebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.subscribe({ error: resolve, complete: () => resolve('complete') }));
}

/** A scheduler whose one pending action runs when the test calls `fire()`. */
function manualScheduler(): { scheduler: SchedulerLike; fire: () => void } {
  let pending: (() => void) | undefined;
  const scheduler = {
    now: () => 0,
    schedule(work: (state?: unknown) => void, _delay?: number, state?: unknown) {
      pending = () => work(state);
      return { unsubscribe: () => (pending = undefined), closed: false } as never;
    },
  } as SchedulerLike;
  return { scheduler, fire: () => pending!() };
}

describe('CloseError.cause', () => {
  it("a refused connection: the cause is ws's Error (ECONNREFUSED), and inspect shows no credentials", async () => {
    const port = await closedPort();
    const ws = new RxWebSocket(`ws://someone:hunter2@127.0.0.1:${port}/`, { WebSocketCtor: WsWebSocket });
    const error = (await ending(ws)) as CloseError;
    expect(error).toBeInstanceOf(CloseError);
    expect(error.closeCode).toBe(1006);
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect((error.cause as Error).message).toContain(`127.0.0.1:${port}`);
    const shown = inspect(error, { depth: 10 });
    expect(shown).toContain('ECONNREFUSED');
    expect(shown).not.toContain('hunter2');
  });

  it('a connection the server drops after open: no error came before, so no cause', async () => {
    const server = await startEchoServer({ onConnection: (c) => c.terminate() });
    try {
      const ws = new RxWebSocket(server.url, { WebSocketCtor: WsWebSocket });
      const error = (await ending(ws)) as CloseError;
      expect(error.closeCode).toBe(1006);
      expect(error.cause).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('a bare error event (as browsers fire it) gives no cause', () => {
    FakeWebSocket.reset();
    const ws = new RxWebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    let error: unknown;
    ws.subscribe({ error: (e: unknown) => (error = e) });
    FakeWebSocket.last.fail();
    expect(error).toBeInstanceOf(CloseError);
    expect((error as CloseError).cause).toBeUndefined();
    expect('cause' in (error as object)).toBe(false);
  });

  it('a connect timeout: the cause is the ERR_WS_TIMEOUT error', () => {
    FakeWebSocket.reset();
    const { scheduler, fire } = manualScheduler();
    const ws = new RxWebSocket('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      scheduler,
      connectTimeout: connectTimeout(100),
    });
    let error: unknown;
    ws.subscribe({ error: (e: unknown) => (error = e) });
    fire();
    expect((error as CloseError).closeCode).toBe(4901);
    expect(((error as CloseError).cause as { code: string }).code).toBe('ERR_WS_TIMEOUT');
  });

  it('an error of an earlier connection is not the cause of a later close', () => {
    FakeWebSocket.reset();
    const { scheduler, fire } = manualScheduler();
    const ws = new RxWebSocket('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      scheduler,
      reconnect: reconnect({ attempts: 1, jitter: 0 }),
    });
    let error: unknown;
    ws.subscribe({ error: (e: unknown) => (error = e) });
    const first = FakeWebSocket.last;
    first.open();
    first.dispatchEvent({ type: 'error', target: first, error: new Error('first connection') } as never);
    first.serverClose(1006, '', false);
    fire();
    const second = FakeWebSocket.last;
    expect(second).not.toBe(first);
    second.open();
    second.serverClose(1006, '', false);
    expect((error as CloseError).closeCode).toBe(1006);
    expect((error as CloseError).cause).toBeUndefined();
  });
});
