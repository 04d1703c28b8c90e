/**
 * The soak, bounded in time: 1,000 RxWebSockets (the BUILT package, `ws` as the constructor,
 * reconnect on with 1 ms delays, maxQueue Infinity) send 1,000 numbered messages each, a
 * million in all, through a local `ws` server that drops connections at random: a FIN without
 * a close frame, a TCP reset, or a close frame 1001 or 1012. Everything random comes from one
 * seed (`SOAK_SEED=<n>` replays a run; every run prints its seed).
 *
 * The client and the server each run in their own child process (`soak-client.mjs` with
 * `node --expose-gc`, `soak-server.mjs`), so that the heap measured is the client's alone and
 * each side has a core; both start through `bash -c 'ulimit -n ...'`, which raises the soft
 * limit on open files to 4096 where it is lower (each side holds 1,000 sockets).
 *
 * The client runs the whole load twice: a warm-up round, then the measured round. For both:
 * - every message that `send()` queued (it returned false) reaches the server, exactly once,
 *   and each socket's messages reach it in strictly increasing order across all of its
 *   connections (so no duplicate and nothing out of order); a message handed to an open
 *   socket (`send()` returned true) may be lost when the server kills that connection, the
 *   documented limit, and only those are missing;
 * - every drop the server made shows on the client as exactly one close, with its code, and
 *   one reconnect, except those that hit a socket already closing for good.
 * After the measured round: the heap (after gc) is within 10% of what it was after the
 * warm-up, every RxWebSocket and native socket made was garbage collected, no resource
 * (socket, timer) is left active, and the process exits by itself.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = join(ROOT, 'spec', 'integration', 'soak-server.mjs');
const CLIENT = join(ROOT, 'spec', 'integration', 'soak-client.mjs');

const SOCKETS = 1000;
const MESSAGES = 1000;
/** The chance that a live message makes the server drop its connection: about 3,000 drops a round. */
const DROP_RATE = 0.004;
const FD_LIMIT = 4096;
/** The budget of the whole soak, and the hard limit after which both children are killed. */
const BUDGET_MS = 60_000;
const HARD_TIMEOUT_MS = 90_000;
const ROUNDS = ['warm', 'soak'] as const;
type Round = (typeof ROUNDS)[number];
const BYTES = Math.ceil((MESSAGES + 1) / 8);

/** A round as the client saw it (soak-client.mjs). */
interface ClientRound {
  ms: number;
  sends: number;
  live: number;
  queued: number;
  mismatches: number;
  sendErrors: string[];
  reconnects: number;
  /** Close events followed by a reconnect, by `code/wasClean`. */
  dropCloses: Record<string, number>;
  /** Final close events, by `code/wasClean`. */
  finals: Record<string, number>;
  faces: { complete: number; error: number };
  errors: Record<string, number>;
  leftQueued: number;
  sendingAtEnd: number;
}

interface ClientReport {
  seed: number;
  fdLimit: string | null;
  sockets: number;
  messages: number;
  phase: string;
  warm: ClientRound;
  soak: ClientRound;
  heap: { before: number; after: number };
  resources: { before: string[]; after: string[] };
  lifetimes: Record<string, { made: number; collected: number }>;
  totalMs: number;
  queuedBits: Record<Round, string>;
}

type DropKind = 'terminate' | 'reset' | 'close 1001' | 'close 1012';

/** What the server saw (soak-server.mjs). */
interface ServerReport {
  seed: number;
  dropRate: number;
  totals: Record<
    Round,
    { connections: number; received: number; drops: Record<DropKind, number>; badMessages: number }
  >;
  badPaths: number;
  anomalies: string[];
  streams: Record<
    Round,
    { received: number; last: number; outOfOrder: number; duplicates: number; connections: number; bits: string }[]
  >;
}

/**
 * Spawns `node <args>` through bash, with the soft limit on open files raised to FD_LIMIT when
 * it is lower (up to the hard limit); the child sees the limit it got as SOAK_FD_LIMIT.
 */
