/**
 * The soak's server, in its own process: a `ws` server on 127.0.0.1 and a free port that drops
 * connections at random, and records, per client socket, every message number it receives.
 *
 *   node spec/integration/soak-server.mjs <seed> <dropRate> <sockets> <messages>
 *
 * Clients connect to `/<round>/<socket>` (round `warm` or `soak`) and send text messages
 * `q<n>` or `l<n>`: n counts from 1 per socket; `q` marks a message the client's `send()`
 * queued (it returned false), `l` one handed straight to the open socket. On receiving a live
 * message `l<n>` of socket s, the server drops that connection when `unit(seed, s, n)` is
 * below the drop rate, in one of four ways drawn from the same key: terminate (a FIN without a
 * close frame), a TCP reset, or a close frame 1001 or 1012 (both reconnect by default). Only
 * live messages trigger drops: so every message that a connection's open flushed from the
 * queue has reached the server before that connection can be dropped (the guarantee under
 * test is about queued messages; live ones may be lost in flight, by design).
 *
 * Prints `{"port":N}` once listening. On a line `report` on stdin, prints one JSON line: per
 * round, the totals, and per socket its counts and a bitmap of the numbers received (base64);
 * then closes and exits. Exits too when stdin ends (its parent is gone).
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { mulberry32, mix } from './soak-prng.mjs';

const [seedText, rateText, socketsText, messagesText] = process.argv.slice(2);
const seed = Number(seedText) >>> 0;
const dropRate = Number(rateText);
const SOCKETS = Number(socketsText);
const MESSAGES = Number(messagesText);
const BYTES = Math.ceil((MESSAGES + 1) / 8);
const DROPS = ['terminate', 'reset', 'close 1001', 'close 1012'];

/** What one client socket (across all its connections) has sent us. */
function newStream() {
  return { last: 0, received: 0, outOfOrder: 0, duplicates: 0, connections: 0, bits: new Uint8Array(BYTES) };
}
const rounds = { warm: new Map(), soak: new Map() };
const totals = {
  warm: {
    connections: 0,
    received: 0,
    drops: { terminate: 0, reset: 0, 'close 1001': 0, 'close 1012': 0 },
    badMessages: 0,
  },
  soak: {
    connections: 0,
    received: 0,
    drops: { terminate: 0, reset: 0, 'close 1001': 0, 'close 1012': 0 },
    badMessages: 0,
  },
};
/** Connections to a path that is not `/<round>/<socket>`. */
let badPaths = 0;
/** The first few anomalies, as text, for the report. */
const anomalies = [];

const http = createServer((_request, response) => {
  response.writeHead(426).end();
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });

wss.on('connection', (socket, request) => {
  socket.on('error', () => undefined);
  const match = /^\/(warm|soak)\/(\d+)$/.exec(request.url ?? '');
  if (match === null || Number(match[2]) >= SOCKETS) {
    badPaths++;
    socket.terminate();
    return;
  }
  const round = match[1];
  const id = Number(match[2]);
  const total = totals[round];
  let stream = rounds[round].get(id);
  if (stream === undefined) rounds[round].set(id, (stream = newStream()));
  stream.connections++;
  total.connections++;
  let dropping = false;
  socket.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString('latin1');
    const kind = text.charCodeAt(0);
    const n = Number(text.slice(1));
    if (isBinary || (kind !== 0x71 && kind !== 0x6c) || !Number.isInteger(n) || n < 1 || n > MESSAGES) {
      total.badMessages++;
      if (anomalies.length < 20)
        anomalies.push(`${round}/${id}: unexpected message ${JSON.stringify(text.slice(0, 20))}`);
      return;
    }
    total.received++;
    stream.received++;
    const byte = n >>> 3;
    const bit = 1 << (n & 7);
    if ((stream.bits[byte] & bit) !== 0) {
      stream.duplicates++;
      if (anomalies.length < 20) anomalies.push(`${round}/${id}: ${n} received twice`);
    }
    stream.bits[byte] |= bit;
    if (n <= stream.last) {
      stream.outOfOrder++;
      if (anomalies.length < 20) anomalies.push(`${round}/${id}: ${n} after ${stream.last}`);
    } else stream.last = n;
    // 'l': a live message; only those may trigger a drop.
    if (kind !== 0x6c || dropping) return;
    const draw = mulberry32(mix(seed, id, n));
    if (draw() >= dropRate) return;
    dropping = true;
    const how = DROPS[Math.floor(draw() * DROPS.length)];
    total.drops[how]++;
    if (how === 'terminate') socket.terminate();
    else if (how === 'reset') request.socket.resetAndDestroy();
    else socket.close(how === 'close 1001' ? 1001 : 1012, 'soak drop');
  });
});

/** Per socket of a round: its counts, and the numbers received as a bitmap (base64). */
function streams(round) {
  const list = [];
  for (let id = 0; id < SOCKETS; id++) {
    const stream = rounds[round].get(id) ?? newStream();
    list.push({
      received: stream.received,
      last: stream.last,
      outOfOrder: stream.outOfOrder,
      duplicates: stream.duplicates,
      connections: stream.connections,
      bits: Buffer.from(stream.bits).toString('base64'),
    });
  }
  return list;
}

function report() {
  return { seed, dropRate, totals, badPaths, anomalies, streams: { warm: streams('warm'), soak: streams('soak') } };
}

let ending = false;
function end(code) {
  if (ending) return;
  ending = true;
  for (const client of wss.clients) client.terminate();
  wss.close();
  http.close();
  // Stop reading stdin too: an open pipe would keep the process alive.
  process.stdin.destroy();
  process.exitCode = code;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
  if (!input.includes('report\n')) return;
  process.stdout.write(`${JSON.stringify(report())}\n`, () => end(0));
});
process.stdin.on('end', () => end(ending ? 0 : 3));

http.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  process.stdout.write(`${JSON.stringify({ port: http.address().port })}\n`);
});
