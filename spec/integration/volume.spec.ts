/**
 * Volume across reconnects, against a real `ws` server: 10,000 numbered messages over ten
 * connections, nine of them killed by the server in the middle of the client's sending.
 *
 * What is guaranteed, and asserted exactly:
 * - every message `send()` queued (it returned `false`: sent while connecting or reconnecting)
 *   reaches the server once, in order, on the connection that follows;
 * - nothing reaches the server twice, and everything it receives is in increasing order.
 *
 * What is not (the documented limit): a message `ws` had already taken (`send()` returned
 * `true`) when the server killed the link may be lost in flight; the package does not send it
 * again. The test checks that such losses are only ever the tail of what one dying connection
 * had taken, and reports how many there were.
 */
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { RawData } from 'ws';
import { RxWebSocket } from '../../src/index.js';
import type { SocketState, WsCloseEvent } from '../../src/index.js';
import { reconnect } from '../../src/resilience.js';
import { listenerCounts, record, recordingCtor, trackingScheduler } from './probes.js';
import { startEchoServer, type EchoServer } from './server.js';
import { bufferOf } from '../helpers/node-servers.js';

const CONNECTIONS = 10;
/** Per connection: 500 messages queued while down, then 500 sent while open. */
const QUEUED = 500;
const LIVE = 500;
const PER_CONNECTION = QUEUED + LIVE;
const TOTAL = CONNECTIONS * PER_CONNECTION;
/**
 * Where in its live batch each of the first nine connections is killed: the server terminates
 * it on receiving that live message (0-based). From the first live message to the last.
 */
const KILL_AT = [0, 1, 37, 100, 250, 333, 420, 498, 499] as const;

/** The numbers connection `c` is handed: first the queued ones, then the live ones. */
function queuedOf(c: number): number[] {
  return Array.from({ length: QUEUED }, (_, i) => c * PER_CONNECTION + i + 1);
}
function liveOf(c: number): number[] {
  return Array.from({ length: LIVE }, (_, i) => c * PER_CONNECTION + QUEUED + i + 1);
}

let server: EchoServer | undefined;
let client: { close(): void } | undefined;

afterEach(async () => {
  client?.close();
  await server?.close();
  server = client = undefined;
});

