/**
 * The cross-runtime conformance suite: the same scenarios (./scenarios.mjs) on each runtime's
 * own global WebSocket, through the BUILT package loaded by its `exports`, against a real
 * `ws` server on loopback started here (./server.ts):
 *
 * - Node 22, Node 24, Bun, Deno: binaries from the npm registry (./runtimes.mjs installs them
 *   with .ci/runtimes.sh when missing), one child process per scenario;
 * - Node 20 (the Node running the tests), with `ws` and with `--experimental-websocket`;
 * - Chromium (Debian's), one page per scenario, driven by playwright.
 *
 * Every runtime must show the same thing; the checks below are written once. Each process
 * must also end by itself. docs/runtimes.md holds the matrix (✔/✘): a cell documented ✘ must
 * fail here, and the last test checks that the table is this run's, cell by cell.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closer, listen, trackSockets } from '../helpers/node-servers.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, IN_CI, RUN_BROWSER_TESTS } from '../browser/chromium.js';
import { INVALID_URLS, LARGE, SCENARIOS } from './scenarios.mjs';
import { ensureRuntimes, pinnedVersions, REGISTRY_PLATFORM, ROOT, ROWS, runOn, type Row } from './runtimes.mjs';
import { refusedUrl, startConformanceServer, type ConformanceServer } from './server.js';
import { matrixOf, readMatrix, type Cell } from './matrix.js';

const CHILD = join(ROOT, 'spec', 'runtimes', 'child.mjs');
const DOC = join(ROOT, 'docs', 'runtimes.md');
/** A scenario that has not ended by then has hung (a real run takes well under 5 s). */
const SCENARIO_LIMIT = 30_000;

/** What one scenario run gave: the child's result, and how its process ended. */
interface Outcome {
  runtime: { name: string; version: string; supported: boolean; socket: string };
  result: Record<string, unknown>;
  /** How the process ended: code 0 without a signal is "by itself". Chromium: undefined. */
  exit?: { code: number | null; signal: string | null };
}

const documented = readMatrix(readFileSync(DOC, 'utf8'));
const results = new Map<string, Cell>();

/** Rows left out of this run, with why (printed once). */
const skipped = new Map<string, string>();
const registryRuns = REGISTRY_PLATFORM || IN_CI;
for (const row of ROWS) {
  if (row.registry && !registryRuns)
    skipped.set(row.id, `the registry runtimes are linux x64 binaries; this is ${process.platform} ${process.arch}`);
  if (row.browser && !RUN_BROWSER_TESTS) skipped.set(row.id, `no Chromium at ${CHROMIUM_PATH}`);
}
if (skipped.size > 0)
  console.warn(`conformance rows left out: ${[...skipped].map(([id, why]) => `${id} (${why})`).join('; ')}`);

beforeAll(() => {
  if (ROWS.some((row) => row.registry && !skipped.has(row.id))) ensureRuntimes();
}, 300_000);

