/**
 * The cost of this package's `browser.websocket` for Brython pages, against Brython's own
 * module in the same run: echo throughput of Python handlers in Debian's Chromium, on Brython
 * 3.14 from node_modules, and the size of dist/brython.js.
 *
 *   npm run build && node spec/bench/brython.mjs [--runs=5] [--messages=5000]
 *
 * Each run opens a fresh page per contender (the order rotates each run): Python sends
 * `messages` texts of 16 bytes as soon as the socket is open and counts the echoes in a
 * handler; the figure is messages per second from the first send to the last echo, and each
 * contender's ratio is the median of its per-run ratios to Brython's own module.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { startEchoServer } from '../../examples/echo-server.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../browser/chromium-launch.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => /^--([^=]+)=(.*)$/.exec(a)?.slice(1) ?? [a, 'true']));
const RUNS = Number(args.runs ?? 5);
const MESSAGES = Number(args.messages ?? 5000);

const HANDLER = {
  // Brython's own module: the browser's socket, Brython's built-in bind.
  own: { scripts: ['brython', 'stdlib'], bind: "ws.bind('message', on_message)" },
  // This package: the Python class's bind, and the Rx face.
  bind: { scripts: ['brython', 'stdlib', 'ours'], bind: "ws.bind('message', on_message)" },
  messages: { scripts: ['brython', 'stdlib', 'ours'], bind: 'ws.messages.subscribe(on_message)' },
};
const SRC = { brython: '/b/brython.js', stdlib: '/b/brython_stdlib.js', ours: '/dist/brython.js' };

const page = ({ scripts, bind }) => `<!doctype html><html><head><meta charset="utf-8">
${scripts.map((name) => `<script src="${SRC[name]}"></script>`).join('\n')}
</head><body><script type="text/python">
from browser import window, websocket
N = ${MESSAGES}
TEXT = '0123456789abcdef'
ws = websocket.WebSocket(f"ws://{window.location.host}/echo")
count = [0]
start = [0]
def on_message(evt):
    count[0] += 1
    if count[0] == N:
        window.RESULT = (window.performance.now() - start[0])
        ws.close()
def on_open(evt):
    start[0] = window.performance.now()
    for i in range(N):
        ws.send(TEXT)
ws.bind('open', on_open)
${bind}
</script></body></html>`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const pages = new Map(Object.entries(HANDLER).map(([name, contender]) => [name, page(contender)]));
const server = await startEchoServer({
  path: '/echo',
  mounts: { '/b/': `${ROOT}node_modules/brython`, '/dist/': `${ROOT}dist` },
});
// Pages are served from memory: a tiny HTTP handler in front of the echo server's.
const listeners = server.server.listeners('request');
server.server.removeAllListeners('request');
server.server.on('request', (req, res) => {
  const name = /^\/page\/(\w+)$/.exec(req.url ?? '')?.[1];
  if (name !== undefined && pages.has(name)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(pages.get(name));
    return;
  }
  for (const listener of listeners) listener.call(server.server, req, res);
});

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
const figures = Object.fromEntries(Object.keys(HANDLER).map((name) => [name, []]));
const ratios = Object.fromEntries(Object.keys(HANDLER).map((name) => [name, []]));
try {
  const names = Object.keys(HANDLER);
  for (let run = 0; run < RUNS; run++) {
    const order = [...names.slice(run % names.length), ...names.slice(0, run % names.length)];
    const perRun = {};
    for (const name of order) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(`${server.httpUrl}page/${name}`);
      const ms = await tab
        .waitForFunction(() => globalThis.RESULT, null, { timeout: 120_000 })
        .then((h) => h.jsonValue());
      await context.close();
      perRun[name] = (MESSAGES / ms) * 1000;
      figures[name].push(perRun[name]);
    }
    for (const name of names) ratios[name].push(perRun[name] / perRun.own);
  }
} finally {
  await browser.close();
  await server.close();
}

const script = readFileSync(`${ROOT}dist/brython.js`);
console.log(`Chromium, Brython 3.14.3, ${RUNS} runs of ${MESSAGES} echoed messages of 16 B (median)`);
console.log("| contender | messages/s | vs Brython's own module |");
console.log('| --- | ---: | ---: |');
const LABELS = {
  own: "Brython's own module, `ws.bind`",
  bind: 'this package, `ws.bind`',
  messages: 'this package, `ws.messages.subscribe`',
};
for (const name of Object.keys(HANDLER)) {
  console.log(
    `| ${LABELS[name]} | ${Math.round(median(figures[name])).toLocaleString('en')} | ${median(ratios[name]).toFixed(2)} |`,
  );
}
console.log(
  `dist/brython.js: ${(script.length / 1024).toFixed(1)} KiB, ${(gzipSync(script, { level: 9 }).length / 1024).toFixed(1)} KiB gzipped`,
);
