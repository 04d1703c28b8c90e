/**
 * Security (issue 7):
 * - URL credentials never appear in an error. The rule: a URL that contains "@" (where
 *   credentials go) is never quoted in a message, and the native constructor's message and
 *   error are left out when it refused such a URL. So neither the user nor the password,
 *   as written or percent-decoded, shows in an error's message, `String()`, `stack`, cause,
 *   JSON or `util.inspect(error, { depth: 5 })`, nor in anything written to `console.*`, on
 *   every path that knows the URL;
 * - `npm audit --omit=dev` is clean (the package has no runtime dependency);
 * - no `eval` and no `Function` constructor in `src/` or in the built `dist/`;
 * - the JSON codec cannot be used to pollute `Object.prototype` through `__proto__`.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatWithOptions, inspect } from 'node:util';
import { config, lastValueFrom, toArray, VirtualTimeScheduler } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { json } from '../src/codec.js';
import { CloseError, isWebSocketError, type WebSocketError } from '../src/errors.js';
import { connectTimeout, heartbeat, reconnect } from '../src/resilience.js';
import { webSocket } from '../src/rxjs-compat.js';
import { FakeWebSocket } from '../src/testing/index.js';
import type { WebSocketConstructor } from '../src/types.js';
import { RxWebSocket, WebSocket } from '../src/websocket.js';
import { closeAfter } from './helpers/close-after.js';
import { thrown, thrownBy } from './helpers/thrown.js';
import { startEchoServer } from './integration/server.js';
import { refusingCtor } from './helpers/refusing-ctor.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The credentials, as written in the URLs below and as they read once percent-decoded. */
const USER = 'zelda';
const PASSWORD = 's3cret';
const ENCODED_USER = 'ze%6Cda';
const ENCODED_PASSWORD = 's3cr%65t';
const CREDENTIALS = [USER, PASSWORD, ENCODED_USER, ENCODED_PASSWORD];

/** The same valid URL with plain and with percent-encoded credentials. */
const URLS = [`ws://${USER}:${PASSWORD}@example.test/`, `ws://${ENCODED_USER}:${ENCODED_PASSWORD}@example.test/`];

beforeEach(() => {
  FakeWebSocket.reset();
});

afterEach(() => {
  FakeWebSocket.reset();
  config.onUnhandledError = null;
  vi.restoreAllMocks();
});

/** Every way an error is shown: its message, `String()`, `stack`, JSON, a deep `util.inspect`, and its cause's. */
function renderings(error: unknown): Record<string, string> {
  const shown: Record<string, string> = {
    message: error instanceof Error ? error.message : String(error),
    string: String(error),
    stack: error instanceof Error ? String(error.stack) : '',
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify gives undefined for undefined, which its lib.d.ts type leaves out
    json: JSON.stringify(error) ?? '',
    inspect: inspect(error, { depth: 5 }),
  };
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause !== undefined) {
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- what String() shows of any cause is the rendering under test
    shown.cause = String(cause);
    shown.causeStack = cause instanceof Error ? String(cause.stack) : '';
    shown.causeInspect = inspect(cause, { depth: 5 });
  }
  return shown;
}

const showsCredentials = (text: string): boolean =>
  CREDENTIALS.some((part) => text.toLowerCase().includes(part.toLowerCase()));

/** Which renderings of `error` show the user or the password, as written or decoded. */
function leaks(error: unknown): string[] {
  return Object.entries(renderings(error))
    .filter(([, text]) => showsCredentials(text))
    .map(([name]) => name);
}

/** Captures everything written to console.* as a deep inspect would print it. */
function captureConsole(): string[] {
  const written: string[] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      written.push(formatWithOptions({ depth: 5 }, ...args));
    });
  }
  return written;
}

/** A constructor whose first socket is a FakeWebSocket and whose later ones are refused. */
function refusingAfterFirst(make: (url: string) => unknown): WebSocketConstructor {
  let made = 0;
  return class extends FakeWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      if (made++ > 0) throw make(String(url));
      super(url, protocols);
    }
  };
}

