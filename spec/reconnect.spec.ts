import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveReconnect } from '../src/reconnect.js';
import {
  backoffDelay,
  defaultShouldReconnect,
  reconnect,
  RECONNECT_DEFAULTS,
  type ReconnectPolicy,
} from '../src/resilience.js';
import type { WsCloseEvent } from '../src/types.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function policy(overrides: Partial<ReconnectPolicy> = {}): ReconnectPolicy {
  return { ...RECONNECT_DEFAULTS, ...overrides };
}

function closeEvent(code: number, wasClean = true): WsCloseEvent {
  return { type: 'close', code, reason: '', wasClean };
}

describe('backoffDelay: min(maxDelay, initialDelay × factor^(n−1)), then jitter', () => {
  it('with jitter 0 the n-th delay is exact, doubling from initialDelay until maxDelay caps it', () => {
    const p = policy({ initialDelay: 100, factor: 2, maxDelay: 1000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(p, n))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000, 1000,
    ]);
  });

  it('follows factor exactly (3 here) and stays at maxDelay for large n, without overflowing to Infinity or NaN', () => {
    const p = policy({ initialDelay: 10, factor: 3, maxDelay: 5000, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(p, n))).toEqual([10, 30, 90, 270, 810, 2430]);
    expect(backoffDelay(p, 7)).toBe(5000);
    expect(backoffDelay(p, 10_000)).toBe(5000);
  });

  it('factor 1 gives a constant delay; initialDelay 0 gives 0; maxDelay below initialDelay caps the first delay too', () => {
    expect([1, 2, 9].map((n) => backoffDelay(policy({ initialDelay: 250, factor: 1, jitter: 0 }), n))).toEqual([
      250, 250, 250,
    ]);
    expect([1, 2, 9].map((n) => backoffDelay(policy({ initialDelay: 0, jitter: 0 }), n))).toEqual([0, 0, 0]);
    expect(backoffDelay(policy({ initialDelay: 500, maxDelay: 200, jitter: 0 }), 1)).toBe(200);
  });

  it('the defaults give 1000, 2000, 4000 … 30000 before jitter', () => {
    const p = policy({ jitter: 0 });
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(p, n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('with jitter 0 it never calls Math.random', () => {
    const random = vi.spyOn(Math, 'random');
    backoffDelay(policy({ jitter: 0 }), 3);
    expect(random).not.toHaveBeenCalled();
  });

  it('jitter 0.5, Math.random stubbed to 0: the full base delay', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const p = policy({ initialDelay: 100, factor: 2, maxDelay: 1000, jitter: 0.5 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(p, n))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('jitter 0.5, Math.random stubbed to 0.999999: about half the base delay, and still above half', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    const p = policy({ initialDelay: 100, factor: 2, maxDelay: 1000, jitter: 0.5 });
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelay(p, n));
    const halves = [50, 100, 200, 400, 500];
    delays.forEach((d, i) => {
      expect(d).toBeCloseTo(halves[i]!, 2);
      expect(d).toBeGreaterThan(halves[i]!);
    });
  });

  it('jitter 0.5, Math.random 0.5: three quarters of the base; jitter 1 with 0.75: a quarter', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(backoffDelay(policy({ initialDelay: 1000, jitter: 0.5 }), 1)).toBe(750);
    vi.spyOn(Math, 'random').mockReturnValue(0.75);
    expect(backoffDelay(policy({ initialDelay: 1000, jitter: 1 }), 1)).toBe(250);
  });

  it('takes its random source as the third argument, calling it once per delay', () => {
    const random = vi.fn(() => 0.25);
    expect(backoffDelay(policy({ initialDelay: 400, jitter: 0.5 }), 1, random)).toBe(350);
    expect(random).toHaveBeenCalledTimes(1);
  });

  it('property: for any policy, n and random value r in [0, 1), the delay is in (base × (1 − jitter), base]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 64 }),
        // Math.random's resolution and more: r = k / 2^32, k < 2^32.
        fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((k) => k / 2 ** 32),
        (initialDelay, factor, maxDelay, jitter, n, r) => {
          const p = policy({ initialDelay, factor, maxDelay, jitter });
          const base = Math.min(maxDelay, initialDelay * factor ** (n - 1));
          const delay = backoffDelay(p, n, () => r);
          expect(delay).toBeLessThanOrEqual(base);
          expect(delay).toBeGreaterThan(base * (1 - jitter));
          expect(delay).toBeLessThanOrEqual(maxDelay);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('with the real Math.random, 10,000 delays all fall in (base × (1 − jitter), base] and are spread over it', () => {
    const p = policy({ initialDelay: 1000, jitter: 0.5 });
    const delays = Array.from({ length: 10_000 }, () => backoffDelay(p, 1));
    expect(delays.every((d) => d > 500 && d <= 1000)).toBe(true);
    // Spread, not stuck at one end: both quarters of the range are hit.
    expect(delays.some((d) => d < 625)).toBe(true);
    expect(delays.some((d) => d > 875)).toBe(true);
  });
});

describe('defaultShouldReconnect: for clean closes nobody asked for', () => {
  it.each([
    [1001, true, 'going away'],
    [1011, true, 'internal error'],
    [1012, true, 'service restart'],
    [1013, true, 'try again later'],
    [1014, true, 'bad gateway'],
    [1000, false, 'normal closure'],
    [1002, false, 'protocol error'],
    [1003, false, 'unsupported data'],
    [1005, false, 'no status'],
    [1007, false, 'invalid payload'],
    [1008, false, 'policy violation'],
    [1009, false, 'message too big'],
    [1010, false, 'mandatory extension'],
    [1015, false, 'TLS handshake'],
    [3000, false, 'registered application code'],
    [4000, false, 'private application code'],
    [4999, false, 'private application code'],
  ])('%i (%s): %s', (code, expected) => {
    expect(defaultShouldReconnect(closeEvent(code))).toBe(expected);
  });

  it('is the default of shouldReconnect', () => {
    expect(RECONNECT_DEFAULTS.shouldReconnect).toBe(defaultShouldReconnect);
  });
});

describe('reconnect(options?): the feature for options.reconnect, its policy over the defaults', () => {
  it('reconnect() without options: kind "reconnect", the documented defaults as its policy', () => {
    const feature = reconnect();
    expect(feature.kind).toBe('reconnect');
    expect(typeof feature.attach).toBe('function');
    expect(feature.policy).toEqual({
      attempts: Infinity,
      initialDelay: 1000,
      maxDelay: 30_000,
      factor: 2,
      jitter: 0.5,
      resetAfter: 5000,
      shouldReconnect: defaultShouldReconnect,
    });
    expect(resolveReconnect(undefined)).toEqual(feature.policy);
  });

  it('its policy is what resolveReconnect makes of the options', () => {
    const shouldReconnect = (): boolean => true;
    const options = { attempts: 3, jitter: 0, shouldReconnect };
    expect(reconnect(options).policy).toEqual(resolveReconnect(options));
    expect(reconnect(options).policy).toEqual({ ...RECONNECT_DEFAULTS, attempts: 3, jitter: 0, shouldReconnect });
  });

  it('true and false are not options: reconnect() refuses them (off is leaving options.reconnect out, or false there)', () => {
    for (const value of [true, false]) {
      expect(() => resolveReconnect(value)).toThrow(expect.objectContaining({ code: 'ERR_WS_INVALID_ARGUMENT' }));
      expect(() => reconnect(value as never)).toThrow(expect.objectContaining({ code: 'ERR_WS_INVALID_ARGUMENT' }));
    }
  });

  it('{}: the same defaults', () => {
    expect(resolveReconnect({})).toEqual(RECONNECT_DEFAULTS);
    expect(reconnect({}).policy).toEqual(RECONNECT_DEFAULTS);
  });

  it('an object overrides only the keys it gives; a key set to undefined keeps its default', () => {
    const shouldReconnect = (): boolean => true;
    expect(resolveReconnect({ attempts: 3, jitter: 0, initialDelay: undefined, shouldReconnect })).toEqual({
      ...RECONNECT_DEFAULTS,
      attempts: 3,
      jitter: 0,
      shouldReconnect,
    });
  });

  it('accepts the edges: attempts 0 and Infinity, delays 0, factor 1, jitter 0 and 1', () => {
    const edges = { attempts: 0, initialDelay: 0, maxDelay: 0, resetAfter: 0, factor: 1, jitter: 1 };
    expect(resolveReconnect(edges)).toEqual({ ...RECONNECT_DEFAULTS, ...edges });
    expect(resolveReconnect({ attempts: Infinity, jitter: 0 })).toEqual({
      ...RECONNECT_DEFAULTS,
      attempts: Infinity,
      jitter: 0,
    });
  });

  it('never changes RECONNECT_DEFAULTS nor the object it was given', () => {
    const before = { ...RECONNECT_DEFAULTS };
    const given = { attempts: 2 };
    const resolved = resolveReconnect(given);
    expect(resolved).not.toBe(RECONNECT_DEFAULTS);
    expect(RECONNECT_DEFAULTS).toEqual(before);
    expect(given).toEqual({ attempts: 2 });
  });
});
