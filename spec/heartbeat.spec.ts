import { config, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWebSocketError } from '../src/errors.js';
import { CLOSE_HEARTBEAT_TIMEOUT, Heartbeat, resolveHeartbeat, type HeartbeatPolicy } from '../src/heartbeat.js';
import { FakeWebSocket, marbleServer } from '../src/testing/index.js';
import type { SendData } from '../src/types.js';
import { RxWebSocket } from '../src/websocket.js';
import { at, run, socket } from './helpers/virtual-time.js';

// Virtual time throughout: one marble frame is 1 ms.

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  config.onUnhandledError = null;
});

const closes = (ws: RxWebSocket<string, SendData>): Observable<string> =>
  ws.close$.pipe(map((e) => `${e.code} ${e.wasClean ? 'clean' : 'unclean'}`));
const errorKinds = (ws: RxWebSocket<string, SendData>): Observable<string> =>
  ws.error$.pipe(map((e) => (isWebSocketError(e) ? e.code : e.type)));
const STATES = { c: 'connecting', o: 'open', r: 'reconnecting', g: 'closing', d: 'closed' };

describe('Heartbeat: two timers on a scheduler', () => {
  function drive(policy: Partial<HeartbeatPolicy>, script: (hb: Heartbeat, ts: TestScheduler) => void): { log: string[]; left: number } {
    const log: string[] = [];
    const ts = run((_, ts) => {
      const full: HeartbeatPolicy = { interval: 10, timeout: Infinity, message: 'ping', ...policy };
      const hb = new Heartbeat(
        full,
        ts,
        () => log.push(`${ts.now()} ping`),
        () => log.push(`${ts.now()} dead`),
      );
      script(hb, ts);
    });
    return { log, left: ts.actions.length };
  }

  it('pings every interval while nothing is sent', () => {
    const { log } = drive({}, (hb, ts) => at(ts, 45, () => hb.stop()));
    expect(log).toEqual(['10 ping', '20 ping', '30 ping', '40 ping']);
  });

  it('sent() puts the next ping off until interval after it', () => {
    const { log } = drive({}, (hb, ts) => {
      at(ts, 5, () => hb.sent());
      at(ts, 22, () => hb.sent());
      at(ts, 50, () => hb.stop());
    });
    expect(log).toEqual(['15 ping', '32 ping', '42 ping']);
  });

  it('received() does not put pings off', () => {
    const { log } = drive({}, (hb, ts) => {
      at(ts, 5, () => hb.received());
      at(ts, 15, () => hb.received());
      at(ts, 25, () => hb.stop());
    });
    expect(log).toEqual(['10 ping', '20 ping']);
  });

  it('calls dead() once, timeout after the start when nothing is received', () => {
    const { log } = drive({ interval: 100, timeout: 25 }, (hb, ts) => at(ts, 90, () => hb.stop()));
    expect(log).toEqual(['25 dead']);
  });

  it('received() puts dead() off until timeout after the last receipt', () => {
    const { log } = drive({ interval: 100, timeout: 25 }, (hb, ts) => {
      at(ts, 10, () => hb.received());
      at(ts, 30, () => hb.received());
      at(ts, 90, () => hb.stop());
    });
    expect(log).toEqual(['55 dead']);
  });

  it('timeout Infinity: no dead timer at all, only the ping timer is scheduled', () => {
    let scheduled = -1;
    const { log } = drive({ interval: 100, timeout: Infinity }, (hb, ts) => {
      at(ts, 0.5, () => {
        scheduled = ts.actions.filter((a) => a.delay !== 1000).length;
      });
      at(ts, 1000, () => hb.stop());
    });
    expect(scheduled).toBe(1);
    expect(log).toHaveLength(9);
    expect(log.every((entry) => entry.endsWith('ping'))).toBe(true);
  });

  it('its clock starts when it is made', () => {
    const log: string[] = [];
    run((_, ts) => {
      at(ts, 7, () => {
        const hb = new Heartbeat(
          { interval: 10, timeout: 25, message: 'ping' },
          ts,
          () => log.push(`${ts.now()} ping`),
          () => log.push(`${ts.now()} dead`),
        );
        at(ts, 30, () => hb.stop());
      });
    });
    expect(log).toEqual(['17 ping', '27 ping', '32 dead']);
  });

  it('stop() cancels both timers: nothing is called after it, nothing is left scheduled', () => {
    const { log, left } = drive({ interval: 10, timeout: 25 }, (hb, ts) => at(ts, 15, () => hb.stop()));
    expect(log).toEqual(['10 ping']);
    expect(left).toBe(0);
  });
});

