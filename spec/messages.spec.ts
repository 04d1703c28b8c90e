/**
 * `messages()` on driveable fakes: the DOM path (`FakeWebSocket`, which cannot pause) and a
 * fake that can (`pause()`/`resume()` as `ws` has). The real-socket evidence is in
 * spec/integration/backpressure.spec.ts.
 */
import { VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CloseError, DecodeError, isWebSocketError, type WebSocketError } from '../src/errors.js';
import { heartbeat, reconnect } from '../src/resilience.js';
import { messages, OverflowError } from '../src/streams.js';
import { FakeWebSocket } from '../src/testing/index.js';
import { RxWebSocket } from '../src/websocket.js';
import { fakeSockets, PausableFake } from './helpers/pausable-fake.js';
import { thrown } from './helpers/thrown.js';

const open = fakeSockets();

/** Reads every value until the end (or the error, returned last). */
async function readAll<T>(iterator: AsyncIterable<T>): Promise<(T | WebSocketError)[]> {
  const out: (T | WebSocketError)[] = [];
  try {
    for await (const value of iterator) out.push(value);
  } catch (error) {
    out.push(error as WebSocketError);
  }
  return out;
}

describe('messages(): reading in order, to the end', () => {
  it('yields the deserialized values in order, also those that came before the loop, and ends on a clean close', async () => {
    const { ws, fake } = open<number>(FakeWebSocket, { deserializer: (e: { data: unknown }) => Number(e.data) });
    const it = messages(ws);
    fake.receive('1');
    fake.receive('2');
    const all = readAll(it);
    fake.receive('3');
    fake.serverClose(1000, 'done');
    expect(await all).toEqual([1, 2, 3]);
  });

  it('throws the CloseError of an unclean close, after every value that came before it', async () => {
    const { ws, fake } = open();
    const it = messages(ws);
    fake.receive('a');
    fake.receive('b');
    fake.serverClose(1011, 'boom', false);
    const all = await readAll(it);
    expect(all.slice(0, 2)).toEqual(['a', 'b']);
    expect(all[2]).toBeInstanceOf(CloseError);
    expect(all[2]).toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1011, reason: 'boom' });
    // The error is thrown once; after it the iterator is done.
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('ends at once on a socket already closed for good', async () => {
    const { ws } = open();
    ws.close();
    expect(ws.state).toBe('closed');
    expect(await readAll(messages(ws))).toEqual([]);
  });

  it('goes on across reconnects: one loop reads every connection', async () => {
    const scheduler = new VirtualTimeScheduler();
    const { ws, fake } = open(FakeWebSocket, { reconnect: reconnect({ initialDelay: 10, jitter: 0 }), scheduler });
    const all = readAll(messages(ws));
    fake.receive('first');
    fake.serverClose(1006, '', false);
    expect(ws.state).toBe('reconnecting');
    scheduler.flush();
    const second = FakeWebSocket.last;
    expect(second).not.toBe(fake);
    second.open();
    second.receive('second');
    ws.close();
    expect(await all).toEqual(['first', 'second']);
  });

  it('skips a message the deserializer cannot decode and reports it on error$, as the socket does', async () => {
    const { ws, fake } = open<unknown>(FakeWebSocket, {
      deserializer: (e: { data: unknown }) => JSON.parse(String(e.data)) as unknown,
    });
    const errors: unknown[] = [];
    ws.error$.subscribe((e) => errors.push(e));
    const all = readAll(messages(ws));
    fake.receive('{"n":1}');
    fake.receive('not json');
    fake.receive('{"n":2}');
    fake.serverClose(1000);
    expect(await all).toEqual([{ n: 1 }, { n: 2 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DecodeError);
    expect((errors[0] as DecodeError).data).toBe('not json');
  });

  it('keeps the order through any mix of arrivals and reads (the buffer wraps and grows)', async () => {
    const { ws, fake } = open();
    const it = messages(ws, { highWaterMark: 10_000, lowWaterMark: 0 });
    let sent = 0;
    const got: string[] = [];
    for (const [arrive, read] of [
      [30, 20],
      [5, 12],
      [100, 60],
      [17, 60],
      [300, 1],
      [0, 299],
    ]) {
      for (let i = 0; i < arrive!; i++) fake.receive(String(sent++));
      for (let i = 0; i < read!; i++) got.push((await it.next()).value!);
    }
    expect(it.buffered).toBe(0);
    expect(got).toEqual(Array.from({ length: sent }, (_, i) => String(i)));
  });

  it('answers next() calls made before any value, in order', async () => {
    const { ws, fake } = open();
    const it = messages(ws);
    const first = it.next();
    const second = it.next();
    fake.receive('x');
    fake.receive('y');
    expect(await Promise.all([first, second])).toEqual([
      { done: false, value: 'x' },
      { done: false, value: 'y' },
    ]);
  });
});

describe('messages() on a socket that cannot pause (the DOM, FakeWebSocket): the bounded buffer', () => {
  it('throws ERR_WS_OVERFLOW after the highWaterMark values it held, telling how many; the socket stays open for the others', async () => {
    const { ws, fake } = open();
    const others: string[] = [];
    ws.subscribe((v) => others.push(v));
    const it = messages(ws, { highWaterMark: 3, lowWaterMark: 1 });
    for (const v of ['1', '2', '3', '4', '5']) fake.receive(v);
    const all = await readAll(it);
    expect(all.slice(0, 3)).toEqual(['1', '2', '3']);
    const error = all[3] as OverflowError;
    expect(error).toBeInstanceOf(OverflowError);
    expect(isWebSocketError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'OverflowError', code: 'ERR_WS_OVERFLOW', buffered: 3, dropped: 0 });
    expect(error.message).toMatch(/3 values were waiting unread/);
    expect(error.message).toMatch(/overflow: 'drop-oldest' or 'drop-newest'/);
    expect(all).toHaveLength(4);
    // Only that iterator ended: the socket is open, the other subscriber gets every message.
    expect(ws.state).toBe('open');
    fake.receive('6');
    expect(others).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(fake.closeRequest).toBeUndefined();
  });

  it.each([
    ['drop-oldest', ['3', '4', '5'], 2],
    ['drop-newest', ['1', '2', '3'], 2],
  ] as const)(
    'with overflow: %s keeps %j, counts the drops and reports them on error$ once caught up',
    async (overflow, kept, dropped) => {
      const { ws, fake } = open();
      const errors: unknown[] = [];
      ws.error$.subscribe((e) => errors.push(e));
      const it = messages(ws, { highWaterMark: 3, lowWaterMark: 1, overflow });
      for (const v of ['1', '2', '3', '4', '5']) fake.receive(v);
      expect(it.dropped).toBe(dropped);
      expect(it.buffered).toBe(3);
      expect(errors).toEqual([]);
      expect((await it.next()).value).toBe(kept[0]);
      expect(errors).toEqual([]);
      // Down to lowWaterMark (1): the stretch of drops is over, and reported.
      expect((await it.next()).value).toBe(kept[1]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(OverflowError);
      expect(errors[0]).toMatchObject({ code: 'ERR_WS_OVERFLOW', dropped, buffered: 3 });
      expect((errors[0] as Error).message).toContain(`overflow: '${overflow}'`);
      expect((await it.next()).value).toBe(kept[2]);
      fake.receive('6');
      fake.serverClose(1000);
      expect(await readAll(it)).toEqual(['6']);
      expect(errors).toHaveLength(1);
    },
  );

  it('never asks a socket without pause() to pause', async () => {
    const { ws, fake } = open();
    const it = messages(ws, { highWaterMark: 2, lowWaterMark: 0, overflow: 'drop-newest' });
    for (const v of ['1', '2', '3']) fake.receive(v);
    expect(await it.next()).toEqual({ done: false, value: '1' });
    expect('pause' in fake).toBe(false);
  });
});

describe('messages() on a socket that can pause', () => {
  it('pauses at highWaterMark values unread and resumes at lowWaterMark, and keeps what arrives after the pause', async () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const it = messages(ws, { highWaterMark: 3, lowWaterMark: 1 });
    fake.receive('1');
    fake.receive('2');
    expect(fake.calls).toEqual([]);
    fake.receive('3');
    expect(fake.calls).toEqual(['pause']);
    // What the transport had already read still arrives, and is kept.
    fake.receive('4');
    expect(it.buffered).toBe(4);
    expect(it.dropped).toBe(0);
    await it.next();
    await it.next();
    expect(fake.calls).toEqual(['pause']);
    await it.next();
    expect(it.buffered).toBe(1);
    expect(fake.calls).toEqual(['pause', 'resume']);
    expect((await it.next()).value).toBe('4');
  });

  it('break resumes the socket and leaves it open; the subscription is released', async () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const it = messages(ws, { highWaterMark: 2, lowWaterMark: 0 });
    for (const v of ['1', '2', '3']) fake.receive(v);
    expect(fake.isPaused).toBe(true);
    for await (const value of it) {
      expect(value).toBe('1');
      break;
    }
    expect(fake.isPaused).toBe(false);
    expect(ws.state).toBe('open');
    expect(fake.closeRequest).toBeUndefined();
    fake.receive('4');
    expect(it.buffered).toBe(0);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('a throw in the loop body resumes the socket too', async () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    fake.calls.length = 0;
    const it = messages(ws, { highWaterMark: 1, lowWaterMark: 0 });
    fake.receive('1');
    fake.receive('2');
    await expect(
      (async () => {
        for await (const value of it) throw new Error(`sink failed on ${value}`);
      })(),
    ).rejects.toThrow('sink failed');
    expect(fake.calls).toEqual(['pause', 'resume']);
    expect(ws.state).toBe('open');
  });

  it('two readers each get every value; the slowest keeps the socket paused', async () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const fast = messages(ws, { highWaterMark: 2, lowWaterMark: 0 });
    const slow = messages(ws, { highWaterMark: 2, lowWaterMark: 0 });
    fake.receive('1');
    fake.receive('2');
    expect(fake.isPaused).toBe(true);
    expect([(await fast.next()).value, (await fast.next()).value]).toEqual(['1', '2']);
    // The fast one caught up, the slow one still holds two values: still paused.
    expect(fake.isPaused).toBe(true);
    expect((await slow.next()).value).toBe('1');
    expect(fake.isPaused).toBe(true);
    expect((await slow.next()).value).toBe('2');
    expect(fake.isPaused).toBe(false);
    expect(fake.calls).toEqual(['pause', 'resume']);
  });

  it('resumes before a close() so that the closing handshake can complete', async () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const it = messages(ws, { highWaterMark: 1, lowWaterMark: 0 });
    fake.receive('1');
    expect(fake.isPaused).toBe(true);
    ws.close();
    expect(fake.isPaused).toBe(false);
    expect(await readAll(it)).toEqual(['1']);
  });

  it('pauses the next connection too, when the reader is still behind after a reconnect', () => {
    const scheduler = new VirtualTimeScheduler();
    const { ws } = open(PausableFake, { reconnect: reconnect({ initialDelay: 10, jitter: 0 }), scheduler });
    const first = PausableFake.made[0]!;
    const it = messages(ws, { highWaterMark: 1, lowWaterMark: 0 });
    first.receive('1');
    expect(first.isPaused).toBe(true);
    first.serverClose(1006, '', false);
    scheduler.flush();
    const second = PausableFake.made[1]!;
    expect(second.calls).toEqual([]);
    second.open();
    expect(second.calls).toEqual(['pause']);
    expect(it.buffered).toBe(1);
  });
});

