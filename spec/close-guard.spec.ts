/**
 * The two runtime quirks the socket evens out (src/close-guard.ts), on a native double that
 * behaves as each runtime was seen to (spec/runtimes/ runs the real ones):
 *
 * - Node 22's and Node 20's undici: `error` while connecting, never `close`, readyState left
 *   at CONNECTING (refused) or CLOSING (`close()` called before the open);
 * - Node 24 and Bun: `error`, then `close` 1006 at once;
 * - Deno: `error`, then `close` with code 0.
 *
 * The wait for the close runs on `options.scheduler` (virtual time here), else on setTimeout
 * (vitest's fake timers here).
 */
import { map } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abnormalClose, checkedClose, CLOSE_GRACE } from '../src/close-guard.js';
import { CloseError } from '../src/errors.js';
import { reconnect } from '../src/resilience.js';
import type { WsCloseEvent, WsEvent } from '../src/types.js';
import { RxWebSocket } from '../src/websocket.js';
import { at, run } from './helpers/virtual-time.js';

type Listener = (event: WsEvent) => void;

/** A native socket that fires only what a test tells it to, as a runtime would. */
class Native {
  static made: Native[] = [];
  readyState = 0;
  readonly protocol = '';
  readonly extensions = '';
  readonly bufferedAmount = 0;
  binaryType = 'blob';
  closeCalls: unknown[][] = [];
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string) {
    Native.made.push(this);
  }

  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  listening(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }

  send(): void {
    // Nothing is sent in these specs: only close() is recorded.
  }

  close(...args: unknown[]): void {
    this.closeCalls.push(args);
  }

  fire(event: WsEvent & Record<string, unknown>): void {
    for (const listener of [...(this.listeners.get(event.type) ?? [])]) listener(event);
  }

  /** undici in Node 22: `error`, and nothing after it. */
  failLikeUndici(readyState = 0): void {
    this.readyState = readyState;
    this.fire({ type: 'error', message: 'Received network error or non-101 status code.' });
  }
}

afterEach(() => {
  Native.made = [];
  vi.useRealTimers();
});

const codeOf = (event: WsCloseEvent): string => `${event.code}/${event.wasClean}/${event.reason}`;