describe('resolveHeartbeat', () => {
  it('undefined and false: no heartbeat', () => {
    expect(resolveHeartbeat(undefined)).toBeUndefined();
    expect(resolveHeartbeat(false)).toBeUndefined();
  });

  it("defaults: message 'ping', timeout 2 × interval", () => {
    expect(resolveHeartbeat({ interval: 15_000 })).toEqual({ interval: 15_000, message: 'ping', timeout: 30_000 });
  });

  it('keeps what is given: a function message (the same function), a binary message, timeout Infinity, a fractional interval', () => {
    const message = (): string => 'hi';
    expect(resolveHeartbeat({ interval: 10, message, timeout: Infinity })).toEqual({ interval: 10, message, timeout: Infinity });
    expect(resolveHeartbeat({ interval: 10, message })!.message).toBe(message);
    const bytes = new Uint8Array([1, 2]);
    expect(resolveHeartbeat({ interval: 0.5, message: bytes, timeout: 3 })).toEqual({ interval: 0.5, message: bytes, timeout: 3 });
  });

  it('a timeout shorter than the interval is allowed', () => {
    expect(resolveHeartbeat({ interval: 100, timeout: 10 })).toEqual({ interval: 100, timeout: 10, message: 'ping' });
  });

  it('CLOSE_HEARTBEAT_TIMEOUT is 4900', () => {
    expect(CLOSE_HEARTBEAT_TIMEOUT).toBe(4900);
  });
});

describe('heartbeat on RxWebSocket: pings while idle', () => {
  it('sends message every interval while nothing else goes out, counting from the open', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: Infinity } });
      server.script('-o');
      at(ts, 45, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('11ms p 9ms p 9ms p 9ms p', { p: 'ping' });
    });
    expect(FakeWebSocket.last.sent).toEqual(['ping', 'ping', 'ping', 'ping']);
  });

  it('the rule: a ping goes out once nothing was sent for interval ms; each send (a ping too) starts that count again', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: Infinity } });
      server.script('-o');
      at(ts, 5, () => ws.send('a'));
      at(ts, 30, () => ws.send('b'));
      at(ts, 45, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('-----a 9ms p 9ms p 4ms b 9ms p', { p: 'ping', a: 'a', b: 'b' });
    });
  });

  it('what is received does not put pings off (only what is sent does)', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: Infinity } });
      server.script('-o--- 5ms m 9ms m', { m: 'news' });
      at(ts, 25, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('11ms p 9ms p', { p: 'ping' });
    });
  });

  it('message as a function is called for each ping, and what it returns is sent', () => {
    let calls = 0;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: Infinity, message: () => `ping ${++calls}` } });
      server.script('-o');
      at(ts, 35, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('11ms a 9ms b 9ms c', { a: 'ping 1', b: 'ping 2', c: 'ping 3' });
    });
    expect(calls).toBe(3);
  });

  it('a binary message is sent as it is', () => {
    const bytes = new Uint8Array([0x89]);
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: Infinity, message: bytes } });
      server.script('-o');
      at(ts, 15, () => ws.close());
    });
    expect(FakeWebSocket.last.sent).toEqual([bytes]);
    expect(FakeWebSocket.last.sent[0]).toBe(bytes);
  });

  it('a message function that throws: ERR_WS_INVALID_ARGUMENT on error$ with the cause; the socket stays open and the next ping is tried', () => {
    const errors: unknown[] = [];
    const boom = new Error('boom');
    let calls = 0;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        heartbeat: {
          interval: 10,
          timeout: Infinity,
          message: () => {
            calls++;
            if (calls === 1) throw boom;
            return 'ping';
          },
        },
      });
      ws.error$.subscribe((e) => errors.push(e));
      server.script('-o');
      at(ts, 25, () => ws.close());
      helpers.expectObservable(ws.state$).toBe('co 23ms (gd|)', STATES);
      helpers.expectObservable(server.sent$).toBe('21ms p', { p: 'ping' });
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_WS_INVALID_ARGUMENT', cause: boom })]);
  });

  it('a peer that answers each ping keeps the connection: never dropped', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: 15 } });
      server.sent$.subscribe((data) => {
        if (data === 'ping') FakeWebSocket.last.receive('pong');
      });
      server.script('-o');
      at(ts, 200, () => ws.close());
      helpers.expectObservable(closes(ws)).toBe('200ms (c|)', { c: '1000 clean' });
      helpers.expectObservable(errorKinds(ws)).toBe('200ms |');
    });
    expect(FakeWebSocket.last.sent).toHaveLength(19);
  });
});

