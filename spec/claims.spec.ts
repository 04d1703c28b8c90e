/**
 * Claims of the README and docs/ that no other spec checks, one test (or table) per claim, each
 * named after the page and section it backs. A claim the other specs already check is not repeated here.
 */
import { readFileSync } from 'node:fs';
import { filter, map, Observable, Subject, Subscription, VirtualTimeScheduler, type SchedulerLike } from 'rxjs';
import { webSocket as rxjsWebSocket } from 'rxjs/webSocket';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { json } from '../src/codec.js';
import { CloseError, DecodeError, isWebSocketError } from '../src/errors.js';
import { connectTimeout, heartbeat, reconnect } from '../src/resilience.js';
import { webSocket, WebSocketSubject } from '../src/rxjs-compat.js';
import { FakeWebSocket, marbleServer } from '../src/testing/index.js';
import type { SocketOptions } from '../src/options.js';
import type { SendData } from '../src/types.js';
import { RxWebSocket, WebSocket } from '../src/websocket.js';
import { bundle } from './bench/size.mjs';
import { thrown } from './helpers/thrown.js';
import { at, run, socket } from './helpers/virtual-time.js';
import { textOf } from './helpers/text.js';
import { refusingCtor } from './helpers/refusing-ctor.js';

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A socket of text on `FakeWebSocket`, its timers on a virtual clock that `flush()` runs. */
function virtualSocket(options: SocketOptions<string> = {}) {
  const scheduler = new VirtualTimeScheduler();
  const ws = new RxWebSocket<string, SendData>('ws://test/', { WebSocketCtor: FakeWebSocket, scheduler, ...options });
  return { ws, flush: () => scheduler.flush(), timers: () => scheduler.actions.length };
}

/** How the subject face ended so far: 'live', 'completed', or the `closeCode` of its `CloseError`. */
function faceOf(ws: Observable<unknown>): () => 'live' | 'completed' | number {
  let end: 'live' | 'completed' | number = 'live';
  ws.subscribe({
    complete: () => (end = 'completed'),
    error: (error: unknown) => (end = error instanceof CloseError ? error.closeCode : -1),
  });
  return () => end;
}

// ---- Quick start ----------------------------------------------------------------------------

describe('README, First examples: "The same socket, the Rx way"', () => {
  it('queues next() until the open, then sends it as JSON; the pipe gets the prices of EURUSD; close$ the code and reason', () => {
    const ticks = WebSocket<{ symbol: string; price: number }, { subscribe: string }>('wss://example.test/ticks', {
      ...json(),
      WebSocketCtor: FakeWebSocket,
    });
    expect(ticks.next({ subscribe: 'EURUSD' })).toBe(false); // queued until open, then sent
    const prices: number[] = [];
    ticks
      .pipe(
        filter((t) => t.symbol === 'EURUSD'),
        map((t) => t.price),
      )
      .subscribe((price) => prices.push(price));
    const closed: unknown[] = [];
    ticks.close$.subscribe((e) => closed.push(['closed', e.code, e.reason]));
    const server = FakeWebSocket.last;
    expect(server.sent).toEqual([]);
    server.open();
    expect(server.sent).toEqual(['{"subscribe":"EURUSD"}']);
    server.receive('{"symbol":"EURUSD","price":1.08}');
    server.receive('{"symbol":"GBPUSD","price":1.27}');
    server.receive('{"symbol":"EURUSD","price":1.09}');
    server.serverClose(1000, 'done');
    expect(prices).toEqual([1.08, 1.09]);
    expect(closed).toEqual([['closed', 1000, 'done']]);
  });
});

// ---- API ------------------------------------------------------------------------------------

