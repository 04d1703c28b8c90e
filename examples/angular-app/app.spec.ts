/**
 * The Angular app (examples/angular-app/), built by Angular's own builder and driven in Chromium.
 *
 * Once for the file: the app is installed when needed (its own package-lock.json, and this
 * package packed as a user gets it; see prepare.mjs), then `ng build` compiles it AOT and
 * prerenders it while an echo server listens at the URL the app is built for. The build time
 * and the initial JS size are printed. Then:
 * - the prerendered HTML holds the initial state; no WebSocket was constructed during the
 *   prerender (prerender-probe.cjs writes each one down), and the echo server saw no connection;
 * - in Chromium (playwright, Debian's /usr/bin/chromium), against the build served by the echo
 *   server: the page hydrates and connects, echoes, reconnects after a drop (a message sent
 *   meanwhile arrives), closes; leaving the page closes the socket with 1000.
 *
 * Also: the figures and code listings in docs/angular.md match the app.
 *
 * Without Chromium the browser part is skipped with a notice, unless CI is set: then it fails.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket as WsSocket } from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM, RUN_BROWSER_TESTS } from '../../spec/browser/chromium.js';
import { bufferOf } from '../../spec/helpers/node-servers.js';
import { startEchoServer, type EchoServer } from '../echo-server.mjs';
import { buildAngularApp, formatFigures, installAngularApp, measureInitialJs, type InitialJs } from './prepare.mjs';

interface Connection {
  socket: WsSocket;
  /** The text messages the server received on it, in order. */
  received: string[];
  /** Its close code and reason, once closed. */
  closed: Promise<{ code: number; reason: string }>;
}

let outputPath = '';
/** Undefined until beforeAll has started it (afterAll runs even when beforeAll failed). */
let server: EchoServer | undefined;
/** Every WebSocket upgrade request the server got, accepted or not. */
const upgrades: string[] = [];
const connections: Connection[] = [];
let upgradesDuringBuild = -1;
/** The URLs of the WebSockets constructed during the build, and the file that lists them. */
let socketsDuringBuild: string[] = [];
let socketLog = '';
let buildLog = '';
let initial: InitialJs;

