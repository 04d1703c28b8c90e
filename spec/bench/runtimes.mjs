/**
 * The runtimes section of `npm run bench` (`--only=runtimes`): on Node 22, Node 24, Bun and
 * Deno, each with its global WebSocket, and in Chromium, the throughput of 16-byte messages
 * through `message$`, `bind('message')` and the subject face, against that runtime's raw
 * `onmessage` in the same run, and against RxJS's `webSocket`.
 *
 * Every figure is the median of `runs` interleaved runs: each run goes once through every
 * runtime and every contender (the contenders' order rotates each run), each in a fresh
 * process (Chromium: a fresh page), against the bench server (server.mjs, its own process).
 * Ratios are medians of per-run ratios, so both sides of a ratio come from the same minute.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { RUNTIME_CONTENDERS } from './runtime-contenders.mjs';
import { ensureRuntimes, ROOT, ROWS, runOn } from '../runtimes/runtimes.mjs';
import { fmt, lpad, median, pad, rotate } from './stats.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM } from '../browser/chromium-launch.mjs';

const CLIENT = join(ROOT, 'spec', 'bench', 'runtime-client.mjs');
const RUNTIMES = ['node22', 'node24', 'bun', 'deno', 'chromium'];
const CONTENDERS = Object.keys(RUNTIME_CONTENDERS);
/** The targets against raw `onmessage` (Node 20 with `ws` is the throughput section's). */
const GOALS = { message$: 0.95, bind: 0.95, subject: 0.95 };

/** A page on 127.0.0.1 (a page of another origin may not open a socket to the loopback) with the bundle. */
async function startPage() {
  const result = await build({
    entryPoints: [join(ROOT, 'spec', 'bench', 'runtime-page.mjs')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    tsconfigRaw: {}, // tsconfig.json maps the package's name to src/: resolve it to dist/ instead
    absWorkingDir: ROOT,
  });
  const script = result.outputFiles[0].text;
  const http = createServer((request, response) => {
    if (request.url === '/bench.js') return response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>bench</title><script src="/bench.js"></script>');
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}/`,
    close: () => new Promise((resolve) => http.close(resolve)),
  };
}

/**
 * Runs the section. `port`: the bench server's; `target(figure, measured, goal, pass)`
 * records a line of the targets table. Returns nothing; prints a table per runtime.
 */
export async function runtimesSection({ port, runs, scale, target }) {
  const t0 = Date.now();
  ensureRuntimes();
  const rows = Object.fromEntries(ROWS.map((row) => [row.id, row]));
  const wanted = RUNTIMES.filter((id) => id !== 'chromium' || HAS_CHROMIUM);
  if (!HAS_CHROMIUM) console.log(`\nChromium: not measured (no Chromium at ${CHROMIUM_PATH})`);
  const n = { process: Math.round(300_000 * scale), chromium: Math.round(20_000 * scale) };

  let browser;
  let page;
  if (wanted.includes('chromium')) {
    const { chromium } = await import('playwright');
    page = await startPage();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
  }

  /** One run of `contender` on `runtime`: messages per second. */
  async function once(runtime, contender) {
    const count = runtime === 'chromium' ? n.chromium : n.process;
    const url = `ws://127.0.0.1:${port}/flood?n=${count}&size=16`;
    if (runtime === 'chromium') {
      const tab = await browser.newPage();
      try {
        await tab.goto(page.url);
        const r = await tab.evaluate(([c, u, k]) => globalThis.floodRun(c, u, k), [contender, url, count]);
        return count / (r.ms / 1000);
      } finally {
        await tab.close();
      }
    }
    const run = await runOn(rows[runtime], CLIENT, [contender, url, String(count)], 120_000);
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.code !== 0 || !line.startsWith('{'))
      throw new Error(`${runtime} ${contender}: exit ${run.code}\n${run.stderr}`);
    const r = JSON.parse(line);
    if (r.count !== count) throw new Error(`${runtime} ${contender}: ${r.count} of ${count} messages`);
    return count / (r.ms / 1000);
  }

  const rates = Object.fromEntries(wanted.map((rt) => [rt, Object.fromEntries(CONTENDERS.map((c) => [c, []]))]));
  try {
    for (let run = 0; run < runs; run++) {
      for (const runtime of wanted) {
        for (const contender of rotate(CONTENDERS, run)) rates[runtime][contender].push(await once(runtime, contender));
      }
    }
  } finally {
    await browser?.close();
    await page?.close();
  }

  console.log(
    `\n## Throughput per runtime, global WebSocket: messages of 16 bytes (${runs} interleaved runs, medians)`,
  );
  console.log(
    `${n.process.toLocaleString('en')} messages per run on Node, Bun and Deno; ${n.chromium.toLocaleString('en')} in Chromium`,
  );
  for (const runtime of wanted) {
    const r = rates[runtime];
    const ratio = (a, b) => median(r[a].map((x, i) => x / r[b][i]));
    const label = runtime === 'chromium' ? 'Chromium' : rows[runtime].label;
    console.log(`\n### ${label}`);
    console.log(`${pad('contender', 40)}${lpad('msgs/s', 11)}${lpad('× raw', 8)}${lpad('× RxJS', 8)}`);
    for (const c of CONTENDERS) {
      console.log(
        `${pad(RUNTIME_CONTENDERS[c].label, 40)}${lpad(Math.round(median(r[c])).toLocaleString('en'), 11)}` +
          `${lpad(c === 'raw' ? '' : fmt(ratio(c, 'raw')), 8)}${lpad(c === 'rxjs' || c === 'raw' ? '' : fmt(ratio(c, 'rxjs')), 8)}`,
      );
    }
    const spread = (c) =>
      `${Math.round(Math.min(...r[c])).toLocaleString('en')}-${Math.round(Math.max(...r[c])).toLocaleString('en')}`;
    if (runtime === 'chromium') {
      console.log(
        `In Chromium the browser's own socket is the bottleneck: raw onmessage itself ranged ${spread('raw')} msgs/s over the runs, ` +
          'so the ratios here measure the browser, not the package (no verdict).',
      );
    }
    for (const [c, goal] of Object.entries(GOALS)) {
      const x = ratio(c, 'raw');
      const verdict = runtime === 'chromium' ? undefined : x >= goal;
      target(
        `runtimes: ${label}, ${RUNTIME_CONTENDERS[c].label} / raw onmessage`,
        fmt(x),
        `≥ ${goal.toFixed(2)}`,
        verdict,
      );
    }
  }
  console.log(`\nthe runtimes section took ${Math.round((Date.now() - t0) / 1000)} s`);
}