describe('a runtime that fires error while connecting and never close (Node 22, Node 20)', () => {
  it(`makes up close 1006 ${CLOSE_GRACE} ms after the error, on options.scheduler, and ends the socket`, () => {
    let ws!: RxWebSocket;
    let face: unknown;
    run(({ expectObservable }, ts) => {
      ws = new RxWebSocket('ws://test/', { WebSocketCtor: Native, scheduler: ts });
      ws.subscribe({ error: (error: unknown) => (face = error) });
      at(ts, 10, () => Native.made[0]!.failLikeUndici());
      expectObservable(ws.error$.pipe(map((e) => ('type' in e ? e.type : e.code)))).toBe(
        `10ms e ${CLOSE_GRACE - 1}ms |`,
        { e: 'error' },
      );
      expectObservable(ws.close$.pipe(map(codeOf))).toBe(`${10 + CLOSE_GRACE}ms (c|)`, { c: '1006/false/' });
      expectObservable(ws.state$).toBe(`a ${9 + CLOSE_GRACE}ms (b|)`, { a: 'connecting', b: 'closed' });
    });
    expect(face).toBeInstanceOf(CloseError);
    expect((face as CloseError).closeCode).toBe(1006);
    expect(Native.made[0]!.listening()).toBe(0);
    // The native socket has failed already: nothing is asked of it.
    expect(Native.made[0]!.closeCalls).toEqual([]);
  });

  it('waits once for two errors in a row (undici fires two when close() aborts the attempt)', () => {
    let ws!: RxWebSocket;
    run(({ expectObservable }, ts) => {
      ws = new RxWebSocket('ws://test/', { WebSocketCtor: Native, scheduler: ts });
      at(ts, 5, () => ws.close());
      at(ts, 20, () => Native.made[0]!.failLikeUndici(0));
      at(ts, 30, () => Native.made[0]!.failLikeUndici(2));
      // close() while connecting: the errors it causes are expected, so error$ stays quiet.
      expectObservable(ws.error$).toBe(`${20 + CLOSE_GRACE}ms |`);
      expectObservable(ws.close$.pipe(map(codeOf))).toBe(`${20 + CLOSE_GRACE}ms (c|)`, { c: '1006/false/' });
      expectObservable(ws.state$).toBe(`a 4ms b ${14 + CLOSE_GRACE}ms (c|)`, {
        a: 'connecting',
        b: 'closing',
        c: 'closed',
      });
    });
  });

  it('the subject face completes when the made-up close follows a close() you asked for', () => {
    const seen: string[] = [];
    run((_helpers, ts) => {
      const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Native, scheduler: ts });
      ws.subscribe({ error: () => seen.push('error'), complete: () => seen.push('complete') });
      at(ts, 1, () => ws.close(1000));
      at(ts, 2, () => Native.made[0]!.failLikeUndici(2));
    });
    expect(seen).toEqual(['complete']);
  });

  it('counts as a failed attempt for reconnect(): the next attempt starts after the grace and the backoff', () => {
    run(({ expectObservable }, ts) => {
      const ws = new RxWebSocket('ws://test/', {
        WebSocketCtor: Native,
        scheduler: ts,
        reconnect: reconnect({ initialDelay: 100, jitter: 0, attempts: 1 }),
      });
      at(ts, 0, () => Native.made[0]!.failLikeUndici());
      at(ts, CLOSE_GRACE + 100 + 1, () => Native.made[1]!.failLikeUndici());
      expectObservable(ws.state$).toBe(`a ${CLOSE_GRACE - 1}ms b 99ms a ${CLOSE_GRACE}ms (c|)`, {
        a: 'connecting',
        b: 'reconnecting',
        c: 'closed',
      });
    });
    expect(Native.made).toHaveLength(2);
  });

  it('without options.scheduler, waits on setTimeout (fake timers) and leaves no timer behind', () => {
    vi.useFakeTimers();
    const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Native });
    const closes: string[] = [];
    ws.close$.subscribe((event) => closes.push(codeOf(event)));
    Native.made[0]!.failLikeUndici();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(CLOSE_GRACE - 1);
    expect([ws.state, closes]).toEqual(['connecting', []]);
    vi.advanceTimersByTime(1);
    expect([ws.state, closes]).toEqual(['closed', ['1006/false/']]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('a runtime that fires error, then close (Node 24, Bun, Chromium)', () => {
  it('passes its close through, once, and cancels the wait', () => {
    let ts0!: { actions: unknown[] };
    run(({ expectObservable }, ts) => {
      ts0 = ts;
      const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Native, scheduler: ts });
      at(ts, 3, () => Native.made[0]!.failLikeUndici(3));
      at(ts, 4, () => Native.made[0]!.fire({ type: 'close', code: 1006, reason: '', wasClean: false }));
      expectObservable(ws.close$.pipe(map(codeOf))).toBe('4ms (c|)', { c: '1006/false/' });
    });
    expect(ts0.actions).toEqual([]);
  });

  it('without options.scheduler, the close clears the timeout', () => {
    vi.useFakeTimers();
    const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Native });
    Native.made[0]!.failLikeUndici(3);
    expect(vi.getTimerCount()).toBe(1);
    Native.made[0]!.fire({ type: 'close', code: 1006, reason: '', wasClean: false });
    expect([ws.state, vi.getTimerCount()]).toEqual(['closed', 0]);
  });

  it('an error while open starts no wait: the connection stays open', () => {
    run(({ expectObservable }, ts) => {
      const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Native, scheduler: ts });
      at(ts, 1, () => {
        Native.made[0]!.readyState = 1;
        Native.made[0]!.fire({ type: 'open' });
      });
      at(ts, 2, () => Native.made[0]!.fire({ type: 'error' }));
      at(ts, 5000, () => ws.close());
      at(ts, 5001, () => Native.made[0]!.fire({ type: 'close', code: 1000, reason: '', wasClean: true }));
      expectObservable(ws.state$).toBe('a b 4998ms c (d|)', { a: 'connecting', b: 'open', c: 'closing', d: 'closed' });
    });
  });
});

describe('a runtime that reports a close code that is not one (Deno: 0)', () => {
  it('reports 1006, unclean, with the reason kept, to close$ and the subject face', () => {
    let face: unknown;
    run(({ expectObservable }, ts) => {
      const ws = new RxWebSocket('ws://test/', { WebSocketCtor: Native, scheduler: ts });
      ws.subscribe({ error: (error: unknown) => (face = error) });
      at(ts, 2, () => Native.made[0]!.fire({ type: 'error' }));
      at(ts, 2, () => Native.made[0]!.fire({ type: 'close', code: 0, reason: 'tcp connect error', wasClean: true }));
      expectObservable(ws.close$.pipe(map(codeOf))).toBe('2ms (c|)', { c: '1006/false/tcp connect error' });
    });
    expect((face as CloseError).closeCode).toBe(1006);
  });

  it('reconnect() sees the 1006 too: an abnormal close, so it reconnects', () => {
    run((_helpers, ts) => {
      new RxWebSocket('ws://test/', {
        WebSocketCtor: Native,
        scheduler: ts,
        reconnect: reconnect({ attempts: 1, initialDelay: 10, jitter: 0, shouldReconnect: () => false }),
      });
      at(ts, 2, () => Native.made[0]!.fire({ type: 'close', code: 0, reason: '', wasClean: true }));
      at(ts, 20, () => Native.made[1]?.fire({ type: 'close', code: 1006, reason: '', wasClean: false }));
    });
    expect(Native.made).toHaveLength(2);
  });

  it.each([0, -1, 999, 5000, 65535, Number.NaN])('code %s becomes 1006', (code) => {
    expect(checkedClose({ type: 'close', code, reason: 'r', wasClean: true })).toEqual({
      ...abnormalClose(),
      reason: 'r',
    });
  });

  it.each([1000, 1001, 1005, 1006, 1011, 1015, 3000, 4000, 4999])(
    'code %s is passed through as the same event',
    (code) => {
      const event = { type: 'close', code, reason: '', wasClean: code === 1000 };
      expect(checkedClose(event)).toBe(event);
    },
  );
});
