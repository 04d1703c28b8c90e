import { config, Subject, type Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json } from '../src/codec.js';
import { multiplex, type MultiplexHost } from '../src/multiplex.js';
import { reconnect } from '../src/resilience.js';
import { FakeWebSocket, marbleServer } from '../src/testing/index.js';
import { RxWebSocket } from '../src/websocket.js';
import { at, run, socket } from './helpers/virtual-time.js';

// Virtual time: one marble frame is 1 ms. Topic 'a' is subscribed with 'sub a', left with
// 'unsub a', and its messages start with 'a:'.

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  config.onUnhandledError = null;
});

const sub = (): string => 'sub a';
const unsub = (): string => 'unsub a';
const isA = (m: string): boolean => m.startsWith('a:');
/** Reconnects 10 ms after each close. */
const every10ms = { initialDelay: 10, factor: 1, jitter: 0 };

describe('multiplex: ref-counted', () => {
  it('one subMsg when the first of three subscribers arrives, one unsubMsg when the last leaves', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      const a = ws.multiplex(sub, unsub, isA);
      server.script('-o----x-y-z 4ms w', { x: 'a:1', y: 'b:1', z: 'a:2', w: 'a:3' });
      helpers.expectObservable(a, '--^------!').toBe('------x', { x: 'a:1' });
      helpers.expectObservable(a, '----^--------!').toBe('------x---z', { x: 'a:1', z: 'a:2' });
      helpers.expectObservable(a, '-----^--!').toBe('------x', { x: 'a:1' });
      helpers.expectObservable(server.sent$).toBe('--s 10ms u', { s: 'sub a', u: 'unsub a' });
      at(ts, 20, () => ws.close());
    });
    expect(FakeWebSocket.last.sent).toEqual(['sub a', 'unsub a']);
  });

  it('after the last left, a new subscriber sends subMsg again; two topics keep their own counts', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      const a = ws.multiplex(sub, unsub, isA);
      const b = ws.multiplex(
        () => 'sub b',
        () => 'unsub b',
        (m) => m.startsWith('b:'),
      );
      server.script('-o');
      helpers.expectObservable(a, '--^-!').toBe('');
      helpers.expectObservable(a, '------^-!').toBe('');
      helpers.expectObservable(b, '---^-----!').toBe('');
      helpers.expectObservable(b, '----^---!').toBe('');
      helpers.expectObservable(server.sent$).toBe('--sSu-s-uU', { s: 'sub a', u: 'unsub a', S: 'sub b', U: 'unsub b' });
      at(ts, 20, () => ws.close());
    });
  });

  it('subMsg and unsubMsg go through the serializer (json())', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = new RxWebSocket<{ topic: string }, { op: string; topic: string }>('ws://test/', {
        WebSocketCtor: server.WebSocketCtor,
        ...json<{ topic: string }, { op: string; topic: string }>(),
      });
      const prices = ws.multiplex(
        () => ({ op: 'sub', topic: 'prices' }),
        () => ({ op: 'unsub', topic: 'prices' }),
        (m) => m.topic === 'prices',
      );
      server.script('-o-pn', { p: '{"topic":"prices"}', n: '{"topic":"news"}' });
      helpers.expectObservable(prices, '^----!').toBe('---p', { p: { topic: 'prices' } });
      at(ts, 10, () => ws.close());
    });
    expect(FakeWebSocket.last.sent).toEqual(['{"op":"sub","topic":"prices"}', '{"op":"unsub","topic":"prices"}']);
  });
});

