/**
 * The Node pipeline (pipeline.ts), tested both ways:
 * - in real time, against a real `ws` server on port 0 that drops the connection mid-stream;
 * - in virtual time, with `marbleServer` and a `TestScheduler`: exact windows, frame by frame.
 *
 *   npx vitest run examples/node-pipeline
 */
import { filter, firstValueFrom, lastValueFrom, map, ReplaySubject, scan, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecodeError, type SocketState } from 'brython-websocket';
import { reconnect } from 'brython-websocket/resilience';
import { FakeWebSocket, marbleServer } from 'brython-websocket/testing';
import { startEchoServer, type EchoServer, type ServerConnection } from '../../spec/integration/server.js';
import { aggregateTicks, combine, connectTicks, parseTick, summarize, type Tick, type TickWindow } from './pipeline.js';

const AAPL_100: Tick = { symbol: 'AAPL', price: 100, size: 10 };
const MSFT_300: Tick = { symbol: 'MSFT', price: 300, size: 5 };
const AAPL_102: Tick = { symbol: 'AAPL', price: 102, size: 30 };
const MSFT_301: Tick = { symbol: 'MSFT', price: 301, size: 5 };
const AAPL_106: Tick = { symbol: 'AAPL', price: 106, size: 20 };
const NVDA_900: Tick = { symbol: 'NVDA', price: 900, size: 2 };
const NVDA_910: Tick = { symbol: 'NVDA', price: 910, size: 8 };

/** The stats of one symbol; `vwap` is written out, not computed, so that a wrong formula shows. */
function stats(
  symbol: string,
  count: number,
  volume: number,
  notional: number,
  min: number,
  max: number,
  vwap: number,
) {
  return { symbol, count, volume, notional, min, max, vwap };
}

describe('summarize, combine and parseTick', () => {
  it('summarize: count, volume, notional, min, max and VWAP per symbol, symbols in name order', () => {
    expect(summarize([MSFT_300, AAPL_100, AAPL_102, MSFT_301])).toEqual([
      stats('AAPL', 2, 40, 4060, 100, 102, 101.5),
      stats('MSFT', 2, 10, 3005, 300, 301, 300.5),
    ]);
    expect(summarize([])).toEqual([]);
  });

  it('combine: windows add up to the stats of all their ticks', () => {
    const windows: TickWindow[] = [
      { start: 0, end: 5, symbols: summarize([AAPL_100, NVDA_910]) },
      { start: 5, end: 10, symbols: [] },
      { start: 10, end: 15, symbols: summarize([AAPL_102, AAPL_106, NVDA_900]) },
    ];
    expect(combine(windows)).toEqual([
      stats('AAPL', 3, 60, 6180, 100, 106, 103),
      stats('NVDA', 2, 10, 9080, 900, 910, 908),
    ]);
  });

  it('parseTick: takes a JSON tick, refuses anything else with a message naming the message', () => {
    expect(parseTick({ type: 'message', data: '{"symbol":"AAPL","price":100.5,"size":3}' })).toEqual({
      symbol: 'AAPL',
      price: 100.5,
      size: 3,
    });
    expect(() => parseTick({ type: 'message', data: '{"symbol":"AAPL","price":"100"}' })).toThrow(
      'not a tick { symbol, price, size }: {"symbol":"AAPL","price":"100"}',
    );
    expect(() => parseTick({ type: 'message', data: '{"symbol":"AAPL","price":1,"size":0}' })).toThrow('not a tick');
    expect(() => parseTick({ type: 'message', data: 'null' })).toThrow('not a tick');
    expect(() => parseTick({ type: 'message', data: 'AAPL 100' })).toThrow(SyntaxError);
    expect(() => parseTick({ type: 'message', data: new ArrayBuffer(2) })).toThrow(
      'a tick is JSON text, not a binary message',
    );
  });
});

describe('the pipeline on a real ws server (real time)', () => {
  let server: EchoServer;

  beforeEach(async () => {
    server = await startEchoServer();
  });

  afterEach(async () => {
    await server.close();
  });

  /** Sends the ticks as JSON text; resolves once `ws` has written them all. */
  function send(connection: ServerConnection, ticks: readonly Tick[]): Promise<void> {
    return Promise.all(
      ticks.map(
        (tick) =>
          new Promise<void>((resolve, reject) => {
            connection.socket.send(JSON.stringify(tick), (error) => (error ? reject(error) : resolve()));
          }),
      ),
    ).then(() => undefined);
  }

  it('aggregates the feed, goes on after a server-side drop with the next connection, and ends with the feed', async () => {
    const ticks = connectTicks(server.url, { reconnect: reconnect({ initialDelay: 10, jitter: 0 }) });
    const states: SocketState[] = [];
    ticks.state$.subscribe((state) => states.push(state));
    const closes: [number, string][] = [];
    ticks.close$.subscribe((event) => closes.push([event.code, event.reason]));

    const windows = new ReplaySubject<TickWindow>();
    aggregateTicks(ticks, 20).subscribe(windows);
    const all = lastValueFrom(windows.pipe(toArray()));
    const emitted: TickWindow[] = [];
    windows.subscribe((window) => emitted.push(window));
    const ticksInWindows = (n: number) =>
      firstValueFrom(
        windows.pipe(
          scan((seen, window) => seen + window.symbols.reduce((sum, s) => sum + s.count, 0), 0),
          filter((seen) => seen === n),
        ),
      );

    // The first connection sends four ticks; once they are all in emitted windows, the
    // server drops it without a close frame (the client sees 1006).
    const first = await server.connection(0);
    await send(first, [AAPL_100, MSFT_300, AAPL_102, MSFT_301]);
    await ticksInWindows(4);
    const cut = emitted.length;
    first.terminate();

    // The client reconnects by itself; the second connection's ticks flow into the same
    // subscription, then the server ends the feed with a clean 1000.
    const second = await server.connection(1);
    await send(second, [AAPL_106, NVDA_900, NVDA_910]);
    second.close(1000, 'end of feed');

    const windowsOfTheRun = await all;
    expect(windowsOfTheRun).toEqual(emitted);
    expect(combine(windowsOfTheRun.slice(0, cut))).toEqual([
      stats('AAPL', 2, 40, 4060, 100, 102, 101.5),
      stats('MSFT', 2, 10, 3005, 300, 301, 300.5),
    ]);
    expect(combine(windowsOfTheRun.slice(cut))).toEqual([
      stats('AAPL', 1, 20, 2120, 106, 106, 106),
      stats('NVDA', 2, 10, 9080, 900, 910, 908),
    ]);
    // The windows tile the run: each starts where the one before ended.
    for (let i = 1; i < windowsOfTheRun.length; i++)
      expect(windowsOfTheRun[i]!.start).toBe(windowsOfTheRun[i - 1]!.end);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'connecting', 'open', 'closed']);
    expect(closes).toEqual([
      [1006, ''],
      [1000, 'end of feed'],
    ]);
    expect(server.connections).toHaveLength(2);
  });
});

