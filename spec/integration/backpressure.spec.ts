/**
 * Backpressure on real `ws` sockets: a local `ws` server floods numbered messages, sending only
 * while its own send buffer is below a bound (as a well-behaved server does), and a `for await`
 * reader takes 1 ms per message for a stretch.
 *
 * Asserted:
 * - every message arrives once, in order;
 * - the client's `ws` socket is paused and resumed, and while it is paused the server finds its
 *   send buffer full and has to wait (TCP's own flow control has taken over): it is still
 *   waiting when the client resumes;
 * - the reader's buffer never holds more than `highWaterMark` plus the messages `ws` emitted
 *   after `pause()` (what it had already read from TCP), and that extra stays within one read
 *   of the socket (64 KiB) of frames. Both figures are printed.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { isWebSocketError } from '../../src/errors.js';
import { RxWebSocket } from '../../src/index.js';
import { heartbeat } from '../../src/resilience.js';
import { messages } from '../../src/streams.js';
import { listen, wsOverHttp, type WsOverHttp } from '../helpers/node-servers.js';

/** The server's bound on its own send buffer: it waits for `drain` above it. */
const SERVER_BUFFER = 256 * 1024;
/** A TCP socket's read size in Node: what `ws` may have read, and will still emit, when paused. */
const READ_SIZE = 64 * 1024;

interface Flood {
  readonly url: string;
  /** Times the server found its send buffer at its bound and waited, and how many of them began while the client was paused. */
  readonly stalls: { all: number; whilePaused: number };
  /** The server is waiting for its send buffer to drain now. */
  waiting: boolean;
  /** The server's largest `bufferedAmount` seen. */
  peakServerBuffer: number;
  readonly done: Promise<void>;
}

/** The message numbered `i`, `size` bytes long. */
const message = (i: number, size: number): string => String(i).padEnd(size, '.');

let server: WsOverHttp | undefined;
let client: RxWebSocket<unknown, never> | undefined;
afterEach(async () => {
  if (client !== undefined && client.state !== 'closed') client.close();
  await server?.close();
  server = client = undefined;
});

/** Starts a server that sends `n` messages of `size` bytes to each connection, then closes it with 1000. */
async function flood(n: number, size: number, clientPaused: () => boolean): Promise<Flood> {
  server = wsOverHttp();
  const port = await listen(server.http);
  let finished!: () => void;
  const result: Flood = {
    url: `ws://127.0.0.1:${port}/`,
    stalls: { all: 0, whilePaused: 0 },
    waiting: false,
    peakServerBuffer: 0,
    done: new Promise<void>((resolve) => (finished = resolve)),
  };
  server.wss.on('connection', (socket) => {
    void (async () => {
      const tcp = (socket as unknown as { _socket: NodeJS.EventEmitter })._socket;
      for (let i = 0; i < n; i++) {
        if (socket.readyState !== WsWebSocket.OPEN) return;
        socket.send(message(i, size));
        if (socket.bufferedAmount >= SERVER_BUFFER) {
          result.peakServerBuffer = Math.max(result.peakServerBuffer, socket.bufferedAmount);
          result.stalls.all++;
          if (clientPaused()) result.stalls.whilePaused++;
          result.waiting = true;
          await once(tcp, 'drain');
          result.waiting = false;
        }
      }
      socket.close(1000, 'all sent');
      finished();
    })();
  });
  return result;
}

/** `ws`'s client, counting pauses and the messages it emits while paused (per pause, the largest count). */
class Watched extends WsWebSocket {
  static last: Watched | undefined;
  /** Asked at each resume(): is the server waiting for its send buffer to drain? */
  static serverWaiting: () => boolean = () => false;
  pauses = 0;
  resumes = 0;
  /** Resumes that found the server waiting: TCP had pushed back on it during the pause. */
  resumedOnWaitingServer = 0;
  private sincePause = 0;
  maxAfterPause = 0;

  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    Watched.last = this;
    // Registered before the package's own listener: a message emitted while paused is counted.
    this.on('message', () => {
      if (!this.isPaused) return;
      this.sincePause++;
      this.maxAfterPause = Math.max(this.maxAfterPause, this.sincePause);
    });
  }

  override pause(): void {
    super.pause();
    this.pauses++;
    this.sincePause = 0;
  }

  override resume(): void {
    if (Watched.serverWaiting()) this.resumedOnWaitingServer++;
    super.resume();
    this.resumes++;
  }
}

