/**
 * `npm run bench`: throughput, echo latency, in-process dispatch cost, memory per
 * socket and bundle size, each against its baselines in the same run, then a table of every
 * target with pass/miss.
 *
 *   node spec/bench/run.mjs [--runs=7] [--only=throughput,latency,dispatch,memory,slow,size,runtimes]
 *                           [--sockets=10000] [--scale=1] [--contenders=ours-onmessage,...]
 *
 * Every network figure comes from a fresh child process per contender and run; runs
 * alternate between contenders (the order rotates each run) and each figure is the median
 * of the runs. Ratios are the median of the per-run ratios, so that both sides of a ratio
 * come from the same minute of the machine's life. The server is its own process (see
 * server.mjs) writing pre-built frames in batches: `ws on('message')` reaching well above
 * every other contender shows that it is not the bottleneck.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { available, CONTENDERS } from './contenders.mjs';
import { runtimesSection } from './runtimes.mjs';
import { BUDGETS, kib, measureSizes, readmeRows } from './size.mjs';
import { fmt, lpad, median, pad, rotate } from './stats.mjs';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m === null) throw new Error(`unknown argument ${a}`);
    return [m[1], m[2] ?? 'true'];
  }),
);
const RUNS = Number(args.runs ?? 7);
const SCALE = Number(args.scale ?? 1);
const ONLY = new Set((args.only ?? 'throughput,latency,dispatch,memory,slow,size,runtimes').split(','));
const WANTED_SOCKETS = Number(args.sockets ?? 10_000);

/** The soft and hard limits on open files, read through the shell (Node has no API). */
function fdLimits() {
  const read = (flag) => execFileSync('/bin/sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim();
  const parse = (v) => (v === 'unlimited' ? Infinity : Number(v));
  return { soft: parse(read('-Sn')), hard: parse(read('-Hn')) };
}

/**
 * Spawns `node <flags> <script> <argv>` with the soft open-files limit raised to the hard
 * limit (`ulimit -n` in a shell that then execs node; IPC survives the exec).
 */
function spawnNode(flags, script, argv, { ipc = false } = {}) {
  return spawn(
    '/bin/sh',
    ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', process.execPath, ...flags, script, ...argv],
    { stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])], cwd: HERE },
  );
}

/** Runs a child to its end and parses the JSON line it prints; rejects with its stderr. */
function runChild(flags, script, argv) {
  return new Promise((resolve, reject) => {
    const child = spawnNode(flags, script, argv);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') return reject(new Error(`${script} ${argv.join(' ')}: exit ${code}\n${err}`));
      resolve(JSON.parse(line));
    });
  });
}

async function startServer() {
  const child = spawnNode([], `${HERE}server.mjs`, [], { ipc: true });
  child.stderr.pipe(process.stderr);
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { port, stop: () => child.kill() };
}

const summary = [];
/** Records a target's line: figure, measured, target, pass/miss. */
function target(figure, measured, goal, pass) {
  summary.push({ figure, measured, goal, verdict: pass === undefined ? 'n/a' : pass ? 'pass' : 'MISS' });
}

// ---- Machine -----------------------------------------------------------------------------

const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? '?';
console.log(`# brython-websocket benchmarks`);
console.log(
  `machine: ${os.availableParallelism()} CPUs (nproc), ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; ` +
    `Node ${process.version}; ${os.type()} ${os.release()}`,
);
console.log(
  `load average at start: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; runs per figure: ${RUNS}`,
);

// --contenders=a,b: only these network contenders (ws-onmessage and ws-buffer, the baselines, always run).
const PICK =
  args.contenders === undefined ? undefined : new Set(['ws-onmessage', 'ws-buffer', ...args.contenders.split(',')]);
const names = [];
for (const name of Object.keys(CONTENDERS)) {
  if ((PICK === undefined || PICK.has(name)) && (await available(name))) names.push(name);
}
const missing = Object.keys(CONTENDERS).filter((n) => (PICK === undefined || PICK.has(n)) && !names.includes(n));
for (const name of missing) {
  if (CONTENDERS[name].needs === 'baseline') {
    console.log(
      `${CONTENDERS[name].label}: not run (set BENCH_BASELINE_DIST to an earlier build's dist/ to compare before and after)`,
    );
    continue;
  }
  const what = CONTENDERS[name].needs === 'resilience' ? 'reconnect() and heartbeat() a socket accepts' : 'webSocket()';
  console.log(
    `${CONTENDERS[name].label}: not available (the built package's brython-websocket/${CONTENDERS[name].needs} entry has no ${what})`,
  );
}

