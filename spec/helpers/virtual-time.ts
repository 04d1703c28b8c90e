/** The virtual-time harness shared by the marble specs of reconnect, heartbeat and multiplex. */
import type { RunHelpers } from 'rxjs/testing';
import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';
import type { SocketOptions } from '../../src/options.js';
import type { MarbleServer } from '../../src/testing/index.js';
import type { SendData } from '../../src/types.js';
import { RxWebSocket } from '../../src/websocket.js';

/**
 * A timer left running (a leak) would keep run()'s flush going for ever, so the flush stops at
 * `FRAME_LIMIT`, and what is left is in `ts.actions`.
 */
export const FRAME_LIMIT = 100_000;

/** Runs `body` in a TestScheduler's run mode, bounded by `FRAME_LIMIT`; returns the scheduler. */
export function run(body: (helpers: RunHelpers, ts: TestScheduler) => void): TestScheduler {
  const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  ts.run((helpers) => {
    ts.maxFrames = FRAME_LIMIT;
    body(helpers, ts);
  });
  return ts;
}

/** Calls `fn` at `frame` (counted from the start of the run). Call it in the run callback. */
export function at(ts: TestScheduler, frame: number, fn: () => void): void {
  ts.schedule(fn, frame);
}

/** A socket of text on the marble server's fakes. */
export function socket(server: MarbleServer, options: SocketOptions<string> = {}): RxWebSocket<string> {
  return new RxWebSocket<string, SendData>('ws://test/', { WebSocketCtor: server.WebSocketCtor, ...options });
}
