import { config, filter, map, type Observable, type Subscription, takeUntil } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isWebSocketError } from '../src/errors.js';
import type { SocketOptions } from '../src/options.js';
import {
  CLOSE_CONNECT_TIMEOUT,
  connectTimeout,
  heartbeat,
  reconnect,
  type ReconnectOptions,
} from '../src/resilience.js';
import { FakeWebSocket, marbleServer } from '../src/testing/index.js';
import type { SendData, WsCloseEvent, WsEvent } from '../src/types.js';
import { RxWebSocket, WebSocket } from '../src/websocket.js';
import { at, run, socket } from './helpers/virtual-time.js';
import { textOf } from './helpers/text.js';
import { objectContaining } from './helpers/matchers.js';

// Every test runs in virtual time: one marble frame is 1 ms. The sockets are the marble
// server's FakeWebSockets; `script` drives the newest socket at each frame, so one script
// follows the client across reconnects.

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  config.onUnhandledError = null;
  vi.restoreAllMocks();
});

type Options = SocketOptions<string>;

/** Reconnection with exact delays. */
const exact = (overrides: ReconnectOptions = {}): Options['reconnect'] =>
  reconnect({
    jitter: 0,
    initialDelay: 100,
    factor: 2,
    maxDelay: 30_000,
    resetAfter: 1000,
    ...overrides,
  });

const closeCodes = (ws: RxWebSocket<string>): Observable<number> => ws.close$.pipe(map((e) => e.code));
const closes = (ws: RxWebSocket<string>): Observable<string> =>
  ws.close$.pipe(map((e) => `${e.code} ${e.wasClean ? 'clean' : 'unclean'}`));
const errorKinds = (ws: RxWebSocket<string>): Observable<string> =>
  ws.error$.pipe(map((e) => (isWebSocketError(e) ? e.code : e.type)));
/** 'c' each time a native socket is made (the state goes to 'connecting'). */
const connects = (ws: RxWebSocket<string>): Observable<string> =>
  ws.state$.pipe(
    filter((s) => s === 'connecting'),
    map(() => 'c'),
  );
const socketIndex = (event: WsEvent): number =>
  FakeWebSocket.instances.indexOf((event as { target?: unknown }).target as FakeWebSocket);

const STATES = { c: 'connecting', o: 'open', r: 'reconnecting', g: 'closing', d: 'closed' };
const closeError = (closeCode: number, wasClean = false) =>
  objectContaining({ name: 'CloseError', code: 'ERR_WS_CLOSED', closeCode, wasClean });

// The marble example of docs/resilience.md (spec/docs-code.spec.ts runs it as it is shown), with the
// package's sources imported.
describe('docs/resilience.md: resilience in virtual time', () => {
  it('a dropped connection comes back 100 ms later, and what was sent meanwhile goes out once, in order', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run((helpers) => {
      const server = marbleServer(helpers);
      const ws = WebSocket('ws://test/', {
        WebSocketCtor: server.WebSocketCtor,
        reconnect: reconnect({ initialDelay: 100, jitter: 0 }),
      });
      // Opens at 1, drops at 5; the new socket, made 100 ms later (105), opens at 106.
      server.script('-o---# 100ms o');
      helpers.cold('50ms x').subscribe(() => ws.send('during the wait'));
      helpers.expectObservable(ws.state$).toBe('co---r 99ms co', { c: 'connecting', o: 'open', r: 'reconnecting' });
      helpers.expectObservable(ws.close$.pipe(map((e) => e.code))).toBe('-----x', { x: 1006 });
      helpers.expectObservable(server.sent$).toBe('106ms m', { m: 'during the wait' });
    });
  });
});

