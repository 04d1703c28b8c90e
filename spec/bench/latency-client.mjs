/**
 * One echo-latency run, in a fresh process:
 *   node latency-client.mjs <url of /echo> <round trips> <block> <contender>...
 * Opens one connection per contender, warms each up, then alternates between them in blocks
 * of <block> strictly sequential round trips (send a 16-byte text, wait for its echo, send
 * the next) until each has made <round trips>, so that every contender meets the same
 * machine conditions. Prints one JSON line: `{ "<contender>": { "p50": µs, "p99": µs } }`.
 */
import { performance } from 'node:perf_hooks';
import { CONTENDERS } from './contenders.mjs';

const [url, nText, blockText, ...names] = process.argv.slice(2);
const n = Number(nText);
const block = Number(blockText);
const WARM_UP = 2000;
const MESSAGE = '"xxxxxxxxxxxxxx"';

/** Opens `name`'s connection; resolves with `roundTrips(k)`, which makes k round trips. */
async function connect(name) {
  let sentAt = 0;
  let left = 0;
  let sink = null;
  let finish = null;
  let opened;
  const isOpen = new Promise((resolve) => (opened = resolve));
  const conn = await CONTENDERS[name].open(url, {
    onOpen: () => opened(),
    onData: (data) => {
      const elapsed = (performance.now() - sentAt) * 1000;
      if (data.length !== MESSAGE.length) throw new Error(`${name}: an echo of ${data.length} bytes`);
      sink?.push(elapsed);
      if (--left > 0) return send();
      finish();
    },
  });
  const send = () => {
    sentAt = performance.now();
    conn.send(MESSAGE);
  };
  await isOpen;
  return (k, samples) =>
    new Promise((resolve) => {
      left = k;
      sink = samples;
      finish = resolve;
      send();
    });
}

const clients = [];
for (const name of names) clients.push({ name, roundTrips: await connect(name), samples: [] });
for (const c of clients) await c.roundTrips(WARM_UP, null);
for (let done = 0; done < n; done += block) {
  for (const c of clients) await c.roundTrips(Math.min(block, n - done), c.samples);
}
const result = {};
for (const { name, samples } of clients) {
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  result[name] = { p50: at(0.5), p99: at(0.99), count: samples.length };
}
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