const server = ['throughput', 'latency', 'memory', 'slow', 'runtimes'].some((s) => ONLY.has(s))
  ? await startServer()
  : null;
const t0 = Date.now();

// ---- 1. Throughput -----------------------------------------------------------------------

const OURS = [
  'ours-message$',
  'ours-bind',
  'ours-bind-resilient',
  'ours-subject',
  'ours-onmessage',
  'ours-subject-json',
  'ours-webSocket',
  'ours-webSocket-json',
];
const rxjsOf = (name) => (CONTENDERS[name].json ? 'rxjs-json' : 'rxjs-identity');

if (ONLY.has('throughput')) {
  for (const [size, n] of [
    [16, Math.round(1_000_000 * SCALE)],
    [4096, Math.round(100_000 * SCALE)],
  ]) {
    const rates = Object.fromEntries(names.map((name) => [name, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const name of rotate(names, run)) {
        const url = `ws://127.0.0.1:${server.port}/flood?n=${n}&size=${size}`;
        const flags = CONTENDERS[name].nodeFlags ?? [];
        const r = await runChild(flags, `${HERE}throughput-client.mjs`, [name, url, String(n)]);
        if (r.count !== n) throw new Error(`${name}: ${r.count} of ${n} messages`);
        rates[name].push(n / (r.ms / 1000));
      }
    }
    const ratio = (a, b) => median(rates[a].map((x, i) => x / rates[b][i]));
    console.log(`\n## Throughput: ${n.toLocaleString('en')} messages of ${size} bytes (${RUNS} runs, medians)`);
    console.log(
      `${pad('contender', 42)}${lpad('msgs/s', 11)}${lpad('MB/s', 8)}${lpad('× DOM', 8)}${lpad('× wire', 8)}${lpad('× RxJS', 8)}`,
    );
    for (const name of names) {
      const rate = median(rates[name]);
      const vsRx = OURS.includes(name) && names.includes(rxjsOf(name)) ? fmt(ratio(name, rxjsOf(name))) : '';
      console.log(
        `${pad(CONTENDERS[name].label, 42)}${lpad(Math.round(rate).toLocaleString('en'), 11)}` +
          `${lpad(fmt((rate * size) / 1e6, 1), 8)}${lpad(fmt(ratio(name, 'ws-onmessage')), 8)}` +
          `${lpad(fmt(ratio(name, 'ws-buffer')), 8)}${lpad(vsRx, 8)}`,
      );
    }
    const others = names.filter((x) => x !== 'ws-buffer').map((x) => median(rates[x]));
    const headroom = median(rates['ws-buffer']) / Math.max(...others);
    console.log(`server check: the wire limit is ${fmt(headroom)}× the fastest other contender`);
    const label = size >= 1024 ? `${size / 1024} KiB` : `${size} B`;
    const short = { 'rxjs-identity': 'RxJS identity', 'rxjs-json': 'RxJS JSON' };
    const vsDom = [
      ['ours-message$', 1],
      ['ours-bind', 1],
      ['ours-bind-resilient', 1],
      ['ours-subject', 0.95],
      ['ours-onmessage', 0.95],
    ];
    for (const [name, goal] of vsDom.filter(([x]) => names.includes(x))) {
      const r = ratio(name, 'ws-onmessage');
      target(`${label}: ${CONTENDERS[name].label} / ws onmessage`, fmt(r), `≥ ${goal.toFixed(2)}`, r >= goal);
    }
    for (const name of OURS.filter((x) => names.includes(x) && names.includes(rxjsOf(x)))) {
      const r = ratio(name, rxjsOf(name));
      target(`${label}: ${CONTENDERS[name].label} / ${short[rxjsOf(name)]}`, fmt(r), '≥ 1.20', r >= 1.2);
    }
    for (const [now, before] of [
      ['ours-message$', 'base-message$'],
      ['ours-bind', 'base-bind'],
    ].filter(([, b]) => names.includes(b))) {
      const r = ratio(now, before);
      target(`${label}: ${CONTENDERS[now].label} / the same, before`, fmt(r), '≥ 0.95', r >= 0.95);
    }
    for (const name of ['ours-message$', 'ours-bind'].filter((x) => names.includes(x))) {
      const r = ratio(name, 'ws-buffer');
      target(`${label}: ${CONTENDERS[name].label} / wire limit (stretch)`, fmt(r), '≥ 0.80', r >= 0.8);
    }
  }
}

// ---- 2. Echo latency ---------------------------------------------------------------------

if (ONLY.has('latency')) {
  const n = Math.round(20_000 * SCALE);
  const contenders = ['ws-onmessage', 'ours-bind', 'ours-message$', 'ours-subject'];
  const runs = Object.fromEntries(contenders.map((c) => [c, []]));
  for (let run = 0; run < RUNS; run++) {
    const url = `ws://127.0.0.1:${server.port}/echo`;
    const r = await runChild([], `${HERE}latency-client.mjs`, [url, String(n), '1000', ...rotate(contenders, run)]);
    for (const c of contenders) runs[c].push(r[c]);
  }
  console.log(
    `\n## Echo latency: ${n.toLocaleString('en')} sequential round trips of 16 bytes, in alternating blocks of 1,000 (${RUNS} runs, medians)`,
  );
  console.log(`${pad('contender', 42)}${lpad('p50 µs', 9)}${lpad('p99 µs', 9)}${lpad('p50 ×', 8)}${lpad('p99 ×', 8)}`);
  const ratio = (c, q) => median(runs[c].map((x, i) => x[q] / runs['ws-onmessage'][i][q]));
  for (const c of contenders) {
    console.log(
      `${pad(CONTENDERS[c].label, 42)}${lpad(fmt(median(runs[c].map((x) => x.p50)), 1), 9)}` +
        `${lpad(fmt(median(runs[c].map((x) => x.p99)), 1), 9)}${lpad(fmt(ratio(c, 'p50')), 8)}${lpad(fmt(ratio(c, 'p99')), 8)}`,
    );
  }
  for (const c of contenders.slice(1)) {
    target(`echo p99: ${CONTENDERS[c].label} / raw ws`, fmt(ratio(c, 'p99')), '≤ 1.05', ratio(c, 'p99') <= 1.05);
  }
}

// ---- 3. In-process dispatch --------------------------------------------------------------

if (ONLY.has('dispatch')) {
  const events = Math.round(1_000_000 * SCALE);
  const baseline = process.env.BENCH_BASELINE_DIST !== undefined;
  const contenders = [
    'direct',
    'ours-message$',
    'ours-bind',
    'ours-onmessage',
    'fromEvent',
    ...(baseline ? ['base-message$', 'base-bind'] : []),
  ];
  const labels = {
    direct: 'direct listener',
    'ours-message$': 'RxWebSocket message$',
    'ours-bind': "RxWebSocket bind('message')",
    'ours-onmessage': 'RxWebSocket onmessage (+ addEventListener)',
    fromEvent: 'rxjs fromEvent',
    'base-message$': 'RxWebSocket message$, before (baseline)',
    'base-bind': "RxWebSocket bind('message'), before",
  };
  const ns = {};
  for (const subs of [1, 4]) {
    for (const c of contenders) ns[`${c}/${subs}`] = [];
    for (let run = 0; run < RUNS; run++) {
      for (const c of rotate(contenders, run)) {
        const r = await runChild([], `${HERE}dispatch-client.mjs`, [c, String(subs), String(events)]);
        ns[`${c}/${subs}`].push(r.ns);
      }
    }
  }
  console.log(
    `\n## In-process dispatch: ${events.toLocaleString('en')} events from a fake socket (${RUNS} runs, medians)`,
  );
  console.log(
    `${pad('contender', 42)}${lpad('1 sub ns', 10)}${lpad('over', 8)}${lpad('4 subs ns', 11)}${lpad('over', 8)}`,
  );
  const over = (c, subs) => median(ns[`${c}/${subs}`].map((x, i) => x - ns[`direct/${subs}`][i]));
  for (const c of contenders) {
    console.log(
      `${pad(labels[c], 42)}${lpad(fmt(median(ns[`${c}/1`]), 1), 10)}${lpad(fmt(over(c, 1), 1), 8)}` +
        `${lpad(fmt(median(ns[`${c}/4`]), 1), 11)}${lpad(fmt(over(c, 4), 1), 8)}`,
    );
  }
  for (const c of ['ours-message$', 'ours-bind', 'ours-onmessage']) {
    target(
      `dispatch: ${labels[c]}, 1 subscriber, ns over a direct listener`,
      fmt(over(c, 1), 1),
      '≤ 15',
      over(c, 1) <= 15,
    );
  }
  if (baseline) {
    for (const [now, before] of [
      ['ours-message$', 'base-message$'],
      ['ours-bind', 'base-bind'],
    ]) {
      for (const subs of [1, 4]) {
        const r = median(ns[`${before}/${subs}`].map((x, i) => x / ns[`${now}/${subs}`][i]));
        target(`dispatch: ${labels[now]}, ${subs} sub., speed now / before`, fmt(r), '≥ 0.95', r >= 0.95);
      }
    }
  }
}

// ---- 4. Memory ---------------------------------------------------------------------------

if (ONLY.has('memory')) {
  const { soft, hard } = fdLimits();
  // Each side holds one descriptor per socket, plus Node's own (about 30) and some margin.
  const fits = Math.min(WANTED_SOCKETS, hard - 200);
  console.log(`\n## Memory: ${fits.toLocaleString('en')} concurrent sockets to a local server (${RUNS} runs, medians)`);
  console.log(
    `open files: soft limit ${soft}, hard limit ${hard}; each process raises its soft limit to the hard one (ulimit -n)`,
  );
  if (fits < WANTED_SOCKETS) {
    console.log(
      `${WANTED_SOCKETS} sockets cannot fit: the hard limit on open files is ${hard} (raise it as root: ulimit -Hn); using ${fits}`,
    );
  }
  const contenders = ['ws-onmessage', 'ours-bind', 'ours-bind-resilient'].filter((c) => names.includes(c));
  const runs = Object.fromEntries(contenders.map((c) => [c, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const c of rotate(contenders, run)) {
      runs[c].push(
        await runChild(['--expose-gc'], `${HERE}memory-client.mjs`, [
          c,
          `ws://127.0.0.1:${server.port}/idle`,
          String(fits),
        ]),
      );
    }
  }
  console.log(`${pad('contender', 42)}${lpad('heap B/socket', 15)}${lpad('RSS B/socket', 14)}`);
  for (const c of contenders) {
    console.log(
      `${pad(CONTENDERS[c].label, 42)}${lpad(Math.round(median(runs[c].map((x) => x.heap))), 15)}${lpad(Math.round(median(runs[c].map((x) => x.rss))), 14)}`,
    );
  }
  for (const c of contenders.slice(1)) {
    const over = (q) => median(runs[c].map((x, i) => x[q] - runs['ws-onmessage'][i][q]));
    for (const q of ['heap', 'rss']) {
      target(
        `memory: ${CONTENDERS[c].label}, ${q === 'rss' ? 'RSS' : 'heap'}/socket over raw ws (${fits} sockets)`,
        `${Math.round(over(q))} B`,
        '≤ 2048 B',
        over(q) <= 2048,
      );
    }
  }
}

// ---- 4b. Each runtime's global WebSocket (spec/bench/runtimes.mjs) -------------------------

if (ONLY.has('runtimes')) await runtimesSection({ port: server.port, runs: RUNS, scale: SCALE, target });

// ---- 5. Slow consumer -------------------------------------------------------------------

if (ONLY.has('slow')) {
  // Each run of a slow contender takes several seconds: at most 3 runs here.
  const runsHere = Math.min(RUNS, 3);
  const n = Math.round(200_000 * SCALE);
  const size = 1024;
  const workUs = 20;
  const url = `ws://127.0.0.1:${server.port}/flood?n=${n}&size=${size}`;
  const mib = (b) => b / 2 ** 20;
  const slow = ['ours-for-await', 'rxjs-concatMap', 'ws-pause'];
  const labels = {
    'ours-for-await': 'for await messages() (pause at 256, resume at 64)',
    'rxjs-concatMap': 'RxJS webSocket + concatMap',
    'ws-pause': 'raw ws, pause() at 256, resume() at 64',
    'ours-message$': 'RxWebSocket message$',
  };
  const runs = Object.fromEntries(slow.map((c) => [c, []]));
  for (let run = 0; run < runsHere; run++) {
    for (const c of rotate(slow, run)) {
      const r = await runChild(['--expose-gc'], `${HERE}slow-client.mjs`, [c, url, String(n), String(workUs), '120']);
      if (!r.finished && c !== 'rxjs-concatMap') throw new Error(`${c}: ${r.count} of ${n} messages in 120 s`);
      runs[c].push(r);
    }
  }
  console.log(
    `\n## Slow consumer: ${n.toLocaleString('en')} messages of 1 KiB, ${workUs} µs of work + a turn of the event loop per message (${runsHere} runs, medians)`,
  );
  console.log(
    'peak retained heap: sampled every 100 ms after a forced full GC, over the baseline once open; peak RSS: maxRSS over the RSS then',
  );
  console.log(
    'a run still going after 120 s stops there (its peak is already reached): "done" tells how many messages it had processed;',
  );
  console.log("msgs/s of a run with a large heap measures mostly the sampler's full GCs, not the contender");
  console.log(`${pad('contender', 52)}${lpad('heap MiB', 10)}${lpad('RSS MiB', 9)}${lpad('msgs/s', 9)}  done`);
  for (const c of slow) {
    const done = runs[c].map((x) => (x.finished ? 'all' : `${x.count}`)).join('/');
    console.log(
      `${pad(labels[c], 52)}${lpad(fmt(mib(median(runs[c].map((x) => x.heapPeak)))), 10)}${lpad(fmt(mib(median(runs[c].map((x) => x.rssPeak)))), 9)}` +
        `${lpad(Math.round(median(runs[c].map((x) => x.count / (x.ms / 1000)))).toLocaleString('en'), 9)}  ${done}`,
    );
  }
  const overRaw = median(runs['ours-for-await'].map((x, i) => x.heapPeak - runs['ws-pause'][i].heapPeak));
  const ours = median(runs['ours-for-await'].map((x) => x.heapPeak));
  target(
    'slow consumer: for await heap peak over raw ws pause()',
    `${fmt(mib(overRaw))} MiB`,
    '≤ 2 MiB',
    overRaw <= 2 * 2 ** 20,
  );
  target('slow consumer: for await heap peak over baseline', `${fmt(mib(ours))} MiB`, '< 8 MiB', ours < 8 * 2 ** 20);

  // The fast consumer: the loop body only counts.
  const fast = ['ours-for-await', 'ours-message$'];
  const rates = Object.fromEntries(fast.map((c) => [c, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const c of rotate(fast, run)) {
      const r = await runChild(['--expose-gc'], `${HERE}slow-client.mjs`, [c, url, String(n), '0', '120']);
      if (!r.finished) throw new Error(`${c}: ${r.count} of ${n} messages in 120 s`);
      rates[c].push(n / (r.ms / 1000));
    }
  }
  const ratio = median(rates['ours-for-await'].map((x, i) => x / rates['ours-message$'][i]));
  console.log(`\nfast consumer, the same flood (${RUNS} runs, medians):`);
  for (const c of fast)
    console.log(
      `${pad(c === 'ours-for-await' ? 'for await messages(), counting' : 'RxWebSocket message$, counting', 52)}${lpad(Math.round(median(rates[c])).toLocaleString('en'), 9)} msgs/s`,
    );
  console.log(`for await / message$: ${fmt(ratio)}`);
  target('fast consumer: for await messages() / message$ (1 KiB)', fmt(ratio), '≥ 0.80', ratio >= 0.8);
}

server?.stop();

// ---- 6. Bundle size ----------------------------------------------------------------------

if (ONLY.has('size')) {
  const sizes = await measureSizes();
  console.log('\n## Bundle size (esbuild, minify, ESM, browser; gzip -9)');
  console.log(`${pad('bundle', 62)}${lpad('bytes', 7)}${lpad('KiB', 6)}`);
  console.log(`${pad('main entry, rxjs external', 62)}${lpad(sizes.mainEntry, 7)}${lpad(kib(sizes.mainEntry), 6)}`);
  console.log(
    `${pad('app importing only { WebSocket }, rxjs bundled', 62)}${lpad(sizes.webSocketApp, 7)}${lpad(kib(sizes.webSocketApp), 6)}`,
  );
  console.log(
    `${pad('the same app on rxjs/webSocket, rxjs bundled', 62)}${lpad(sizes.rxjsWebSocketApp, 7)}${lpad(kib(sizes.rxjsWebSocketApp), 6)}`,
  );
  console.log(
    `${pad('{ WebSocket } + reconnect, heartbeat, connectTimeout, rxjs bundled', 62)}${lpad(sizes.resilientApp, 7)}${lpad(kib(sizes.resilientApp), 6)}`,
  );
  console.log('README rows (spec/size.spec.ts keeps them in step):');
  for (const row of readmeRows(sizes)) console.log(`  ${row}`);
  target(
    'size: main entry, min+gzip, rxjs external',
    `${kib(sizes.mainEntry)} KiB`,
    `≤ ${kib(BUDGETS.mainEntry)} KiB`,
    sizes.mainEntry <= BUDGETS.mainEntry,
  );
  target(
    'size: app importing only { WebSocket }, rxjs bundled, min+gzip',
    `${kib(sizes.webSocketApp)} KiB`,
    `≤ ${kib(BUDGETS.webSocketApp)} KiB`,
    sizes.webSocketApp <= BUDGETS.webSocketApp,
  );
}

// ---- Targets -----------------------------------------------------------------------------

console.log(`\n## Targets`);
console.log(`${pad('figure', 84)}${lpad('measured', 10)}${lpad('target', 11)}  verdict`);
for (const t of summary) console.log(`${pad(t.figure, 84)}${lpad(t.measured, 10)}${lpad(t.goal, 11)}  ${t.verdict}`);
console.log(
  `\nnetwork sections took ${Math.round((Date.now() - t0) / 1000)} s; load average at end: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