function spawnNode(args: string[]): ChildProcessWithoutNullStreams {
  const script =
    `n=$(ulimit -Sn); if [ "$n" != unlimited ] && [ "$n" -lt ${FD_LIMIT} ]; then ` +
    `ulimit -Sn ${FD_LIMIT} 2>/dev/null || ulimit -Sn "$(ulimit -Hn)"; fi; ` +
    'SOAK_FD_LIMIT=$(ulimit -Sn) exec "$@"';
  const child = spawn('bash', ['-c', script, 'bash', process.execPath, ...args], {
    cwd: ROOT,
    stdio: 'pipe',
    timeout: HARD_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<Exit> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

/** `next()` resolves with each line the child writes on stdout, in order; `stderr()` is what it wrote there. */
function lines(child: ChildProcessWithoutNullStreams): { next(): Promise<string>; stderr(): string } {
  let buffer = '';
  let stderr = '';
  const ready: string[] = [];
  const waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter) waiter.resolve(line);
      else ready.push(line);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.once('close', (code, signal) => {
    for (const waiter of waiting.splice(0)) {
      waiter.reject(
        new Error(`the child ended (code ${code}, signal ${signal}) before its next line; stderr:\n${stderr}`),
      );
    }
  });
  return {
    next: () => {
      const line = ready.shift();
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    stderr: () => stderr,
  };
}

/** Whether number `n` is set in socket `socket`'s bitmap (`bits` is one socket's, or every socket's in a row). */
function has(bits: Buffer, n: number, socket = 0): boolean {
  return (bits[socket * BYTES + (n >>> 3)]! & (1 << (n & 7))) !== 0;
}

/** The seed: `SOAK_SEED` to replay a run, else a fresh one. */
function seedOfRun(): number {
  const given = process.env.SOAK_SEED;
  if (given === undefined || given === '') return randomInt(2 ** 32);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new Error(`SOAK_SEED must be a 32-bit unsigned integer, got ${given}`);
  return seed;
}

/**
 * Checks one round against the server's record and returns its figures: per socket, every
 * queued number received, nothing twice or out of order, and the drops accounted for.
 */
function checkRound(round: Round, client: ClientReport, server: ServerReport, seed: number): Record<string, number> {
  const seen = client[round];
  const totals = server.totals[round];
  const streams = server.streams[round];
  const queuedBits = Buffer.from(client.queuedBits[round], 'base64');
  const at = `round ${round}, seed ${seed}`;

  // The client: every number sent once, in the state it expected, and every socket ended
  // by its own close with nothing left in its queue.
  expect(seen.sends, at).toBe(SOCKETS * MESSAGES);
  expect(seen.live + seen.queued, at).toBe(SOCKETS * MESSAGES);
  expect(seen.mismatches, `${at}: send() returned other than true when open, false otherwise`).toBe(0);
  expect(seen.sendErrors, at).toEqual([]);
  expect(seen.sendingAtEnd, at).toBe(0);
  expect(seen.leftQueued, at).toBe(0);
  expect(seen.faces, at).toEqual({ complete: SOCKETS, error: 0 });
  // ws reports a dropped open connection by its close alone, never as an error event.
  expect(seen.errors, at).toEqual({});
  expect(queuedBits.length, at).toBe(SOCKETS * BYTES);

  // The server: well-formed traffic only, and one stream per socket.
  expect(totals.badMessages, at).toBe(0);
  expect(streams, at).toHaveLength(SOCKETS);

  let queuedMissing = 0;
  let queuedCount = 0;
  let liveLost = 0;
  const firstMissing: string[] = [];
  for (let socket = 0; socket < SOCKETS; socket++) {
    const stream = streams[socket]!;
    const received = Buffer.from(stream.bits, 'base64');
    // Strictly increasing across all the socket's connections: no duplicate, nothing out of order.
    expect([socket, stream.outOfOrder, stream.duplicates], at).toEqual([socket, 0, 0]);
    let count = 0;
    for (let n = 1; n <= MESSAGES; n++) {
      const got = has(received, n);
      if (got) count++;
      if (has(queuedBits, n, socket)) {
        queuedCount++;
        if (!got) {
          queuedMissing++;
          if (firstMissing.length < 10) firstMissing.push(`socket ${socket}: ${n}`);
        }
      } else if (!got) liveLost++;
    }
    expect([socket, count], at).toEqual([socket, stream.received]);
  }
  expect(queuedCount, at).toBe(seen.queued);
  expect(firstMissing, `${at}: queued messages that never reached the server`).toEqual([]);
  expect(queuedMissing, at).toBe(0);
  expect(totals.received + liveLost, at).toBe(SOCKETS * MESSAGES);

  // Every drop shows on the client as one close with its code: a reconnect, or the final
  // close of a socket that was already closing for good. Every other final close is the
  // client's own 1000. And one connection per socket, plus one per reconnect.
  const drops = totals.drops;
  const closesOf = (key: string): number => (seen.dropCloses[key] ?? 0) + (seen.finals[key] ?? 0);
  expect(
    Object.keys(seen.dropCloses).filter((key) => !['1006/false', '1001/true', '1012/true'].includes(key)),
    at,
  ).toEqual([]);
  expect(
    Object.keys(seen.finals).filter((key) => !['1000/true', '1006/false', '1001/true', '1012/true'].includes(key)),
    at,
  ).toEqual([]);
  expect(
    {
      abrupt: closesOf('1006/false'),
      '1001': closesOf('1001/true'),
      '1012': closesOf('1012/true'),
    },
    at,
  ).toEqual({ abrupt: drops.terminate + drops.reset, '1001': drops['close 1001'], '1012': drops['close 1012'] });
  const dropCount = drops.terminate + drops.reset + drops['close 1001'] + drops['close 1012'];
  expect(dropCount, at).toBe(seen.reconnects + SOCKETS - (seen.finals['1000/true'] ?? 0));
  expect(totals.connections, at).toBe(SOCKETS + seen.reconnects);
  expect(
    streams.reduce((sum, s) => sum + s.connections, 0),
    at,
  ).toBe(totals.connections);
  // The load did what it is for: many drops, many messages queued meanwhile.
  expect(dropCount, at).toBeGreaterThanOrEqual(1000);
  expect(Math.min(drops.terminate, drops.reset, drops['close 1001'], drops['close 1012']), at).toBeGreaterThan(0);
  expect(seen.queued, at).toBeGreaterThanOrEqual(50_000);
  return {
    drops: dropCount,
    reconnects: seen.reconnects,
    queued: seen.queued,
    live: seen.live,
    liveLost,
    ms: Math.round(seen.ms),
  };
}

describe('soak: 1,000 sockets x 1,000 messages through a server that drops connections at random', () => {
  it(
    'no queued message lost or reordered, every drop accounted for; heap back within 10%, everything collected, no handle left',
    async ({ annotate }) => {
      const seed = seedOfRun();
      console.info(`soak seed ${seed} (replay with SOAK_SEED=${seed})`);
      await annotate(`seed ${seed}`);
      const began = performance.now();

      const serverProcess = spawnNode([SERVER, String(seed), String(DROP_RATE), String(SOCKETS), String(MESSAGES)]);
      const fromServer = lines(serverProcess);
      const { port } = JSON.parse(await fromServer.next()) as { port: number };
      expect(port).toBeGreaterThan(0);

      const clientProcess = spawnNode([
        '--expose-gc',
        CLIENT,
        `ws://127.0.0.1:${port}`,
        String(seed),
        String(SOCKETS),
        String(MESSAGES),
      ]);
      const fromClient = lines(clientProcess);
      const clientLine = await fromClient.next();
      const clientExit = await exitOf(clientProcess);
      const client = JSON.parse(clientLine) as ClientReport;
      // The client exits by itself once everything is closed: a handle left open would keep it alive.
      expect({ ...clientExit, phase: client.phase }, `seed ${seed}; client stderr:\n${fromClient.stderr()}`).toEqual({
        code: 0,
        signal: null,
        phase: 'done',
      });

      serverProcess.stdin.write('report\n');
      const server = JSON.parse(await fromServer.next()) as ServerReport;
      expect(await exitOf(serverProcess), `server stderr:\n${fromServer.stderr()}`).toEqual({ code: 0, signal: null });
      const wallMs = performance.now() - began;

      expect([client.seed, server.seed, server.dropRate]).toEqual([seed, seed, DROP_RATE]);
      expect([client.sockets, client.messages]).toEqual([SOCKETS, MESSAGES]);
      // Each side holds a socket per client socket, and a few more while reconnecting.
      expect(Number(client.fdLimit), 'the soft limit on open files (ulimit -n) is too low').toBeGreaterThanOrEqual(
        SOCKETS + 64,
      );
      expect(server.badPaths).toBe(0);
      expect(server.anomalies).toEqual([]);

      const figures = {
        warm: checkRound('warm', client, server, seed),
        soak: checkRound('soak', client, server, seed),
      };

      // The heap after the measured round, once collected, against the one after the warm-up.
      const heapGrowth = client.heap.after / client.heap.before - 1;
      // Nothing of either round survives: every RxWebSocket and every native socket was collected.
      expect(client.lifetimes['warm.rx']).toEqual({ made: SOCKETS, collected: SOCKETS });
      expect(client.lifetimes['soak.rx']).toEqual({ made: SOCKETS, collected: SOCKETS });
      for (const round of ROUNDS) {
        const natives = client.lifetimes[`${round}.native`]!;
        expect(natives.made).toBe(SOCKETS + client[round].reconnects);
        expect(natives.collected).toBe(natives.made);
      }
      // No socket, timer or other resource is left active.
      expect(client.resources.after).toEqual(client.resources.before);

      const summary =
        `seed ${seed}; fd limit ${String(client.fdLimit)}; ` +
        `client ${Math.round(client.totalMs)} ms, wall ${Math.round(wallMs)} ms; ` +
        ROUNDS.map(
          (round) =>
            `${round}: ${figures[round].ms} ms, ${figures[round].drops} drops, ${figures[round].queued} queued, ` +
            `${figures[round].liveLost} live lost in flight`,
        ).join('; ') +
        `; heap ${client.heap.before} -> ${client.heap.after} bytes (${(heapGrowth * 100).toFixed(1)}%)`;
      console.info(`soak: ${summary}`);
      await annotate(summary);

      expect(client.heap.before).toBeGreaterThan(0);
      expect(heapGrowth, summary).toBeLessThanOrEqual(0.1);
      expect(wallMs, summary).toBeLessThan(BUDGET_MS);
    },
    HARD_TIMEOUT_MS + 30_000,
  );
});