/** Runs `id` in a child process of `row`'s runtime; throws with its output when it printed no result. */
async function inProcess(row: Row, id: string, params: object): Promise<Outcome> {
  const run = await runOn(row, CHILD, [id, JSON.stringify(params), row.socket], SCENARIO_LIMIT);
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) {
    throw new Error(
      `${row.label}: no result from "${id}" (exit ${run.code}, signal ${run.signal})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
  return { ...(JSON.parse(line) as Omit<Outcome, 'exit'>), exit: { code: run.code, signal: run.signal } };
}

let pageScript: string | undefined;
/** The scenarios and the built package (through its `exports`, not the sources) as one classic script. */
async function pageBundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'spec', 'runtimes', 'page.mjs')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    // tsconfig.json maps the package's name to src/: ignore it, so the name resolves to dist/.
    tsconfigRaw: {},
    absWorkingDir: ROOT,
  });
  return result.outputFiles[0]!.text;
}

/**
 * Serves the page the Chromium scenarios run on, from 127.0.0.1: a page of another origin
 * (about:blank included) may not open a socket to the loopback (Local Network Access).
 */
async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const script = (pageScript ??= await pageBundle());
  const http = createServer((request, response) => {
    if (request.url === '/page.js') return response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>conformance</title><script src="/page.js"></script>');
  });
  const port = await listen(http);
  return { url: `http://127.0.0.1:${port}/`, close: closer(http, trackSockets(http)) };
}

/** Runs `id` on a fresh page of `browser`, loaded from `pageUrl`. */
async function inPage(browser: Browser, pageUrl: string, id: string, params: object): Promise<Outcome> {
  const page = await browser.newPage();
  try {
    await page.goto(pageUrl);
    const result = await page.evaluate(
      ([scenario, p]) =>
        (
          globalThis as unknown as { runScenario(id: string, params: object): Promise<Record<string, unknown>> }
        ).runScenario(scenario, p),
      [id, params] as const,
    );
    const version = browser.version();
    return { runtime: { name: 'chromium', version, supported: true, socket: 'global' }, result };
  } finally {
    await page.close();
  }
}

/** The checks of each scenario, the same on every runtime. */
const CHECKS: Record<string, (outcome: Outcome, server: ConformanceServer) => void | Promise<void>> = {
  async flow({ result }, server) {
    expect(result).toEqual({
      log: ['open', 'message "hello from Brython"', 'close 1000 clean "done"'],
      states: ['connecting', 'open', 'closing', 'closed'],
      face: ['hello from Brython', 'complete'],
      errors: [],
      sent: true,
    });
    expect(server.connections.map((c) => c.received)).toEqual([['text: hello from Brython']]);
    expect(await server.connections[0]!.closed).toEqual({ code: 1000, reason: 'done' });
  },

  async 'server-close'({ result }, server) {
    expect(result).toEqual({
      log: ['open', 'close 4321 clean "going away now ✓"'],
      states: ['connecting', 'open', 'closed'],
      face: ['complete'],
      errors: [],
    });
    expect((await server.connections[0]!.closed).code).toBe(4321);
  },

  queue({ result }, server) {
    expect(result).toEqual({
      log: ['open', 'close 1000 clean ""'],
      states: ['connecting', 'open', 'closing', 'closed'],
      face: ['one', 'two', 'three', 'complete'],
      errors: [],
      sends: [false, false, false],
      queued: 3,
      // The open handlers run first: the queue goes out right after them.
      queuedInOpenHandler: 3,
      echoes: ['one', 'two', 'three'],
      queuedAfter: 0,
    });
    expect(server.connections.map((c) => c.received)).toEqual([['text: one', 'text: two', 'text: three']]);
  },

  refused({ result }) {
    expect(result).toEqual({
      log: ['error', 'close 1006 unclean ""'],
      states: ['connecting', 'closed'],
      face: ['error ERR_WS_CLOSED 1006'],
      errors: ['error'],
      readyState: 3,
    });
  },

  async reconnect({ result }, server) {
    const { log, states, opens, whileReconnecting, queued, stateAtClose } = result as Record<string, unknown> & {
      log: string[];
      states: string[];
    };
    expect({ opens, whileReconnecting, queued, stateAtClose }).toEqual({
      opens: 2,
      whileReconnecting: [false, false],
      queued: 2,
      stateAtClose: 'reconnecting',
    });
    // Some runtimes fire "error" before the 1006 of the kill; attempts made while the server was
    // down add refused ones ("error", "close 1006"): errors out, repeated entries once.
    const quiet = log.filter((entry) => entry !== 'error').filter((entry, i, all) => entry !== all[i - 1]);
    expect(quiet).toEqual([
      'open',
      'close 1006 unclean ""',
      'open',
      'message "kept 1"',
      'message "kept 2"',
      'close 1000 clean "done"',
    ]);
    expect(states[0]).toBe('connecting');
    expect(states.slice(-2)).toEqual(['closing', 'closed']);
    expect(states).toContain('reconnecting');
    await server.restarted;
    const [first, ...later] = server.connections;
    expect(first!.received).toEqual(['text: kill the server']);
    expect(later.map((c) => [c.generation, c.received])).toEqual([[1, ['text: kept 1', 'text: kept 2']]]);
  },

  heartbeat({ result }, server) {
    expect(result).toEqual({
      log: ['open', 'error', 'close 4900 unclean "heartbeat timeout"'],
      states: ['connecting', 'open', 'closed'],
      face: ['pong', 'pong', 'pong', 'error ERR_WS_CLOSED 4900'],
      errors: ['ERR_WS_TIMEOUT'],
      pongs: 3,
    });
    // The pings went on after the server fell silent: it was the silence that was detected.
    expect(server.connections[0]!.received.filter((m) => m === 'text: ping').length).toBeGreaterThan(3);
  },

  binary({ result }, server) {
    const hasBlob = (result as { hasBlob: boolean }).hasBlob;
    expect(hasBlob, 'every runtime tested has Blob').toBe(true);
    expect(result).toEqual({
      log: ['open', 'close 1000 clean ""'],
      states: ['connecting', 'open', 'closing', 'closed'],
      face: ['ArrayBuffer', 'ArrayBuffer', 'Blob', 'text stays text', 'complete'],
      errors: [],
      hasBlob: true,
      binaryType: 'blob',
      received: [
        { tag: 'ArrayBuffer', bytes: [1, 2, 3, 255] },
        { tag: 'ArrayBuffer', bytes: [9, 8, 7] },
        { tag: 'Blob', bytes: [4, 5, 6] },
        { tag: 'String', bytes: [] },
      ],
    });
    expect(server.connections[0]!.received).toEqual(['binary(4)', 'binary(3)', 'binary(3)', 'text: text stays text']);
  },

  large({ result }, server) {
    expect(result).toEqual({
      log: ['open', 'close 1000 clean ""'],
      states: ['connecting', 'open', 'closing', 'closed'],
      face: ['String', 'ArrayBuffer', 'complete'],
      errors: [],
      text: { length: LARGE, same: true },
      binary: { tag: 'ArrayBuffer', length: LARGE, same: true },
    });
    expect(server.connections[0]!.received).toEqual([`text(${LARGE})`, `binary(${LARGE})`]);
  },

  subprotocol({ result }, server) {
    expect(result).toEqual({
      log: ['open', 'close 1000 clean ""'],
      states: ['connecting', 'open', 'closing', 'closed'],
      face: ['complete'],
      errors: [],
      protocolBefore: '',
      protocol: 'chat.v1',
    });
    expect(server.connections[0]!.offered).toEqual(['chat.v2', 'chat.v1']);
  },

  'close-connecting'({ result }) {
    expect(result).toEqual({
      log: ['close 1006 unclean ""'],
      states: ['connecting', 'closing', 'closed'],
      face: ['complete'],
      errors: [],
      sendAfterClose: 'ERR_WS_INVALID_STATE',
      readyState: 3,
    });
  },

  'invalid-urls'({ result }, server) {
    expect(result).toEqual({ codes: INVALID_URLS.map(() => 'ERR_WS_INVALID_URL') });
    expect(server.connections).toEqual([]);
  },
};

for (const row of ROWS) {
  describe.skipIf(skipped.has(row.id))(row.label, () => {
    let browser: Browser | undefined;
    let pages: { url: string; close(): Promise<void> } | undefined;

    beforeAll(async () => {
      if (!row.browser) return;
      pages = await startPageServer();
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await pages?.close();
    });

    for (const scenario of SCENARIOS) {
      it(
        scenario.title,
        async () => {
          const cell = `${row.id}/${scenario.id}`;
          const stated = documented.get(scenario.id)?.get(row.id);
          const server = await startConformanceServer();
          try {
            const params = { url: scenario.id === 'refused' ? await refusedUrl() : server.url };
            const outcome = row.browser
              ? await inPage(browser!, pages!.url, scenario.id, params)
              : await inProcess(row, scenario.id, params);
            expect(outcome.runtime.version.startsWith(row.major ?? '')).toBe(true);
            // `supported`: a global WebSocket exists (not in Node 20, whose row passes ws's).
            expect(outcome.runtime.supported).toBe(row.socket === 'global');
            await CHECKS[scenario.id]!(outcome, server);
            // The process ended by itself: nothing was left running after the final close.
            if (outcome.exit !== undefined)
              expect(outcome.exit, 'the process must exit by itself, with code 0').toEqual({ code: 0, signal: null });
            results.set(cell, '✔');
          } catch (error) {
            results.set(cell, '✘');
            // A failure docs/runtimes.md shows (✘) is the documented outcome; any other fails the test.
            if (stated === '✘') return;
            throw error;
          } finally {
            await server.close();
          }
          expect(
            stated,
            `docs/runtimes.md shows ✘ for ${row.label}, "${scenario.title}", but it passes: make it ✔`,
          ).not.toBe('✘');
        },
        SCENARIO_LIMIT + 30_000,
      );
    }
  });
}

describe('docs/runtimes.md', () => {
  it('names the versions this suite runs (the lockfile of .ci/runtimes, the Node running the tests) and the engines', () => {
    const doc = readFileSync(DOC, 'utf8');
    const pinned = pinnedVersions();
    const tested = (runtime: string): string | undefined =>
      doc
        .split('\n')
        .find((line) => line.startsWith(`| ${runtime} |`))
        ?.split('|')
        .at(-2)
        ?.trim();
    expect({
      'Node 20': tested('Node 20')?.startsWith(process.versions.node),
      'Node 22': tested('Node 22'),
      'Node 24': tested('Node 24'),
      Bun: tested('Bun'),
      Deno: tested('Deno'),
    }).toEqual({
      'Node 20': true,
      'Node 22': pinned.node22,
      'Node 24': pinned.node24,
      Bun: pinned.bun,
      Deno: pinned.deno,
    });
    const engines = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: Record<string, string> }
    ).engines;
    expect(engines).toEqual({
      node: '>=20',
      bun: `>=${pinned.bun!.split('.').slice(0, 2).join('.')}`,
      deno: `>=${pinned.deno!.split('.').slice(0, 2).join('.')}`,
    });
  });

  it('has a row per scenario and a column per runtime, in the order of the suite', () => {
    expect([...documented.keys()]).toEqual(SCENARIOS.map((s) => s.id));
    for (const cells of documented.values()) expect([...cells.keys()]).toEqual(ROWS.map((r) => r.id));
  });

  it("shows this run's result in every cell that ran", () => {
    const ran = [...results.keys()];
    const stated = Object.fromEntries(
      ran.map((key) => [key, documented.get(key.split('/')[1]!)?.get(key.split('/')[0]!)]),
    );
    expect(stated, `the matrix of this run, to paste into docs/runtimes.md:\n${matrixOf(results)}`).toEqual(
      Object.fromEntries(results),
    );
  });
});