describe('docs/api.md', () => {
  it('options.deserializer "runs only while the subject face has subscribers"', () => {
    const decoded: unknown[] = [];
    const ws = WebSocket<string>('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      deserializer: (event) => {
        decoded.push(event.data);
        if (event.data === 'bad') throw new SyntaxError('not a message');
        return textOf(event.data);
      },
    });
    const errors: unknown[] = [];
    ws.error$.subscribe((error) => errors.push(error));
    const bound: unknown[] = [];
    ws.bind('message', (event) => bound.push(event.data));
    const server = FakeWebSocket.last;
    server.open();
    server.receive('a');
    server.receive('bad');
    // Nobody on the subject face: not called, so a message it would refuse reports nothing.
    expect(decoded).toEqual([]);
    expect(errors).toEqual([]);
    const values: string[] = [];
    const face = ws.subscribe((value) => values.push(value));
    server.receive('b');
    server.receive('bad');
    expect(decoded).toEqual(['b', 'bad']);
    expect(values).toEqual(['b']);
    expect(errors).toEqual([expect.any(DecodeError)]);
    face.unsubscribe();
    server.receive('c');
    expect(decoded).toEqual(['b', 'bad']);
    expect(bound).toEqual(['a', 'bad', 'b', 'bad', 'c']);
  });

  it.each([
    [
      'a clean close by the server',
      (server: FakeWebSocket) => server.serverClose(1000, 'done'),
      ['close$ 1000', 'face complete'],
    ],
    ['an unclean close', (server: FakeWebSocket) => server.fail(), ['close$ 1006', 'face error ERR_WS_CLOSED']],
  ])(
    '"After the final close, in this order": state$ closed, close$, the four streams complete, the subject face, state$ completes (%s)',
    (_name, end, [close, face]) => {
      const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
      const log: string[] = [];
      ws.state$.subscribe({
        next: (state) => log.push(`state$ ${state}`),
        complete: () => log.push('state$ complete'),
      });
      const streams = { open$: ws.open$, message$: ws.message$, error$: ws.error$, close$: ws.close$ } as Record<
        string,
        Observable<unknown>
      >;
      for (const [name, stream] of Object.entries(streams)) {
        stream.subscribe({
          next: (event) => log.push(name === 'close$' ? `close$ ${(event as { code: number }).code}` : `${name} event`),
          complete: () => log.push(`${name} complete`),
          error: () => log.push(`${name} error`),
        });
      }
      ws.subscribe({
        complete: () => log.push('face complete'),
        error: (e: unknown) => log.push(`face error ${isWebSocketError(e) ? e.code : String(e)}`),
      });
      FakeWebSocket.last.open();
      log.length = 0;
      end(FakeWebSocket.last);
      const at = log.indexOf('state$ closed');
      expect(log.slice(0, at).every((entry) => entry === 'error$ event')).toBe(true);
      expect(log.slice(at, at + 2)).toEqual(['state$ closed', close]);
      expect(log.slice(at + 2, at + 6).sort()).toEqual([
        'close$ complete',
        'error$ complete',
        'message$ complete',
        'open$ complete',
      ]);
      expect(log.slice(at + 6)).toEqual([face, 'state$ complete']);
    },
  );

  it('"events() and bindings() still list what was bound" after the final close', () => {
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    const [onOpen, onMessage, onClose] = [() => 1, () => 2, () => 3];
    ws.bind('open', onOpen).bind('message', onMessage).bind('message', onOpen).bind('close', onClose);
    FakeWebSocket.last.open();
    FakeWebSocket.last.serverClose();
    expect(ws.state).toBe('closed');
    expect(ws.events('message')).toEqual([onMessage, onOpen]);
    expect(ws.bindings()).toEqual({ open: [onOpen], error: [], message: [onMessage, onOpen], close: [onClose] });
  });

  it('send(): "with reconnection on, while the server is closing" it queues (returns false); without, it throws ERR_WS_INVALID_STATE', () => {
    FakeWebSocket.manualCloseHandshake = true;
    const plain = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    FakeWebSocket.last.open();
    // What ws does on the server's close frame: the native socket goes CLOSING, no event yet.
    FakeWebSocket.last.close();
    expect(plain.state).toBe('open');
    expect(thrown(() => plain.send('too late')).code).toBe('ERR_WS_INVALID_STATE');

    const { ws, flush } = virtualSocket({ reconnect: reconnect({ initialDelay: 10, jitter: 0 }) });
    const first = FakeWebSocket.last;
    first.open();
    first.close();
    expect([ws.state, first.readyState]).toEqual(['open', FakeWebSocket.CLOSING]);
    expect(ws.send('while closing')).toBe(false);
    expect(ws.queued).toBe(1);
    first.serverClose(1012, 'restart');
    flush();
    const second = FakeWebSocket.last;
    expect(second).not.toBe(first);
    second.open();
    expect([first.sent, first.discarded, second.sent]).toEqual([[], [], ['while closing']]);
  });
});