describe('messages() on ws: a flood read by a slow consumer', () => {
  it('pauses the socket, lets TCP push back on the server, and loses or reorders nothing (200,000 messages)', async () => {
    const N = 200_000;
    const SIZE = 1024;
    const HIGH = 256;
    const LOW = 64;
    const SLOW = { from: 50_000, to: 51_500 };
    const feed = await flood(N, SIZE, () => Watched.last?.isPaused === true);
    Watched.serverWaiting = () => feed.waiting;
    const ws = (client = new RxWebSocket<string, never>(feed.url, { WebSocketCtor: Watched }));
    let expected = 0;
    let peak = 0;
    let wrong = 0;
    const reader = messages(ws, { highWaterMark: HIGH, lowWaterMark: LOW });
    for await (const value of reader) {
      if (value !== message(expected, SIZE)) wrong++;
      expected++;
      // The buffer is at its largest right before a value is taken: this one plus what waits.
      // Vitest's expect costs too much for 200,000 rounds: counted here, asserted after.
      peak = Math.max(peak, reader.buffered + 1);
      if (expected >= SLOW.from && expected < SLOW.to) await sleep(1);
    }
    await feed.done;
    const native = Watched.last!;
    const frame = SIZE + 4; // 126 to 65535 bytes: a 4-byte header, unmasked from the server
    const extraBound = Math.ceil(READ_SIZE / frame) + 1;
    console.log(
      `flood: ${N} × ${SIZE} B; pauses ${native.pauses}, resumes ${native.resumes}; reader's peak buffer ${peak} ` +
        `(highWaterMark ${HIGH}); most messages ws emitted after a pause() ${native.maxAfterPause} (bound ${extraBound}); ` +
        `server stalls ${feed.stalls.all} (${feed.stalls.whilePaused} began while the client was paused, ` +
        `${native.resumedOnWaitingServer} resumes found it waiting), ` +
        `server's peak bufferedAmount ${feed.peakServerBuffer} B`,
    );
    expect({ count: expected, wrong }).toEqual({ count: N, wrong: 0 });
    expect(ws.state).toBe('closed');
    expect(native.pauses).toBeGreaterThan(0);
    expect(native.resumes).toBeGreaterThanOrEqual(native.pauses - 1);
    // TCP pushed back on the server: it was waiting for its send buffer to drain when the client resumed.
    expect(native.resumedOnWaitingServer).toBeGreaterThan(0);
    expect(feed.peakServerBuffer).toBeGreaterThanOrEqual(SERVER_BUFFER);
    expect(peak).toBeLessThanOrEqual(HIGH + native.maxAfterPause);
    expect(native.maxAfterPause).toBeLessThanOrEqual(extraBound);
  }, 120_000);

  it('keeps a heartbeat from taking a paused socket for dead, and still counts after the pause', async () => {
    const N = 3000;
    const feed = await flood(N, 64, () => Watched.last?.isPaused === true);
    const ws = (client = new RxWebSocket<string, never>(feed.url, {
      WebSocketCtor: Watched,
      heartbeat: heartbeat({ interval: 20, timeout: 60 }),
    }));
    const errors: string[] = [];
    ws.error$.subscribe((e) => errors.push(isWebSocketError(e) ? e.code : e.type));
    let count = 0;
    const received = messages(ws, { highWaterMark: 256, lowWaterMark: 64 });
    // 256 - 64 = 192 values taken at 1 ms or more each: paused for about 200 ms, over three times the timeout.
    while (!(await received.next()).done) {
      count++;
      if (count <= 400) await sleep(1);
    }
    expect(Watched.last!.pauses).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(count).toBe(N);
  }, 60_000);

  it('break resumes the socket and leaves it open', async () => {
    const feed = await flood(20_000, 64, () => false);
    const ws = (client = new RxWebSocket<string, never>(feed.url, { WebSocketCtor: Watched }));
    const seen: string[] = [];
    for await (const value of messages(ws, { highWaterMark: 8, lowWaterMark: 2 })) {
      seen.push(value);
      await sleep(1);
      if (seen.length === 20) break;
    }
    const native = Watched.last!;
    expect(native.pauses).toBeGreaterThan(0);
    expect(native.isPaused).toBe(false);
    expect(ws.state).toBe('open');
    // The socket reads on: the server can send everything, and closes it itself.
    const closed = new Promise<number>((resolve) => ws.close$.subscribe((e) => resolve(e.code)));
    await feed.done;
    expect(await closed).toBe(1000);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => message(i, 64)));
  }, 60_000);
});