/** What native constructors throw for a URL they refuse: most quote it, some decoded. */
const REFUSALS = [
  {
    kind: "a browser's SyntaxError quoting the URL",
    make: (url: string) => new SyntaxError(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`),
  },
  { kind: "ws's 'Invalid URL: <url>'", make: (url: string) => new SyntaxError(`Invalid URL: ${url}`) },
  {
    kind: 'a SyntaxError quoting the URL percent-decoded',
    make: (url: string) => new SyntaxError(`Invalid URL: ${decodeURIComponent(url)}`),
  },
  {
    kind: 'a DOMException that starts with the URL and quotes it again',
    make: (url: string) => new DOMException(`${url} refused (${url})`, 'SecurityError'),
  },
  {
    kind: 'a DOMException that starts with the URL',
    make: (url: string) => new DOMException(`${url} is refused`, 'SecurityError'),
  },
  { kind: 'an Error with the URL in a property', make: (url: string) => Object.assign(new Error('refused'), { url }) },
  {
    kind: 'an Error whose cause quotes the URL',
    make: (url: string) => new TypeError('refused', { cause: new Error(url) }),
  },
  { kind: 'a plain object', make: (url: string) => ({ url, reason: 'refused' }) },
  { kind: 'a string quoting the URL', make: (url: string) => `refused ${url}` },
];

describe('the leak detector', () => {
  it('finds the credentials, as written or decoded, in each rendering and in the cause', () => {
    expect(leaks(new Error('nothing here'))).toEqual([]);
    expect(leaks(new Error(`at ${URLS[0]}`))).toEqual(['message', 'string', 'stack', 'inspect']);
    expect(leaks(new Error('refused', { cause: new Error(URLS[1]) }))).toEqual([
      'inspect',
      'cause',
      'causeStack',
      'causeInspect',
    ]);
    expect(leaks(new Error(`user ${USER.toUpperCase()}`))).toEqual(['message', 'string', 'stack', 'inspect']);
    expect(leaks(Object.assign(new Error('x'), { url: URLS[0] }))).toEqual(['json', 'inspect']);
  });

  it('would see the native message and cause: without "@" in the URL, the package keeps them', () => {
    // The same refusal as below, for a URL that cannot hold credentials: the package quotes the
    // native message and keeps the native error as the cause, so leaving them out is the rule at work.
    const native = new SyntaxError(`Invalid URL: ws://${USER}.example.test/${PASSWORD}`);
    const error = thrown(() =>
      WebSocket(`ws://${USER}.example.test/${PASSWORD}`, { WebSocketCtor: refusingCtor(() => native) }),
    );
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(error.message).toMatch(/constructor threw SyntaxError/);
    expect(error.message).toContain(native.message);
    expect(error.cause).toBe(native);
    expect(leaks(error)).toEqual(expect.arrayContaining(['message', 'cause']));
  });
});