describe('backoff: the n-th reconnect comes min(maxDelay, initialDelay × factor^(n−1)) after the close (jitter 0)', () => {
  it('sockets failing at once: new sockets 100, 200, 400, 500 (capped), 500 after each close; then attempts (5) are used up', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ maxDelay: 500, attempts: 5 }) });
      // Each socket fails one frame after it is made: closes at 1, 102, 303, 704, 1205, 1706.
      server.script('-# 100ms # 200ms # 400ms # 500ms # 500ms #');
      // Sockets made at 0, then 101, 302, 703, 1204, 1705: 100, 200, 400, 500, 500 after each close.
      helpers.expectObservable(connects(ws)).toBe('c 100ms c 200ms c 400ms c 500ms c 500ms c|');
      helpers.expectObservable(closeCodes(ws)).toBe('-x 100ms x 200ms x 400ms x 500ms x 500ms (x|)', { x: 1006 });
      helpers.expectObservable(ws).toBe('1706ms #', undefined, closeError(1006));
    });
    expect(FakeWebSocket.instances).toHaveLength(6);
  });

  it('the delay counts from the close, not from when the socket was made or opened', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact() });
      // Socket 0 opens at 10 and fails at 40: socket 1 at 140. It opens at 150 and fails at
      // 170: socket 2 at 170 + 200 = 370.
      server.script('10ms o 29ms # 109ms o 19ms #');
      helpers.expectObservable(connects(ws)).toBe('c 139ms c 229ms c');
      helpers.expectObservable(ws.state$).toBe('c 9ms o 29ms r 99ms c 9ms o 19ms r 199ms c', STATES);
    });
  });

  it('the final close after the attempts is clean when the last close was: the subject face completes', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ attempts: 1 }) });
      // 1012 (service restart) is clean and reconnects by default; the second one is final.
      server.script('-o-x 100ms o-x', { x: { close: 1012 } });
      helpers.expectObservable(closes(ws)).toBe('---a 102ms (a|)', { a: '1012 clean' });
      helpers.expectObservable(ws).toBe('---- 102ms |');
      helpers.expectObservable(ws.state$).toBe('co-r 99ms co-(d|)', STATES);
    });
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('attempts: 0 makes the first close final', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ attempts: 0 }) });
      server.script('-o-#');
      helpers.expectObservable(ws.state$).toBe('co-(d|)', STATES);
      helpers.expectObservable(ws).toBe('---#', undefined, closeError(1006));
    });
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('the count restarts after a connection stayed open resetAfter ms: the next delay is initialDelay, and attempts count anew', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ attempts: 2, resetAfter: 50 }) });
      // Made 0, fails 1 (delay 100); made 101, fails 102 (delay 200: both attempts used); made
      // 302, opens 303, fails 353 after exactly 50 open: the count restarts, delay 100; made
      // 453, fails 454 (delay 200); made 654, fails 655: both attempts of the new count used.
      server.script('-# 100ms # 200ms o 49ms # 100ms # 200ms #');
      helpers.expectObservable(connects(ws)).toBe('c 100ms c 200ms c 150ms c 200ms c|');
    });
    expect(FakeWebSocket.instances).toHaveLength(5);
  });

  it('the count does NOT restart when the connection closed before resetAfter: the delays keep growing, attempts run out', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ attempts: 3, resetAfter: 50 }) });
      // As above, but open only 49 frames (303 to 352): the third reconnect waits 400, not 100,
      // and the third attempt is the last.
      server.script('-# 100ms # 200ms o 48ms # 400ms #');
      helpers.expectObservable(connects(ws)).toBe('c 100ms c 200ms c 449ms c|');
      helpers.expectObservable(ws).toBe('753ms #', undefined, closeError(1006));
    });
    expect(FakeWebSocket.instances).toHaveLength(4);
  });

  it('reconnect() takes the defaults: 1000 ms, then 2000 ms (Math.random stubbed to 0, so no jitter)', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: reconnect() });
      server.script('-# 1000ms # 2000ms o');
      helpers.expectObservable(connects(ws)).toBe('c 1000ms c 2000ms c');
    });
  });
});

describe('one feature object, many sockets', () => {
  it('a reconnect() given to two sockets keeps a count and a timer for each: one socket’s attempts are not the other’s', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const shared = exact({ initialDelay: 10, attempts: 1 });
      const a = socket(server, { reconnect: shared });
      const b = socket(server, { reconnect: shared });
      // a is socket 0, fails 1, comes back as socket 2 at 11 and fails 12: its one attempt is
      // used up. b is socket 1, fails 5: it still has its own attempt, comes back as socket 3
      // at 15 and fails 16.
      server.script('-#', undefined, { socket: 0 });
      server.script('-----#', undefined, { socket: 1 });
      server.script('12ms #', undefined, { socket: 2 });
      server.script('16ms #', undefined, { socket: 3 });
      helpers.expectObservable(a.state$).toBe('cr 9ms c(d|)', STATES);
      helpers.expectObservable(b.state$).toBe('c----r 9ms c(d|)', STATES);
    });
    expect(FakeWebSocket.instances).toHaveLength(4);
  });
});

