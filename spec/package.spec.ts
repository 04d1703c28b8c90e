/**
 * The built package as a consumer gets it: package.json's publishing fields, the files the
 * exports map points to, loading it by name with import and require from another directory,
 * and TypeScript consumers (module NodeNext) typechecking against the built declarations.
 */
import { execFile } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');

interface PackageJson {
  name: string;
  type?: string;
  main?: string;
  module?: string;
  types?: string;
  exports: Record<string, unknown>;
  sideEffects?: unknown;
  engines?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bundleDependencies?: unknown;
  bundledDependencies?: unknown;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;


/** Every path (`./dist/index.js`, ...) the exports map points to, in document order. */
function exportTargets(): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.push(value);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  return found;
}


interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; never rejects on a non-zero exit (the test asserts on it). */
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs `node` with a script and parses the one JSON line it prints. */
async function nodeJson(args: string[], cwd: string): Promise<Record<string, unknown>> {
  const result = await run(process.execPath, args, cwd);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** The specifiers of the static imports and requires in a built file. */
function importedSpecifiers(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm)) found.add(m[1]!);
  for (const m of code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) found.add(m[1]!);
  for (const m of code.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) found.add(m[1]!);
  return [...found].sort();
}

/** A temporary directory whose node_modules links brython-websocket (this package) and rxjs. */
let consumer = '';

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'brython-websocket-consumer-'));
  mkdirSync(join(consumer, 'node_modules'));
  symlinkSync(ROOT, join(consumer, 'node_modules', 'brython-websocket'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', 'rxjs'), join(consumer, 'node_modules', 'rxjs'), 'dir');
}, 120_000);

afterAll(() => {
  if (consumer !== '') rmSync(consumer, { recursive: true, force: true });
});

describe('package.json', () => {
  it('exports "." with import and require conditions, each with types first, and "./package.json"', () => {
    expect(pkg.name).toBe('brython-websocket');
    expect(pkg.type).toBe('module');
    const root = pkg.exports['.'] as Record<string, Record<string, string>>;
    expect(Object.keys(root)).toEqual(['import', 'require']);
    expect(Object.entries(root.import!)).toEqual([
      ['types', './dist/index.d.ts'],
      ['default', './dist/index.js'],
    ]);
    expect(Object.entries(root.require!)).toEqual([
      ['types', './dist/index.d.cts'],
      ['default', './dist/index.cjs'],
    ]);
    expect(pkg.exports['./package.json']).toBe('./package.json');
  });

  it('exports "./testing" (FakeWebSocket, marbleServer) with import and require conditions, each with types first', () => {
    expect(Object.keys(pkg.exports)).toEqual(['.', './testing', './package.json']);
    const testing = pkg.exports['./testing'] as Record<string, Record<string, string>>;
    expect(Object.keys(testing)).toEqual(['import', 'require']);
    expect(Object.entries(testing.import!)).toEqual([
      ['types', './dist/testing/index.d.ts'],
      ['default', './dist/testing/index.js'],
    ]);
    expect(Object.entries(testing.require!)).toEqual([
      ['types', './dist/testing/index.d.cts'],
      ['default', './dist/testing/index.cjs'],
    ]);
  });

  it('puts types first in every condition object of every subpath', () => {
    const misplaced: string[] = [];
    const walk = (value: unknown, at: string): void => {
      if (typeof value !== 'object' || value === null) return;
      const keys = Object.keys(value);
      if (keys.includes('types') && keys[0] !== 'types') misplaced.push(at);
      for (const [key, inner] of Object.entries(value)) walk(inner, `${at} > ${key}`);
    };
    for (const [subpath, value] of Object.entries(pkg.exports)) walk(value, subpath);
    expect(misplaced).toEqual([]);
  });

  it('keeps the legacy main/module/types fields on the same files as the exports map', () => {
    const root = pkg.exports['.'] as Record<string, Record<string, string>>;
    expect([pkg.main, pkg.module, pkg.types]).toEqual([
      root.require!.default,
      root.import!.default,
      root.import!.types,
    ]);
  });

  it('has sideEffects: false, engines.node accepting Node 20, and files listing dist', () => {
    expect(pkg.sideEffects).toBe(false);
    const node = pkg.engines?.node;
    expect(node).toMatch(/^>=\s*\d+/);
    expect(Number(/^>=\s*(\d+)/.exec(node!)![1])).toBeLessThanOrEqual(20);
    expect(pkg.files).toContain('dist');
  });

  it('has rxjs only as a peer dependency (and a dev dependency), no runtime dependency', () => {
    expect(pkg.peerDependencies?.rxjs).toMatch(/^\^7\.\d+\.\d+$/);
    expect(pkg.devDependencies?.rxjs).toMatch(/^\^7\.\d+\.\d+$/);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.bundleDependencies ?? pkg.bundledDependencies).toBeUndefined();
  });
});