// ---- Resilience -------------------------------------------------------------------------------

describe('docs/resilience.md', () => {
  it('connectTimeout(Infinity) "never does" give up: it sets no timer at all (a finite one sets one per attempt)', () => {
    // Virtual schedulers drop infinite delays by themselves; a real one would fire at once
    // (Node clamps an overflowing delay to 1 ms). So this scheduler records what it is asked.
    const delays: number[] = [];
    const scheduler: SchedulerLike = {
      now: () => 0,
      schedule: (_work, delay = 0) => (delays.push(delay), new Subscription()),
    };
    const never = WebSocket('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      scheduler,
      connectTimeout: connectTimeout(Infinity),
    });
    expect(delays).toEqual([]);
    expect(never.state).toBe('connecting');
    WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, scheduler, connectTimeout: connectTimeout(50) });
    expect(delays).toEqual([50]);
  });

  it('heartbeat: "every send restarts" the ping count, "a multiplex message" included (subMsg at 5, unsubMsg at 12)', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { heartbeat: heartbeat({ interval: 10, timeout: Infinity }) });
      const topic = ws.multiplex(
        () => 'sub',
        () => 'unsub',
        () => true,
      );
      let held: Subscription | undefined;
      server.script('-o');
      at(ts, 5, () => (held = topic.subscribe()));
      at(ts, 12, () => held!.unsubscribe());
      at(ts, 35, () => ws.close());
      // Without the restarts the pings would go at 11, 21 and 31.
      helpers.expectObservable(server.sent$).toBe('5ms s 6ms u 9ms p 9ms p', { s: 'sub', u: 'unsub', p: 'ping' });
    });
  });

  it('multiplex: "a serializer that throws errors that stream only"; the socket, the subject face and the other streams carry on', () => {
    const oops = new RangeError('cannot serialize');
    const ws = WebSocket<string, { sub: string }>('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      serializer: (value) => {
        if (value.sub === 'bad') throw oops;
        return `sub ${value.sub}`;
      },
    });
    const bad: unknown[] = [];
    ws.multiplex(
      () => ({ sub: 'bad' }),
      () => ({ sub: 'none' }),
      () => true,
    ).subscribe({ error: (e: unknown) => bad.push(e) });
    const good: string[] = [];
    ws.multiplex(
      () => ({ sub: 'good' }),
      () => ({ sub: 'none' }),
      () => true,
    ).subscribe((m) => good.push(m));
    const face = faceOf(ws);
    FakeWebSocket.last.open();
    FakeWebSocket.last.receive('news');
    expect(bad).toEqual([oops]);
    expect(good).toEqual(['news']);
    expect(FakeWebSocket.last.sent).toEqual(['sub good']);
    expect([ws.state, face()]).toEqual(['open', 'live']);
  });

  it('multiplex: "on every open after a reconnect, subMsg() is sent again, after the open handlers and before the queue", whenever they were bound', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: reconnect({ initialDelay: 10, factor: 1, jitter: 0 }) });
      ws.bind('open', () => ws.send('early'));
      ws.multiplex(
        () => 'sub',
        () => 'unsub',
        () => true,
      ).subscribe();
      ws.bind('open', () => ws.send('late'));
      // Opens at 1, fails at 3; the new socket, made at 13, opens at 14.
      server.script('-o-# 10ms o');
      at(ts, 5, () => ws.send('queued'));
      at(ts, 20, () => ws.close());
    });
    expect(FakeWebSocket.instances.map((fake) => fake.sent)).toEqual([
      ['early', 'late', 'sub'],
      ['early', 'late', 'sub', 'queued'],
    ]);
  });
});