describe('jitter: each delay is base × (1 − jitter × Math.random())', () => {
  it('Math.random 0: the full base delay, 100 then 200', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ jitter: 0.5 }) });
      server.script('-# 100ms # 200ms o');
      helpers.expectObservable(connects(ws)).toBe('c 100ms c 200ms c');
    });
  });

  it('Math.random 0.5: three quarters of the base, 75 then 150', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ jitter: 0.5 }) });
      server.script('-# 75ms # 150ms o');
      helpers.expectObservable(connects(ws)).toBe('c 75ms c 150ms c');
    });
  });

  it('Math.random 0.999999: about half the base, and never below it', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    const made: number[] = [];
    const closed: number[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ jitter: 0.5 }) });
      connects(ws).subscribe(() => made.push(ts.now()));
      ws.close$.subscribe(() => closed.push(ts.now()));
      // Fails at 1; the next socket comes about 50 later (not on a whole frame) and fails at 53.
      server.script('-# 51ms #');
      at(ts, 1000, () => ws.close());
    });
    expect(made).toHaveLength(3);
    expect(closed.slice(0, 2)).toEqual([1, 53]);
    const delays = [made[1]! - closed[0]!, made[2]! - closed[1]!];
    expect(delays[0]).toBeCloseTo(50, 3);
    expect(delays[0]).toBeGreaterThan(50);
    expect(delays[1]).toBeCloseTo(100, 3);
    expect(delays[1]).toBeGreaterThan(100);
  });
});