describe('URL credentials never appear in an error', () => {
  it.each([
    `ftp://${USER}:${PASSWORD}@example.test/`,
    `ftp://${ENCODED_USER}:${ENCODED_PASSWORD}@example.test/`,
    `ws://${USER}:${PASSWORD}@example.test/chat#top`,
    `ws://${ENCODED_USER}:${ENCODED_PASSWORD}@example.test/chat#top`,
    `${USER}:${PASSWORD}@example.test`,
    `ws://${USER}:${PASSWORD}@exa mple.test/`,
    `ws://${USER}:${PASSWORD}@example.test:99999/`,
    `ws://${USER}:${PASSWORD}@[::1/`,
    `ws://${USER}:${PASSWORD}#x@example.test/`,
    `ws://${USER}:${PASSWORD}?x@example.test/`,
    `ws://${USER}:${PASSWORD}%40x@example.test/#f`,
    ` ws://${USER}:${PASSWORD}@example.test/#f`,
    `ws:/${USER}:${PASSWORD}@example.test/#f`,
    `wss://${USER}:${PASSWORD}@example.test/a@b#f`,
    `ws://${USER}@example.test/#f`,
    `ws://:${PASSWORD}@example.test/#f`,
  ])('an invalid URL: %s', (url) => {
    const error = thrown(() => WebSocket(url, { WebSocketCtor: FakeWebSocket }));
    expect(error.code).toBe('ERR_WS_INVALID_URL');
    expect(leaks(error)).toEqual([]);
    expect(error.cause).toBeUndefined();
  });

  it('an invalid URL object, and webSocket() with an invalid URL', () => {
    const errors = [
      thrown(() => WebSocket(new URL(`ftp://${USER}:${PASSWORD}@example.test/`), { WebSocketCtor: FakeWebSocket })),
      thrown(() =>
        WebSocket(new URL(`ws://${ENCODED_USER}:${ENCODED_PASSWORD}@example.test/#f`), {
          WebSocketCtor: FakeWebSocket,
        }),
      ),
      thrown(() => webSocket({ url: `ws://${USER}:${PASSWORD}@example.test/#f`, WebSocketCtor: FakeWebSocket })),
      thrown(() => webSocket(`ftp://${ENCODED_USER}:${ENCODED_PASSWORD}@example.test/`)),
    ];
    expect(errors.map((e) => e.code)).toEqual([
      'ERR_WS_INVALID_URL',
      'ERR_WS_INVALID_URL',
      'ERR_WS_INVALID_URL',
      'ERR_WS_INVALID_URL',
    ]);
    expect(errors.map(leaks)).toEqual([[], [], [], []]);
  });

  describe.each(URLS)('the WebSocket constructor refuses %s', (url) => {
    it.each(REFUSALS)('throwing $kind: the native message and error are left out', ({ make }) => {
      const error = thrown(() => WebSocket(url, { WebSocketCtor: refusingCtor(make) }));
      expect(['ERR_WS_INVALID_URL', 'ERR_WS_INVALID_ARGUMENT']).toContain(error.code);
      expect(error.message).toMatch(/the WebSocket constructor (refused|threw)/);
      expect(error.cause).toBeUndefined();
      expect(error.message).not.toContain('example.test');
      expect(leaks(error)).toEqual([]);
    });

    it('through webSocket(): the error its subscriber gets', () => {
      const subject = webSocket({ url, WebSocketCtor: refusingCtor((u) => new SyntaxError(`Invalid URL: ${u}`)) });
      const errors: unknown[] = [];
      subject.subscribe({ error: (e: unknown) => errors.push(e) });
      expect(errors).toHaveLength(1);
      expect(isWebSocketError(errors[0])).toBe(true);
      expect(leaks(errors[0])).toEqual([]);
    });

    it('on a reconnect: the error on error$', () => {
      const scheduler = new VirtualTimeScheduler();
      const ws = new RxWebSocket(url, {
        WebSocketCtor: refusingAfterFirst((u) => new SyntaxError(`The URL '${u}' is invalid.`)),
        scheduler,
        reconnect: reconnect({ jitter: 0, initialDelay: 1, attempts: 1 }),
      });
      const errors: unknown[] = [];
      ws.error$.subscribe((e) => errors.push(e));
      FakeWebSocket.last.open();
      FakeWebSocket.last.fail();
      scheduler.flush();
      const refused = errors.filter(isWebSocketError);
      expect(refused.map((e) => e.code)).toEqual(['ERR_WS_INVALID_URL']);
      expect(refused.map((e) => e.cause)).toEqual([undefined]);
      expect(refused.map(leaks)).toEqual([[]]);
      expect(ws.state).toBe('closed');
    });
  });

  it.each(URLS)("the connect timeout's ERR_WS_TIMEOUT does not name the URL at all: %s", (url) => {
    const scheduler = new VirtualTimeScheduler();
    const ws = new RxWebSocket(url, { WebSocketCtor: FakeWebSocket, scheduler, connectTimeout: connectTimeout(50) });
    const errors: unknown[] = [];
    ws.error$.subscribe((e) => errors.push(e));
    scheduler.flush();
    expect(errors).toHaveLength(1);
    const error = errors[0] as WebSocketError;
    expect(error.code).toBe('ERR_WS_TIMEOUT');
    expect(error.message).toContain('50');
    expect(error.message).not.toContain('example.test');
    expect(leaks(error)).toEqual([]);
  });

  it.each(URLS)(
    'the heartbeat timeout, and the errors of send() and bind() after the close, do not name the URL at all: %s',
    (url) => {
      const scheduler = new VirtualTimeScheduler();
      const ws = new RxWebSocket(url, {
        WebSocketCtor: FakeWebSocket,
        scheduler,
        heartbeat: heartbeat({ interval: 5, timeout: 10 }),
      });
      const errors: unknown[] = [];
      ws.error$.subscribe((e) => errors.push(e));
      FakeWebSocket.last.open();
      scheduler.flush();
      errors.push(
        thrownBy(() => ws.send('late')),
        thrownBy(() => ws.bind('open', () => undefined)),
      );
      expect(errors.map((e) => (e as WebSocketError).code)).toEqual([
        'ERR_WS_TIMEOUT',
        'ERR_WS_INVALID_STATE',
        'ERR_WS_INVALID_STATE',
      ]);
      expect(errors.map((e) => (e as Error).message).filter((m) => m.includes('example.test'))).toEqual([]);
      expect(errors.map(leaks)).toEqual([[], [], []]);
    },
  );

  it.each(URLS)('a CloseError (FakeWebSocket: the connection fails): %s', async (url) => {
    const ws = new RxWebSocket(url, { WebSocketCtor: FakeWebSocket });
    const ended = lastValueFrom(ws).catch((error: unknown) => error);
    FakeWebSocket.last.open();
    FakeWebSocket.last.fail();
    const error = await ended;
    expect(error).toBeInstanceOf(CloseError);
    expect((error as CloseError).message).not.toContain('example.test');
    expect(leaks(error)).toEqual([]);
    // The native event (whose target holds the URL) is kept, but out of sight.
    const event = (error as CloseError).event as { target?: { url?: string } };
    expect(showsCredentials(String(event.target?.url))).toBe(true);
  });

  describe('against a real local ws server', () => {
    /** A server that drops every connection at once (no close frame); closed after the test. Its URL holds the credentials. */
    async function terminatingServer(): Promise<string> {
      const server = closeAfter(await startEchoServer({ onConnection: (connection) => connection.terminate() }));
      return `${server.url.replace('ws://', `ws://${USER}:${PASSWORD}@`)}/`;
    }

    it('a CloseError (RxWebSocket on ws: the server drops the connection)', async () => {
      const url = await terminatingServer();
      const ws = new RxWebSocket(url, { WebSocketCtor: WsWebSocket });
      const error = await lastValueFrom(ws).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloseError);
      expect((error as CloseError).closeCode).toBe(1006);
      expect(leaks(error)).toEqual([]);
    });

    it('a CloseError (webSocket() on ws: the server drops the connection)', async () => {
      const url = await terminatingServer();
      const subject = webSocket({ url, WebSocketCtor: WsWebSocket });
      const error = await lastValueFrom(subject).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloseError);
      expect(leaks(error)).toEqual([]);
    });
  });
});

