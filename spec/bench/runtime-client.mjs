/**
 * One throughput run on Node, Bun or Deno, in a fresh process started in the project root:
 *   <runtime> spec/bench/runtime-client.mjs <contender> <url of /flood?n=N&size=S> <N>
 * Loads the built package through its `exports` and RxJS's `webSocket`, prints one JSON line
 * `{ ms, count, bytes }` and exits.
 */
import { RxWebSocket, WebSocket } from 'brython-websocket';
import { webSocket } from 'rxjs/webSocket';
import { floodRun } from './runtime-contenders.mjs';

const [name, url, n] = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
const result = await floodRun(name, url, Number(n), { RxWebSocket, WebSocket, webSocket });
console.log(JSON.stringify(result));
if (globalThis.Deno) globalThis.Deno.exit(0);
else globalThis.process.exit(0);