describe('state$, readyState and send() across reconnects', () => {
  it('state$ goes open → reconnecting → connecting → open; readyState is CONNECTING all through the wait', () => {
    const seen: [number, string, number][] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 10 }) });
      server.script('-o--# 10ms o');
      helpers.expectObservable(ws.state$).toBe('co--r 9ms co', STATES);
      // Probes between frames, so that they never race an event of the same frame.
      for (const frame of [0.5, 1.5, 4.5, 9, 13.5, 14.5, 15.5])
        at(ts, frame, () => seen.push([frame, ws.state, ws.readyState]));
    });
    expect(seen).toEqual([
      [0.5, 'connecting', RxWebSocket.CONNECTING],
      [1.5, 'open', RxWebSocket.OPEN],
      [4.5, 'reconnecting', RxWebSocket.CONNECTING],
      [9, 'reconnecting', RxWebSocket.CONNECTING],
      [13.5, 'reconnecting', RxWebSocket.CONNECTING],
      [14.5, 'connecting', RxWebSocket.CONNECTING],
      [15.5, 'open', RxWebSocket.OPEN],
    ]);
  });

  it('send() while reconnecting queues and returns false; the queue goes out in order right after the new socket’s open handlers', () => {
    const results: [number, boolean, number][] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 10 }) });
      ws.bind('open', () => ws.send(`hello ${FakeWebSocket.instances.length - 1}`));
      server.script('-o--# 10ms o');
      // Closed at 4; the new socket is made at 14 and opens at 15.
      for (const [frame, data] of [
        [2, 'a'],
        [6, 'b'],
        [10, 'c'],
        [13.5, 'd'],
        [25, 'e'],
      ] as const) {
        at(ts, frame, () => results.push([frame, ws.send(data), ws.queued]));
      }
      helpers
        .expectObservable(server.sent$)
        .toBe('-ha 12ms (Hbcd) 4ms e', { h: 'hello 0', a: 'a', H: 'hello 1', b: 'b', c: 'c', d: 'd', e: 'e' });
    });
    expect(results).toEqual([
      [2, true, 0],
      [6, false, 1],
      [10, false, 2],
      [13.5, false, 3],
      [25, true, 0],
    ]);
    const [first, second] = FakeWebSocket.instances as [FakeWebSocket, FakeWebSocket];
    expect(first.sent).toEqual(['hello 0', 'a']);
    expect(second.sent).toEqual(['hello 1', 'b', 'c', 'd', 'e']);
    expect([first.discarded, second.discarded]).toEqual([[], []]);
  });

  it('across five reconnects (failures, a server restart, a connection lost while connecting), nothing is sent twice, nothing queued is lost, order is kept', () => {
    const returned: [string, string, boolean][] = [];
    let ws!: RxWebSocket<string>;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      ws = socket(server, { reconnect: exact({ initialDelay: 10, factor: 1 }) });
      // 0 made, opens 2, fails 20 | 30 made, fails while connecting 32 | 42 made, opens 45,
      // restarts (1012) 60 | 70 made, opens 75, fails 80 | 90 made, fails 91 | 101 made,
      // opens 104, goes away (1001) 120 | 130 made, opens 133.
      server.script('--o 17ms # 11ms # 12ms o 14ms r 14ms o----# 10ms # 12ms o 15ms g 12ms o', {
        r: { close: 1012 },
        g: { close: 1001 },
      });
      for (let frame = 1, n = 0; frame < 150; frame += 3, n++) {
        const data = `m${n}`;
        at(ts, frame, () => returned.push([data, ws.state, ws.send(data)]));
      }
      at(ts, 150, () => ws.close());
    });
    const all = returned.map(([data]) => data);
    expect(all).toHaveLength(50);
    expect(FakeWebSocket.instances).toHaveLength(7);
    // Each message went out once, on one socket, in the order of the send() calls.
    const sent = FakeWebSocket.instances.flatMap((s) => s.sent);
    expect(sent).toEqual(all);
    expect(FakeWebSocket.instances.map((s) => s.discarded)).toEqual([[], [], [], [], [], [], []]);
    expect(ws.queued).toBe(0);
    // send() returned true exactly when the socket was open, else it queued.
    for (const [data, state, result] of returned) expect([data, result]).toEqual([data, state === 'open']);
    expect(returned.filter(([, , r]) => !r).length).toBeGreaterThan(15);
    // The sockets that never opened sent nothing.
    expect([1, 4].map((i) => FakeWebSocket.instances[i]!.sent)).toEqual([[], []]);
  });

  it('the queue keeps its bound while reconnecting: the send past maxQueue throws ERR_WS_QUEUE_FULL and queues nothing', () => {
    const outcomes: string[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 10 }), maxQueue: 2 });
      server.script('-o# 10ms o');
      at(ts, 5, () => {
        for (const data of ['a', 'b', 'c']) {
          try {
            outcomes.push(`${data} ${ws.send(data)}`);
          } catch (error) {
            outcomes.push(`${data} ${isWebSocketError(error) ? error.code : String(error)}`);
          }
        }
        outcomes.push(`queued ${ws.queued}`);
      });
    });
    expect(outcomes).toEqual(['a false', 'b false', 'c ERR_WS_QUEUE_FULL', 'queued 2']);
    expect(FakeWebSocket.instances[1]!.sent).toEqual(['a', 'b']);
  });

  it('at the final close, what is still queued stays in drainQueue(), in order: nothing is lost', () => {
    let drained: SendData[] = [];
    let state = '';
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ attempts: 1, initialDelay: 10 }) });
      // Fails at 2; the new socket, made at 12, fails at 13: attempts used up.
      server.script('-o# 10ms #');
      at(ts, 3, () => ws.send('x'));
      at(ts, 12.5, () => ws.send('y'));
      at(ts, 30, () => {
        state = ws.state;
        drained = ws.drainQueue();
      });
    });
    expect(state).toBe('closed');
    expect(drained).toEqual(['x', 'y']);
    expect(FakeWebSocket.instances.flatMap((s) => [...s.sent, ...s.discarded])).toEqual([]);
  });

  it('binaryType set on the object carries over to every socket made by a reconnect', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 10 }) });
      at(ts, 2, () => {
        ws.binaryType = 'arraybuffer';
      });
      server.script('-o-# 10ms o');
    });
    expect(FakeWebSocket.instances.map((s) => s.binaryType)).toEqual(['arraybuffer', 'arraybuffer']);
  });
});