describe('the build', () => {
  it('has every file the exports map points to, non-empty', () => {
    const targets = exportTargets();
    expect(targets).toEqual(
      expect.arrayContaining([
        './dist/index.d.ts',
        './dist/index.js',
        './dist/index.d.cts',
        './dist/index.cjs',
        './dist/testing/index.d.ts',
        './dist/testing/index.js',
        './dist/testing/index.d.cts',
        './dist/testing/index.cjs',
      ]),
    );
    const sizes = targets.map((target) => [target, statSync(join(ROOT, target), { throwIfNoEntry: false })?.size ?? -1]);
    expect(sizes.filter(([, size]) => (size as number) <= 0)).toEqual([]);
  });

  it('imports only "rxjs" (never rxjs/internal) from every built file', () => {
    const built = readdirSync(join(ROOT, 'dist')).filter((name) => /\.(c?js|d\.c?ts)$/.test(name));
    expect(built).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']));
    const report = Object.fromEntries(
      built.map((name) => {
        const code = readFileSync(join(ROOT, 'dist', name), 'utf8');
        return [name, { specifiers: importedSpecifiers(code), internal: code.includes('rxjs/internal') }];
      }),
    );
    for (const name of built) expect(report[name], name).toEqual({ specifiers: ['rxjs'], internal: false });
  });

  it('builds the testing subpath on its own: it imports only rxjs (and rxjs/testing for types), no shared chunk', () => {
    const report = Object.fromEntries(
      ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((name) => {
        const code = readFileSync(join(ROOT, 'dist', 'testing', name), 'utf8');
        return [name, { specifiers: importedSpecifiers(code), internal: code.includes('rxjs/internal') }];
      }),
    );
    expect(report).toEqual({
      'index.js': { specifiers: ['rxjs'], internal: false },
      'index.cjs': { specifiers: ['rxjs'], internal: false },
      'index.d.ts': { specifiers: ['rxjs', 'rxjs/testing'], internal: false },
      'index.d.cts': { specifiers: ['rxjs', 'rxjs/testing'], internal: false },
    });
  });

  it('keeps the testing subpath out of the main entry: no FakeWebSocket or marble code in dist/index.*', () => {
    // Comments aside: a doc comment of the main entry may name FakeWebSocket.
    const code = (path: string): string =>
      readFileSync(join(ROOT, 'dist', path), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
    const probes = ['FakeWebSocket', 'marbleServer', 'manualCloseHandshake', 'listenerCount'];
    const found = (paths: string[]): string[][] => paths.map((path) => probes.filter((probe) => code(path).includes(probe)));
    // The probes are real: each built file of the subpath has every one of them.
    const testing = ['testing/index.js', 'testing/index.cjs', 'testing/index.d.ts', 'testing/index.d.cts'];
    expect(found(testing)).toEqual(testing.map(() => probes));
    expect(found(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'])).toEqual([[], [], [], []]);
  });

  it('packs every file the exports map points to, and no spec or build scratch', async () => {
    const result = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
    expect(result.code, result.stderr).toBe(0);
    const [packed] = JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>;
    const paths = packed!.files.map((file) => file.path);
    const targets = exportTargets().map((target) => target.replace(/^\.\//, ''));
    expect(paths).toEqual(expect.arrayContaining([...targets, 'package.json']));
    expect(paths.filter((path) => /^(spec|node_modules|\.dist-build-|coverage)/.test(path))).toEqual([]);
  });
});

describe('loading the built package by name from another directory', () => {
  const API = ['WebSocket', 'RxWebSocket', 'supported', 'isWebSocketError', 'json'];
  const describeApi = `Object.fromEntries(${JSON.stringify(API)}.map((k) => [k, typeof m[k]]))`;

  it('import() gets the ESM build with the public API', async () => {
    const seen = await nodeJson(
      [
        '--input-type=module',
        '-e',
        `const m = await import('brython-websocket');
         console.log(JSON.stringify({
           resolved: import.meta.resolve('brython-websocket'),
           api: ${describeApi},
           supported: m.supported,
           keys: Object.keys(m).sort(),
           json: m.json().serializer({ a: [1] }),
         }));`,
      ],
      consumer,
    );
    expect(seen).toMatchObject({
      resolved: new URL('dist/index.js', `file://${ROOT}`).href,
      api: { WebSocket: 'function', RxWebSocket: 'function', supported: 'boolean', isWebSocketError: 'function', json: 'function' },
      supported: false,
      json: '{"a":[1]}',
    });
  });

  it('require() gets the CJS build with the same exports', async () => {
    const cjs = await nodeJson(
      [
        '--input-type=commonjs',
        '-e',
        `const m = require('brython-websocket');
         console.log(JSON.stringify({
           resolved: require.resolve('brython-websocket'),
           api: ${describeApi},
           supported: m.supported,
           keys: Object.keys(m).sort(),
           json: m.json().serializer({ a: [1] }),
         }));`,
      ],
      consumer,
    );
    expect(cjs).toMatchObject({
      resolved: join(ROOT, 'dist', 'index.cjs'),
      api: { WebSocket: 'function', RxWebSocket: 'function', supported: 'boolean', isWebSocketError: 'function', json: 'function' },
      supported: false,
      json: '{"a":[1]}',
    });
    const esm = await nodeJson(
      ['--input-type=module', '-e', `const m = await import('brython-websocket'); console.log(JSON.stringify({ keys: Object.keys(m).sort() }));`],
      consumer,
    );
    expect(cjs.keys).toEqual(esm.keys);
    expect(cjs.keys).toEqual(expect.arrayContaining(API));
  });

  it('recognises an error made by the CJS copy with the ESM isWebSocketError, and back (brand)', async () => {
    const seen = await nodeJson(
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
         const cjs = createRequire(process.cwd() + '/')('brython-websocket');
         const esm = await import('brython-websocket');
         const fail = (m) => { try { m.WebSocket('localhost:8080'); } catch (e) { return e; } };
         const fromCjs = fail(cjs);
         const fromEsm = fail(esm);
         const forged = Object.assign(new Error('forged'), { code: 'ERR_WS_INVALID_URL' });
         console.log(JSON.stringify({
           twoCopies: cjs.WebSocketError !== esm.WebSocketError,
           cjsError: { name: fromCjs.name, code: fromCjs.code, instanceOfEsm: fromCjs instanceof esm.WebSocketError },
           esmGuardOnCjsError: esm.isWebSocketError(fromCjs),
           cjsGuardOnEsmError: cjs.isWebSocketError(fromEsm),
           esmGuardOnForgery: esm.isWebSocketError(forged),
           cjsGuardOnForgery: cjs.isWebSocketError(forged),
         }));`,
      ],
      consumer,
    );
    expect(seen).toEqual({
      twoCopies: true,
      cjsError: { name: 'WebSocketError', code: 'ERR_WS_INVALID_URL', instanceOfEsm: false },
      esmGuardOnCjsError: true,
      cjsGuardOnEsmError: true,
      esmGuardOnForgery: false,
      cjsGuardOnForgery: false,
    });
  });
});

describe('loading brython-websocket/testing by name from another directory', () => {
  // Drives a socket of the main entry with the subpath's FakeWebSocket, and a marble script.
  const SCRIPT = `const fake = (() => {
      const ws = main.WebSocket('ws://test/', { WebSocketCtor: testing.FakeWebSocket });
      ws.send('queued');
      const fake = testing.FakeWebSocket.last;
      const got = [];
      ws.bind('message', (e) => got.push(e.data));
      fake.open();
      fake.receive('hello');
      fake.serverClose(4001, 'bye');
      return { got, sent: fake.sent, state: ws.state, instances: testing.FakeWebSocket.instances.length };
    })();
    let marbles = 'not run';
    new TestScheduler((a, b) => { marbles = JSON.stringify(a) === JSON.stringify(b) ? 'equal' : JSON.stringify(a); }).run((helpers) => {
      const server = testing.marbleServer(helpers);
      const ws = main.WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
      ws.bind('message', (e) => ws.send('echo ' + e.data));
      server.script('-o-a-|', { a: 'hi' });
      helpers.expectObservable(server.sent$).toBe('---e', { e: 'echo hi' });
    });`;
  const EXPECTED = {
    keys: ['FakeWebSocket', 'marbleServer'],
    fake: { got: ['hello'], sent: ['queued'], state: 'closed', instances: 1 },
    marbles: 'equal',
  };

  it('import() gets the ESM build of the subpath, and it drives a socket of the main entry', async () => {
    const seen = await nodeJson(
      [
        '--input-type=module',
        '-e',
        `const testing = await import('brython-websocket/testing');
         const main = await import('brython-websocket');
         const { TestScheduler } = await import('rxjs/testing');
         ${SCRIPT}
         console.log(JSON.stringify({
           resolved: import.meta.resolve('brython-websocket/testing'),
           keys: Object.keys(testing).sort(),
           fake,
           marbles,
         }));`,
      ],
      consumer,
    );
    expect(seen).toEqual({ resolved: new URL('dist/testing/index.js', `file://${ROOT}`).href, ...EXPECTED });
  });

  it('require() gets the CJS build of the subpath, with the same exports and behaviour', async () => {
    const seen = await nodeJson(
      [
        '--input-type=commonjs',
        '-e',
        `const testing = require('brython-websocket/testing');
         const main = require('brython-websocket');
         const { TestScheduler } = require('rxjs/testing');
         ${SCRIPT}
         console.log(JSON.stringify({
           resolved: require.resolve('brython-websocket/testing'),
           keys: Object.keys(testing).sort(),
           fake,
           marbles,
         }));`,
      ],
      consumer,
    );
    expect(seen).toEqual({ resolved: join(ROOT, 'dist', 'testing', 'index.cjs'), ...EXPECTED });
  });

  it('loading the main entry does not load the subpath', async () => {
    const seen = await nodeJson(
      [
        '--input-type=commonjs',
        '-e',
        `require('brython-websocket');
         const loaded = Object.keys(require.cache).filter((path) => path.startsWith(${JSON.stringify(join(ROOT, 'dist'))}));
         console.log(JSON.stringify({ loaded }));`,
      ],
      consumer,
    );
    expect(seen).toEqual({ loaded: [join(ROOT, 'dist', 'index.cjs')] });
  });
});

describe('TypeScript consumers (module NodeNext) against the built declarations', () => {
  function tsconfig(lib: string[], types: string[]): object {
    return {
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        lib,
        types,
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files: ['consumer.ts'],
    };
  }

  // Uses the public types; the @ts-expect-error lines fail the check (TS2578) if the package's
  // types did not load and everything were `any`.
  const CONSUMER = `import { CloseError, RxWebSocket, WebSocket, isWebSocketError, json, supported } from 'brython-websocket';
import type { MessageData, SocketOptions, WebSocketConstructor, WsCloseEvent } from 'brython-websocket';
import { map, type Observable } from 'rxjs';

declare const Ctor: WebSocketConstructor;
interface Tick { price: number }
interface Command { op: string }

const options: SocketOptions<Tick, Command> = { WebSocketCtor: Ctor, maxQueue: 10, ...json<Tick, Command>() };
const ws: RxWebSocket<Tick, Command> = WebSocket<Tick, Command>('ws://localhost:8080', options);
const prices: Observable<number> = ws.pipe(map((tick) => tick.price));
ws.bind('message', (evt) => {
  const data: MessageData = evt.data;
  return data;
}).bind('close', (evt: WsCloseEvent) => evt.code);
const queued: boolean = ws.next({ op: 'subscribe' });
const text = new RxWebSocket('ws://localhost:8080', ['chat.v1'], { WebSocketCtor: Ctor });
const sent: boolean = text.send('hello');
const isOn: boolean = supported;
function code(error: unknown): string | undefined {
  if (error instanceof CloseError) return String(error.closeCode);
  return isWebSocketError(error) ? error.code : undefined;
}
// @ts-expect-error 'data' is not one of the socket's events
ws.bind('data', () => undefined);
// @ts-expect-error next() takes the Out type of the socket
ws.next('not a command');
export { prices, queued, sent, isOn, code };
`;

  async function typecheck(
    name: string,
    type: 'module' | 'commonjs',
    config: object,
    source: string,
  ): Promise<{ code: number; output: string; declarations: string[] }> {
    const dir = join(consumer, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'consumer.ts'), source);
    const result = await run(TSC, ['-p', 'tsconfig.json', '--listFiles'], dir);
    const lines = result.stdout.split('\n');
    return {
      code: result.code,
      output: lines.filter((line) => !line.startsWith('/')).join('\n').trim(),
      declarations: lines.filter((line) => line.startsWith(join(ROOT, 'dist'))),
    };
  }

  it('an ESM consumer ("type": "module") typechecks against dist/index.d.ts', async () => {
    const result = await typecheck('ts-esm', 'module', tsconfig(['ES2022', 'DOM'], []), CONSUMER);
    expect(result).toEqual({ code: 0, output: '', declarations: [join(ROOT, 'dist', 'index.d.ts')] });
  });

  it('a CJS consumer ("type": "commonjs") typechecks against dist/index.d.cts', async () => {
    const result = await typecheck('ts-cjs', 'commonjs', tsconfig(['ES2022', 'DOM'], []), CONSUMER);
    expect(result).toEqual({ code: 0, output: '', declarations: [join(ROOT, 'dist', 'index.d.cts')] });
  });

  // The subpath's types: FakeWebSocket is a WebSocketCtor without a cast, marbleServer takes the run helpers.
  const TESTING_CONSUMER = `import { WebSocket } from 'brython-websocket';
import { FakeWebSocket, marbleServer, type FakeCloseEvent, type MarbleAction } from 'brython-websocket/testing';
import { TestScheduler } from 'rxjs/testing';

const ws = WebSocket('ws://test/', { WebSocketCtor: FakeWebSocket });
const fake: FakeWebSocket = FakeWebSocket.last;
fake.open('chat.v1');
fake.receive(new Uint8Array([1]));
fake.addEventListener('close', (event: FakeCloseEvent) => event.code);
const values: Record<string, MarbleAction> = { a: 'hello', c: { close: 4001, reason: 'bye' }, p: { open: 'chat.v1' } };
new TestScheduler(() => undefined).run((helpers) => {
  const server = marbleServer(helpers);
  WebSocket('ws://test/', { WebSocketCtor: server.WebSocketCtor });
  server.script('-p-a-c', values, { socket: 0 });
  helpers.expectObservable(server.sent$).toBe('');
  // @ts-expect-error a values entry is a message, { open } or { close }
  server.script('-x', { x: { close: '4001' } });
});
// @ts-expect-error a FakeWebSocket receives message data, not objects
fake.receive({ text: 'hi' });
export { ws };
`;

  it('an ESM consumer typechecks against dist/testing/index.d.ts', async () => {
    const result = await typecheck('ts-testing-esm', 'module', tsconfig(['ES2022', 'DOM'], []), TESTING_CONSUMER);
    expect(result).toEqual({
      code: 0,
      output: '',
      declarations: [join(ROOT, 'dist', 'index.d.ts'), join(ROOT, 'dist', 'testing', 'index.d.ts')],
    });
  });

  it('a CJS consumer typechecks against dist/testing/index.d.cts', async () => {
    const result = await typecheck('ts-testing-cjs', 'commonjs', tsconfig(['ES2022', 'DOM'], []), TESTING_CONSUMER);
    expect(result).toEqual({
      code: 0,
      output: '',
      declarations: [join(ROOT, 'dist', 'index.d.cts'), join(ROOT, 'dist', 'testing', 'index.d.cts')],
    });
  });

  it("accepts real constructors as WebSocketCtor: ws's (and a subclass), and the DOM's", async () => {
    mkdirSync(join(consumer, 'node_modules', '@types'), { recursive: true });
    for (const types of ['node', 'ws']) {
      const link = join(consumer, 'node_modules', '@types', types);
      if (statSync(link, { throwIfNoEntry: false }) === undefined) {
        symlinkSync(join(ROOT, 'node_modules', '@types', types), link, 'dir');
      }
    }
    const source = `import { WebSocket } from 'brython-websocket';
import { WebSocket as WsCtor } from 'ws';

const ws = WebSocket('ws://localhost:8080', { WebSocketCtor: WsCtor });
class Recording extends WsCtor {}
const recorded = WebSocket('ws://localhost:8080', ['chat.v1'], { WebSocketCtor: Recording });
const dom = WebSocket('ws://localhost:8080', { WebSocketCtor: globalThis.WebSocket });
export { ws, recorded, dom };
`;
    const config = tsconfig(['ES2022', 'DOM'], ['node']) as { compilerOptions: Record<string, unknown> };
    config.compilerOptions.skipLibCheck = true;
    const result = await typecheck('ts-constructors', 'module', config, source);
    expect(result).toEqual({ code: 0, output: '', declarations: [join(ROOT, 'dist', 'index.d.ts')] });
  });
});
