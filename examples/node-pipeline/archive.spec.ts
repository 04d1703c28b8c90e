/**
 * The `for await` variant of the Node pipeline (archive.ts): a real `ws` server floods ticks,
 * and they are written to a real file through a write stream with a 1 KiB highWaterMark.
 *
 *   npx vitest run examples/node-pipeline/archive.spec.ts
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { CloseError } from 'brython-websocket';
import { startEchoServer, type EchoServer } from '../../spec/integration/server.js';
import { archiveTicks } from './archive.js';
import { connectTicks, type Tick } from './pipeline.js';

const tick = (i: number): Tick => ({
  symbol: ['AAPL', 'MSFT', 'NVDA'][i % 3]!,
  price: 100 + (i % 50),
  size: 1 + (i % 7),
});

/** The most messages one 64 KiB read of `ws` can hold: what it still emits after `pause()`. */
const ONE_READ =
  Math.ceil((64 * 1024) / Math.min(...Array.from({ length: 350 }, (_, i) => JSON.stringify(tick(i)).length + 2))) + 1;

/** `ws`'s client, counting its pauses. */
class Counted extends WsWebSocket {
  static pauses = 0;
  override pause(): void {
    super.pause();
    Counted.pauses++;
  }
}

let server: EchoServer | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ticks-'));
  Counted.pauses = 0;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A server that sends `n` ticks to each connection, then closes it as `end` says. */
async function feed(n: number, end: { code: number; clean: boolean }): Promise<string> {
  server = await startEchoServer({
    onConnection: (connection) => {
      for (let i = 0; i < n - 1; i++) connection.socket.send(JSON.stringify(tick(i)));
      // Once the last tick is handed to TCP: a close frame, or the connection cut without one.
      connection.socket.send(JSON.stringify(tick(n - 1)), () =>
        end.clean ? connection.close(end.code, 'end of feed') : connection.terminate(),
      );
    },
  });
  return `${server.url}/ticks`;
}

describe('archiveTicks: for await into a file write stream', () => {
  it('writes every tick, in order, to the file, in bounded memory, and ends with the feed', async () => {
    const N = 20_000;
    const url = await feed(N, { code: 1000, clean: true });
    const path = join(dir, 'ticks.jsonl');
    // The file's buffer holds about 20 lines: the loop waits for its drain every 20 ticks.
    const result = await archiveTicks(
      connectTicks(url, { reconnect: false, WebSocketCtor: Counted }),
      createWriteStream(path, { highWaterMark: 1024 }),
    );
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(result.written).toBe(N);
    expect(lines).toHaveLength(N);
    expect(lines.map((line) => JSON.parse(line) as Tick)).toEqual(Array.from({ length: N }, (_, i) => tick(i)));
    expect(result.peakBuffered).toBeLessThanOrEqual(256 + ONE_READ);
  }, 60_000);

  it('pauses the socket when the sink is slower than the feed, and still loses nothing', async () => {
    const N = 5000;
    const url = await feed(N, { code: 1000, clean: true });
    const got: string[] = [];
    // A sink that takes a turn of the event loop for each line and buffers at most 256 bytes.
    const slow = new Writable({
      highWaterMark: 256,
      write(chunk: Buffer, _encoding, callback) {
        got.push(chunk.toString());
        setImmediate(callback);
      },
    });
    const result = await archiveTicks(connectTicks(url, { reconnect: false, WebSocketCtor: Counted }), slow, {
      highWaterMark: 64,
      lowWaterMark: 16,
    });
    expect(result.written).toBe(N);
    expect(got.map((line) => JSON.parse(line) as Tick)).toEqual(Array.from({ length: N }, (_, i) => tick(i)));
    expect(Counted.pauses).toBeGreaterThan(0);
    expect(result.peakBuffered).toBeLessThanOrEqual(64 + ONE_READ);
  }, 60_000);

  it('rejects with the CloseError of a dropped feed, after writing the ticks before it', async () => {
    const url = await feed(100, { code: 1006, clean: false });
    const path = join(dir, 'ticks.jsonl');
    const done = archiveTicks(
      connectTicks(url, { reconnect: false }),
      createWriteStream(path, { highWaterMark: 1024 }),
    );
    await expect(done).rejects.toBeInstanceOf(CloseError);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(100);
  });
});
