/**
 * One scenario in a process of its own, on Node, Bun or Deno:
 *
 *   <runtime> spec/runtimes/child.mjs <scenario> <json params> [global|ws]
 *
 * It loads the BUILT package through its `exports` (`brython-websocket`, resolved by the
 * package's own name from the project root), uses the runtime's global WebSocket (`global`)
 * or the `ws` package's (`ws`, for Node 20), prints one JSON line `{ runtime, result }` and
 * never calls exit: the process must end by itself once the socket has closed.
 */
import { WebSocket, supported } from 'brython-websocket';
import { heartbeat, reconnect } from 'brython-websocket/resilience';
import { runScenario } from './scenarios.mjs';

const args = globalThis.Deno?.args ?? globalThis.process.argv.slice(2);
const [id, paramsText, ctor = 'global'] = args;
const WebSocketCtor = ctor === 'ws' ? (await import('ws')).WebSocket : undefined;

const runtime = {
  name: globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : 'node',
  version: globalThis.Deno?.version.deno ?? globalThis.Bun?.version ?? globalThis.process.versions.node,
  supported,
  socket: ctor,
};
const result = await runScenario(id, JSON.parse(paramsText), { WebSocket, reconnect, heartbeat, WebSocketCtor });
console.log(JSON.stringify({ runtime, result }));
