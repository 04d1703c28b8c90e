/**
 * The tick feed, pulled with `for await` into a slow sink that respects backpressure: each tick
 * is appended as one JSON line to a file write stream with a small `highWaterMark`. When the
 * file falls behind, the loop waits for its `drain`; while the loop waits, the ticks wait in
 * the reader's bounded buffer; when that buffer is full, the `ws` socket stops reading and TCP
 * makes the server wait. Memory stays flat however far the file falls behind.
 *
 *   archiveTicks(connectTicks(url), createWriteStream('ticks.jsonl', { highWaterMark: 1024 }))
 *
 * Tests: `npx vitest run examples/node-pipeline/archive.spec.ts` (a real `ws` server and a real file).
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { RxWebSocket } from 'brython-websocket';
import { messages, type ReadOptions } from 'brython-websocket/streams';
import type { Tick } from './pipeline.js';

/** What `archiveTicks` reports once the feed has ended. */
export interface ArchiveResult {
  /** How many ticks were written. */
  readonly written: number;
  /** The most ticks that waited unread at one time: bounded by `highWaterMark` (plus what `ws` had already read). */
  readonly peakBuffered: number;
}

/**
 * Writes every tick of `ticks` to `file` as a line of JSON, as fast as the file takes them and
 * no faster, until the feed ends (a clean close); then ends the file and waits until it is
 * flushed. An unclean close rejects with the `CloseError`, after the ticks before it were
 * written. `reading` sets the reader's water marks.
 */
export async function archiveTicks(
  ticks: RxWebSocket<Tick, never>,
  file: Writable,
  reading: ReadOptions = { highWaterMark: 256, lowWaterMark: 64 },
): Promise<ArchiveResult> {
  let written = 0;
  let peakBuffered = 0;
  const reader = messages(ticks, reading);
  let failure: { error: unknown } | undefined;
  try {
    for await (const tick of reader) {
      peakBuffered = Math.max(peakBuffered, reader.buffered + 1);
      // write() returns false once the file's buffer is over its highWaterMark: wait for it.
      if (!file.write(`${JSON.stringify(tick)}\n`)) await once(file, 'drain');
      written++;
    }
  } catch (error) {
    failure = { error };
  }
  // What was written before an unclean close is kept: the file is flushed either way.
  file.end();
  await finished(file);
  if (failure !== undefined) throw failure.error;
  return { written, peakBuffered };
}
