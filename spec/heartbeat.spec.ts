import fc from 'fast-check';
import { config, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWebSocketError } from '../src/errors.js';
import { Heartbeat, resolveHeartbeat } from '../src/heartbeat.js';
import { CLOSE_HEARTBEAT_TIMEOUT, heartbeat, reconnect, type HeartbeatPolicy } from '../src/resilience.js';
import { FakeWebSocket, marbleServer } from '../src/testing/index.js';
import type { SendData } from '../src/types.js';
import { RxWebSocket } from '../src/websocket.js';
import { at, run, socket } from './helpers/virtual-time.js';
import { objectContaining } from './helpers/matchers.js';
import { instanceOf } from './helpers/instance-of.js';

// Virtual time throughout: one marble frame is 1 ms.
//
// The dead-link rule: from the open, a check runs every timeout / 4; each message only sets a
// flag, and a check that finds the flag down counts as silent. Four silent checks in a row
// drop the connection. So with nothing received at all the drop is exactly `timeout` after the
// open; otherwise it is at the fourth check after the check that saw the last message:
// between `timeout` and 1.25 × `timeout` after that message.

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  config.onUnhandledError = null;
});

const closes = (ws: RxWebSocket<string>): Observable<string> =>
  ws.close$.pipe(map((e) => `${e.code} ${e.wasClean ? 'clean' : 'unclean'}`));
const errorKinds = (ws: RxWebSocket<string>): Observable<string> =>
  ws.error$.pipe(map((e) => (isWebSocketError(e) ? e.code : e.type)));
const STATES = { c: 'connecting', o: 'open', r: 'reconnecting', g: 'closing', d: 'closed' };