describe('events across reconnects', () => {
  it('open$, message$, error$ and close$ and the bound handlers fire for every native socket, and complete only at the final close', () => {
    const log: string[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 5 }) });
      ws.bind('open', (e) => log.push(`${ts.now()} open ${socketIndex(e)}`))
        .bind('message', (e) => log.push(`${ts.now()} message ${textOf(e.data)}`))
        .bind('error', (e) => log.push(`${ts.now()} error ${'type' in e ? e.type : ''}`))
        .bind('close', (e) => log.push(`${ts.now()} close ${e.code}`));
      // Socket 0: opens 1, message 3, fails 5. Socket 1: made 10, opens 11, message 13, clean 1000 at 15: final.
      server.script('-o-a-# 5ms o-b-|');
      helpers.expectObservable(ws.open$.pipe(map(socketIndex))).toBe('-x 9ms y---|', { x: 0, y: 1 });
      helpers.expectObservable(ws.message$.pipe(map((e) => e.data))).toBe('---a 9ms b-|');
      helpers.expectObservable(errorKinds(ws)).toBe('-----e 9ms |', { e: 'error' });
      helpers.expectObservable(closeCodes(ws)).toBe('-----x 9ms (y|)', { x: 1006, y: 1000 });
      helpers.expectObservable(ws.state$).toBe('co---r----co---(d|)', STATES);
      helpers.expectObservable(ws).toBe('---a 9ms b-|');
    });
    expect(log).toEqual([
      '1 open 0',
      '3 message a',
      '5 error error',
      '5 close 1006',
      '11 open 1',
      '13 message b',
      '15 close 1000',
    ]);
  });

  it('the subject face neither completes nor errors at a reconnect: a pipeline on it stays subscribed until the final close', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 5, factor: 1 }) });
      const stop = helpers.hot('-');
      server.script('-o-# 5ms o-x 5ms o-|', { x: { close: 1013 } });
      // Closes at 3 (1006) and 11 (1013) reconnect; the clean 1000 at 19 is final.
      helpers.expectObservable(ws.pipe(takeUntil(stop))).toBe('19ms |');
      helpers.expectSubscriptions(stop.subscriptions).toBe('^ 18ms !');
    });
  });

  it('a WebSocket constructor that throws on a reconnect: error$ gets the error, close$ a 1006, and the next attempt follows', () => {
    let made = 0;
    run((helpers) => {
      const server = marbleServer(helpers);
      const Base = server.WebSocketCtor;
      class Flaky extends Base {
        constructor(url: string | URL, protocols?: string | string[]) {
          made++;
          if (made === 2) throw new TypeError('no more file descriptors');
          super(url, protocols);
        }
      }
      const ws = new RxWebSocket<string, SendData>('ws://test/', {
        WebSocketCtor: Flaky,
        reconnect: exact({ initialDelay: 10 }),
      });
      server.script('-o# 30ms o');
      helpers.expectObservable(closes(ws)).toBe('--a 9ms b', { a: '1006 unclean', b: '1006 unclean' });
      helpers.expectObservable(errorKinds(ws)).toBe('--e 9ms t', { e: 'error', t: 'ERR_WS_INVALID_ARGUMENT' });
      // 2: fail, wait 100 -> 12: the constructor throws, wait 200 -> 32: a socket, open.
      helpers.expectObservable(ws.state$).toBe('cor 9ms (cr) 16ms co', STATES);
    });
    expect(made).toBe(3);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });
});

