/**
 * Memory per open socket, one contender per fresh process (run with --expose-gc):
 *   node --expose-gc memory-client.mjs <contender> <url of /idle> <sockets>
 * Measures the heap and RSS after the modules are loaded and a first socket is open (so that
 * lazily built code and caches count for nobody), then opens <sockets> sockets at
 * once (at most 500 handshakes in flight), each with a message handler, waits until all are
 * open, collects garbage and measures again. Prints one JSON line:
 * `{ "heap": <bytes per socket>, "rss": <bytes per socket>, "sockets": N }`.
 */
import { CONTENDERS } from './contenders.mjs';

const [name, url, nText] = process.argv.slice(2);
const n = Number(nText);
const contender = CONTENDERS[name];
const IN_FLIGHT = 500;
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');

const sink = { bytes: 0 };
const kept = [];
const openOne = async () => {
  let opened;
  const isOpen = new Promise((resolve) => (opened = resolve));
  kept.push(
    await contender.open(url, {
      onOpen: () => opened(),
      onData: (data) => {
        sink.bytes += data.length;
      },
    }),
  );
  await isOpen;
};

const settle = async () => {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    globalThis.gc();
  }
  return process.memoryUsage();
};

await openOne();
kept.length = 0;
const before = await settle();
let next = 0;
const worker = async () => {
  while (next < n) {
    next++;
    await openOne();
  }
};
await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, n) }, worker));
const after = await settle();
if (kept.length !== n) throw new Error(`${kept.length} sockets open, expected ${n}`);
process.stdout.write(
  `${JSON.stringify({ heap: (after.heapUsed - before.heapUsed) / n, rss: (after.rss - before.rss) / n, sockets: n })}\n`,
  () => process.exit(0),
);