describe('Heartbeat: two timers on a scheduler', () => {
  function drive(
    policy: Partial<HeartbeatPolicy>,
    script: (hb: Heartbeat, ts: TestScheduler) => void,
  ): { log: string[]; left: number } {
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

  it('what is heard does not put pings off', () => {
    const { log } = drive({}, (hb, ts) => {
      at(ts, 5, () => (hb.heard = true));
      at(ts, 15, () => (hb.heard = true));
      at(ts, 25, () => hb.stop());
    });
    expect(log).toEqual(['10 ping', '20 ping']);
  });

  it('calls dead() once, exactly timeout after the start when nothing is heard (the fourth silent check)', () => {
    const { log, left } = drive({ interval: 100, timeout: 25 }, (hb, ts) => at(ts, 90, () => hb.stop()));
    expect(log).toEqual(['25 dead']);
    expect(left).toBe(0);
  });

  it('a check that finds something heard starts the count of silent checks again, and lowers the flag', () => {
    const heard: boolean[] = [];
    const { log } = drive({ interval: 100, timeout: 20 }, (hb, ts) => {
      // Checks every 5: heard at 12 and 31, so the checks at 15 and 35 reset the count; the
      // checks at 40, 45, 50 and 55 find nothing: dead at 55, 24 after the last (20 to 25).
      at(ts, 12, () => (hb.heard = true));
      at(ts, 14, () => heard.push(hb.heard));
      at(ts, 16, () => heard.push(hb.heard));
      at(ts, 31, () => (hb.heard = true));
      at(ts, 90, () => hb.stop());
    });
    expect(heard).toEqual([true, false]);
    expect(log).toEqual(['55 dead']);
  });

  it('is not exact to the ms: what is heard just after a check waits for the next one, so the drop comes up to timeout / 4 later', () => {
    // Checks every 10. Heard at 10.5 (just after the check at 10): seen at 20, dead at 60 =
    // 49.5 after it. Heard at 19.5 (just before the check at 20): dead at 60 too, 40.5 after it.
    const late = drive({ interval: 1000, timeout: 40 }, (hb, ts) => {
      at(ts, 10.5, () => (hb.heard = true));
      at(ts, 100, () => hb.stop());
    });
    const early = drive({ interval: 1000, timeout: 40 }, (hb, ts) => {
      at(ts, 19.5, () => (hb.heard = true));
      at(ts, 100, () => hb.stop());
    });
    expect(late.log).toEqual(['60 dead']);
    expect(early.log).toEqual(['60 dead']);
  });

  it('property: dead() comes once, at the first check with four silent ones in a row: in [timeout, 1.25 × timeout) after the last thing heard', () => {
    fc.assert(
      fc.property(
        // timeout a multiple of 4, so that every check is on a whole frame; what is heard is
        // on half frames, so it never shares a frame with a check.
        fc.integer({ min: 1, max: 50 }).map((n) => n * 4),
        fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }).map((frames) => frames.map((f) => f + 0.5)),
        (timeout, heardAt) => {
          const quarter = timeout / 4;
          const deaths: number[] = [];
          run((_, ts) => {
            const hb = new Heartbeat(
              { interval: 1e9, timeout, message: 'ping' },
              ts,
              () => undefined,
              () => {
                deaths.push(ts.now());
                hb.stop();
              },
            );
            for (const frame of heardAt) at(ts, frame, () => (hb.heard = true));
          });
          // The expected drop, from the rule: walk the checks.
          let expected = -1;
          let silent = 0;
          for (let check = quarter; expected < 0; check += quarter) {
            const heard = heardAt.some((f) => f > check - quarter && f < check);
            silent = heard ? 0 : silent + 1;
            if (silent === 4) expected = check;
          }
          expect(deaths).toEqual([expected]);
          const last = Math.max(-Infinity, ...heardAt.filter((f) => f < expected));
          if (last === -Infinity) expect(expected).toBe(timeout);
          else {
            expect(expected - last).toBeGreaterThanOrEqual(timeout);
            expect(expected - last).toBeLessThan(1.25 * timeout);
          }
        },
      ),
      { numRuns: 300 },
    );
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

  it('its clock starts when it is made: pings interval after it, dead timeout after it (checks at 13.25, 19.5, 25.75, 32)', () => {
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

describe('heartbeat(options) and resolveHeartbeat', () => {
  it("heartbeat(options) makes the feature for options.heartbeat: kind 'heartbeat', its policy resolved with the defaults", () => {
    const feature = heartbeat({ interval: 15_000 });
    expect(feature.kind).toBe('heartbeat');
    expect(typeof feature.attach).toBe('function');
    expect(feature.policy).toEqual({ interval: 15_000, message: 'ping', timeout: 30_000 });
    const message = (): string => 'hi';
    expect(heartbeat({ interval: 10, message, timeout: Infinity }).policy).toEqual(
      resolveHeartbeat({ interval: 10, message, timeout: Infinity }),
    );
  });

  it('undefined and false are not options: off is leaving options.heartbeat out (or false there), not heartbeat(false)', () => {
    for (const value of [undefined, false]) {
      expect(() => resolveHeartbeat(value)).toThrow(expect.objectContaining({ code: 'ERR_WS_INVALID_ARGUMENT' }));
      expect(() => heartbeat(value as never)).toThrow(expect.objectContaining({ code: 'ERR_WS_INVALID_ARGUMENT' }));
    }
  });

  it("defaults: message 'ping', timeout 2 × interval", () => {
    expect(resolveHeartbeat({ interval: 15_000 })).toEqual({ interval: 15_000, message: 'ping', timeout: 30_000 });
  });

  it('keeps what is given: a function message (the same function), a binary message, timeout Infinity, a fractional interval', () => {
    const message = (): string => 'hi';
    expect(resolveHeartbeat({ interval: 10, message, timeout: Infinity })).toEqual({
      interval: 10,
      message,
      timeout: Infinity,
    });
    expect(resolveHeartbeat({ interval: 10, message }).message).toBe(message);
    const bytes = new Uint8Array([1, 2]);
    expect(resolveHeartbeat({ interval: 0.5, message: bytes, timeout: 3 })).toEqual({
      interval: 0.5,
      message: bytes,
      timeout: 3,
    });
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
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: Infinity }) });
      server.script('-o');
      at(ts, 45, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('11ms p 9ms p 9ms p 9ms p', { p: 'ping' });
    });
    expect(FakeWebSocket.last.sent).toEqual(['ping', 'ping', 'ping', 'ping']);
  });

  it('the rule: a ping goes out once nothing was sent for interval ms; each send (a ping too) starts that count again', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: Infinity }) });
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
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: Infinity }) });
      server.script('-o--- 5ms m 9ms m', { m: 'news' });
      at(ts, 25, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('11ms p 9ms p', { p: 'ping' });
    });
  });

  it('message as a function is called for each ping, and what it returns is sent', () => {
    let calls = 0;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        heartbeat: heartbeat({ interval: 10, timeout: Infinity, message: () => `ping ${++calls}` }),
      });
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
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: Infinity, message: bytes }) });
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
        heartbeat: heartbeat({
          interval: 10,
          timeout: Infinity,
          message: () => {
            calls++;
            if (calls === 1) throw boom;
            return 'ping';
          },
        }),
      });
      ws.error$.subscribe((e) => errors.push(e));
      server.script('-o');
      at(ts, 25, () => ws.close());
      helpers.expectObservable(ws.state$).toBe('co 23ms (gd|)', STATES);
      helpers.expectObservable(server.sent$).toBe('21ms p', { p: 'ping' });
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_WS_INVALID_ARGUMENT', cause: boom })]);
  });

  it('a message function that returns what send() refuses (an object): ERR_WS_INVALID_ARGUMENT on error$, nothing sent, the socket stays open', () => {
    const errors: unknown[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        heartbeat: heartbeat({ interval: 10, timeout: Infinity, message: () => ({ op: 'ping' }) as never }),
      });
      ws.error$.subscribe((e) => errors.push(e));
      server.script('-o');
      at(ts, 25, () => ws.close());
      helpers.expectObservable(ws.state$).toBe('co 23ms (gd|)', STATES);
      helpers.expectObservable(server.sent$).toBe('');
    });
    // One per ping due (at 11 and 21), each with send()'s own refusal as the cause.
    const refusal = objectContaining({
      code: 'ERR_WS_INVALID_ARGUMENT',
      cause: objectContaining({ code: 'ERR_WS_INVALID_ARGUMENT' }),
    });
    expect(errors).toEqual([refusal, refusal]);
    expect(FakeWebSocket.last.sent).toEqual([]);
  });

  it('a peer that answers each ping keeps the connection: never dropped', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: 15 }) });
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
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: Infinity }) });
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
        heartbeat: heartbeat({ interval: 10, timeout: Infinity }),
        reconnect: reconnect({ initialDelay: 30, jitter: 0 }),
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

  it('no ping while the native socket is closing (the close handshake has begun, its close event not yet come)', () => {
    /** A native whose handshake the test begins: readyState CLOSING, and no close event yet. */
    class Handshaking extends FakeWebSocket {
      closing = false;
      override get readyState(): number {
        return this.closing ? FakeWebSocket.CLOSING : super.readyState;
      }
    }
    const errors: unknown[] = [];
    run((_, ts) => {
      const ws = new RxWebSocket<string, SendData>('ws://test/', {
        WebSocketCtor: Handshaking,
        heartbeat: heartbeat({ interval: 10, timeout: Infinity }),
      });
      ws.error$.subscribe((e) => errors.push(e));
      at(ts, 1, () => FakeWebSocket.last.open());
      at(ts, 15, () => (instanceOf(FakeWebSocket.last, Handshaking).closing = true));
      at(ts, 40, () => ws.close());
    });
    const native = FakeWebSocket.last;
    // The ping at 11 went out; those due at 21 and 31 were neither sent nor handed to the closing native.
    expect([native.sent, native.discarded]).toEqual([['ping'], []]);
    expect(errors).toEqual([]);
  });
});