describe('the final close', () => {
  it('close() while open: no reconnect, close$ gets the 1000, the subject face completes', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact() });
      server.script('-o');
      at(ts, 5, () => ws.close());
      helpers.expectObservable(ws.state$).toBe('co---(gd|)', STATES);
      helpers.expectObservable(closeCodes(ws)).toBe('-----(x|)', { x: 1000 });
      helpers.expectObservable(ws).toBe('-----|');
    });
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('close() during the wait: the timer is cancelled and no socket is made; close$ completes without another event; the subject face completes', () => {
    let ws!: RxWebSocket<string>;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      ws = socket(server, { reconnect: exact() });
      server.script('-o-#');
      at(ts, 50, () => ws.close());
      helpers.expectObservable(ws.state$).toBe('co-r 46ms (d|)', STATES);
      helpers.expectObservable(closeCodes(ws)).toBe('---x 46ms |', { x: 1006 });
      helpers.expectObservable(ws).toBe('50ms |');
    });
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(ws.readyState).toBe(RxWebSocket.CLOSED);
  });

  it('close() while a reconnect attempt is connecting: that attempt is dropped, no other follows, the subject face completes', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 10 }) });
      server.script('-o#');
      at(ts, 15, () => ws.close());
      helpers.expectObservable(ws.state$).toBe('cor 9ms c-- (gd|)', STATES);
      // The DOM fails a connection closed while connecting: 1006; no error event is passed on for it.
      helpers.expectObservable(closeCodes(ws)).toBe('--x 12ms (y|)', { x: 1006, y: 1006 });
      helpers.expectObservable(errorKinds(ws)).toBe('--e 12ms |', { e: 'error' });
      helpers.expectObservable(ws).toBe('15ms |');
    });
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('shouldReconnect refusing a clean close makes it final; it got the close event', () => {
    const asked: [number, string, boolean][] = [];
    run((helpers) => {
      const server = marbleServer(helpers);
      const shouldReconnect = (e: WsCloseEvent): boolean => {
        asked.push([e.code, e.reason, e.wasClean]);
        return e.code === 4001;
      };
      const ws = socket(server, { reconnect: exact({ initialDelay: 10, shouldReconnect }) });
      server.script('-ox 10ms oy', { x: { close: 4001, reason: 'again' }, y: { close: 4002, reason: 'enough' } });
      helpers.expectObservable(closeCodes(ws)).toBe('--x 11ms (y|)', { x: 4001, y: 4002 });
      helpers.expectObservable(ws).toBe('-- 12ms |');
    });
    expect(asked).toEqual([
      [4001, 'again', true],
      [4002, 'enough', true],
    ]);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it.each([
    [1000, false],
    [1001, true],
    [1008, false],
    [1011, true],
    [1012, true],
    [1013, true],
    [1014, true],
    [4000, false],
  ])('default shouldReconnect, clean close %i: reconnects %s', (code, reconnects) => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 10 }) });
      server.script('-ox', { x: { close: code } });
      helpers.expectObservable(ws.state$).toBe(reconnects ? 'cor 9ms c' : 'co(d|)', STATES);
    });
    expect(FakeWebSocket.instances).toHaveLength(reconnects ? 2 : 1);
  });

  it('an unclean close always reconnects while attempts remain, whatever shouldReconnect would say (it is not asked)', () => {
    const shouldReconnect = vi.fn(() => false);
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: exact({ initialDelay: 10, attempts: 2, shouldReconnect }) });
      // A failure (1006), then an unclean 4000, then attempts are used up.
      server.script('-o# 10ms ox 20ms o#', { x: { close: 4000, wasClean: false } });
      helpers.expectObservable(closes(ws)).toBe('--a 11ms b 21ms (a|)', { a: '1006 unclean', b: '4000 unclean' });
      helpers.expectObservable(ws).toBe('36ms #', undefined, closeError(1006));
    });
    expect(shouldReconnect).not.toHaveBeenCalled();
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it('a throwing shouldReconnect is reported and counts as no: the close is final and the subject face completes', () => {
    const reported: unknown[] = [];
    config.onUnhandledError = (error) => reported.push(error);
    const oops = new Error('oops');
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        reconnect: exact({
          shouldReconnect: () => {
            throw oops;
          },
        }),
      });
      server.script('-ox', { x: { close: 1012 } });
      helpers.expectObservable(ws.state$).toBe('co(d|)', STATES);
      helpers.expectObservable(ws).toBe('--|');
    });
    expect(reported).toEqual([oops]);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});

