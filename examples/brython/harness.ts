/**
 * What the Brython specs share: pages made on the fly around a Python script, with Brython
 * (node_modules/brython), its stdlib and this package's script (dist/brython.js) in a chosen
 * order, served with the echo server (/echo) from one origin, and opened in Debian's Chromium.
 *
 * A page's Python reports with `window.report(name, value)` and ends with `window.finish()`;
 * `run()` waits for that and returns the reports, the page's alerts and its console.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterEach, beforeEach } from 'vitest';
import type { WebSocketServer } from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH, HAS_CHROMIUM } from '../../spec/browser/chromium.js';
import { startEchoServer, type EchoServer } from '../echo-server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE_PAGE = fileURLToPath(new URL('./index.html', import.meta.url));

/** The scripts a page can load, by the names used in `order`. */
export const SCRIPTS = {
  brython: '/node_modules/brython/brython.js',
  stdlib: '/node_modules/brython/brython_stdlib.js',
  ours: '/dist/brython.js',
} as const;
export type ScriptName = keyof typeof SCRIPTS;

/** Every order of the scripts this package supports: with and without the stdlib, ours first or not. */
export const ORDERS: readonly (readonly ScriptName[])[] = [
  ['brython', 'ours'],
  ['ours', 'brython'],
  ['brython', 'stdlib', 'ours'],
  ['brython', 'ours', 'stdlib'],
  ['ours', 'brython', 'stdlib'],
];

export const label = (order: readonly ScriptName[]): string => order.join(' + ');

const REPORTER = `<script>
  window.RESULT = {};
  window.report = (name, value) => { window.RESULT[name] = value; };
  window.finish = () => { window.DONE = true; };
</script>`;

/** A page: `scripts` in order in the head, then `python` as the body's text/python script. */
export function probePage(scripts: readonly ScriptName[], python: string): string {
  const tags = scripts.map((name) => `<script src="${SCRIPTS[name]}"></script>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>probe</title>
${tags}
${REPORTER}
</head><body>
<script type="text/python">
${python}
</script>
</body></html>
`;
}

/** The example page with its two script tags replaced by `scripts`, in that order. */
export async function examplePage(scripts: readonly ScriptName[]): Promise<string> {
  const html = await readFile(EXAMPLE_PAGE, 'utf8');
  const tags = `<script src="${SCRIPTS.brython}"></script>\n    <script src="${SCRIPTS.ours}"></script>`;
  if (!html.includes(tags))
    throw new Error('examples/brython/index.html no longer has its two script tags as expected');
  return html.replace(tags, scripts.map((name) => `<script src="${SCRIPTS[name]}"></script>`).join('\n    '));
}

/** The server, the browser and the pages of one test. */
export class Harness {
  // Set by start(); stop() also runs after a start() that failed halfway.
  private server: EchoServer | undefined;
  private browser: Browser | undefined;
  private context: BrowserContext | undefined;
  private dir = '';
  private pages = 0;

  async start(): Promise<void> {
    if (!HAS_CHROMIUM) {
      throw new Error(
        `no Chromium at ${CHROMIUM_PATH}, and CI is set: install it (apt-get install chromium) or set CHROMIUM_PATH`,
      );
    }
    this.dir = await mkdtemp(join(tmpdir(), 'brython-pages-'));
    this.server = await startEchoServer({
      path: '/echo',
      mounts: {
        '/pages/': this.dir,
        '/brython/': join(ROOT, 'examples/brython'),
        '/node_modules/brython/': join(ROOT, 'node_modules/brython'),
        '/dist/': join(ROOT, 'dist'),
      },
    });
    this.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
    this.context = await this.browser.newContext();
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.server?.close();
    this.browser = undefined;
    this.server = undefined;
    this.context = undefined;
    if (this.dir !== '') await rm(this.dir, { recursive: true, force: true });
  }

  get wss(): WebSocketServer {
    return this.started().server.wss;
  }

  private started(): { server: EchoServer; context: BrowserContext } {
    if (this.server === undefined || this.context === undefined)
      throw new Error('the harness is not started: call start() first');
    return { server: this.server, context: this.context };
  }

  /** Serves `html` and returns its URL. */
  async serve(html: string): Promise<string> {
    const name = `page-${++this.pages}.html`;
    await writeFile(join(this.dir, name), html);
    return `${this.started().server.httpUrl}pages/${name}`;
  }

  /** Opens `url` in a new page, recording its console, errors and alerts (each accepted). */
  async open(url: string, options: { beforeLoad?: string } = {}): Promise<Visit> {
    const page = await this.started().context.newPage();
    page.setDefaultTimeout(15_000);
    const visit = new Visit(page);
    if (options.beforeLoad !== undefined) await page.addInitScript({ content: options.beforeLoad });
    await page.goto(url);
    return visit;
  }

  /** Runs `python` on a page with `scripts` and returns what it reported. */
  async run(scripts: readonly ScriptName[], python: string, options: { beforeLoad?: string } = {}): Promise<Visit> {
    const visit = await this.open(await this.serve(probePage(scripts, python)), options);
    await visit.finished();
    return visit;
  }
}

export class Visit {
  readonly console: string[] = [];
  readonly errors: string[] = [];
  readonly alerts: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (message) => this.console.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('dialog', (dialog) => {
      this.alerts.push(dialog.message());
      void dialog.accept();
    });
  }

  /** Waits for the page's `window.finish()`; fails with the console's last lines if it never comes. */
  async finished(): Promise<void> {
    try {
      await this.page.waitForFunction(() => (window as { DONE?: boolean }).DONE === true);
    } catch (error) {
      throw new Error(`the page never called finish(); console:\n${this.console.slice(-20).join('\n')}`, {
        cause: error,
      });
    }
  }

  /** What the page's Python reported, by name. */
  result(): Promise<Record<string, unknown>> {
    return this.page.evaluate(() => (window as { RESULT: Record<string, unknown> }).RESULT);
  }

  /** The Python tracebacks printed to the console. */
  tracebacks(): string[] {
    return this.console.filter((line) => line.includes('Traceback (most recent call last)'));
  }
}

declare const window: unknown;

/**
 * A `Harness` started before each test of the file and stopped after it (the vitest hooks are
 * registered here); call the function it returns inside a test to reach it.
 */
export function harnessPerTest(): () => Harness {
  let harness: Harness | undefined;
  beforeEach(async () => {
    harness = new Harness();
    await harness.start();
  });
  afterEach(async () => {
    await harness?.stop();
  });
  return () => {
    if (harness === undefined) throw new Error('the harness is there only inside a test');
    return harness;
  };
}