// ---- Guarantees: what happens to your data on each kind of close -------------------------------

interface CloseRow {
  row: string;
  options?: Parameters<typeof virtualSocket>[0];
  /** Drives the socket to the close; `queue` sends one message that is queued on the way. */
  act: (ws: RxWebSocket<string>, flush: () => void, queue: () => void) => void;
  closes: string[];
  /** How many native error events error$ passed on (none for a close you asked for while connecting). */
  errorEvents: number;
  face: 'completed' | 'live' | number;
  /** What `drainQueue()` gives after a final close; `undefined` when the socket carries on. */
  left?: string[];
}

const CLOSE_TABLE: CloseRow[] = [
  {
    row: 'you call close() while connecting',
    act: (ws, _flush, queue) => {
      queue();
      ws.close();
    },
    closes: ['1006 unclean'],
    errorEvents: 0,
    face: 'completed',
    left: ['q'],
  },
  {
    row: 'you call close() while open',
    act: (ws) => {
      FakeWebSocket.last.open();
      ws.close(4000, 'bye');
    },
    closes: ['4000 clean'],
    errorEvents: 0,
    face: 'completed',
    left: [],
  },
  {
    row: 'you call close() while waiting to reconnect',
    options: { reconnect: reconnect({ initialDelay: 10, jitter: 0 }) },
    act: (ws, _flush, queue) => {
      FakeWebSocket.last.open();
      FakeWebSocket.last.fail();
      queue();
      ws.close();
    },
    closes: ['1006 unclean'],
    errorEvents: 1,
    face: 'completed',
    left: ['q'],
  },
  {
    row: 'the server closes cleanly, no reconnection',
    act: () => {
      FakeWebSocket.last.open();
      FakeWebSocket.last.serverClose(1000);
    },
    closes: ['1000 clean'],
    errorEvents: 0,
    face: 'completed',
    left: [],
  },
  {
    row: 'the server closes cleanly, shouldReconnect says no',
    options: { reconnect: reconnect({ initialDelay: 10, jitter: 0 }) },
    act: () => {
      FakeWebSocket.last.open();
      FakeWebSocket.last.serverClose(1000);
    },
    closes: ['1000 clean'],
    errorEvents: 0,
    face: 'completed',
    left: [],
  },
  {
    row: 'the server closes cleanly, shouldReconnect says yes (1012)',
    options: { reconnect: reconnect({ initialDelay: 10, jitter: 0 }) },
    act: (_ws, _flush, queue) => {
      FakeWebSocket.last.open();
      FakeWebSocket.last.serverClose(1012);
      queue();
    },
    closes: ['1012 clean'],
    errorEvents: 0,
    face: 'live',
  },
  {
    row: 'an unclean close, no reconnection',
    act: () => {
      FakeWebSocket.last.open();
      FakeWebSocket.last.fail();
    },
    closes: ['1006 unclean'],
    errorEvents: 1,
    face: 1006,
    left: [],
  },
  {
    row: 'an unclean close, reconnection on, attempts left',
    options: { reconnect: reconnect({ initialDelay: 10, jitter: 0 }) },
    act: (_ws, _flush, queue) => {
      FakeWebSocket.last.open();
      FakeWebSocket.last.fail();
      queue();
    },
    closes: ['1006 unclean'],
    errorEvents: 1,
    face: 'live',
  },
  {
    row: 'an unclean close, reconnection on, no attempts left',
    options: { reconnect: reconnect({ initialDelay: 10, jitter: 0, attempts: 1 }) },
    act: (_ws, flush, queue) => {
      FakeWebSocket.last.open();
      FakeWebSocket.last.fail();
      queue();
      flush();
      FakeWebSocket.last.fail();
    },
    closes: ['1006 unclean', '1006 unclean'],
    errorEvents: 2,
    face: 1006,
    left: ['q'],
  },
];