describe('multiplex: across reconnects', () => {
  it('subscribed while connecting: subMsg goes out on the open, after the open handlers and before the queue is flushed', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      ws.bind('open', () => ws.send('hello'));
      ws.send('queued');
      ws.multiplex(sub, unsub, isA).subscribe();
      server.script('---o');
      at(ts, 10, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('---(hsq)', { h: 'hello', s: 'sub a', q: 'queued' });
    });
  });

  it('subMsg is sent again on each open after a reconnect, once per socket; the sub-stream lives on', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: reconnect(every10ms) });
      // Open 1, fails 3; made 13, opens 14, goes away (1001) at 18; made 28, opens 29.
      server.script('-o-# 10ms o-x-g 10ms o-y', { x: 'a:x', g: { close: 1001 }, y: 'a:y' });
      helpers.expectObservable(ws.multiplex(sub, unsub, isA)).toBe('16ms x 14ms y 8ms |', { x: 'a:x', y: 'a:y' });
      at(ts, 40, () => ws.close());
    });
    expect(FakeWebSocket.instances.map((s) => s.sent)).toEqual([['sub a'], ['sub a'], ['sub a']]);
  });

  it('the sub-stream completes at a clean final close, and not before', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: reconnect(every10ms) });
      server.script('-o-# 10ms o-|');
      helpers.expectObservable(ws.multiplex(sub, unsub, isA)).toBe('16ms |');
    });
  });

  it('the sub-stream errors with the CloseError at an unclean final close', () => {
    run((helpers) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: reconnect({ ...every10ms, attempts: 1 }) });
      server.script('-o-# 10ms o-#');
      helpers
        .expectObservable(ws.multiplex(sub, unsub, isA))
        .toBe('16ms #', undefined, expect.objectContaining({ name: 'CloseError', closeCode: 1006 }));
    });
  });

  it('the last subscriber leaving while disconnected: unsubMsg is neither sent nor queued, and the next open sends no subMsg', () => {
    const queued: number[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: reconnect(every10ms) });
      server.script('-o-# 10ms o');
      helpers.expectObservable(ws.multiplex(sub, unsub, isA), '^------!').toBe('');
      at(ts, 7.5, () => queued.push(ws.queued));
      at(ts, 20, () => ws.close());
      helpers.expectObservable(server.sent$).toBe('-s', { s: 'sub a' });
    });
    expect(queued).toEqual([0]);
    expect(FakeWebSocket.instances.map((s) => [s.sent, s.discarded])).toEqual([
      [['sub a'], []],
      [[], []],
    ]);
  });

  it('leaving before the first open: nothing was sent and nothing is', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      server.script('----o');
      helpers.expectObservable(ws.multiplex(sub, unsub, isA), '^-!').toBe('');
      at(ts, 10, () => ws.close());
    });
    expect(FakeWebSocket.last.sent).toEqual([]);
  });

  it('a subscriber arriving after the final close completes at once and sends nothing', () => {
    const events: string[] = [];
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      server.script('-o-|');
      at(ts, 5, () => {
        ws.multiplex(sub, unsub, isA).subscribe({
          complete: () => events.push('complete'),
          error: () => events.push('error'),
        });
      });
    });
    expect(events).toEqual(['complete']);
    expect(FakeWebSocket.last.sent).toEqual([]);
  });
});

