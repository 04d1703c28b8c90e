/**
 * The soak's client, in its own process, on the BUILT package (dist/index.js, and
 * dist/resilience.js for `reconnect()`) and `ws`:
 *
 *   node --expose-gc spec/integration/soak-client.mjs <url> <seed> <sockets> <messages>
 *
 * A round opens <sockets> RxWebSockets at once (reconnect on with tiny delays, maxQueue
 * Infinity) to `<url>/<round>/<i>`, and each sends the numbers 1..<messages> in order, a batch
 * of 1 to 32 per turn of the event loop (batch sizes drawn from the seed), whatever its state:
 * `l<n>` when the socket is open (send() must return true), `q<n>` otherwise (it must return
 * false: queued). Once a socket has sent its last number and its queue has been flushed to an
 * open connection, it closes with 1000. The round ends when every socket's subject face has
 * ended.
 *
 * Two such rounds run, `warm` then `soak`. The heap and the active resources are measured after
 * gc() between them (the warm-up's code is compiled and optimised, Node's pools are filled:
 * those count for nobody), then again once the soak round's sockets are all closed and
 * dropped. A FinalizationRegistry counts, per round, the RxWebSockets and native sockets made
 * and those collected. Prints one JSON line with the figures and, per round and socket, a
 * bitmap (base64) of the numbers that were queued.
 *
 * It never calls process.exit() on success: a handle left open would show as a process that
 * does not end. A watchdog (unreferenced, so it holds nothing) prints what it has and exits
 * with code 2 if a round has not ended after WATCHDOG_MS.
 */
import { WebSocket as WsWebSocket } from 'ws';
import { RxWebSocket } from '../../dist/index.js';
import { reconnect } from '../../dist/resilience.js';
import { mix, mulberry32 } from './soak-prng.mjs';

const [url, seedText, socketsText, messagesText] = process.argv.slice(2);
const seed = Number(seedText) >>> 0;
const SOCKETS = Number(socketsText);
const MESSAGES = Number(messagesText);
const BYTES = Math.ceil((MESSAGES + 1) / 8);
const MAX_BATCH = 32;
const WATCHDOG_MS = 75_000;
// One feature object for every socket: each socket it is attached to keeps its own count.
const RECONNECT = reconnect({ initialDelay: 1, maxDelay: 16, factor: 2, jitter: 0, resetAfter: 0, attempts: 50 });
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

/** Per round, how many RxWebSockets and native sockets were made, and how many were collected. */
const lifetimes = {};
const collected = new FinalizationRegistry((key) => lifetimes[key].collected++);
function track(round, kind, object) {
  const key = `${round}.${kind}`;
  lifetimes[key] ??= { made: 0, collected: 0 };
  lifetimes[key].made++;
  collected.register(object, key);
}
/** `ws`'s WebSocket, made known to the FinalizationRegistry. */
function nativeFor(round) {
  return class extends WsWebSocket {
    constructor(address, protocols) {
      super(address, protocols);
      track(round, 'native', this);
    }
  };
}

const began = performance.now();
const out = {
  seed,
  fdLimit: process.env.SOAK_FD_LIMIT ?? null,
  sockets: SOCKETS,
  messages: MESSAGES,
  phase: 'start',
  warm: null,
  soak: null,
  heap: { before: 0, after: 0 },
  resources: { before: [], after: [] },
  lifetimes,
  totalMs: 0,
  queuedBits: { warm: '', soak: '' },
};

const watchdog = setTimeout(() => {
  out.phase += ' (watchdog: not ended after 75 s)';
  out.totalMs = performance.now() - began;
  process.stdout.write(`${JSON.stringify(out)}\n`, () => process.exit(2));
}, WATCHDOG_MS);
watchdog.unref();

/** A few turns of the event loop, each followed by a full collection; then the heap. */
async function settle() {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc();
  }
  return process.memoryUsage().heapUsed;
}

function count(table, key) {
  table[key] = (table[key] ?? 0) + 1;
}