describe('docs/guarantees.md: the table of what happens to your data on each kind of close', () => {
  it.each(CLOSE_TABLE)('$row', ({ options, act, closes, errorEvents, face, left }) => {
    const { ws, flush, timers } = virtualSocket(options);
    const seen: string[] = [];
    ws.close$.subscribe((e) => seen.push(`${e.code} ${e.wasClean ? 'clean' : 'unclean'}`));
    const errors: unknown[] = [];
    ws.error$.subscribe((error) => errors.push(error));
    const ended = faceOf(ws);
    act(ws, flush, () => expect(ws.send('q')).toBe(false));
    expect(seen).toEqual(closes);
    expect(errors).toHaveLength(errorEvents);
    expect(ended()).toBe(face);
    if (left === undefined) {
      // Carries on: what was queued, and what send() queues now, go out on the next open.
      expect(ws.send('afterwards')).toBe(false);
      flush();
      FakeWebSocket.last.open();
      expect(FakeWebSocket.last.sent).toEqual(['q', 'afterwards']);
      expect(FakeWebSocket.instances).toHaveLength(2);
      return;
    }
    // Final: nothing sent after it, nothing lost, nothing left running.
    expect(ws.state).toBe('closed');
    expect(timers()).toBe(0);
    expect(thrown(() => ws.send('afterwards')).code).toBe('ERR_WS_INVALID_STATE');
    expect(thrown(() => ws.next('afterwards')).code).toBe('ERR_WS_INVALID_STATE');
    expect(ws.drainQueue()).toEqual(left);
    flush();
    expect(
      FakeWebSocket.instances
        .flatMap((fake) => [...fake.sent, ...fake.discarded])
        .filter((d) => d === 'q' || d === 'afterwards'),
    ).toEqual([]);
  });

  it('the close handler of the listing: at the final close state is already closed and drainQueue() gives the unsent messages, in send() order', () => {
    const { ws, flush } = virtualSocket({ reconnect: reconnect({ attempts: 1, initialDelay: 10, jitter: 0 }) });
    const saved: (readonly SendData[])[] = [];
    ws.bind('close', () => {
      if (ws.state === 'closed' && ws.queued > 0) saved.push(ws.drainQueue());
    });
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    ws.send('one');
    ws.send('two');
    flush();
    FakeWebSocket.last.fail();
    expect(saved).toEqual([['one', 'two']]);
    expect(ws.queued).toBe(0);
  });
});

// ---- Migrating from rxjs/webSocket ------------------------------------------------------------