beforeAll(async () => {
  await installAngularApp();
  outputPath = await mkdtemp(join(tmpdir(), 'angular-app-'));
  // The echo server serves the build (read at each request, so it can start first) and the
  // echo at /echo; the app is built for this very URL, so a socket opened during the prerender
  // would reach it.
  server = await startEchoServer({ path: '/echo', staticDir: join(outputPath, 'browser') });
  server.server.on('upgrade', (request: { url?: string }) => upgrades.push(request.url ?? ''));
  server.wss.on('connection', (socket) => {
    const received: string[] = [];
    socket.on('message', (data, isBinary) => {
      if (!isBinary) received.push(bufferOf(data).toString());
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    connections.push({ socket, received, closed });
  });

  // Every WebSocket constructed during the build is written down (prerender-probe.cjs).
  socketLog = join(outputPath, '..', `${basename(outputPath)}-sockets.log`);
  await writeFile(socketLog, '');
  const build = await buildAngularApp({
    outputPath,
    define: { ECHO_URL: JSON.stringify(server.url) },
    lowPriority: true,
    env: {
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(fileURLToPath(new URL('./prerender-probe.cjs', import.meta.url)))}`.trim(),
      PRERENDER_SOCKET_LOG: socketLog,
    },
  });
  upgradesDuringBuild = upgrades.length;
  socketsDuringBuild = (await readFile(socketLog, 'utf8')).split('\n').filter((line) => line !== '');
  buildLog = build.log;
  initial = await measureInitialJs(outputPath);
  console.log(`\n${formatFigures({ ms: build.ms, initial })}\n`);
}, 600_000);

afterAll(async () => {
  await server?.close();
  if (outputPath !== '') await rm(outputPath, { recursive: true, force: true });
  if (socketLog !== '') await rm(socketLog, { force: true });
});

describe('the prerendered page (ng build with @angular/ssr, outputMode static)', () => {
  it('prerenders the one route; no WebSocket was constructed meanwhile, and the echo server saw no connection', () => {
    expect(buildLog).toContain('Prerendered 1 static route');
    expect(socketsDuringBuild).toEqual([]);
    expect(upgradesDuringBuild).toBe(0);
  });

  it("holds the initial state: 'connecting', no messages, the text box and both buttons", async () => {
    const html = await readFile(join(outputPath, 'browser', 'index.html'), 'utf8');
    const body = html.slice(html.indexOf('<app-root'), html.indexOf('</app-root>'));
    expect(body).toContain('ng-server-context="ssg"');
    expect(body).toMatch(/<strong [^>]*id="state" data-state="connecting">connecting<\/strong>/);
    expect(body).toMatch(
      /<ol [^>]*id="messages">(?:<!---->)*<li [^>]*class="empty">No messages yet<\/li>(?:<!---->)*<\/ol>/,
    );
    expect(body).toMatch(/<input [^>]*id="text"[^>]*value="Hello"/);
    expect(body).toMatch(/<button [^>]*id="send" type="submit">Send<\/button>/);
    expect(body).toMatch(/<button [^>]*id="close" type="button">Close<\/button>/);
    // Hydration data for the browser.
    expect(html).toMatch(/<script id="ng-state" type="application\/json">\{"__nghData__"/);
  });

  it('is compiled AOT and zoneless: the template is compiled code, no zone.js in the bundle', async () => {
    const html = await readFile(join(outputPath, 'browser', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts).toHaveLength(1);
    const code = await readFile(join(outputPath, 'browser', scripts[0]!), 'utf8');
    expect(code).toContain('selectors:[["app-root"]]'); // the component definition the compiler wrote
    expect(code).not.toContain('<h1>Echo</h1>'); // a JIT build would carry the template's source
    expect(code).not.toContain('__zone_symbol__'); // zone.js patches under these names
  });
});

describe('what docs/angular.md says', () => {
  const read = (path: string) => readFile(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
  /** A line of code without its indentation and trailing comment. */
  const codeOf = (line: string) => line.replace(/\s+\/\/ .*$/, '').trim();

  it("the guide's listings are the example's code, line for line", async () => {
    const guide = await read('docs/angular.md');
    for (const [heading, path] of [
      ['## The service', 'examples/angular-app/src/app/echo.service.ts'],
      ['## The component', 'examples/angular-app/src/app/app.ts'],
      ['## Testing', 'examples/angular-app/src/app/echo.service.spec.ts'],
    ] as const) {
      const at = guide.indexOf(`\n${heading}\n`);
      expect(at, heading).toBeGreaterThan(-1);
      const block = /```(?:ts|html)\n([\s\S]*?)```/.exec(guide.slice(at))?.[1] ?? '';
      const listing = block
        .split('\n')
        .map(codeOf)
        .filter((line) => line !== '');
      expect(listing.length, heading).toBeGreaterThan(5);
      const lines = new Set((await read(path)).split('\n').map(codeOf));
      expect(
        listing.filter((line) => !lines.has(line)),
        `${heading}: lines not in ${path}`,
      ).toEqual([]);
    }
  });

  /** Within 1.5 KiB: the figures move a little with each change; a larger move must be written down. */
  const near = (stated: string, measured: number) =>
    expect(Math.abs(Number(stated) * 1024 - measured)).toBeLessThan(1.5 * 1024);

  it('the initial JS (minified, gzip) and the minified bytes of this package and of rxjs', async () => {
    const guide = await read('docs/angular.md');
    const [, min, gzip] = /\| ([\d.]+) KiB minified, ([\d.]+) KiB gzip \(zlib level 9\) \|/.exec(guide) ?? [];
    const [ours, rxjs] = [
      /\| of which this package [^|]*\| ([\d.]+) KiB minified \(/,
      /\| of which rxjs \| ([\d.]+) KiB minified \(/,
    ].map((row) => row.exec(guide)?.[1]);
    expect([min, gzip, ours, rxjs], 'the guide states the sizes').not.toContain(undefined);
    near(min!, initial.bytes);
    near(gzip!, initial.gzip);
    near(ours!, initial.shares['brython-websocket']);
    near(rxjs!, initial.shares.rxjs);
  });
});

describe.skipIf(!RUN_BROWSER_TESTS)('the app in Chromium, served next to the echo server', () => {
  let browser: Browser | undefined;
  let pageErrors: Error[] = [];

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });

  /** Opens the app; the prerendered state element is marked before the app's script runs. */
  async function openApp(): Promise<Page> {
    if (!HAS_CHROMIUM) {
      throw new Error(
        `no Chromium at ${CHROMIUM_PATH}, and CI is set: install it (apt-get install chromium) or set CHROMIUM_PATH`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error));
    // 'interactive': the HTML is parsed and the module script has not run yet.
    await page.addInitScript(`
      document.addEventListener('readystatechange', () => {
        const state = document.getElementById('state');
        if (document.readyState === 'interactive' && state !== null) state.fromPrerender = true;
      });
    `);
    await page.goto(server!.httpUrl);
    return page;
  }

  const stateIs = (page: Page, state: string) => page.locator(`#state[data-state="${state}"]`).waitFor();
  const messages = (page: Page) => page.locator('#messages li:not(.empty)').allTextContents();

  it('hydrates the prerendered page, opens, echoes through the signal, reconnects after a drop, closes', async () => {
    const before = connections.length;
    const page = await openApp();

    // 1. Open: after hydration the browser connects (the server's first connection of this page).
    await stateIs(page, 'open');
    expect(connections).toHaveLength(before + 1);
    expect(upgrades.at(-1)).toBe('/echo');
    // Hydrated, not re-rendered: the element from the prerendered HTML is the one the app updates.
    expect(
      await page.locator('#state').evaluate((element) => (element as { fromPrerender?: boolean }).fromPrerender),
    ).toBe(true);
    expect(await page.evaluate("'Zone' in window")).toBe(false);

    // 2. Send: the echo comes back and the template shows it through the messages signal.
    await page.fill('#text', 'hello from Angular');
    await page.click('#send');
    await page.locator('#messages li', { hasText: 'hello from Angular' }).waitFor();
    expect(await messages(page)).toEqual(['hello from Angular']);
    // Zoneless: the template updates after the click's task, so wait for it rather than read at once.
    await page.locator('#outcome', { hasText: 'sent: hello from Angular' }).waitFor();
    await expect(page.locator('#outcome').textContent()).resolves.toBe('sent: hello from Angular');
    const first = connections[before]!;
    expect(first.received).toEqual(['hello from Angular']);

    // 3. The server drops the connection and turns new ones away for a while: the app shows
    // 'reconnecting'; a message sent meanwhile is queued, and goes out once it is open again.
    server!.wss.shouldHandle = () => false;
    first.socket.terminate();
    await stateIs(page, 'reconnecting');
    await page.fill('#text', 'sent while away');
    await page.click('#send');
    // Zoneless: the template updates after the click's task, so wait for it rather than read at once.
    await page.locator('#outcome', { hasText: 'queued until the socket opens: sent while away' }).waitFor();
    await expect(page.locator('#outcome').textContent()).resolves.toBe(
      'queued until the socket opens: sent while away',
    );
    expect(connections).toHaveLength(before + 1);
    delete (server!.wss as { shouldHandle?: unknown }).shouldHandle; // the prototype's again
    await stateIs(page, 'open');
    await page.locator('#messages li', { hasText: 'sent while away' }).waitFor();
    expect(await messages(page)).toEqual(['hello from Angular', 'sent while away']);
    expect(connections).toHaveLength(before + 2);
    expect(connections[before + 1]!.received).toEqual(['sent while away']);

    // 4. Close: 'closed', the server sees 1000, and Send and Close are disabled.
    await page.click('#close');
    await stateIs(page, 'closed');
    expect(await connections[before + 1]!.closed).toEqual({ code: 1000, reason: 'closed by the user' });
    expect(await page.locator('#send').isDisabled()).toBe(true);
    expect(await page.locator('#close').isDisabled()).toBe(true);
    expect(await messages(page)).toEqual(['hello from Angular', 'sent while away']);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('leaving the page destroys the app, and the socket closes with 1000', async () => {
    const before = connections.length;
    const page = await openApp();
    await stateIs(page, 'open');
    expect(connections).toHaveLength(before + 1);
    await page.goto('about:blank');
    expect(await connections[before]!.closed).toEqual({ code: 1000, reason: 'app destroyed' });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
