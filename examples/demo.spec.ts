import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsClient } from 'ws';
import { bufferOf } from '../spec/helpers/node-servers.js';
import { buildBrowserEcho } from './build-browser.mjs';
import { startEchoServer, type EchoServer, type EchoServerOptions } from './echo-server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = fileURLToPath(new URL('./demo.mjs', import.meta.url));
const PAGE_DIR = fileURLToPath(new URL('./browser-echo/', import.meta.url));
const TEXT = 'Hello from brython-websocket';
const DEMO_ENV = ['ECHO_URL', 'DEMO_PORT', 'DEMO_SERVE', 'DEMO_TEXT', 'DEMO_TIMEOUT_MS', 'NODE_OPTIONS'];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `node examples/demo.mjs` with `env` on top of a clean environment, its output collected. */
class DemoProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  stdout = '';
  stderr = '';
  private waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];

  constructor(env: Record<string, string>) {
    const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !DEMO_ENV.includes(key)));
    this.child = spawn(process.execPath, [DEMO], {
      cwd: ROOT,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.check();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        for (const waiter of this.waiters.splice(0)) {
          waiter.reject(
            new Error(`the demo exited (${code ?? signal}) before printing ${waiter.pattern}; stderr: ${this.stderr}`),
          );
        }
        resolve({ code, signal });
      });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the first complete stdout line matching `pattern`; rejects if the demo exits first. */
  line(pattern: RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ pattern, resolve, reject });
      this.check();
    });
  }

  private check(): void {
    const lines = this.stdout.split('\n').slice(0, -1);
    this.waiters = this.waiters.filter((waiter) => {
      const found = lines.find((line) => waiter.pattern.test(line));
      if (found === undefined) return true;
      waiter.resolve(found);
      return false;
    });
  }
}

/** `promise`, or a rejection naming `what` after `ms`: a bound, not a sleep. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `data` on a fresh connection to `url` and resolves with the first reply, and whether it was binary. */
function echoOnce(url: string, data: string | Buffer): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const client = new WsClient(url);
    client.once('error', reject);
    client.once('open', () => client.send(data));
    client.once('message', (reply, isBinary) => {
      client.close(1000);
      resolve({ data: bufferOf(reply), isBinary });
    });
  });
}

const demos: DemoProcess[] = [];
const servers: EchoServer[] = [];
const netServers: NetServer[] = [];
const netSockets: Socket[] = [];

function startDemo(env: Record<string, string>): DemoProcess {
  const demo = new DemoProcess(env);
  demos.push(demo);
  return demo;
}

async function echoServer(options: EchoServerOptions): Promise<EchoServer> {
  const server = await startEchoServer(options);
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const demo of demos.splice(0)) {
    if (demo.alive) demo.child.kill('SIGKILL');
    await demo.exited.catch(() => undefined);
  }
  for (const socket of netSockets.splice(0)) socket.destroy();
  await Promise.all([
    ...servers.splice(0).map((server) => server.close()),
    ...netServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  ]);
});

