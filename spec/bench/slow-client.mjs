/**
 * One "slow consumer" run of one contender, in a fresh process (run with --expose-gc):
 *   node --expose-gc slow-client.mjs <contender> <url of /flood?n=N&size=S> <N> <work µs> [<deadline s>]
 *
 * On open it sends "go", the server floods N messages, and each message goes to the same
 * async sink: <work µs> of CPU work, then a turn of the event loop (`setImmediate`), as a
 * database or file write would take. With 0 µs the sink is skipped: the loop body only counts
 * (the fast-consumer throughput figure).
 *
 * Contenders:
 * - `ours-for-await`: `for await (const m of messages(ws, { highWaterMark: 256, lowWaterMark: 64 }))`;
 * - `ours-message$`: `ws.message$.subscribe(...)` (no backpressure; for the fast figure);
 * - `rxjs-concatMap`: RxJS `webSocket(...).pipe(concatMap(sink))`;
 * - `ws-pause`: raw `ws` with a hand-written buffer, `pause()` at 256 waiting, `resume()` at 64.
 *
 * Every 100 ms a sampler forces a full GC and reads the heap, so garbage is not counted: the
 * peak retained heap over the baseline taken once open (modules loaded, before the flood). The
 * peak RSS is the process's `maxRSS` over the RSS at that baseline. A run still going at the
 * deadline (default 120 s) stops there. RxJS's `concatMap` holds the whole backlog (about
 * 200 MiB), and each forced GC of the sampler then collects all of it, so it cannot finish in
 * time; its peak is reached long before, once the backlog is complete. Prints one JSON line:
 * `{ "ms", "count", "heapPeak": <bytes over baseline>, "rssPeak": <bytes over baseline>, "finished" }`.
 */
import { performance } from 'node:perf_hooks';

const [name, url, nText, workText] = process.argv.slice(2);
const n = Number(nText);
const workUs = Number(workText);
const deadlineMs = Number(process.argv[6] ?? 120) * 1000;
const HIGH = 256;
const LOW = 64;
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');

const DIST = new URL('../../dist/index.js', import.meta.url).href;
const DIST_STREAMS = new URL('../../dist/streams.js', import.meta.url).href;
const { WebSocket: WsCtor } = await import('ws');

/** `workUs` of CPU work, then a turn of the event loop. */
const sink = (data) => {
  const end = performance.now() + workUs / 1000;
  let x = data.length;
  while (performance.now() < end) x++;
  return new Promise((resolve) => setImmediate(resolve, x));
};

let count = 0;
let t0 = 0;
let baseHeap = 0;
let baseRss = 0;
let heapPeak = 0;
let sampler;

const startMeasuring = () => {
  globalThis.gc();
  baseHeap = process.memoryUsage().heapUsed;
  baseRss = process.memoryUsage.rss();
  sampler = setInterval(() => {
    globalThis.gc();
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed - baseHeap);
    if (performance.now() - t0 > deadlineMs) finish();
  }, 100);
  t0 = performance.now();
};

const finish = () => {
  const ms = performance.now() - t0;
  clearInterval(sampler);
  const rssPeak = process.resourceUsage().maxRSS * 1024 - baseRss;
  process.stdout.write(`${JSON.stringify({ ms, count, heapPeak, rssPeak, finished: count === n })}\n`, () =>
    process.exit(0),
  );
};

const CONTENDERS = {
  async 'ours-for-await'() {
    const { RxWebSocket } = await import(DIST);
    const { messages } = await import(DIST_STREAMS);
    const ws = new RxWebSocket(url, { WebSocketCtor: WsCtor });
    const reader = messages(ws, { highWaterMark: HIGH, lowWaterMark: LOW });
    ws.bind('open', () => {
      startMeasuring();
      ws.send('go');
    });
    if (workUs === 0) {
      for await (const data of reader) {
        count += data.length > 0 ? 1 : 0;
        if (count === n) return finish();
      }
    } else {
      for await (const data of reader) {
        await sink(data);
        if (++count === n) return finish();
      }
    }
  },
  async 'ours-message$'() {
    const { RxWebSocket } = await import(DIST);
    const ws = new RxWebSocket(url, { WebSocketCtor: WsCtor });
    ws.bind('open', () => {
      startMeasuring();
      ws.send('go');
    });
    ws.message$.subscribe((e) => {
      count += e.data.length > 0 ? 1 : 0;
      if (count === n) finish();
    });
  },
  async 'rxjs-concatMap'() {
    const { webSocket } = await import('rxjs/webSocket');
    const { concatMap } = await import('rxjs');
    const subject = webSocket({
      url,
      WebSocketCtor: WsCtor,
      deserializer: (e) => e.data,
      openObserver: {
        next: () => {
          startMeasuring();
          subject.next('go');
        },
      },
      serializer: (v) => v,
    });
    subject.pipe(concatMap((data) => sink(data))).subscribe(() => {
      if (++count === n) finish();
    });
  },
  async 'ws-pause'() {
    const socket = new WsCtor(url);
    const buffer = [];
    let waiting;
    socket.on('open', () => {
      startMeasuring();
      socket.send('go');
    });
    socket.on('message', (data) => {
      buffer.push(data.toString());
      if (buffer.length >= HIGH && !socket.isPaused) socket.pause();
      waiting?.();
    });
    for (;;) {
      if (buffer.length === 0) await new Promise((resolve) => (waiting = resolve));
      waiting = undefined;
      const data = buffer.shift();
      if (buffer.length <= LOW && socket.isPaused) socket.resume();
      await sink(data);
      if (++count === n) return finish();
    }
  },
};

const run = CONTENDERS[name];
if (run === undefined) throw new Error(`unknown contender ${name}`);
await run();
