/**
 * `writable()`: a WritableStream whose writes wait for the socket's `bufferedAmount` and its
 * send queue. The waiting is polled on the scheduler, so these specs run in virtual time: a
 * `VirtualTimeScheduler` moved on one frame (1 ms) at a time, with the stream's own promise
 * steps run between frames.
 */
import { VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloseError, isWebSocketError } from '../src/errors.js';
import { writable } from '../src/streams.js';
import { FakeWebSocket } from '../src/testing/index.js';
import { RxWebSocket } from '../src/websocket.js';
import { BufferingFake } from './helpers/pausable-fake.js';
import { thrown } from './helpers/thrown.js';
import { instanceOf } from './helpers/instance-of.js';

beforeEach(() => {
  FakeWebSocket.reset();
});

let sockets: RxWebSocket<unknown, string>[] = [];
afterEach(() => {
  for (const ws of sockets) if (ws.state !== 'closed') ws.close();
  sockets = [];
});

/** Runs every promise step that is ready (the stream's internals take several). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class Clock {
  readonly scheduler = new VirtualTimeScheduler();
  private readonly at = new Map<number, (() => void)[]>();

  /** Runs `fn` at `frame`, before the stream's polls of that frame. */
  on(frame: number, fn: () => void): void {
    this.at.set(frame, [...(this.at.get(frame) ?? []), fn]);
  }

  /** Moves time on to `to`, one frame at a time, settling promises at each. */
  async until(to: number): Promise<void> {
    for (let frame = this.scheduler.now() + 1; frame <= to; frame++) {
      // A no-op action at `frame`, so that the clock reads `frame` even when nothing else is due.
      this.scheduler.schedule(() => undefined, frame - this.scheduler.now());
      this.scheduler.maxFrames = frame;
      for (const fn of this.at.get(frame) ?? []) this.scheduler.schedule(fn, frame - this.scheduler.now());
      this.scheduler.flush();
      await settle();
      this.scheduler.flush();
      await settle();
    }
  }
}

function open(
  options: Record<string, unknown> = {},
  openNow = true,
): { ws: RxWebSocket<unknown, string>; fake: BufferingFake } {
  const ws = new RxWebSocket<unknown, string>('ws://test/', { WebSocketCtor: BufferingFake, ...options });
  sockets.push(ws);
  const fake = instanceOf(FakeWebSocket.last, BufferingFake);
  if (openNow) fake.open();
  return { ws, fake };
}

describe('writable(): writes wait for bufferedAmount and the queue, polled in virtual time', () => {
  it('resolves a write at the first poll that finds bufferedAmount below highWaterMark', async () => {
    const clock = new Clock();
    const { ws, fake } = open();
    const writer = writable(ws, { highWaterMark: 100, pollInterval: 10, scheduler: clock.scheduler }).getWriter();
    const resolved: [string, number][] = [];
    const write = (chunk: string): Promise<void> =>
      writer.write(chunk).then(() => void resolved.push([chunk, clock.scheduler.now()]));
    await write('a');
    expect(resolved).toEqual([['a', 0]]);
    // Handed over, not yet gone out: 500 bytes wait in the socket.
    fake.buffered = 500;
    const b = write('b');
    await settle();
    expect(fake.sent).toEqual(['a', 'b']);
    clock.on(35, () => (fake.buffered = 99));
    await clock.until(39);
    expect(resolved).toEqual([['a', 0]]);
    await clock.until(40);
    await b;
    expect(resolved).toEqual([
      ['a', 0],
      ['b', 40],
    ]);
    writer.releaseLock();
  });

  it('waits while the send queue is at maxQueue (connecting), so a fast producer never meets ERR_WS_QUEUE_FULL', async () => {
    const clock = new Clock();
    const { ws, fake } = open({ maxQueue: 2 }, false);
    const writer = writable(ws, { pollInterval: 10, scheduler: clock.scheduler }).getWriter();
    const resolved: [string, number][] = [];
    const writes = ['x', 'y', 'z'].map((chunk) =>
      writer.write(chunk).then(() => void resolved.push([chunk, clock.scheduler.now()])),
    );
    await settle();
    // 'x' resolves with room left in the queue; 'y' fills it and waits; 'z' waits behind it.
    expect(ws.queued).toBe(2);
    expect(resolved).toEqual([['x', 0]]);
    clock.on(25, () => fake.open());
    await clock.until(29);
    expect(fake.sent).toEqual(['x', 'y']);
    expect(resolved).toEqual([['x', 0]]);
    await clock.until(30);
    await Promise.all(writes);
    expect(resolved).toEqual([
      ['x', 0],
      ['y', 30],
      ['z', 30],
    ]);
    expect(fake.sent).toEqual(['x', 'y', 'z']);
  });

  it("takes the socket's options.scheduler when none is given", async () => {
    const clock = new Clock();
    const { ws, fake } = open({ scheduler: clock.scheduler });
    const writer = writable(ws, { highWaterMark: 10 }).getWriter();
    fake.buffered = 10;
    let done = -1;
    const w = writer.write('a').then(() => (done = clock.scheduler.now()));
    await settle();
    clock.on(15, () => (fake.buffered = 0));
    await clock.until(20);
    await w;
    // The default poll interval is 10 ms.
    expect(done).toBe(20);
  });

  it('close() waits until everything went out, then closes the socket with closeSocket', async () => {
    const clock = new Clock();
    const { ws, fake } = open();
    const writer = writable(ws, {
      highWaterMark: 1000,
      pollInterval: 10,
      scheduler: clock.scheduler,
      closeSocket: true,
    }).getWriter();
    await writer.write('a');
    fake.buffered = 5;
    let closedAt = -1;
    const closing = writer.close().then(() => (closedAt = clock.scheduler.now()));
    clock.on(12, () => (fake.buffered = 0));
    await clock.until(20);
    await closing;
    expect(closedAt).toBe(20);
    expect(ws.state).toBe('closed');
    expect(fake.closeRequest).toEqual({ code: 1000, reason: '' });
  });
});