describe('npm run demo (examples/demo.mjs)', () => {
  it("with DEMO_SERVE=0 prints the four lines of the flow of Brython's example, nothing else, and exits 0", async () => {
    const demo = startDemo({ DEMO_SERVE: '0' });

    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(demo.stdout).toMatch(/^open ws:\/\/127\.0\.0\.1:\d+\/echo\n/);
    const port = /:(\d+)\//.exec(demo.stdout)![1];
    expect(demo.stdout).toBe(`open ws://127.0.0.1:${port}/echo\nsent ${TEXT}\nreceived ${TEXT}\nclosed 1000 clean\n`);
    expect(demo.stderr).toBe('');
  });

  it('serves the page, its bundle and the echo on one port until SIGTERM, then exits 0', async () => {
    const demo = startDemo({});

    const announced = await demo.line(/^browser demo: /);
    expect(announced).toMatch(/^browser demo: http:\/\/127\.0\.0\.1:\d+\/$/);
    const base = announced.slice('browser demo: '.length);
    const port = new URL(base).port;
    await demo.line(/^brython demo: /);
    expect(demo.stdout).toBe(
      `open ws://127.0.0.1:${port}/echo\nsent ${TEXT}\nreceived ${TEXT}\nclosed 1000 clean\nbrowser demo: ${base}\nbrython demo: ${base}brython/\n`,
    );

    // The example on Brython, beside it: the page, Brython from node_modules, the package's script.
    const brython = await fetch(new URL('brython/', base));
    expect(brython.status).toBe(200);
    const python = await brython.text();
    expect(python).toContain('<script src="/node_modules/brython/brython.js"></script>');
    expect(python).toContain('<script src="/dist/brython.js"></script>');
    expect(python).toContain('from browser import alert, document, websocket');
    for (const script of ['node_modules/brython/brython.js', 'dist/brython.js']) {
      const response = await fetch(new URL(script, base));
      expect({ script, status: response.status, type: response.headers.get('content-type') }).toEqual({
        script,
        status: 200,
        type: 'text/javascript; charset=utf-8',
      });
      expect(await response.text()).toBe(await readFile(new URL(`../${script}`, import.meta.url), 'utf8'));
    }

    const page = await fetch(base);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toMatch(/<input id="data"/);
    expect(html).toMatch(/<button id="openbtn"[^>]*>/);
    expect(html).toMatch(/<button id="sendbtn"[^>]* disabled>/);
    expect(html).toMatch(/<button id="closebtn"[^>]* disabled>/);
    expect(html).not.toMatch(/<button id="openbtn"[^>]* disabled>/);
    expect(html).toMatch(/id="log"/);
    expect(html).toContain('<script src="bundle.js"></script>');

    const bundle = await fetch(new URL('bundle.js', base));
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await bundle.text();
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).toContain('// node_modules/rxjs/dist/');
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
    expect(code).not.toMatch(/\brequire\(/);
    // A classic script: this throws a SyntaxError on any import or export statement.
    expect(() => new vm.Script(code, { filename: 'bundle.js' })).not.toThrow();

    const echoed = await echoOnce(`ws://127.0.0.1:${port}/echo`, 'from the test');
    expect({ data: echoed.data.toString(), isBinary: echoed.isBinary }).toEqual({
      data: 'from the test',
      isBinary: false,
    });

    demo.child.kill('SIGTERM');
    expect(await within(5_000, 'exiting after SIGTERM', demo.exited)).toEqual({ code: 0, signal: null });
    expect(demo.stderr).toContain('demo: SIGTERM, closing');
  });

  it('with ECHO_URL runs the flow against that server, which sees the text, and starts no server of its own', async () => {
    const server = await echoServer({ port: 0 });
    const seen: string[] = [];
    const closedByClient = new Promise<number>((resolve) => {
      server.wss.on('connection', (socket) => {
        socket.on('message', (data, isBinary) =>
          seen.push(`${isBinary ? 'binary' : 'text'}: ${bufferOf(data).toString()}`),
        );
        socket.on('close', (code) => resolve(code));
      });
    });
    const text = 'héllo ✓ from ECHO_URL';

    const demo = startDemo({ ECHO_URL: server.url, DEMO_TEXT: text });

    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(demo.stdout).toBe(`open ${server.url}\nsent ${text}\nreceived ${text}\nclosed 1000 clean\n`);
    expect(seen).toEqual([`text: ${text}`]);
    expect(await closedByClient).toBe(1000);
    expect(demo.stderr).toBe('demo: ECHO_URL is set, so no local server runs and there is no browser page to serve\n');
  });

  it('with ECHO_URL refusing connections exits 1, saying the URL could not be reached', async () => {
    const demo = startDemo({ ECHO_URL: 'ws://127.0.0.1:1' });

    expect(await demo.exited).toEqual({ code: 1, signal: null });
    expect(demo.stdout).toBe('');
    expect(demo.stderr).toMatch(/^demo: ws:\/\/127\.0\.0\.1:1\/ could not be reached: \S.*\n$/);
  });

  it('exits 1 after DEMO_TIMEOUT_MS when the server never answers the handshake', async () => {
    const silent = createServer((socket) => netSockets.push(socket));
    netServers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };

    const demo = startDemo({ ECHO_URL: `ws://127.0.0.1:${port}/`, DEMO_TIMEOUT_MS: '300' });

    expect(await demo.exited).toEqual({ code: 1, signal: null });
    expect(demo.stdout).toBe('');
    expect(demo.stderr).toBe(
      `demo: timed out after 300 ms waiting for the connection to open (ws://127.0.0.1:${port}/)\n`,
    );
  });

  it('listens on DEMO_PORT: exits 1 with a clear message when that port is taken', async () => {
    const taken = createServer();
    netServers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };

    const demo = startDemo({ DEMO_PORT: String(port), DEMO_SERVE: '0' });

    expect(await demo.exited).toEqual({ code: 1, signal: null });
    expect(demo.stdout).toBe('');
    expect(demo.stderr).toBe(`demo: the echo server could not listen: port ${port} on 127.0.0.1 is already in use\n`);
  });

  it("with an ECHO_URL that is not a WebSocket URL exits 1 with the package's explanation", async () => {
    const demo = startDemo({ ECHO_URL: 'localhost:8080/echo' });

    expect(await demo.exited).toEqual({ code: 1, signal: null });
    expect(demo.stdout).toBe('');
    expect(demo.stderr).toMatch(
      /^demo: cannot connect to localhost:8080\/echo: invalid WebSocket URL .*ws:\/\/localhost:8080\n$/,
    );
  });

  it('never prints the credentials of an ECHO_URL: stripped from a URL, and text with an @ is not shown', async () => {
    const refused = startDemo({ ECHO_URL: 'ws://user:s3cret@127.0.0.1:1/' });
    expect(await refused.exited).toEqual({ code: 1, signal: null });
    expect(refused.stderr).toMatch(/^demo: ws:\/\/127\.0\.0\.1:1\/ could not be reached: \S.*\n$/);

    // Not a WebSocket URL (the scheme is "user:"): neither the demo nor the package quotes it.
    const invalid = startDemo({ ECHO_URL: 'user:s3cret@localhost:8080/echo' });
    expect(await invalid.exited).toEqual({ code: 1, signal: null });
    expect(invalid.stderr).toMatch(
      /^demo: cannot connect to the URL \(not shown: it contains '@'\): invalid WebSocket URL\b/,
    );

    for (const demo of [refused, invalid]) {
      expect(demo.stdout).toBe('');
      expect(demo.stderr).not.toContain('s3cret');
    }
  });
});