describe('the heartbeat while a reader holds the socket paused', () => {
  function setup(): {
    ws: RxWebSocket<string, never>;
    fake: PausableFake;
    scheduler: VirtualTimeScheduler;
    errors: string[];
  } {
    const scheduler = new VirtualTimeScheduler(undefined, 100_000);
    const { ws } = open(PausableFake, { heartbeat: heartbeat({ interval: 10, timeout: 40 }), scheduler });
    const errors: string[] = [];
    ws.error$.subscribe((e) => errors.push(isWebSocketError(e) ? e.code : e.type));
    return { ws, fake: PausableFake.made[0]!, scheduler, errors };
  }
  const advance = (scheduler: VirtualTimeScheduler, to: number): void => {
    scheduler.maxFrames = to;
    scheduler.flush();
  };

  it('does not count the silence of a pause, and counts again from zero after it', async () => {
    const { ws, fake, scheduler, errors } = setup();
    const it = messages(ws, { highWaterMark: 1, lowWaterMark: 0 });
    advance(scheduler, 5);
    fake.receive('1');
    expect(fake.isPaused).toBe(true);
    // Far longer than the timeout: nothing can arrive, and the link is not taken for dead.
    advance(scheduler, 1000);
    expect(errors).toEqual([]);
    expect(ws.state).toBe('open');
    // Reading resumes at 1000: four silent checks of 10 ms later, the link is dead.
    await it.next();
    expect(fake.isPaused).toBe(false);
    advance(scheduler, 1039);
    expect(ws.state).toBe('open');
    advance(scheduler, 1040);
    expect(errors).toEqual(['ERR_WS_TIMEOUT']);
    expect(ws.state).toBe('closed');
  });

  it('without a reader, the same silence drops the link (the check above can fail)', () => {
    const { ws, scheduler, errors } = setup();
    advance(scheduler, 1000);
    expect(errors).toEqual(['ERR_WS_TIMEOUT']);
    expect(ws.state).toBe('closed');
  });
});