describe('connectTimeout', () => {
  it('a socket not open in time: ERR_WS_TIMEOUT on error$, a 4901 unclean close on close$, at that frame; without reconnect it is final', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { connectTimeout: connectTimeout(50) });
      helpers.expectObservable(errorKinds(ws)).toBe('50ms (t|)', { t: 'ERR_WS_TIMEOUT' });
      helpers.expectObservable(closes(ws)).toBe('50ms (c|)', { c: '4901 unclean' });
      helpers.expectObservable(ws.state$).toBe('c 49ms (d|)', STATES);
      helpers.expectObservable(ws).toBe('50ms #', undefined, closeError(CLOSE_CONNECT_TIMEOUT));
    });
    const native = FakeWebSocket.instances[0]!;
    expect(native.readyState).toBe(FakeWebSocket.CLOSED);
    expect(native.closeRequest).toEqual({ code: 4901, reason: 'connect timeout' });
    expect(CLOSE_CONNECT_TIMEOUT).toBe(4901);
  });

  it('the error names the timeout, and never the URL (which may hold credentials)', () => {
    const errors: unknown[] = [];
    run((helpers) => {
      const server = marbleServer(helpers);
      const plain = socket(server, { connectTimeout: connectTimeout(50) });
      const secret = new RxWebSocket<string, SendData>('ws://user:hunter2@test/', {
        WebSocketCtor: server.WebSocketCtor,
        connectTimeout: connectTimeout(70),
      });
      plain.error$.subscribe((e) => errors.push(e));
      secret.error$.subscribe((e) => errors.push(e));
    });
    expect(errors).toEqual([
      expect.objectContaining({
        name: 'WebSocketError',
        code: 'ERR_WS_TIMEOUT',
        message: expect.stringMatching(/\b50 ms\b/) as unknown,
      }),
      expect.objectContaining({
        name: 'WebSocketError',
        code: 'ERR_WS_TIMEOUT',
        message: expect.stringMatching(/\b70 ms\b/) as unknown,
      }),
    ]);
    for (const error of errors as Error[]) {
      expect(error.message).not.toMatch(/ws:|test\/|hunter2|@/);
      expect(error.cause).toBeUndefined();
    }
  });

  it('counts as a failed attempt: reconnection applies, with the backoff growing, until attempts run out', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, {
        connectTimeout: connectTimeout(50),
        reconnect: exact({ initialDelay: 10, attempts: 2 }),
      });
      // Made 0, given up 50; made 60, given up 110; made 130, given up 180: final.
      helpers.expectObservable(connects(ws)).toBe('c 59ms c 69ms c 49ms |');
      helpers.expectObservable(closeCodes(ws)).toBe('50ms x 59ms x 69ms (x|)', { x: 4901 });
      helpers.expectObservable(errorKinds(ws)).toBe('50ms t 59ms t 69ms (t|)', { t: 'ERR_WS_TIMEOUT' });
    });
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(FakeWebSocket.instances.map((s) => s.closeRequest?.code)).toEqual([4901, 4901, 4901]);
  });

  it('a socket that opens in time is not affected; each attempt has its own timer, from when its socket is made', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { connectTimeout: connectTimeout(50), reconnect: exact({ initialDelay: 10 }) });
      // Opens at 49 and stays; fails at 100; socket 1 at 110 opens at 159, one frame before its timeout.
      server.script('49ms o 50ms # 58ms o 40ms a');
      helpers.expectObservable(closes(ws)).toBe('100ms a', { a: '1006 unclean' });
      helpers.expectObservable(errorKinds(ws)).toBe('100ms e', { e: 'error' });
      helpers.expectObservable(ws.state$).toBe('c 48ms o 50ms r 9ms c 48ms o', STATES);
      helpers.expectObservable(ws).toBe('200ms a');
    });
    expect(FakeWebSocket.instances.map((s) => s.closeRequest)).toEqual([undefined, undefined]);
  });

  it('connectTimeout(Infinity) never times out, on real timers too (where a setTimeout of Infinity would run after 1 ms)', () => {
    vi.useFakeTimers();
    try {
      const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, connectTimeout: connectTimeout(Infinity) });
      const errors: unknown[] = [];
      ws.error$.subscribe((e) => errors.push(e));
      vi.advanceTimersByTime(60_000);
      expect([errors, ws.state]).toEqual([[], 'connecting']);
      FakeWebSocket.last.open();
      expect(ws.state).toBe('open');
      ws.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('close() while connecting cancels the timer: no timeout error follows', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { connectTimeout: connectTimeout(50) });
      at(ts, 10, () => ws.close());
      helpers.expectObservable(errorKinds(ws)).toBe('10ms |');
      helpers.expectObservable(closeCodes(ws)).toBe('10ms (x|)', { x: 1006 });
      helpers.expectObservable(ws).toBe('10ms |');
    });
  });
});