/** One round: `n` sockets, `m` numbers each. Resolves with its figures once every socket has ended. */
function round(name, n, m, queuedBits) {
  const t0 = performance.now();
  const stats = {
    ms: 0,
    sends: 0,
    live: 0,
    queued: 0,
    mismatches: 0,
    sendErrors: [],
    reconnects: 0,
    dropCloses: {},
    finals: {},
    faces: { complete: 0, error: 0 },
    errors: {},
    leftQueued: 0,
    sendingAtEnd: 0,
  };
  return new Promise((resolve) => {
    let endedCount = 0;
    const sockets = [];
    const closeWhenFlushed = (entry) => {
      const { ws } = entry;
      if (entry.closing) return;
      if (ws.state === 'open' && ws.queued === 0) {
        entry.closing = true;
        ws.close(1000, 'done');
        return;
      }
      // Still queued, or not open: the next open flushes the queue right after its handlers
      // (open$ included) have run, so look again once that native event is over.
      if (entry.waiting) return;
      entry.waiting = true;
      const subscription = ws.open$.subscribe(() =>
        queueMicrotask(() => {
          entry.waiting = false;
          subscription.unsubscribe();
          closeWhenFlushed(entry);
        }),
      );
    };
    const finish = () => {
      stats.ms = performance.now() - t0;
      for (const entry of sockets) {
        stats.leftQueued += entry.ws.queued;
        if (entry.next <= m) stats.sendingAtEnd++;
      }
      sockets.length = 0;
      resolve(stats);
    };
    const WebSocketCtor = nativeFor(name);
    for (let i = 0; i < n; i++) {
      const ws = new RxWebSocket(`${url}/${name}/${i}`, { WebSocketCtor, reconnect: RECONNECT, maxQueue: Infinity });
      track(name, 'rx', ws);
      const entry = { i, ws, next: 1, random: mulberry32(mix(seed, i, 0xba7c4)), closing: false, waiting: false };
      ws.close$.subscribe((event) => {
        if (ws.state === 'reconnecting') {
          stats.reconnects++;
          count(stats.dropCloses, `${event.code}/${event.wasClean}`);
        } else count(stats.finals, `${event.code}/${event.wasClean}`);
      });
      ws.error$.subscribe((error) => count(stats.errors, String(error?.error?.code ?? error?.code ?? error?.message)));
      const onEnded = () => {
        if (++endedCount === n) finish();
      };
      ws.subscribe({
        complete: () => {
          stats.faces.complete++;
          onEnded();
        },
        error: () => {
          stats.faces.error++;
          onEnded();
        },
      });
      sockets.push(entry);
    }
    const sending = new Set(sockets);
    const tick = () => {
      for (const entry of sending) {
        const { ws, i } = entry;
        const k = 1 + Math.floor(entry.random() * MAX_BATCH);
        for (let j = 0; j < k && entry.next <= m; j++) {
          const number = entry.next++;
          const live = ws.state === 'open' && ws.readyState === RxWebSocket.OPEN;
          let sent;
          stats.sends++;
          try {
            sent = ws.send(`${live ? 'l' : 'q'}${number}`);
          } catch (error) {
            if (stats.sendErrors.length < 10) stats.sendErrors.push(`${name}/${i}: ${number}: ${error?.message}`);
            continue;
          }
          if (sent !== live) stats.mismatches++;
          if (sent) stats.live++;
          else {
            stats.queued++;
            queuedBits[i * BYTES + (number >>> 3)] |= 1 << (number & 7);
          }
        }
        if (entry.next > m) {
          sending.delete(entry);
          closeWhenFlushed(entry);
        }
      }
      if (sending.size > 0) setImmediate(tick);
    };
    setImmediate(tick);
  });
}

const queuedBits = { warm: new Uint8Array(SOCKETS * BYTES), soak: new Uint8Array(SOCKETS * BYTES) };
out.phase = 'warm';
out.warm = await round('warm', SOCKETS, MESSAGES, queuedBits.warm);
out.heap.before = await settle();
out.resources.before = process.getActiveResourcesInfo().sort();
out.phase = 'soak';
out.soak = await round('soak', SOCKETS, MESSAGES, queuedBits.soak);
out.heap.after = await settle();
out.resources.after = process.getActiveResourcesInfo().sort();
out.phase = 'done';
out.totalMs = performance.now() - began;
out.queuedBits = {
  warm: Buffer.from(queuedBits.warm).toString('base64'),
  soak: Buffer.from(queuedBits.soak).toString('base64'),
};
clearTimeout(watchdog);
process.stdout.write(`${JSON.stringify(out)}\n`);
