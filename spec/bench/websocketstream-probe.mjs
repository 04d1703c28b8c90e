/**
 * Does a browser socket push back on the server when the page does not read? A probe, run by
 * hand (not part of `npm run bench`):
 *
 *   node spec/bench/websocketstream-probe.mjs
 *
 * A `ws` server sends 40,000 messages of 1 KiB (40 MiB) to each connection, only while its
 * send buffer is under 256 KiB, and counts what it could hand to TCP. In Chromium, a page opens
 * the connection with the DOM `WebSocket` (storing every message, as a reader that cannot pause
 * must) or with `WebSocketStream` (reading nothing), and waits 3 s without reading. Printed:
 * how many messages the server could send in those 3 s, how many the page received, and its
 * JS heap (`performance.memory`, which does not count string data held outside the JS heap).
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import { chromium } from 'playwright';
import { WebSocketServer } from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../browser/chromium-launch.mjs';

// Chromium as the tests launch it, with precise heap figures.
const PROBE_ARGS = [...CHROMIUM_ARGS, '--enable-precise-memory-info'];

const N = 40_000;
const payload = 'x'.repeat(1024);
const http = createServer((_q, r) => r.end('<!doctype html><title>probe</title>'));
const wss = new WebSocketServer({ server: http });
let sent = 0;
wss.on('connection', (socket) => {
  socket.on('error', () => undefined);
  sent = 0;
  void (async () => {
    const tcp = socket._socket;
    while (sent < N && socket.readyState === 1) {
      socket.send(payload);
      sent++;
      if (socket.bufferedAmount >= 256 * 1024) await once(tcp, 'drain');
    }
  })().catch(() => undefined); // the page closing mid-wait resets the connection
});
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
const port = http.address().port;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: PROBE_ARGS });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${port}/`);
for (const kind of ['WebSocket', 'WebSocketStream']) {
  const { heap, received } = await page.evaluate(
    async ({ kind, url }) => {
      const before = performance.memory.usedJSHeapSize;
      let close;
      const kept = [];
      if (kind === 'WebSocket') {
        const ws = new WebSocket(url);
        ws.onmessage = (e) => kept.push(e.data);
        close = () => ws.close();
      } else {
        // Chromium's WebSocketStream: a global of the page, not of Node.
        const wss = new globalThis.WebSocketStream(url);
        await wss.opened;
        close = () => wss.close();
      }
      await new Promise((r) => setTimeout(r, 3000));
      const after = performance.memory.usedJSHeapSize;
      close();
      return { heap: after - before, received: kept.length };
    },
    { kind, url: `ws://127.0.0.1:${port}/` },
  );
  console.log(
    `${kind.padEnd(16)} server sent ${sent.toLocaleString('en')} of ${N.toLocaleString('en')} messages in 3 s; ` +
      `the page received ${received.toLocaleString('en')}; its JS heap +${(heap / 2 ** 20).toFixed(1)} MiB`,
  );
  await new Promise((r) => setTimeout(r, 500));
}
await browser.close();
wss.close();
http.close();