describe('messages(): bad input', () => {
  const ws = (): RxWebSocket<string, never> => open().ws;

  it.each([
    [{ highWaterMark: 0 }, /highWaterMark must be a whole number of values, 1 or more, got 0/],
    [{ highWaterMark: -1 }, /highWaterMark/],
    [{ highWaterMark: 1.5 }, /highWaterMark/],
    [{ highWaterMark: Number.NaN }, /highWaterMark/],
    [{ highWaterMark: Infinity }, /highWaterMark/],
    [{ highWaterMark: '10' }, /highWaterMark must be a whole number of values, 1 or more, got "10"/],
    [{ lowWaterMark: -1 }, /lowWaterMark must be a whole number of values, 0 or more/],
    [{ lowWaterMark: 0.5 }, /lowWaterMark/],
    [{ highWaterMark: 4, lowWaterMark: 4 }, /lowWaterMark \(4\) must be below highWaterMark \(4\)/],
    [{ highWaterMark: 4, lowWaterMark: 9 }, /lowWaterMark \(9\) must be below highWaterMark \(4\)/],
    [{ lowWaterMark: 256 }, /lowWaterMark \(256\) must be below highWaterMark \(256\)/],
    [{ overflow: 'drop' }, /overflow must be 'error', 'drop-oldest' or 'drop-newest', got "drop"/],
    [{ highwatermark: 4 }, /unknown messages\(\) option "highwatermark"/],
    [null, /takes an object of options/],
    [5, /takes an object of options/],
  ])('refuses %j with ERR_WS_INVALID_ARGUMENT', (options, message) => {
    const socket = ws();
    const error = thrown(() => messages(socket, options as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });

  it('refuses what is not a socket of the package', () => {
    const error = thrown(() =>
      messages({
        subscribe() {
          // Looks like an observable, is not a socket: the bad input under test.
        },
      } as never),
    );
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(/works on a socket made by WebSocket\(\) or new RxWebSocket\(\)/);
    expect(error.message).not.toMatch(/another copy/);
  });

  it('refuses a socket of another copy of the package (the built one here), and says so', async () => {
    // The built copy (dist/ is built by the global setup; not there for the typecheck).
    const built = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof import('../src/index.js');
    const ws = new built.RxWebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
    // The build keeps the class's name (the message names it, and so do stack traces).
    expect(ws.constructor.name).toBe('RxWebSocket');
    const error = thrown(() => messages(ws as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(
      /got a RxWebSocket of another copy of brython-websocket: take both from import, or both from require\(\)$/,
    );
    ws.close();
  });

  it('takes the defaults: highWaterMark 256, lowWaterMark 64', async () => {
    const { ws } = open(PausableFake);
    const fake = PausableFake.made[0]!;
    const it = messages(ws);
    for (let i = 0; i < 255; i++) fake.receive(String(i));
    expect(fake.isPaused).toBe(false);
    fake.receive('255');
    expect(fake.isPaused).toBe(true);
    for (let i = 0; i < 256 - 65; i++) await it.next();
    expect(fake.isPaused).toBe(true);
    await it.next();
    expect(it.buffered).toBe(64);
    expect(fake.isPaused).toBe(false);
  });
});
