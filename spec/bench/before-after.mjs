/**
 * The per-event cost of `message$`, `bind('message')` and `onmessage`, now and in an earlier
 * build, in ONE process, robust to a loaded machine:
 *
 *   npm run build && BENCH_BASELINE_DIST=/path/to/earlier/dist node spec/bench/before-after.mjs
 *
 * Each path gets its own in-process fake socket (no network) and handler. The paths take
 * turns in short bursts of 10,000 events, 300 rounds, and each figure is the fastest burst:
 * a burst that a busy machine preempted is slower, never faster, so the minimum is the cost
 * of the code. Prints a table and one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { FakeSocket, fakeSocketClass } from './fake-socket.mjs';

const BASELINE = process.env.BENCH_BASELINE_DIST;
const now = await import(new URL('../../dist/index.js', import.meta.url).href);
const before = BASELINE === undefined ? undefined : await import(new URL(`file://${BASELINE}/index.js`).href);

let seen = 0;
const handler = () => (e) => {
  seen += e.data.length;
};

/** A path: a fake socket wired through `attach(socket)` of a build's `RxWebSocket`. */
function path(build, attach) {
  let fake;
  const socket = new build.RxWebSocket('ws://fake', {
    WebSocketCtor: fakeSocketClass((created) => {
      fake = created;
    }),
  });
  attach(socket);
  const list = () => fake.listeners.message;
  return list;
}

const paths = {
  direct: (() => {
    const fake = new FakeSocket('ws://fake');
    fake.addEventListener('message', handler());
    return () => fake.listeners.message;
  })(),
  'message$ now': path(now, (s) => s.message$.subscribe(handler())),
  'bind now': path(now, (s) => s.bind('message', handler())),
  'onmessage now': path(now, (s) => (s.onmessage = handler())),
  ...(before && {
    'message$ before': path(before, (s) => s.message$.subscribe(handler())),
    'bind before': path(before, (s) => s.bind('message', handler())),
  }),
};

const event = { type: 'message', data: 'xxxxxxxxxxxxxxxx' };
const BURST = 10_000;
const best = Object.fromEntries(Object.keys(paths).map((k) => [k, Infinity]));
for (let round = 0; round < 300; round++) {
  for (const [name, listeners] of Object.entries(paths)) {
    const list = listeners();
    const t0 = performance.now();
    for (let i = 0; i < BURST; i++) for (const fn of list) fn(event);
    const ns = ((performance.now() - t0) * 1e6) / BURST;
    if (ns < best[name]) best[name] = ns;
  }
}
if (seen === 0) throw new Error('no handler ran');
for (const [name, ns] of Object.entries(best)) console.log(`${name.padEnd(18)}${ns.toFixed(1).padStart(8)} ns/event`);
process.stdout.write(`${JSON.stringify(best)}\n`);