describe('multiplex: filter and errors', () => {
  it('the filter picks the messages of the stream; the subject face still gets them all', () => {
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      server.script('-oxyz', { x: 'a:1', y: 'b:1', z: 'a:2' });
      helpers.expectObservable(ws.multiplex(sub, unsub, isA)).toBe('--x-z 5ms |', { x: 'a:1', z: 'a:2' });
      helpers.expectObservable(ws).toBe('--xyz 5ms |', { x: 'a:1', y: 'b:1', z: 'a:2' });
      at(ts, 10, () => ws.close());
    });
  });

  it('a throwing filter errors the sub-stream with that error; unsubMsg goes out (subMsg had); the socket and other streams carry on', () => {
    const oops = new Error('filter failed');
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      const bad = ws.multiplex(sub, unsub, (m) => {
        if (m === 'a:bad') throw oops;
        return isA(m);
      });
      server.script('-oxyz', { x: 'a:1', y: 'a:bad', z: 'a:2' });
      helpers.expectObservable(bad).toBe('--x#', { x: 'a:1' }, oops);
      helpers
        .expectObservable(
          ws.multiplex(
            () => 'sub all',
            () => 'unsub all',
            () => true,
          ),
        )
        .toBe('--xyz 5ms |', { x: 'a:1', y: 'a:bad', z: 'a:2' });
      at(ts, 10, () => ws.close());
    });
    expect(FakeWebSocket.last.sent).toEqual(['sub a', 'sub all', 'unsub a']);
  });

  it('a subMsg that throws when subscribed while open errors the sub-stream at once; nothing goes out (no unsubMsg for a subscription never made)', () => {
    const oops = new Error('no sub message');
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      server.script('-o');
      const stream = ws.multiplex(
        () => {
          throw oops;
        },
        unsub,
        isA,
      );
      helpers.expectObservable(stream, '---^').toBe('---#', undefined, oops);
      helpers
        .expectObservable(ws.state$)
        .toBe('co 8ms (gd|)', { c: 'connecting', o: 'open', g: 'closing', d: 'closed' });
      at(ts, 10, () => ws.close());
    });
    expect(FakeWebSocket.last.sent).toEqual([]);
  });

  it('a subMsg that throws on a reopen errors the sub-stream at that open; the new connection gets no unsubMsg', () => {
    const oops = new Error('no sub message the second time');
    let calls = 0;
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server, { reconnect: reconnect(every10ms) });
      server.script('-o-# 10ms o');
      const stream = ws.multiplex(
        () => {
          calls++;
          if (calls === 2) throw oops;
          return 'sub a';
        },
        unsub,
        isA,
      );
      helpers.expectObservable(stream).toBe('14ms #', undefined, oops);
      at(ts, 20, () => ws.close());
    });
    expect(calls).toBe(2);
    expect(FakeWebSocket.instances.map((s) => s.sent)).toEqual([['sub a'], []]);
  });

  it('a throwing unsubMsg is reported (config.onUnhandledError) and stops nothing', () => {
    const reported: unknown[] = [];
    config.onUnhandledError = (error) => reported.push(error);
    const oops = new Error('no unsub message');
    let state = '';
    run((helpers, ts) => {
      const server = marbleServer(helpers);
      const ws = socket(server);
      server.script('-o---a', { a: 'a:after' });
      const stream = ws.multiplex(
        sub,
        () => {
          throw oops;
        },
        isA,
      );
      helpers.expectObservable(stream, '--^-!').toBe('');
      helpers.expectObservable(ws).toBe('-----a--|', { a: 'a:after' });
      at(ts, 8, () => {
        state = ws.state;
        ws.close();
      });
    });
    expect(reported).toEqual([oops]);
    expect(state).toBe('open');
    expect(FakeWebSocket.last.sent).toEqual(['sub a']);
  });
});

describe('multiplex(host, …): the ref count on any host', () => {
  function host(open: boolean): {
    host: MultiplexHost<string, string>;
    sent: string[];
    messages: Subject<string>;
    opens: Subject<void>;
  } {
    const sent: string[] = [];
    const messages = new Subject<string>();
    const opens = new Subject<void>();
    return {
      host: { messages, opens, isOpen: () => open, send: (m) => sent.push(m) },
      sent,
      messages,
      opens,
    };
  }

  it('N subscribers, in any order of leaving: one subMsg, one unsubMsg, and every inner subscription released', () => {
    const h = host(true);
    const stream = multiplex(h.host, sub, unsub, isA);
    const subs: Subscription[] = [stream.subscribe(), stream.subscribe(), stream.subscribe()];
    expect(h.sent).toEqual(['sub a']);
    expect([h.messages.observed, h.opens.observed]).toEqual([true, true]);
    subs[1]!.unsubscribe();
    subs[0]!.unsubscribe();
    expect(h.sent).toEqual(['sub a']);
    subs[2]!.unsubscribe();
    expect(h.sent).toEqual(['sub a', 'unsub a']);
    expect([h.messages.observed, h.opens.observed]).toEqual([false, false]);
  });

  it('each emission of opens sends subMsg once, whatever the number of subscribers', () => {
    const h = host(false);
    const stream = multiplex(h.host, sub, unsub, isA);
    stream.subscribe();
    stream.subscribe();
    expect(h.sent).toEqual([]);
    h.opens.next();
    h.opens.next();
    expect(h.sent).toEqual(['sub a', 'sub a']);
  });
});