describe('URL credentials never appear in anything written to the console', () => {
  it('while the error paths run, with handlers that throw the errors they get (the package then logs them)', () => {
    const written = captureConsole();
    const scheduler = new VirtualTimeScheduler();
    for (const url of [
      `ftp://${USER}:${PASSWORD}@example.test/`,
      `ws://${ENCODED_USER}:${ENCODED_PASSWORD}@example.test/#f`,
      `${USER}:${PASSWORD}@example.test`,
    ]) {
      thrownBy(() => WebSocket(url, { WebSocketCtor: FakeWebSocket }));
    }
    thrownBy(() =>
      WebSocket(URLS[0]!, { WebSocketCtor: refusingCtor((url) => new SyntaxError(`Invalid URL: ${url}`)) }),
    );
    // A connect timeout, then a refused reconnect: each error goes to a handler that rethrows it.
    const ws = new RxWebSocket(URLS[1]!, {
      WebSocketCtor: refusingAfterFirst((url) => new SyntaxError(`Invalid URL: ${decodeURIComponent(url)}`)),
      scheduler,
      connectTimeout: connectTimeout(10),
      reconnect: reconnect({ jitter: 0, initialDelay: 1, attempts: 1 }),
    });
    ws.bind('error', (error) => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrowing whatever the handler got, event or error, is what is under test
      throw error;
    });
    scheduler.flush();
    expect(ws.state).toBe('closed');
    // The package did log: the two errors the handler rethrew, as console.error.
    expect(written).toHaveLength(2);
    expect(written.map((text) => /ERR_WS_[A-Z_]+/.exec(text)?.[0])).toEqual(['ERR_WS_TIMEOUT', 'ERR_WS_INVALID_URL']);
    expect(written.filter(showsCredentials)).toEqual([]);
  });
});

