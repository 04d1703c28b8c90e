/**
 * One throughput run of one contender, in a fresh process:
 *   node throughput-client.mjs <contender> <url of /flood?n=N&size=S> <N>
 * On open it sends "go", the server floods N messages, and the run prints one JSON line:
 * `{ "ms": <open to N-th message>, "count": N, "bytes": <total data.length seen> }`.
 * Every handler reads `data.length`, so the data is really produced.
 */
import { performance } from 'node:perf_hooks';
import { CONTENDERS } from './contenders.mjs';

const [name, url, nText] = process.argv.slice(2);
const n = Number(nText);
const contender = CONTENDERS[name];
if (contender === undefined) throw new Error(`unknown contender ${name}`);

let t0 = 0;
let count = 0;
let bytes = 0;
let conn;
const onData = (data) => {
  bytes += data.length;
  if (++count === n) {
    const ms = performance.now() - t0;
    process.stdout.write(`${JSON.stringify({ ms, count, bytes })}\n`, () => process.exit(0));
  }
};
conn = await contender.open(url, {
  onOpen: () => {
    t0 = performance.now();
    conn.send('go');
  },
  onData,
});