describe('the pipeline in virtual time (marbleServer + TestScheduler)', () => {
  beforeEach(() => {
    FakeWebSocket.reset();
  });

  function testScheduler(): TestScheduler {
    return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  }

  const json = (tick: Tick): string => JSON.stringify(tick);

  it('exact windows of 5 frames across a drop and a reconnect; a bad tick is skipped and reported', () => {
    const scheduler = testScheduler();
    scheduler.run((helpers) => {
      const server = marbleServer(helpers);
      const ticks = connectTicks('ws://feed.test/', {
        WebSocketCtor: server.WebSocketCtor,
        reconnect: reconnect({ initialDelay: 2, jitter: 0 }),
        scheduler,
      });
      // 0: open; 1-3: three ticks; 6: a tick; 7: the connection fails (1006). The client
      // reconnects 2 frames later (9); 11: the new connection opens; 12-16: ticks and one
      // message that is not a tick; 17: the server ends the feed with 1000.
      server.script('oabc--d#---oexf-g|', {
        a: json(AAPL_100),
        b: json(MSFT_300),
        c: json(AAPL_102),
        d: json(MSFT_301),
        e: json(AAPL_106),
        x: 'AAPL 107',
        f: json(NVDA_900),
        g: json(NVDA_910),
      });
      helpers.expectObservable(aggregateTicks(ticks, 5, scheduler)).toBe('-----p----q----r-(s|)', {
        p: {
          start: 0,
          end: 5,
          symbols: [stats('AAPL', 2, 40, 4060, 100, 102, 101.5), stats('MSFT', 1, 5, 1500, 300, 300, 300)],
        },
        q: { start: 5, end: 10, symbols: [stats('MSFT', 1, 5, 1505, 301, 301, 301)] },
        r: {
          start: 10,
          end: 15,
          symbols: [stats('AAPL', 1, 20, 2120, 106, 106, 106), stats('NVDA', 1, 2, 1800, 900, 900, 900)],
        },
        s: { start: 15, end: 17, symbols: [stats('NVDA', 1, 8, 7280, 910, 910, 910)] },
      });
      helpers.expectObservable(ticks.state$).toBe('(co)---r-c-o-----(d|)', {
        c: 'connecting',
        o: 'open',
        r: 'reconnecting',
        d: 'closed',
      });
      helpers
        .expectObservable(ticks.close$.pipe(map((e) => e.code)))
        .toBe('-------a---------(b|)', { a: 1006, b: 1000 });
      helpers
        .expectObservable(
          ticks.error$.pipe(
            map((e) => (e instanceof DecodeError ? `skipped ${String(e.data)}` : 'type' in e ? e.type : e.code)),
          ),
        )
        .toBe('-------e-----x---|', { e: 'error', x: 'skipped AAPL 107' });
      // The pipeline only listens: nothing is sent.
      helpers.expectObservable(server.sent$).toBe('');
    });
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('an empty window is emitted too, and a final unclean close errors the stream with the CloseError', () => {
    const scheduler = testScheduler();
    scheduler.run((helpers) => {
      const server = marbleServer(helpers);
      const ticks = connectTicks('ws://feed.test/', {
        WebSocketCtor: server.WebSocketCtor,
        reconnect: reconnect({ attempts: 1, initialDelay: 2, jitter: 0 }),
        scheduler,
      });
      // 2: a tick; 4: the connection fails; 6: the one reconnect; 7: it fails too: attempts are spent.
      server.script('o-a-#--#', { a: json(AAPL_100) });
      helpers.expectObservable(aggregateTicks(ticks, 3, scheduler)).toBe(
        '---p--q#',
        {
          p: { start: 0, end: 3, symbols: [stats('AAPL', 1, 10, 1000, 100, 100, 100)] },
          q: { start: 3, end: 6, symbols: [] },
        },
        expect.objectContaining({ name: 'CloseError', closeCode: 1006, wasClean: false }),
      );
      helpers
        .expectObservable(ticks.state$)
        .toBe('(co)r-c(d|)', { c: 'connecting', o: 'open', r: 'reconnecting', d: 'closed' });
    });
  });
});
