/**
 * The page of the example from Brython's documentation (examples/browser-echo/) end to end in Debian's Chromium, driven by
 * playwright from Node: the bundle is built with examples/build-browser.mjs, the page and
 * its echo server (/echo) are served by examples/echo-server.mjs on port 0, and a user's
 * clicks go through open, send, the echo and close, with the buttons' states as in Brython's example.
 *
 * Chromium is `$CHROMIUM_PATH` or /usr/bin/chromium (spec/browser/chromium.ts). Without it,
 * vitest.config.ts leaves this file out with a notice, unless CI is set: then it runs, and
 * fails here.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketServer } from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM } from '../../spec/browser/chromium.js';
import { bufferOf } from '../../spec/helpers/node-servers.js';
import { buildBrowserEcho } from '../build-browser.mjs';
import { startEchoServer, type EchoServer } from '../echo-server.mjs';

const PAGE_DIR = fileURLToPath(new URL('./', import.meta.url));

/** Where the page is served from: a copy of index.html and the freshly built bundle.js. */
let servedDir = '';

beforeAll(async () => {
  if (!HAS_CHROMIUM) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}, and CI is set: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  const bundle = await buildBrowserEcho();
  const code = await readFile(bundle, 'utf8');
  // A classic script, whole: new vm.Script throws on an import statement or a cut-off file.
  expect(() => new vm.Script(code, { filename: 'bundle.js' })).not.toThrow();
  // Served from a copy, so that another spec rebuilding bundle.js meanwhile cannot tear it.
  servedDir = await mkdtemp(join(tmpdir(), 'browser-echo-e2e-'));
  await copyFile(join(PAGE_DIR, 'index.html'), join(servedDir, 'index.html'));
  await copyFile(bundle, join(servedDir, 'bundle.js'));
});

afterAll(async () => {
  if (servedDir !== '') await rm(servedDir, { recursive: true, force: true });
});

let browser: Browser | undefined;
let server: EchoServer | undefined;

afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await server?.close();
  server = undefined;
});

interface ServerView {
  /** Each connection's messages as the server received them, in order. */
  readonly received: string[][];
  /** The close code of connection `index` (0-based), once the server has seen it close. */
  closeCode(index: number): Promise<number>;
}

/** Records what the echo server receives, per connection, and how each connection closes. */
function watchServer(wss: WebSocketServer): ServerView {
  const received: string[][] = [];
  const closes: Promise<number>[] = [];
  wss.on('connection', (socket) => {
    const messages: string[] = [];
    received.push(messages);
    socket.on('message', (data, isBinary) =>
      messages.push(`${isBinary ? 'binary' : 'text'}: ${bufferOf(data).toString()}`),
    );
    closes.push(new Promise<number>((resolve) => socket.on('close', (code) => resolve(code))));
  });
  return {
    received,
    // Asked only after the page saw its socket open, so the server has the connection by then.
    closeCode: (index) => closes[index] ?? Promise.reject(new Error(`the server never saw connection ${index}`)),
  };
}

/**
 * Holds each WebSocket handshake the server gets until `release()`: the upgrade request waits
 * (the page's socket stays CONNECTING) and then goes on to the server as it came.
 */
function holdHandshakes(server: Server): { release(): void } {
  const listeners = server.listeners('upgrade') as ((...args: unknown[]) => void)[];
  const waiting: unknown[][] = [];
  let held = true;
  server.removeAllListeners('upgrade');
  server.on('upgrade', (...args: unknown[]) => {
    if (held) waiting.push(args);
    else for (const listener of listeners) listener(...args);
  });
  return {
    release() {
      held = false;
      for (const args of waiting.splice(0)) for (const listener of listeners) listener(...args);
    },
  };
}