// ---- npm audit --------------------------------------------------------------------------------

interface AuditReport {
  auditReportVersion?: number;
  vulnerabilities?: Record<string, unknown>;
  metadata?: { vulnerabilities: Record<string, number>; dependencies: Record<string, number> };
  message?: string;
  error?: unknown;
}

function npmAudit(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { cwd: ROOT, timeout: 15_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
      },
    );
  });
}

describe('dependencies', () => {
  it('the package has no runtime dependency: rxjs is a peer', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['rxjs']);
  });

  it('npm audit --omit=dev reports no vulnerability', async () => {
    const { code, stdout, stderr } = await npmAudit();
    let report: AuditReport;
    try {
      report = JSON.parse(stdout) as AuditReport;
    } catch {
      throw new Error(
        `npm audit --omit=dev printed no JSON report (exit code ${String(code)}): ${stderr.slice(0, 500)}`,
      );
    }
    if (report.error !== undefined || report.metadata === undefined) {
      // Not a result: the registry could not be asked. Say so instead of passing.
      throw new Error(
        `npm audit --omit=dev could not get an answer from the registry (${report.message ?? 'no message'}); ` +
          'run the suite where the npm registry is reachable',
      );
    }
    expect(report.auditReportVersion).toBe(2);
    expect(report.vulnerabilities).toEqual({});
    expect(report.metadata.vulnerabilities.total).toBe(0);
    // The one production "dependency" npm counts is the package itself.
    expect(report.metadata.dependencies.prod).toBe(1);
    expect(code).toBe(0);
  });
});

// ---- eval -------------------------------------------------------------------------------------

/** What counts as eval or the Function constructor, direct or indirect. */
const DYNAMIC_CODE: readonly RegExp[] = [/\beval\b/, /\bnew\s+Function\b/, /(?<![\w$.])Function\s*\(/];

function filesUnder(dir: string, ends: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, ends);
    return ends.some((end) => entry.name.endsWith(end)) ? [path] : [];
  });
}

function dynamicCode(text: string): string[] {
  return text.split('\n').filter((line) => DYNAMIC_CODE.some((pattern) => pattern.test(line)));
}