describe('heartbeat on RxWebSocket: never while disconnected', () => {
  it('no ping while connecting, and none queued: the first comes interval after the open', () => {
    const queued: number[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: Infinity } });
      server.script('25ms o');
      for (const frame of [10.5, 20.5, 24.5]) at(ts, frame, () => queued.push(ws.queued));
      at(ts, 40, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('35ms p', { p: 'ping' });
    });
    expect(queued).toEqual([0, 0, 0]);
    expect(FakeWebSocket.last.sent).toEqual(['ping']);
  });

  it('no ping while reconnecting or connecting again, none queued; the new socket’s first ping comes interval after its open', () => {
    const queued: number[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        heartbeat: { interval: 10, timeout: Infinity },
        reconnect: { initialDelay: 30, jitter: 0 },
      });
      // Opens 1, pings 11, fails 15; the new socket is made at 45 and opens at 50.
      server.script('-o 13ms # 34ms o');
      for (const frame of [15.5, 25.5, 35.5, 44.5, 45.5, 49.5]) at(ts, frame, () => queued.push(ws.queued));
      at(ts, 65, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('11ms p 48ms p', { p: 'ping' });
    });
    expect(queued).toEqual([0, 0, 0, 0, 0, 0]);
    const [first, second] = FakeWebSocket.instances as [FakeWebSocket, FakeWebSocket];
    expect([first.sent, second.sent]).toEqual([['ping'], ['ping']]);
    expect([first.discarded, second.discarded]).toEqual([[], []]);
  });
});