describe('docs/migrating.md: every difference in behaviour', () => {
  /** Ours and RxJS's, on FakeWebSocket. */
  const make = (impl: 'ours' | 'rxjs') =>
    impl === 'ours'
      ? webSocket<{ n: number }>({ url: 'ws://test/', WebSocketCtor: FakeWebSocket })
      : (rxjsWebSocket<{ n: number }>({
          url: 'ws://test/',
          WebSocketCtor: FakeWebSocket as never,
        }) as unknown as WebSocketSubject<{ n: number }>);

  it('4: the serializer runs inside next(): an object changed after next() goes out as it was (RxJS: as changed)', () => {
    const sentBy = (impl: 'ours' | 'rxjs'): unknown[] => {
      FakeWebSocket.reset();
      const subject = make(impl);
      const message = { n: 1 };
      subject.next(message);
      message.n = 2;
      subject.subscribe();
      FakeWebSocket.last.open();
      return FakeWebSocket.last.sent;
    };
    expect(sentBy('ours')).toEqual(['{"n":1}']);
    expect(sentBy('rxjs')).toEqual(['{"n":2}']);
  });

  it('11: unsubMsg() is "not even called" when the last subscriber leaves while the socket is not open; while open it is, once', () => {
    const subject = webSocket<string>({ url: 'ws://test/', WebSocketCtor: FakeWebSocket });
    const unsubMsg = vi.fn(() => 'unsub');
    const keep = subject.subscribe();
    /** One multiplexed stream's first (and only) subscriber arrives and leaves. */
    const subscribeAndLeave = (): void => {
      subject
        .multiplex(
          () => 'sub',
          unsubMsg,
          () => true,
        )
        .subscribe()
        .unsubscribe();
    };
    subscribeAndLeave();
    FakeWebSocket.last.open();
    expect(unsubMsg).not.toHaveBeenCalled();
    subscribeAndLeave();
    expect(unsubMsg).toHaveBeenCalledTimes(1);
    expect(FakeWebSocket.last.sent).toEqual(['"sub"', '"unsub"']);
    keep.unsubscribe();
  });

  it.each([
    ['complete()', (s: WebSocketSubject<{ n: number }>) => s.complete(), 'error'],
    ['error({ code: 4000 })', (s: WebSocketSubject<{ n: number }>) => s.error({ code: 4000 }), 'error'],
    ['unsubscribe()', (s: WebSocketSubject<{ n: number }>) => s.unsubscribe(), undefined],
  ])(
    '14: after %s the subscribers complete even when the closing handshake then fails (RxJS: they error)',
    (_name, close, theirs) => {
      const endOf = (impl: 'ours' | 'rxjs'): string => {
        FakeWebSocket.reset();
        FakeWebSocket.manualCloseHandshake = true;
        const subject = make(impl);
        let end = 'live';
        subject.subscribe({ complete: () => (end = 'complete'), error: () => (end = 'error') });
        const fake = FakeWebSocket.last;
        fake.open();
        close(subject);
        expect(fake.readyState).toBe(FakeWebSocket.CLOSING);
        fake.fail();
        return end;
      };
      expect(endOf('ours')).toBe('complete');
      if (theirs !== undefined) expect(endOf('rxjs')).toBe(theirs);
    },
  );

  it('19: not a Subject: the members it has, and not the deprecated ones', () => {
    const subject = webSocket<{ price: number }, { subscribe: string }>({
      url: 'ws://test/',
      WebSocketCtor: FakeWebSocket,
    });
    // next() takes Out where a Subject<In>'s takes In, and the deprecated members are missing
    expectTypeOf(subject).not.toExtend<Subject<{ price: number }>>();
    expect(subject).not.toBeInstanceOf(Subject);
    for (const member of [
      'next',
      'error',
      'complete',
      'unsubscribe',
      'closed',
      'observed',
      'asObservable',
      'multiplex',
    ]) {
      expect(member in subject, member).toBe(true);
    }
    for (const member of ['observers', 'isStopped', 'hasError', 'thrownError'])
      expect(member in subject, member).toBe(false);
    expect(subject.pipe(map((m) => m.price))).not.toBeInstanceOf(WebSocketSubject);
  });

  it('24: a constructor that throws a SyntaxError errors the subscriber with ERR_WS_INVALID_URL, repeating its message, with it as the cause', () => {
    const native = new SyntaxError('Invalid URL: ws://test/');
    const subject = webSocket({
      url: 'ws://test/',
      WebSocketCtor: refusingCtor(() => native),
    });
    const errors: unknown[] = [];
    subject.subscribe({ error: (e: unknown) => errors.push(e) });
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_WS_INVALID_URL', cause: native })]);
    expect((errors[0] as Error).message).toContain(native.message);
  });

  it("26: binaryType also takes 'nodebuffer' (for ws), set on each new socket", () => {
    const set: string[] = [];
    class Recording extends FakeWebSocket {
      override get binaryType(): 'blob' | 'arraybuffer' {
        return super.binaryType;
      }
      override set binaryType(value: string) {
        set.push(value);
        super.binaryType = value;
      }
    }
    const subject = webSocket({ url: 'ws://test/', WebSocketCtor: Recording, binaryType: 'nodebuffer' });
    subject.subscribe().unsubscribe();
    subject.subscribe();
    expect(set).toEqual(['nodebuffer', 'nodebuffer']);
  });

  it("27: RxJS's internal (source, destination) form is refused", () => {
    const Ctor = WebSocketSubject as unknown as new (source: Observable<unknown>, destination: unknown) => unknown;
    const error = thrown(() => new Ctor(new Observable(), { next: () => undefined }));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/\(source, destination\)/);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});

// ---- Performance ----------------------------------------------------------------------------

describe('docs/performance.md', () => {
  it('"one listener for open/error/close and one for message" on each native socket', () => {
    const add = vi.spyOn(FakeWebSocket.prototype, 'addEventListener');
    const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    for (const evt of ['open', 'error', 'message', 'close'] as const) ws.bind(evt, () => undefined);
    ws.subscribe();
    const calls = add.mock.calls.map(([type, listener]) => [type, listener] as const);
    expect(calls.map(([type]) => type).sort()).toEqual(['close', 'error', 'message', 'open']);
    const of = (type: string) => calls.find(([t]) => t === type)![1];
    expect(new Set([of('open'), of('error'), of('close')]).size).toBe(1);
    expect(of('message')).not.toBe(of('open'));
  });

  it('"about 2.8 KiB" of the { WebSocket } app are RxJS\'s own Observable, Subscriber and Subscription (within 0.2 KiB)', async () => {
    const core = await bundle(
      "import { Observable, Subscriber, Subscription } from 'rxjs';\nconsole.log(Observable, Subscriber, Subscription);\n",
      {
        rxjsExternal: false,
      },
    );
    expect(Math.abs(core.gzip / 1024 - 2.8)).toBeLessThanOrEqual(0.2);
  });
});

// ---- Development ----------------------------------------------------------------------------

describe('docs/development.md: where the browser tests find Chromium', () => {
  /** spec/browser/chromium.ts as loaded under these environment variables. */
  async function chromiumPolicy(env: Record<string, string>) {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    vi.resetModules();
    return import('./browser/chromium.js');
  }

  it('CHROMIUM_PATH defaults to /usr/bin/chromium', async () => {
    expect((await chromiumPolicy({ CHROMIUM_PATH: '' })).CHROMIUM_PATH).toBe('/usr/bin/chromium');
    expect((await chromiumPolicy({ CHROMIUM_PATH: '/opt/chromium/chrome' })).CHROMIUM_PATH).toBe(
      '/opt/chromium/chrome',
    );
  });

  it('without Chromium, outside CI: left out, the run starting with the notice docs/development.md quotes', async () => {
    const missing = '/nonexistent/chromium';
    const policy = await chromiumPolicy({ CHROMIUM_PATH: missing, CI: '' });
    expect(policy.RUN_BROWSER_TESTS).toBe(false);
    const readme = readFileSync(new URL('../docs/development.md', import.meta.url), 'utf8');
    expect(readme).toContain(`\`${policy.MISSING_CHROMIUM_NOTICE!.replace(missing, '/usr/bin/chromium')}\``);
  });

  it('without Chromium, with CI set: they stay in (and fail)', async () => {
    const policy = await chromiumPolicy({ CHROMIUM_PATH: '/nonexistent/chromium', CI: 'true' });
    expect(policy.RUN_BROWSER_TESTS).toBe(true);
    expect(policy.MISSING_CHROMIUM_NOTICE).toMatch(/^browser tests FAIL: no Chromium at \/nonexistent\/chromium/);
  });
});