describe('no eval and no Function constructor', () => {
  it('the scanner finds them, direct or indirect, and nothing else', () => {
    expect(
      dynamicCode(
        [
          'eval("1")',
          'const e = (0, eval);',
          'globalThis["eval"]("x")',
          'new Function("return 1")',
          'Function("return this")()',
          'isFunction(x)',
          "typeof f === 'function'",
          'evaluate(x)',
          'a.Function(1)',
        ].join('\n'),
      ),
    ).toEqual([
      'eval("1")',
      'const e = (0, eval);',
      'globalThis["eval"]("x")',
      'new Function("return 1")',
      'Function("return this")()',
    ]);
  });

  it('in src/ and in the built dist/ (ESM and CJS)', () => {
    const files = [
      ...filesUnder(join(ROOT, 'src'), ['.ts']),
      ...filesUnder(join(ROOT, 'dist'), ['.js', '.cjs', '.mjs']),
    ];
    const names = files.map((f) => relative(ROOT, f));
    expect(names).toEqual(
      expect.arrayContaining([
        'src/websocket.ts',
        'dist/index.js',
        'dist/index.cjs',
        'dist/testing/index.js',
        'dist/testing/index.cjs',
      ]),
    );
    const found = files.flatMap((file) =>
      dynamicCode(readFileSync(file, 'utf8')).map((line) => `${relative(ROOT, file)}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });
});

// ---- __proto__ --------------------------------------------------------------------------------

const POLLUTING = [
  '{"__proto__":{"polluted":1}}',
  '{"a":{"b":{"__proto__":{"polluted":1}}}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"__proto__":{"constructor":{"prototype":{"polluted":1}}}}',
  '[{"__proto__":{"polluted":1}}]',
];

function expectPrototypeClean(): void {
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
}

describe('the JSON codec cannot pollute Object.prototype', () => {
  afterEach(() => {
    // Never leave a polluted prototype to the other specs, whatever happened.
    delete (Object.prototype as { polluted?: unknown }).polluted;
  });

  it.each(POLLUTING)('json().deserializer on %s', (data) => {
    const value = json().deserializer({ type: 'message', data });
    expectPrototypeClean();
    // "__proto__" stays an own data property of a plain object, at every depth: it set no
    // prototype (one that did would be left out of JSON.stringify).
    const first = (Array.isArray(value) ? value[0] : value) as object;
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe(data);
    expectPrototypeClean();
  });

  it('options objects parsed from JSON with "__proto__" are refused, and pollute nothing', () => {
    const parsed = (text: string): object => JSON.parse(text) as object;
    const cases = [
      () => WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket, ...parsed('{"__proto__":{"polluted":1}}') }),
      () => WebSocket('ws://test/', parsed('{"__proto__":{"polluted":1}}')),
      () => reconnect(parsed('{"__proto__":{"polluted":1}}')),
      () => heartbeat(parsed('{"interval":5,"__proto__":{"polluted":1}}') as never),
      // A parsed object is not a feature: refused as such, whatever it holds.
      () =>
        WebSocket('ws://test/', {
          WebSocketCtor: FakeWebSocket,
          reconnect: parsed('{"__proto__":{"polluted":1}}') as never,
        }),
    ];
    const messages = cases.map((make) => thrown(make).message);
    expect(messages).toEqual([
      expect.stringMatching(/unknown option "__proto__"/),
      expect.stringMatching(/unknown option "__proto__"/),
      expect.stringMatching(/unknown reconnect option "__proto__"/),
      expect.stringMatching(/unknown heartbeat option "__proto__"/),
      expect.stringMatching(/options\.reconnect takes reconnect\(/),
    ]);
    expectPrototypeClean();
  });

  describe('through the subject face of a real socket', () => {
    /** A server that sends every polluting payload, then closes with 1000; closed after the test. */
    async function pollutingServer(): Promise<string> {
      const server = await startEchoServer({
        onConnection: ({ socket }) => {
          for (const data of POLLUTING) socket.send(data);
          socket.close(1000, 'done');
        },
      });
      return `${closeAfter(server).url}/`;
    }

    it('RxWebSocket with json()', async () => {
      const url = await pollutingServer();
      const ws = new RxWebSocket<unknown, unknown>(url, { WebSocketCtor: WsWebSocket, ...json() });
      const values = await lastValueFrom(ws.pipe(toArray()));
      expect(values).toHaveLength(POLLUTING.length);
      expect(values.map((v) => JSON.stringify(v))).toEqual(POLLUTING);
      expectPrototypeClean();
    });

    it('webSocket() with its default JSON.parse', async () => {
      const url = await pollutingServer();
      const subject = webSocket<unknown>({ url, WebSocketCtor: WsWebSocket });
      const values = await lastValueFrom(subject.pipe(toArray()));
      expect(values.map((v) => JSON.stringify(v))).toEqual(POLLUTING);
      expectPrototypeClean();
      subject.unsubscribe();
    });
  });
});
