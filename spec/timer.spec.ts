/**
 * The longest delay a timer can take. Node and browsers fire a timer whose delay is above
 * 2^31 − 1 ms after about 1 ms, and `asyncScheduler` hands delays on to them, so every
 * duration option (and what is derived from one) above that is refused up front.
 * `TestScheduler` does not clamp, so virtual time cannot show the bug: these specs test the
 * refusal, and one test on real timers shows that the longest accepted delays do not fire early.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { RxWebSocket } from '../src/index.js';
import { connectTimeout, heartbeat, reconnect } from '../src/resilience.js';
import { MAX_DELAY } from '../src/timer.js';
import { thrown } from './helpers/thrown.js';
import { startEchoServer, type EchoServer } from './integration/server.js';

const ABOVE = MAX_DELAY + 1;

/** The refusal: the stable code, and a message naming the limit and the option. */
function refused(fn: () => unknown, names: string): void {
  const error = thrown(fn);
  expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
  expect(error.message).toContain(names);
  expect(error.message).toContain('2147483647 ms');
}

describe('durations above 2^31 − 1 ms are refused', () => {
  it('is the limit timers really have', () => {
    expect(MAX_DELAY).toBe(2 ** 31 - 1);
  });

  it.each([ABOVE, 3e9, 1e10, Number.MAX_SAFE_INTEGER])('heartbeat interval %d', (interval) => {
    refused(() => heartbeat({ interval, timeout: 1000 }), 'heartbeat interval');
  });

  it.each([ABOVE, 1e10])('heartbeat timeout %d', (timeout) => {
    refused(() => heartbeat({ interval: 1000, timeout }), 'heartbeat timeout');
  });

  it('the heartbeat timeout derived from the interval (2 × interval) as well, and the message says to give it', () => {
    const error = thrown(() => heartbeat({ interval: 2e9 }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('2 × interval');
    expect(error.message).toContain('heartbeat({ timeout })');
    // Given explicitly, the same interval is fine.
    expect(heartbeat({ interval: 2e9, timeout: MAX_DELAY }).policy).toEqual({
      interval: 2e9,
      timeout: MAX_DELAY,
      message: 'ping',
    });
  });

  it.each([ABOVE, 3e9])('connectTimeout(%d)', (ms) => {
    refused(() => connectTimeout(ms), 'connectTimeout()');
  });

  it.each(['initialDelay', 'maxDelay', 'resetAfter'] as const)('reconnect %s', (key) => {
    refused(() => reconnect({ initialDelay: 10, maxDelay: 100, [key]: 3e9 }), `reconnect ${key}`);
  });

  it('accepts the limit itself, and Infinity where it is documented', () => {
    expect(heartbeat({ interval: MAX_DELAY, timeout: MAX_DELAY }).policy.timeout).toBe(MAX_DELAY);
    expect(heartbeat({ interval: 1000, timeout: Infinity }).policy.timeout).toBe(Infinity);
    expect(connectTimeout(MAX_DELAY).ms).toBe(MAX_DELAY);
    expect(connectTimeout(Infinity).ms).toBe(Infinity);
    expect(reconnect({ initialDelay: MAX_DELAY, maxDelay: MAX_DELAY, resetAfter: MAX_DELAY }).policy.maxDelay).toBe(
      MAX_DELAY,
    );
  });

  it('maps no large value to Infinity: an infinite reconnect delay stays refused', () => {
    const error = thrown(() => reconnect({ maxDelay: Infinity }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toContain('reconnect maxDelay must be a finite number');
  });
});

describe('on real timers, the longest accepted durations do not fire early', () => {
  let server: EchoServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a socket with connectTimeout and heartbeat at the limit stays open through 20 echoes, with no TimeoutOverflowWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      server = await startEchoServer();
      const ws = new RxWebSocket(server.url, {
        WebSocketCtor: WsWebSocket,
        connectTimeout: connectTimeout(MAX_DELAY),
        heartbeat: heartbeat({ interval: MAX_DELAY, timeout: MAX_DELAY }),
      });
      const closes: number[] = [];
      ws.close$.subscribe((event) => closes.push(event.code));
      await new Promise<void>((resolve) => ws.bind('open', () => resolve()));
      for (let i = 0; i < 20; i++) {
        const echoed = new Promise<void>((resolve) => ws.message$.subscribe(() => resolve()));
        ws.send(`m${i}`);
        await echoed;
      }
      expect(ws.state).toBe('open');
      ws.close();
      await new Promise<void>((resolve) => ws.state$.subscribe({ complete: resolve }));
      expect(closes).toEqual([1000]);
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