describe('cleanup: after the final close no timer, native listener or subscription is left', () => {
  interface Scenario {
    options: Options;
    script: string;
    values?: Record<string, { close: number }>;
    closeAt?: number;
    endsAt: number;
  }
  const heavy: Options = {
    connectTimeout: connectTimeout(50),
    heartbeat: heartbeat({ interval: 10, timeout: 30 }),
    reconnect: exact({ initialDelay: 10, attempts: 2 }),
  };
  const scenarios: [string, Scenario][] = [
    // Fails at 3 and 14; the socket made at 34 times out at 84: attempts used up.
    ['attempts used up (failures and a connect timeout)', { options: heavy, script: '-o-# 10ms #', endsAt: 84 }],
    ['close() during the wait', { options: heavy, script: '-o-#', closeAt: 7, endsAt: 7 }],
    ['close() while open', { options: heavy, script: '-o', closeAt: 25, endsAt: 25 }],
    ['shouldReconnect refuses', { options: heavy, script: '-o-x', values: { x: { close: 1000 } }, endsAt: 3 }],
    [
      'a connect timeout, without reconnect',
      {
        options: { connectTimeout: connectTimeout(50), heartbeat: heartbeat({ interval: 10 }) },
        script: '',
        endsAt: 50,
      },
    ],
    [
      'a heartbeat drop, without reconnect',
      { options: { heartbeat: heartbeat({ interval: 10, timeout: 30 }) }, script: '-o', endsAt: 31 },
    ],
    // Dropped at 31; the socket made at 41 opens at 42.
    [
      'a heartbeat drop, then a reconnect, then close()',
      { options: heavy, script: '-o 40ms o', closeAt: 60, endsAt: 60 },
    ],
  ];

  it.each(scenarios)('%s, on options.scheduler', (_, scenario) => {
    const subscriptions: Subscription[] = [];
    let state = '';
    let stateLater = '';
    let socketsAtEnd = -1;
    let pendingAfterEnd = -1;
    const ts = run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { ...scenario.options, scheduler: ts });
      ws.bind('open', () => undefined)
        .bind('message', () => undefined)
        .bind('error', () => undefined)
        .bind('close', () => undefined);
      subscriptions.push(ws.subscribe({ error: () => undefined }), ws.open$.subscribe(), ws.message$.subscribe());
      subscriptions.push(ws.error$.subscribe(), ws.close$.subscribe(), ws.state$.subscribe());
      subscriptions.push(
        ws
          .multiplex(
            () => 'sub',
            () => 'unsub',
            () => true,
          )
          .subscribe({ error: () => undefined }),
      );
      server.script(scenario.script, scenario.values);
      if (scenario.closeAt !== undefined) at(ts, scenario.closeAt, () => ws.close());
      at(ts, scenario.endsAt + 0.5, () => {
        state = ws.state;
        socketsAtEnd = FakeWebSocket.instances.length;
      });
      // Well after the end: whatever is scheduled then is a leak, and nothing may have moved.
      at(ts, scenario.endsAt + 1000, () => {
        pendingAfterEnd = ts.actions.length;
        stateLater = ws.state;
      });
    });
    expect([state, stateLater]).toEqual(['closed', 'closed']);
    expect(FakeWebSocket.instances).toHaveLength(socketsAtEnd);
    expect(pendingAfterEnd).toBe(0);
    expect(ts.actions).toHaveLength(0);
    for (const native of FakeWebSocket.instances) {
      expect(['open', 'message', 'error', 'close'].map((type) => native.listenerCount(type))).toEqual([0, 0, 0, 0]);
    }
    expect(subscriptions.map((s) => s.closed)).toEqual(subscriptions.map(() => true));
  });

  it('the same with the default asyncScheduler inside run mode: no timer is left', () => {
    let pendingAfterEnd = -1;
    const ts = run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, heavy);
      server.script('-o-# 10ms o');
      at(ts, 40, () => ws.close());
      at(ts, 1000, () => {
        pendingAfterEnd = ts.actions.length;
      });
      helpers.expectObservable(ws.state$).toBe('co-r 9ms co 25ms (gd|)', STATES);
    });
    expect(pendingAfterEnd).toBe(0);
    expect(ts.actions).toHaveLength(0);
  });
});