describe('writable(): ends with the socket', () => {
  it('errors with the CloseError of an unclean final close; a waiting write rejects with it', async () => {
    const clock = new Clock();
    const { ws, fake } = open();
    const writer = writable(ws, { highWaterMark: 10, scheduler: clock.scheduler }).getWriter();
    fake.buffered = 100;
    const write = writer.write('a');
    await settle();
    fake.serverClose(1011, 'boom', false);
    await expect(write).rejects.toBeInstanceOf(CloseError);
    await expect(writer.closed).rejects.toMatchObject({ code: 'ERR_WS_CLOSED', closeCode: 1011 });
  });

  it('errors with ERR_WS_INVALID_STATE after a clean final close, and on a socket already closed', async () => {
    const { ws, fake } = open();
    const writer = writable(ws).getWriter();
    fake.serverClose(1000, 'bye');
    const error = await writer.closed.catch((e: unknown) => e);
    expect(isWebSocketError(error) && error.code).toBe('ERR_WS_INVALID_STATE');
    expect((error as Error).message).toMatch(/closed for good \(code 1000\); nothing more can be written/);
    const late = await writable(ws)
      .getWriter()
      .closed.catch((e: unknown) => e);
    expect(isWebSocketError(late) && late.code).toBe('ERR_WS_INVALID_STATE');
  });

  it('a write the socket refuses rejects with its error (a serializer error)', async () => {
    const ws = new RxWebSocket<unknown, string>('ws://test/', {
      WebSocketCtor: FakeWebSocket,
      serializer: () => {
        throw new TypeError('cannot serialize');
      },
    });
    sockets.push(ws);
    FakeWebSocket.last.open();
    await expect(writable(ws).getWriter().write('a')).rejects.toThrow('cannot serialize');
  });

  it("abort() leaves the socket open, or closes it with the reason's code with closeSocket", async () => {
    const { ws } = open();
    await writable(ws).abort(new Error('stop'));
    expect(ws.state).toBe('open');
    await writable(ws, { closeSocket: true }).abort({ code: 4000, reason: 'producer failed' });
    expect(ws.state).toBe('closed');
    expect(FakeWebSocket.last.closeRequest).toEqual({ code: 4000, reason: 'producer failed' });
  });

  it('pipeTo from a producer of 1,000 chunks into a connecting socket with maxQueue 8: all sent in order, no ERR_WS_QUEUE_FULL', async () => {
    const clock = new Clock();
    const { ws, fake } = open({ maxQueue: 8 }, false);
    const chunks = Array.from({ length: 1000 }, (_, i) => String(i));
    const source = new ReadableStream<string>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
    const piped = source.pipeTo(writable(ws, { scheduler: clock.scheduler, pollInterval: 5 }));
    clock.on(50, () => fake.open());
    await clock.until(50);
    while (fake.sent.length < chunks.length) await clock.until(clock.scheduler.now() + 5);
    await piped;
    expect(fake.sent).toEqual(chunks);
    expect(ws.queued).toBe(0);
  });
});

describe('writable(): bad input', () => {
  it.each([
    [{ highWaterMark: 0 }, /highWaterMark must be a whole number of bytes, 1 or more/],
    [{ highWaterMark: 1.5 }, /highWaterMark/],
    [{ pollInterval: 0 }, /pollInterval must be a number of milliseconds above 0/],
    [{ pollInterval: 2 ** 31 }, /at most 2147483647/],
    [{ scheduler: {} }, /scheduler must be an RxJS scheduler/],
    [{ closeSocket: 'yes' }, /closeSocket must be true or false/],
    [{ hwm: 1 }, /unknown writable\(\) option "hwm"/],
    ['fast', /takes an object of options/],
  ])('refuses %j with ERR_WS_INVALID_ARGUMENT', (options, message) => {
    const { ws } = open();
    const error = thrown(() => writable(ws, options as never));
    expect(error.code).toBe('ERR_WS_INVALID_ARGUMENT');
    expect(error.message).toMatch(message);
  });
});