/** Starts the page's server and Chromium, and opens the page. */
async function openPage(): Promise<{ page: Page; view: ServerView; pageErrors: Error[]; problems: string[] }> {
  server = await startEchoServer({ staticDir: servedDir, path: '/echo' });
  const view = watchServer(server.wss);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
  const page = await browser.newPage();
  // Below the test timeout, so that a wait that fails says what it waited for.
  page.setDefaultTimeout(10_000);
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  // What the console would show a user: errors (a 404 is one) and failed responses.
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  await page.goto(server.httpUrl);
  return { page, view, pageErrors, problems };
}

/** Which of the example's buttons are disabled. */
async function disabled(page: Page): Promise<{ open: boolean; send: boolean; close: boolean }> {
  return {
    open: await page.locator('#openbtn').isDisabled(),
    send: await page.locator('#sendbtn').isDisabled(),
    close: await page.locator('#closebtn').isDisabled(),
  };
}

async function logLines(page: Page): Promise<string[]> {
  return page.locator('#log li').allTextContents();
}

describe("examples/browser-echo in Chromium: the example from Brython's documentation, end to end", () => {
  it("opens, sends what is typed, shows the echo, closes, and sets the buttons as Brython's example does", async () => {
    const { page, view, pageErrors, problems } = await openPage();

    // The bundle ran: it shows the echo URL, the page's own origin at /echo.
    await expect(page.locator('#url').textContent()).resolves.toBe(`ws://127.0.0.1:${server!.port}/echo`);
    expect(await disabled(page)).toEqual({ open: false, send: true, close: true });
    expect(await logLines(page)).toEqual([]);

    // The server holds the handshake until the page has logged "Connecting…", so the line is
    // seen before the open, not only after it.
    const held = holdHandshakes(server!.server);
    await page.click('#openbtn');
    await page.locator('#log li').nth(0).waitFor();
    expect(await logLines(page)).toEqual(['Connecting…']);
    expect(await disabled(page)).toEqual({ open: false, send: true, close: true });
    held.release();
    await page.locator('#sendbtn:enabled').waitFor();
    expect(await logLines(page)).toEqual(['Connecting…', 'Connection is open']);
    expect(await disabled(page)).toEqual({ open: true, send: false, close: false });

    const text = 'typed in Chromium ✓';
    await page.fill('#data', text);
    await page.click('#sendbtn');
    await page.locator('#log li').nth(2).waitFor();
    expect(await logLines(page)).toEqual(['Connecting…', 'Connection is open', `Message received : ${text}`]);
    expect(view.received).toEqual([[`text: ${text}`]]);

    await page.click('#closebtn');
    await page.locator('#log li').nth(3).waitFor();
    expect(await logLines(page)).toEqual([
      'Connecting…',
      'Connection is open',
      `Message received : ${text}`,
      'Connection is closed',
    ]);
    expect(await disabled(page)).toEqual({ open: false, send: true, close: true });
    expect(await view.closeCode(0)).toBe(1000);
    expect(pageErrors).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('opens again after a close, on a new connection, and sends the default text', async () => {
    const { page, view, pageErrors } = await openPage();

    await page.click('#openbtn');
    await page.locator('#closebtn:enabled').waitFor();
    await page.click('#closebtn');
    await page.locator('#log li', { hasText: 'Connection is closed' }).waitFor();
    expect(await disabled(page)).toEqual({ open: false, send: true, close: true });

    await page.click('#openbtn');
    await page.locator('#sendbtn:enabled').waitFor();
    expect(await disabled(page)).toEqual({ open: true, send: false, close: false });
    await page.click('#sendbtn');
    await page.locator('#log li', { hasText: 'Message received' }).waitFor();
    await page.click('#closebtn');
    await page.locator('#log li').nth(6).waitFor();

    expect(await logLines(page)).toEqual([
      'Connecting…',
      'Connection is open',
      'Connection is closed',
      'Connecting…',
      'Connection is open',
      'Message received : Hello',
      'Connection is closed',
    ]);
    expect(await disabled(page)).toEqual({ open: false, send: true, close: true });
    expect(view.received).toEqual([[], ['text: Hello']]);
    expect([await view.closeCode(0), await view.closeCode(1)]).toEqual([1000, 1000]);
    expect(pageErrors).toEqual([]);
  });
});