// Where a ping falls in the frame of the drop, the socket runs on the TestScheduler itself
// (options.scheduler): see the last test of this file for the same on the default scheduler.
describe('heartbeat on RxWebSocket: a silent connection is dropped', () => {
  it('nothing received for timeout: dropped at that very frame, 4900 unclean on close$, ERR_WS_TIMEOUT on error$, and reconnection applies', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        heartbeat: heartbeat({ interval: 10, timeout: 30 }),
        reconnect: reconnect({ initialDelay: 10, jitter: 0 }),
        scheduler: ts,
      });
      // Opens 1, checks at 8.5, 16, 23.5 and 31, all silent: dropped at 31; the new socket is made at 41, opens at 42, and is closed at 50.
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
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: 30 }), scheduler: ts });
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

  it('the error says how long nothing came', () => {
    const errors: unknown[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: 30 }), scheduler: ts });
      ws.error$.subscribe((e) => errors.push(e));
      server.script('-o');
    });
    expect(errors).toEqual([
      expect.objectContaining({
        name: 'WebSocketError',
        code: 'ERR_WS_TIMEOUT',
        message: expect.stringMatching(/\b30 ms\b/) as unknown,
      }),
    ]);
  });

  it('without reconnect the drop is final: the subject face errors with a CloseError 4900', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: 40 }), scheduler: ts });
      // Checks every 10 from the open at 1: the one at 11 sees the message of 3, those at 21,
      // 31, 41 and 51 see nothing: dropped at 51, 48 after the message.
      server.script('-o-a', { a: 'hello' });
      helpers
        .expectObservable(ws)
        .toBe(
          '---a 47ms #',
          { a: 'hello' },
          expect.objectContaining({ name: 'CloseError', closeCode: 4900, wasClean: false }),
        );
      helpers.expectObservable(ws.state$).toBe('co 49ms (d|)', STATES);
    });
  });

  it('every message received puts the drop off: it comes at the fourth silent check after the last one', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 100, timeout: 40 }) });
      server.script('-o 8ms a 9ms b 14ms c', { a: 'A', b: 'B', c: 'C' });
      // Checks every 10 from the open at 1. Messages at 10, 20 and 35: the checks at 11, 21
      // and 41 see them, 31 does not; 51, 61, 71 and 81 see nothing: dropped at 81, not 41.
      helpers.expectObservable(closes(ws)).toBe('81ms (a|)', { a: '4900 unclean' });
    });
  });

  it.each([
    [40, 1],
    [30, 1],
    [40, 7],
    [100, 3],
    [6, 2],
  ])(
    'with nothing received, timeout %i: dropped exactly timeout after the open (at %i), whatever is sent',
    (timeout, openAt) => {
      run((helpers, ts) => {
        const server = marbleServer(helpers);
        const ws = socket(server, { heartbeat: heartbeat({ interval: 1000, timeout }) });
        server.script(`${openAt}ms o`);
        // The client's own sends are no sign of life from the peer.
        for (let frame = openAt + 0.5; frame < openAt + timeout; frame += 2) at(ts, frame, () => ws.send('still here'));
        helpers.expectObservable(closes(ws)).toBe(`${openAt + timeout}ms (a|)`, { a: '4900 unclean' });
        helpers.expectObservable(ws.state$).toBe(`c ${openAt - 1}ms o ${timeout - 1}ms (d|)`, STATES);
      });
    },
  );

  // Open at 1, timeout 40: checks at 11, 21, 31... The check after the last message starts
  // the count; four silent checks later it is dropped: [timeout, 1.25 × timeout) after it.
  it.each([
    [2, 51],
    [10, 51],
    // A message in the frame of a check (it comes first in the frame) counts for that check:
    // the drop is exactly timeout after it, the lower bound.
    [11, 51],
    [12, 61],
    [20, 61],
    [35, 81],
  ])(
    'the drop comes within [timeout, 1.25 × timeout) after the last message: last at %i, dropped at %i',
    (lastAt, droppedAt) => {
      const timeout = 40;
      expect(droppedAt - lastAt).toBeGreaterThanOrEqual(timeout);
      expect(droppedAt - lastAt).toBeLessThan(1.25 * timeout);
      run((helpers) => {
        const server = marbleServer(helpers);
        const ws = socket(server, { heartbeat: heartbeat({ interval: 1000, timeout }) });
        server.script(`-o${'-'.repeat(lastAt - 2)}a`, { a: 'last words' });
        helpers
          .expectObservable(ws.message$.pipe(map((e) => e.data)))
          .toBe(`${lastAt}ms a ${droppedAt - lastAt - 1}ms |`, { a: 'last words' });
        helpers.expectObservable(closes(ws)).toBe(`${droppedAt}ms (a|)`, { a: '4900 unclean' });
      });
    },
  );

  it('timeout defaults to twice the interval', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const feature = heartbeat({ interval: 10 });
      expect(feature.policy.timeout).toBe(20);
      const ws = socket(server, { heartbeat: feature, scheduler: ts });
      server.script('-o');
      helpers.expectObservable(closes(ws)).toBe('21ms (a|)', { a: '4900 unclean' });
    });
  });

  it('timeout: Infinity never drops, however long nothing comes', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: Infinity }) });
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
        heartbeat: heartbeat({ interval: 10, timeout: 30 }),
        reconnect: reconnect({ initialDelay: 10, jitter: 0 }),
        scheduler: ts,
      });
      // Dropped at 31, after the ping due in that same frame; the new socket, made at 41,
      // opens at 42 and hears from the server at 50 and 60, so it is not dropped itself;
      // closed at 70.
      server.script('-o 40ms o 7ms a 9ms a', { a: 'alive' });
      at(ts, 70, () => ws.close());
      at(ts, 1000, () => {
        left = ts.actions.length;
      });
      helpers.expectObservable(server.sent$).toBe('11ms p 9ms p 9ms p 20ms p 9ms p', { p: 'ping' });
    });
    expect(FakeWebSocket.instances.map((s) => s.sent)).toEqual([
      ['ping', 'ping', 'ping'],
      ['ping', 'ping'],
    ]);
    expect(left).toBe(0);
    expect(ts.actions).toHaveLength(0);
  });

  it('close() stops the heartbeat: no ping after it and no timer left', () => {
    let left = -1;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: 30 }), scheduler: ts });
      server.script('-o');
      at(ts, 15, () => ws.close());
      at(ts, 500, () => {
        left = ts.actions.length;
      });
      helpers.expectObservable(server.sent$).toBe('11ms p', { p: 'ping' });
    });
    expect(left).toBe(0);
  });

  it('on the default asyncScheduler under TestScheduler.run (no options.scheduler): a drop in the frame of a ping (the default timeout, 2 × interval)', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10 }) });
      server.script('-o');
      // Pings at 11 and (maybe) 21; the fourth silent check, at 21, drops the connection.
      helpers.expectObservable(closes(ws)).toBe('21ms (a|)', { a: '4900 unclean' });
      helpers.expectObservable(errorKinds(ws)).toBe('21ms (t|)', { t: 'ERR_WS_TIMEOUT' });
      helpers.expectObservable(ws.state$).toBe('co 19ms (d|)', STATES);
    });
    expect(FakeWebSocket.last.sent.slice(0, 1)).toEqual(['ping']);
  });
});