describe('heartbeat on RxWebSocket: a silent connection is dropped', () => {
  it('nothing received for timeout: dropped at that very frame, 4900 unclean on close$, ERR_WS_TIMEOUT on error$, and reconnection applies', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        heartbeat: { interval: 10, timeout: 30 },
        reconnect: { initialDelay: 10, jitter: 0 },
      });
      // Opens 1: dropped at 31; the new socket is made at 41, opens at 42, and is closed at 50.
      server.script('-o 40ms o');
      at(ts, 50, () => ws.close());
      helpers.expectObservable(closes(ws)).toBe('31ms a 18ms (b|)', { a: '4900 unclean', b: '1000 clean' });
      helpers.expectObservable(errorKinds(ws)).toBe('31ms t 18ms |', { t: 'ERR_WS_TIMEOUT' });
      helpers.expectObservable(ws.state$).toBe('co 29ms r 9ms co 7ms (gd|)', STATES);
      helpers.expectObservable(ws).toBe('50ms |');
    });
    const dropped = FakeWebSocket.instances[0]!;
    // The client let it go with a close frame of its own (no terminate() on a DOM socket).
    expect(dropped.closeRequest).toEqual({ code: 4900, reason: 'heartbeat timeout' });
    expect(['open', 'message', 'error', 'close'].map((t) => dropped.listenerCount(t))).toEqual([0, 0, 0, 0]);
  });

  it('the close is emitted at once, even when the peer never answers the closing handshake', () => {
    FakeWebSocket.manualCloseHandshake = true;
    let nativeState = -1;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: 30 } });
      server.script('-o');
      helpers.expectObservable(closes(ws)).toBe('31ms (a|)', { a: '4900 unclean' });
      helpers.expectObservable(ws.state$).toBe('co 29ms (d|)', STATES);
      at(ts, 40, () => {
        nativeState = FakeWebSocket.last.readyState;
      });
    });
    // The fake still waits for the server's close frame; the socket has moved on.
    expect(nativeState).toBe(FakeWebSocket.CLOSING);
  });

  it('the error says how long nothing came, and names the close code', () => {
    const errors: unknown[] = [];
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: 30 } });
      ws.error$.subscribe((e) => errors.push(e));
      server.script('-o');
    });
    expect(errors).toEqual([
      expect.objectContaining({
        name: 'WebSocketError',
        code: 'ERR_WS_TIMEOUT',
        message: expect.stringMatching(/nothing was received for 30 ms.*4900/) as unknown,
      }),
    ]);
  });

  it('without reconnect the drop is final: the subject face errors with a CloseError 4900', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: 30 } });
      server.script('-o-a', { a: 'hello' });
      helpers.expectObservable(ws).toBe(
        '---a 29ms #',
        { a: 'hello' },
        expect.objectContaining({ name: 'CloseError', closeCode: 4900, wasClean: false }),
      );
      helpers.expectObservable(ws.state$).toBe('co 31ms (d|)', STATES);
    });
  });

  it('every message received puts the drop off: it comes timeout after the last one', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 100, timeout: 30 } });
      server.script('-o 8ms a 9ms b 14ms c', { a: 'A', b: 'B', c: 'C' });
      // Messages at 10, 20 and 35: dropped at 65, not 31.
      helpers.expectObservable(closes(ws)).toBe('65ms (a|)', { a: '4900 unclean' });
    });
  });

  it('timeout defaults to twice the interval', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10 } });
      server.script('-o');
      helpers.expectObservable(closes(ws)).toBe('21ms (a|)', { a: '4900 unclean' });
    });
  });

  it('timeout: Infinity never drops, however long nothing comes', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: Infinity } });
      server.script('-o');
      at(ts, 10_000, () => ws.close());
      helpers.expectObservable(closes(ws)).toBe('10000ms (a|)', { a: '1000 clean' });
    });
    // One ping every 10 ms from 11 to 9991.
    expect(FakeWebSocket.last.sent).toHaveLength(999);
  });

  it('after a drop and a reconnect, only the new connection’s heartbeat runs: one ping per interval, none left after close()', () => {
    let left = -1;
    const ts = run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        heartbeat: { interval: 10, timeout: 30 },
        reconnect: { initialDelay: 10, jitter: 0 },
        scheduler: ts,
      });
      // Dropped at 31; the new socket, made at 41, opens at 42 and hears from the server at
      // 50 and 60, so it is not dropped itself; closed at 70.
      server.script('-o 40ms o 7ms a 9ms a', { a: 'alive' });
      at(ts, 70, () => ws.close());
      at(ts, 1000, () => {
        left = ts.actions.length;
      });
      helpers.expectObservable(server.sent$).toBe('11ms p 9ms p 30ms p 9ms p', { p: 'ping' });
    });
    expect(FakeWebSocket.instances.map((s) => s.sent)).toEqual([
      ['ping', 'ping'],
      ['ping', 'ping'],
    ]);
    expect(left).toBe(0);
    expect(ts.actions).toHaveLength(0);
  });

  it('close() stops the heartbeat: no ping after it and no timer left', () => {
    let left = -1;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: { interval: 10, timeout: 30 }, scheduler: ts });
      server.script('-o');
      at(ts, 15, () => ws.close());
      at(ts, 500, () => {
        left = ts.actions.length;
      });
      helpers.expectObservable(server.sent$).toBe('11ms p', { p: 'ping' });
    });
    expect(left).toBe(0);
  });
});