describe('examples/echo-server.mjs', () => {
  it('echoes text as text and binary as binary, on the given path only', async () => {
    const server = await echoServer({ path: '/echo' });
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/echo`);

    const text = await echoOnce(server.url, 'ping ✓');
    expect({ data: text.data.toString(), isBinary: text.isBinary }).toEqual({ data: 'ping ✓', isBinary: false });
    const binary = await echoOnce(server.url, Buffer.from([0, 1, 2, 255]));
    expect({ data: [...binary.data], isBinary: binary.isBinary }).toEqual({ data: [0, 1, 2, 255], isBinary: true });

    await expect(echoOnce(`ws://127.0.0.1:${server.port}/other`, 'x')).rejects.toThrow(
      'Unexpected server response: 400',
    );
  });

  it('serves mounts by their longest prefix, and nothing outside each folder', async () => {
    const server = await echoServer({
      path: '/echo',
      staticDir: PAGE_DIR,
      mounts: {
        '/brython/': fileURLToPath(new URL('./brython/', import.meta.url)),
        '/vendor/brython': `${ROOT}node_modules/brython`,
      },
    });
    const get = async (path: string): Promise<[number, string]> => {
      const response = await fetch(new URL(path, server.httpUrl));
      return [response.status, (await response.text()).slice(0, 40)];
    };
    expect((await get('/brython/'))[1]).toContain('<!doctype html>');
    expect(await get('/brython/index.html')).toEqual(await get('/brython/'));
    expect((await get('/vendor/brython/package.json'))[1]).toContain('"name": "brython"');
    expect((await get('/'))[0]).toBe(200);
    for (const outside of [
      '/brython/../../package.json',
      '/vendor/brython/%2e%2e/%2e%2e/package.json',
      '/vendor/brython/..%2f..%2fpackage.json',
      '/vendor/brythonx/package.json',
    ]) {
      expect([outside, (await get(outside))[0]]).toEqual([outside, 404]);
    }
  });

  it('serves staticDir over HTTP on the same port: / is index.html, nothing outside the folder', async () => {
    const server = await echoServer({ path: '/echo', staticDir: PAGE_DIR });
    const base = server.httpUrl;
    expect(base).toBe(`http://127.0.0.1:${server.port}/`);

    const index = await fetch(base);
    expect(index.status).toBe(200);
    expect(await index.text()).toBe(await readFile(new URL('./browser-echo/index.html', import.meta.url), 'utf8'));
    expect((await fetch(new URL('main.ts', base))).status).toBe(200);
    expect((await fetch(new URL('missing.js', base))).status).toBe(404);
    expect((await fetch(`${base}..%2fdemo.mjs`)).status).toBe(404);
    expect((await fetch(`${base}%2e%2e/demo.mjs`)).status).toBe(404);
    expect((await fetch(`${base}%E0%A4%A`)).status).toBe(404);
    const post = await fetch(base, { method: 'POST', body: 'x' });
    expect({ status: post.status, allow: post.headers.get('allow') }).toEqual({ status: 405, allow: 'GET, HEAD' });
  });

  it('answers plain HTTP with 426 Upgrade Required when it has no staticDir', async () => {
    const server = await echoServer({});
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/`);
    const response = await fetch(server.httpUrl);
    expect(response.status).toBe(426);
  });
});

// --- The page, by construction: the bundle run as a classic script against a stub DOM ----

/** A stub of the DOM elements index.html declares, read from the HTML itself. */
class StubElement {
  readonly children: StubElement[] = [];
  textContent: string | null = null;
  value: string;
  private isDisabled: boolean;
  private readonly clicks: (() => void)[] = [];

  constructor(
    readonly tag: string,
    attributes: string,
    private readonly changed: () => void,
  ) {
    this.isDisabled = /\sdisabled(\s|>|$)/.test(` ${attributes}`);
    this.value = /\svalue="([^"]*)"/.exec(` ${attributes}`)?.[1] ?? '';
  }

  get disabled(): boolean {
    return this.isDisabled;
  }

  set disabled(value: boolean) {
    this.isDisabled = value;
    this.changed();
  }

  append(...nodes: StubElement[]): void {
    this.children.push(...nodes);
    this.changed();
  }

  addEventListener(type: string, listener: () => void): void {
    if (type === 'click') this.clicks.push(listener);
  }

  click(): void {
    if (this.isDisabled) throw new Error(`#${this.tag} is disabled: a user could not click it`);
    for (const listener of this.clicks) listener();
  }
}

class StubPage {
  readonly elements = new Map<string, StubElement>();
  private waiters: (() => void)[] = [];

  constructor(html: string) {
    for (const match of html.matchAll(/<(\w+)\s([^>]*\bid="([^"]+)"[^>]*)>/g)) {
      this.elements.set(match[3]!, new StubElement(match[1]!, match[2]!, () => this.notify()));
    }
  }

  get(id: string): StubElement {
    const element = this.elements.get(id);
    if (element === undefined) throw new Error(`index.html has no element with id="${id}"`);
    return element;
  }

  get log(): (string | null)[] {
    return this.get('log').children.map((line) => line.textContent);
  }

  get buttons(): Record<string, boolean> {
    return {
      open: this.get('openbtn').disabled,
      send: this.get('sendbtn').disabled,
      close: this.get('closebtn').disabled,
    };
  }

  /** Resolves when `condition` holds, checked after each change the page makes; fails after 5 s. */
  until(what: string, condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return within(
      5_000,
      `waiting for ${what}`,
      new Promise((resolve) => {
        const check = (): void => {
          if (!condition()) return;
          this.waiters = this.waiters.filter((waiter) => waiter !== check);
          resolve();
        };
        this.waiters.push(check);
      }),
    );
  }

  /** Runs the bundle as a classic script with this page as `document`. */
  run(code: string, location: { protocol: string; host: string; search: string }, withWebSocket: boolean): void {
    const document = {
      getElementById: (id: string) => this.elements.get(id) ?? null,
      createElement: (tag: string) => new StubElement(tag, '', () => this.notify()),
    };
    // The globals of a browser page the bundle may use: the page's own, and the standard ones.
    const globals: Record<string, unknown> = {
      document,
      location,
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      setTimeout,
      clearTimeout,
      console,
    };
    if (withWebSocket) globals.WebSocket = WsClient;
    vm.runInContext(code, vm.createContext(globals), { filename: 'bundle.js' });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

describe('examples/browser-echo: the bundle run as a classic script on a stub of index.html', () => {
  let html = '';
  let code = '';

  beforeAll(async () => {
    code = await readFile(await buildBrowserEcho(), 'utf8');
    html = await readFile(new URL('./browser-echo/index.html', import.meta.url), 'utf8');
  });

  it("runs the flow of Brython's example against the page's own origin at /echo: open, send, echo, close", async () => {
    const server = await echoServer({ path: '/echo' });
    const page = new StubPage(html);
    page.run(code, { protocol: 'http:', host: `127.0.0.1:${server.port}`, search: '' }, true);

    expect(page.get('url').textContent).toBe(`ws://127.0.0.1:${server.port}/echo`);
    expect(page.buttons).toEqual({ open: false, send: true, close: true });

    page.get('openbtn').click();
    // At once, before the socket opens.
    expect(page.log).toEqual(['Connecting…']);
    await page.until('the open event', () => !page.get('sendbtn').disabled);
    expect(page.log).toEqual(['Connecting…', 'Connection is open']);
    expect(page.buttons).toEqual({ open: true, send: false, close: false });

    page.get('data').value = 'typed in the page';
    page.get('sendbtn').click();
    await page.until('the echo', () => page.log.length === 3);
    expect(page.log).toEqual(['Connecting…', 'Connection is open', 'Message received : typed in the page']);

    page.get('closebtn').click();
    await page.until('the close event', () => page.log.length === 4);
    expect(page.log).toEqual([
      'Connecting…',
      'Connection is open',
      'Message received : typed in the page',
      'Connection is closed',
    ]);
    expect(page.buttons).toEqual({ open: false, send: true, close: true });
  });

  it('connects to ?url= when given, and logs why when that URL is invalid', async () => {
    const server = await echoServer({ path: '/elsewhere' });
    const page = new StubPage(html);
    page.run(code, { protocol: 'https:', host: '127.0.0.1:1', search: `?url=${encodeURIComponent(server.url)}` }, true);
    expect(page.get('url').textContent).toBe(server.url);

    page.get('openbtn').click();
    await page.until('the open event', () => !page.get('sendbtn').disabled);
    page.get('sendbtn').click();
    await page.until('the echo', () => page.log.length === 3);
    expect(page.log).toEqual(['Connecting…', 'Connection is open', 'Message received : Hello']);

    const invalid = new StubPage(html);
    invalid.run(code, { protocol: 'http:', host: '127.0.0.1:1', search: '?url=localhost:1' }, true);
    invalid.get('openbtn').click();
    expect(invalid.log).toHaveLength(1);
    expect(invalid.log[0]).toMatch(/^WebSocketError: invalid WebSocket URL "localhost:1"/);
    expect(invalid.buttons).toEqual({ open: false, send: true, close: true });

    // A URL with an '@' may hold credentials: the package's message leaves it out.
    const withAt = new StubPage(html);
    withAt.run(code, { protocol: 'http:', host: '127.0.0.1:1', search: '?url=user:s3cret@localhost:1' }, true);
    withAt.get('openbtn').click();
    expect(withAt.log).toHaveLength(1);
    expect(withAt.log[0]).toMatch(/^WebSocketError: invalid WebSocket URL\b/);
    expect(withAt.log[0]).not.toContain('s3cret');
  });

  it('logs "WebSocket is not supported by your browser" where there is no WebSocket', () => {
    const page = new StubPage(html);
    page.run(code, { protocol: 'http:', host: '127.0.0.1:1', search: '' }, false);

    page.get('openbtn').click();
    expect(page.log).toEqual(['WebSocket is not supported by your browser']);
    expect(page.buttons).toEqual({ open: false, send: true, close: true });
  });
});