describe('volume across reconnects', () => {
  it('10,000 numbered messages, 9 forced drops: every queued one arrives once and in order, no duplicate', async ({
    annotate,
  }) => {
    expect(TOTAL).toBe(10_000);
    expect(KILL_AT).toHaveLength(CONNECTIONS - 1);
    server = await startEchoServer();
    // The server kills connection c (c < 9) as soon as it receives its KILL_AT[c]-th live message.
    for (let c = 0; c < CONNECTIONS - 1; c++) {
      const killAt = String(liveOf(c)[KILL_AT[c]!]!);
      void server.connection(c).then((connection) => {
        connection.socket.on('message', (data: RawData) => {
          if (bufferOf(data).toString('utf8') === killAt) connection.terminate();
        });
      });
    }

    const { Ctor, instances } = recordingCtor();
    const scheduler = trackingScheduler();
    onTestFinished(() => scheduler.cancelAll());
    const ws = new RxWebSocket(server.url, {
      WebSocketCtor: Ctor,
      reconnect: reconnect({ initialDelay: 20, maxDelay: 100, jitter: 0 }),
      maxQueue: Infinity,
      scheduler,
    });
    client = ws;
    const opens = record(ws.open$);
    const closes = record(ws.close$);
    const lastEcho = firstValueFrom(ws.message$.pipe(filter((e) => e.data === String(TOTAL))));

    /** What send() returned for each number, and the state it was called in. */
    const results = new Map<number, boolean>();
    const queuedIn: SocketState[] = [];
    const liveIn: SocketState[] = [];
    const queuedAtOpen: number[] = [];
    const send = (numbers: readonly number[], states: SocketState[]): void => {
      states.push(ws.state);
      for (const n of numbers) results.set(n, ws.send(String(n)));
    };

    // Connection 0's queue is sent while the first socket is still connecting.
    send(queuedOf(0), queuedIn);
    for (let c = 0; c < CONNECTIONS; c++) {
      await opens.at(c);
      // The open handlers have run and the queue has been flushed to the new socket.
      queuedAtOpen.push(ws.queued);
      send(liveOf(c), liveIn);
      if (c === CONNECTIONS - 1) break;
      // The server kills the link on one of those live messages; the close follows.
      await closes.at(c);
      const next = queuedOf(c + 1);
      send(next.slice(0, QUEUED / 2), queuedIn);
      await firstValueFrom(ws.state$.pipe(filter((state) => state !== 'reconnecting')));
      send(next.slice(QUEUED / 2), queuedIn);
    }
    await lastEcho;
    ws.close();
    await closes.done;
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, c) => server!.closeOf(c)));

    // The states sends were made in, and what send() said.
    expect(queuedIn).toEqual([
      'connecting',
      ...Array.from({ length: CONNECTIONS - 1 }, () => ['reconnecting', 'connecting']).flat(),
    ]);
    expect(liveIn).toEqual(Array.from({ length: CONNECTIONS }, () => 'open'));
    expect(queuedAtOpen).toEqual(Array.from({ length: CONNECTIONS }, () => 0));
    const queued = Array.from({ length: CONNECTIONS }, (_, c) => queuedOf(c)).flat();
    const live = Array.from({ length: CONNECTIONS }, (_, c) => liveOf(c)).flat();
    expect(results.size).toBe(TOTAL);
    expect(queued.filter((n) => results.get(n) !== false)).toEqual([]);
    expect(live.filter((n) => results.get(n) !== true)).toEqual([]);

    // Nine drops, then the final close.
    const closeOf = (e: WsCloseEvent) => [e.code, e.wasClean];
    expect(closes.values.map(closeOf)).toEqual([
      ...Array.from({ length: CONNECTIONS - 1 }, () => [1006, false]),
      [1000, true],
    ]);
    expect(server.connections).toHaveLength(CONNECTIONS);

    // Per connection: what the server received is a prefix of what that connection was
    // handed (its queue, then its live batch), reaching at least the message that killed it;
    // the last connection received all of it.
    const received = server.connections.map((connection) => connection.received.map((m) => Number(m.data)));
    const lostByConnection: number[][] = [];
    for (let c = 0; c < CONNECTIONS; c++) {
      const handed = [...queuedOf(c), ...liveOf(c)];
      const got = received[c]!;
      expect(got).toEqual(handed.slice(0, got.length));
      expect(got.length).toBeGreaterThanOrEqual(c < CONNECTIONS - 1 ? QUEUED + KILL_AT[c]! + 1 : PER_CONNECTION);
      lostByConnection.push(handed.slice(got.length));
    }

    // Across all connections: strictly increasing (so no duplicate), every queued message
    // exactly once, and what is missing is exactly the in-flight losses, all live ones.
    const all = received.flat();
    expect(all.every((n, i) => i === 0 || n > all[i - 1]!)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    const seen = new Set(all);
    expect(queued.filter((n) => !seen.has(n))).toEqual([]);
    const lost = lostByConnection.flat();
    expect(lost.filter((n) => results.get(n) !== true)).toEqual([]);
    expect(all.length + lost.length).toBe(TOTAL);
    expect(lostByConnection[CONNECTIONS - 1]).toEqual([]);
    await annotate(
      `${all.length} of ${TOTAL} received; ${lost.length} lost in flight ` +
        `(taken by ws before a drop), per connection: ${lostByConnection.map((l) => l.length).join(', ')}`,
    );

    // Nothing left behind.
    await Promise.all(instances.map((native) => native.closed));
    expect(instances).toHaveLength(CONNECTIONS);
    expect(instances.map(listenerCounts)).toEqual(
      Array.from({ length: CONNECTIONS }, () => ({ open: 0, message: 0, error: 0, close: 0 })),
    );
    expect(scheduler.pendingDelays()).toEqual([]);
    expect(ws.queued).toBe(0);
  });
});
