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
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESILIENCE_EXPORTS, STREAMS_EXPORTS, WEBSOCKET_EXPORTS } from './helpers/entry-exports.js';

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

/**
 * The exports that are browser scripts, not modules: one classic script each (an IIFE, rxjs
 * included), with no types and no CommonJS form, so exempt by name from the checks of the
 * module entries. `./brython` is for Brython pages (docs/brython.md).
 */
const BROWSER_SCRIPTS: Record<string, string> = { './brython': './dist/brython.js' };

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

/** How a script of each module format loads a specifier and resolves it. */
const FORMATS = {
  esm: {
    inputType: 'module',
    load: (specifier: string) => `await import(${JSON.stringify(specifier)})`,
    resolve: (specifier: string) => `import.meta.resolve(${JSON.stringify(specifier)})`,
  },
  cjs: {
    inputType: 'commonjs',
    load: (specifier: string) => `require(${JSON.stringify(specifier)})`,
    resolve: (specifier: string) => `require.resolve(${JSON.stringify(specifier)})`,
  },
} as const;
type Format = keyof typeof FORMATS;

/** What `resolve(…)` of FORMATS gives for `dist/<file>`: a file: URL in ESM, a path in CJS. */
function resolvedAs(format: Format, file: string): string {
  const path = join(ROOT, 'dist', file);
  return format === 'esm' ? pathToFileURL(path).href : path;
}

/** The two ways a consumer loads the package, with the extension of the built files each gets. */
const LOADERS = [
  { how: 'import()', format: 'esm', build: 'ESM', file: 'js' },
  { how: 'require()', format: 'cjs', build: 'CJS', file: 'cjs' },
] as const;

/** Runs `script` with `node --input-type=… -e` in the consumer directory and parses the one JSON line it prints. */
async function consumerJson(format: Format, script: string): Promise<Record<string, unknown>> {
  const result = await run(process.execPath, [`--input-type=${FORMATS[format].inputType}`, '-e', script], consumer);
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

const DIST = join(ROOT, 'dist');

/** The built files at the top of dist/ (code and declarations; no maps). */
function builtFiles(): string[] {
  return readdirSync(DIST)
    .filter((name) => /\.(c?js|d\.c?ts)$/.test(name))
    .sort();
}

/** The entries' own file names (`index`, `resilience`, ...): never a chunk, so never imported by another file. */
function entryNames(): string[] {
  return exportTargets()
    .filter((target) => target.startsWith('./dist/') && !Object.values(BROWSER_SCRIPTS).includes(target))
    .map((target) => target.slice('./dist/'.length).replace(/\.(d\.c?ts|c?js)$/, ''));
}

const JS_CHUNK = /^\.\/chunk-[A-Za-z0-9_-]+\.(c?js)$/;
/** The declarations' shared chunks: `./types-<hash>.js` names types-<hash>.d.ts. */
const DTS_CHUNK = /^\.\/([A-Za-z]+-[A-Za-z0-9_-]+)\.(c?js)$/;

/** The dist/ file a relative specifier of `file` loads, or undefined when it is not a shared chunk of the same format. */
function chunkFile(file: string, specifier: string): string | undefined {
  const declaration = /\.d\.c?ts$/.test(file);
  const cjs = file.endsWith('.cjs') || file.endsWith('.d.cts');
  if (!declaration) {
    const m = JS_CHUNK.exec(specifier);
    return m !== null && (m[1] === 'cjs') === cjs ? specifier.slice(2) : undefined;
  }
  const m = DTS_CHUNK.exec(specifier);
  if (m === null || (m[2] === 'cjs') !== cjs) return undefined;
  return `${m[1]}${cjs ? '.d.cts' : '.d.ts'}`;
}

/**
 * The specifiers of `file` that break the rule: only "rxjs" and the package's own shared chunks
 * (`./chunk-*` for code, `./<name>-<hash>` for declarations) of the same format, that exist
 * in dist/ and are packed; never an entry, another package, or the package itself by name.
 */
function forbiddenImports(
  file: string,
  specifiers: string[],
  present: ReadonlySet<string>,
  packed: ReadonlySet<string>,
): string[] {
  const entries = new Set(entryNames());
  return specifiers.filter((specifier) => {
    if (specifier === 'rxjs') return false;
    const target = chunkFile(file, specifier);
    if (target === undefined) return true;
    if (entries.has(target.replace(/\.(d\.c?ts|c?js)$/, ''))) return true;
    return !present.has(target) || !packed.has(`dist/${target}`);
  });
}

/** `entry` (a path under dist/) and every shared chunk it loads, transitively. */
function closure(entry: string): string[] {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of importedSpecifiers(readFileSync(join(DIST, file), 'utf8'))) {
      if (!specifier.startsWith('./')) continue;
      const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
      const target = chunkFile(file, specifier);
      const path = dir + (target ?? specifier.slice(2));
      if (!seen.has(path)) {
        seen.add(path);
        queue.push(path);
      }
    }
  }
  return [...seen];
}

let packCache: Promise<Set<string>> | undefined;

/** The paths `npm pack` puts in the tarball. */
function packedFiles(): Promise<Set<string>> {
  packCache ??= run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT).then((result) => {
    expect(result.code, result.stderr).toBe(0);
    const [packed] = JSON.parse(result.stdout) as { files: { path: string }[] }[];
    return new Set(packed!.files.map((file) => file.path));
  });
  return packCache;
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

  it('exports exactly ".", "./resilience", "./webSocket", "./streams", "./testing", the browser script "./brython" and "./package.json"', () => {
    expect(Object.keys(pkg.exports)).toEqual([
      '.',
      './resilience',
      './webSocket',
      './streams',
      './testing',
      './brython',
      './package.json',
    ]);
  });

  it.each(Object.entries(BROWSER_SCRIPTS))(
    'exports the browser script "%s" as one file, %s: a classic script with no import or export',
    (subpath, target) => {
      expect(pkg.exports[subpath]).toBe(target);
      const code = readFileSync(join(ROOT, target), 'utf8');
      expect(importedSpecifiers(code)).toEqual([]);
      // new vm.Script throws on an import or export statement, as a browser's classic script would.
      expect(() => new vm.Script(code, { filename: target })).not.toThrow();
      // Listed as the package's one file with side effects, so that no bundler drops it.
      expect(pkg.sideEffects).toEqual([target]);
    },
  );

  it.each([
    ['./resilience', 'resilience'],
    ['./webSocket', 'webSocket'],
    ['./streams', 'streams'],
    ['./testing', 'testing/index'],
  ])('exports "%s" with import and require conditions, each with types first, on dist/%s.*', (subpath, file) => {
    const entry = pkg.exports[subpath] as Record<string, Record<string, string>>;
    expect(Object.keys(entry)).toEqual(['import', 'require']);
    expect(Object.entries(entry.import!)).toEqual([
      ['types', `./dist/${file}.d.ts`],
      ['default', `./dist/${file}.js`],
    ]);
    expect(Object.entries(entry.require!)).toEqual([
      ['types', `./dist/${file}.d.cts`],
      ['default', `./dist/${file}.cjs`],
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

  it('has side effects only in the browser scripts, engines.node accepting Node 20, and files listing dist', () => {
    expect(pkg.sideEffects).toEqual(Object.values(BROWSER_SCRIPTS));
    const node = pkg.engines?.node;
    expect(node).toMatch(/^>=\s*\d+/);
    expect(Number(/^>=\s*(\d+)/.exec(node!)![1])).toBeLessThanOrEqual(20);
    expect(pkg.files).toContain('dist');
  });

  it('has rxjs only as a peer dependency (and a dev dependency), no runtime dependency', () => {
    expect(pkg.peerDependencies?.rxjs).toBe('^7.8.0 || ^8.0.0-0'); // spec/peer-range.spec.ts: what it admits
    expect(pkg.devDependencies?.rxjs).toMatch(/^\^7\.\d+\.\d+$/);
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.bundleDependencies ?? pkg.bundledDependencies).toBeUndefined();
  });
});

describe('the shared-chunk rule (what a built file may import)', () => {
  // The rule is checked against a made-up dist, so that each way of breaking it is seen to fail.
  const files = new Set([
    'index.js',
    'index.cjs',
    'index.d.ts',
    'index.d.cts',
    'chunk-AB12CD34.js',
    'chunk-AB12CD34.cjs',
    'types-Ab12Cd34.d.ts',
    'types-Ab12Cd34.d.cts',
  ]);
  const packed = new Set([
    'dist/chunk-AB12CD34.js',
    'dist/chunk-AB12CD34.cjs',
    'dist/types-Ab12Cd34.d.ts',
    'dist/types-Ab12Cd34.d.cts',
  ]);
  const check = (file: string, specifiers: string[]): string[] => forbiddenImports(file, specifiers, files, packed);

  it('allows rxjs and the shared chunks of the same format that exist and are packed', () => {
    expect(check('index.js', ['rxjs', './chunk-AB12CD34.js'])).toEqual([]);
    expect(check('index.cjs', ['rxjs', './chunk-AB12CD34.cjs'])).toEqual([]);
    expect(check('chunk-AB12CD34.js', ['rxjs'])).toEqual([]);
    expect(check('index.d.ts', ['rxjs', './types-Ab12Cd34.js'])).toEqual([]);
    expect(check('index.d.cts', ['rxjs', './types-Ab12Cd34.cjs'])).toEqual([]);
  });

  it('forbids everything else: other packages, rxjs/internal, itself by name, entries, missing, unpacked or other-format chunks', () => {
    const bad = [
      'ws',
      'rxjs/internal/Observable',
      'brython-websocket',
      'brython-websocket/resilience',
      './index.js',
      '../src/websocket.js',
      './chunk-MISSING1.js',
      './chunk-AB12CD34.cjs',
      './chunk-AB12CD34',
      './nested/chunk-AB12CD34.js',
    ];
    expect(check('index.js', bad)).toEqual(bad);
    expect(check('index.cjs', ['./chunk-AB12CD34.js'])).toEqual(['./chunk-AB12CD34.js']);
    expect(check('index.d.ts', ['./types-Ab12Cd34.cjs', './chunk-AB12CD34.js'])).toEqual([
      './types-Ab12Cd34.cjs',
      './chunk-AB12CD34.js',
    ]);
    expect(forbiddenImports('index.js', ['./chunk-AB12CD34.js'], files, new Set())).toEqual(['./chunk-AB12CD34.js']);
  });
});

describe('the build', () => {
  it('has every file the exports map points to, non-empty', () => {
    const targets = exportTargets();
    expect(targets).toEqual(
      expect.arrayContaining(
        ['index', 'resilience', 'webSocket', 'streams', 'testing/index'].flatMap((file) =>
          ['.d.ts', '.js', '.d.cts', '.cjs'].map((ext) => `./dist/${file}${ext}`),
        ),
      ),
    );
    const sizes = targets.map((target) => [
      target,
      statSync(join(ROOT, target), { throwIfNoEntry: false })?.size ?? -1,
    ]);
    expect(sizes.filter(([, size]) => (size as number) <= 0)).toEqual([]);
  });

  it('imports only "rxjs" (never rxjs/internal) and its own shared chunks from every built file', async () => {
    const built = builtFiles();
    expect(built).toEqual(
      expect.arrayContaining([
        'index.js',
        'index.cjs',
        'index.d.ts',
        'index.d.cts',
        'resilience.js',
        'resilience.cjs',
        'webSocket.js',
        'webSocket.cjs',
      ]),
    );
    const packed = await packedFiles();
    const present = new Set(built);
    const report = Object.fromEntries(
      built.map((name) => {
        const code = readFileSync(join(DIST, name), 'utf8');
        return [
          name,
          {
            forbidden: forbiddenImports(name, importedSpecifiers(code), present, packed),
            internal: code.includes('rxjs/internal'),
          },
        ];
      }),
    );
    for (const name of built) expect(report[name], name).toEqual({ forbidden: [], internal: false });
  });

  it('shares one copy of the core: the three entries, ESM and CJS, import the same chunks and define no class of their own', () => {
    for (const ext of ['.js', '.cjs']) {
      const chunks = (entry: string): string[] => closure(`${entry}${ext}`).filter((file) => file.startsWith('chunk-'));
      const core = chunks('index');
      expect(core.length, ext).toBeGreaterThan(0);
      // The chunk that defines WebSocketError is loaded by every entry.
      const errors = core.filter((file) =>
        /\b(class WebSocketError|WebSocketError = class)\b/.test(readFileSync(join(DIST, file), 'utf8')),
      );
      expect(errors, ext).toHaveLength(1);
      for (const entry of ['resilience', 'webSocket', 'streams'])
        expect(chunks(entry), `${entry}${ext}`).toEqual(expect.arrayContaining(errors));
      for (const entry of ['index', 'resilience', 'webSocket', 'streams']) {
        expect(readFileSync(join(DIST, `${entry}${ext}`), 'utf8'), `${entry}${ext}`).not.toMatch(
          /\b(class (WebSocketError|RxWebSocket)|(WebSocketError|RxWebSocket) = class)\b/,
        );
      }
    }
  });

  it('builds the testing subpath on its own: it imports only rxjs (and rxjs/testing for types), no shared chunk', () => {
    const report = Object.fromEntries(
      ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts'].map((name) => {
        const code = readFileSync(join(DIST, 'testing', name), 'utf8');
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

  it('keeps the subpaths out of the main entry: what dist/index.* loads has no testing, resilience or webSocket() code', () => {
    // Comments aside: a doc comment of the main entry may name them.
    const code = (path: string): string =>
      readFileSync(join(DIST, path), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
    const loaded = (entry: string): string => closure(entry).map(code).join('\n');
    const PROBES = {
      testing: ['FakeWebSocket', 'marbleServer', 'manualCloseHandshake', 'listenerCount'],
      resilience: [
        'backoffDelay',
        'RECONNECT_DEFAULTS',
        'CLOSE_HEARTBEAT_TIMEOUT',
        'CLOSE_CONNECT_TIMEOUT',
        'defaultShouldReconnect',
      ],
      webSocket: ['WebSocketSubject', 'closingObserver'],
      streams: ['OverflowError', 'concatMapPaced', 'DEFAULT_WRITE_HIGH_WATER_MARK'],
    };
    const found = (entry: string, probes: string[]): string[] =>
      probes.filter((probe) => loaded(entry).includes(probe));
    const EXTS = ['.js', '.cjs', '.d.ts', '.d.cts'];
    // The probes are real: each built file of each subpath has every one of its probes.
    for (const [subpath, probes] of Object.entries(PROBES)) {
      const file = subpath === 'testing' ? 'testing/index' : subpath;
      for (const ext of EXTS) expect(found(`${file}${ext}`, probes), `${file}${ext}`).toEqual(probes);
    }
    for (const ext of EXTS) {
      expect(closure(`index${ext}`).length, `index${ext}`).toBeGreaterThan(1);
      expect(found(`index${ext}`, Object.values(PROBES).flat()), `index${ext}`).toEqual([]);
    }
  });

  it('packs every file the exports map points to and every shared chunk, and no spec or build scratch', async () => {
    const paths = [...(await packedFiles())];
    const targets = exportTargets().map((target) => target.replace(/^\.\//, ''));
    const chunks = builtFiles().filter((name) => !/^(index|resilience|webSocket|streams)\./.test(name));
    expect(chunks.length).toBeGreaterThan(0);
    expect(paths).toEqual(
      expect.arrayContaining([...targets, ...chunks.map((name) => `dist/${name}`), 'package.json']),
    );
    expect(paths.filter((path) => /^(spec|node_modules|\.dist-build-|coverage)/.test(path))).toEqual([]);
  });
});

describe('loading the built package by name from another directory', () => {
  const API = ['WebSocket', 'RxWebSocket', 'supported', 'isWebSocketError', 'json'];
  const script = (format: Format): string => `const m = ${FORMATS[format].load('brython-websocket')};
    console.log(JSON.stringify({
      resolved: ${FORMATS[format].resolve('brython-websocket')},
      api: Object.fromEntries(${JSON.stringify(API)}.map((k) => [k, typeof m[k]])),
      supported: m.supported,
      keys: Object.keys(m).sort(),
      json: m.json().serializer({ a: [1] }),
    }));`;
  const EXPECTED = {
    api: {
      WebSocket: 'function',
      RxWebSocket: 'function',
      supported: 'boolean',
      isWebSocketError: 'function',
      json: 'function',
    },
    supported: false,
    json: '{"a":[1]}',
  };

  it('import() gets the ESM build with the public API', async () => {
    expect(await consumerJson('esm', script('esm'))).toMatchObject({
      resolved: resolvedAs('esm', 'index.js'),
      ...EXPECTED,
    });
  });

  it('require() gets the CJS build with the same exports', async () => {
    const cjs = await consumerJson('cjs', script('cjs'));
    expect(cjs).toMatchObject({ resolved: resolvedAs('cjs', 'index.cjs'), ...EXPECTED });
    const esm = await consumerJson('esm', script('esm'));
    expect(cjs.keys).toEqual(esm.keys);
    expect(cjs.keys).toEqual(expect.arrayContaining(API));
  });

  it('recognises an error made by the CJS copy with the ESM isWebSocketError, and back (brand)', async () => {
    const seen = await consumerJson(
      'esm',
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

  for (const { how, format, build, file } of LOADERS) {
    it(`${how} gets the ${build} build of the subpath, and it drives a socket of the main entry`, async () => {
      const { load, resolve } = FORMATS[format];
      const seen = await consumerJson(
        format,
        `const testing = ${load('brython-websocket/testing')};
         const main = ${load('brython-websocket')};
         const { TestScheduler } = ${load('rxjs/testing')};
         ${SCRIPT}
         console.log(JSON.stringify({
           resolved: ${resolve('brython-websocket/testing')},
           keys: Object.keys(testing).sort(),
           fake,
           marbles,
         }));`,
      );
      expect(seen).toEqual({ resolved: resolvedAs(format, `testing/index.${file}`), ...EXPECTED });
    });
  }

  it.each([
    ['brython-websocket', 'index.cjs'],
    ['brython-websocket/resilience', 'resilience.cjs'],
    ['brython-websocket/webSocket', 'webSocket.cjs'],
    ['brython-websocket/streams', 'streams.cjs'],
  ])('require(%j) loads %s and its shared chunks, and no other entry', async (specifier, file) => {
    const seen = await consumerJson(
      'cjs',
      `require(${JSON.stringify(specifier)});
       const loaded = Object.keys(require.cache).filter((path) => path.startsWith(${JSON.stringify(DIST)}));
       console.log(JSON.stringify({ loaded: loaded.sort() }));`,
    );
    const expected = closure(file)
      .map((name) => join(DIST, name))
      .sort();
    expect(expected).toContain(join(DIST, file));
    expect(expected.some((path) => path.includes(`${DIST}/chunk-`))).toBe(true);
    expect(seen).toEqual({ loaded: expected });
  });
});

describe('loading brython-websocket/resilience and brython-websocket/webSocket by name from another directory', () => {
  // A socket of the main entry with the features of the resilience entry, on the testing
  // entry's FakeWebSocket and rxjs's virtual time; webSocket() on the same fake; and an error
  // of each subpath checked against the main entry's class (one copy of the core).
  const SCRIPT = `const scheduler = new VirtualTimeScheduler();
    const ws = main.WebSocket('ws://test/', {
      WebSocketCtor: testing.FakeWebSocket,
      scheduler,
      reconnect: resilience.reconnect({ initialDelay: 10, jitter: 0, attempts: 1 }),
      heartbeat: resilience.heartbeat({ interval: 1000 }),
      connectTimeout: resilience.connectTimeout(500),
    });
    const states = [];
    ws.state$.subscribe((state) => states.push(state));
    testing.FakeWebSocket.last.open();
    testing.FakeWebSocket.last.serverClose(1006, '', false);
    scheduler.flush();
    const caught = (fn) => { try { fn(); } catch (e) { return e; } };
    const errors = [caught(() => resilience.heartbeat({ interval: 0 })), caught(() => rx.webSocket('localhost:8080'))];
    const subject = rx.webSocket({ url: 'ws://test/', WebSocketCtor: testing.FakeWebSocket });
    const got = [];
    subject.subscribe((value) => got.push(value));
    subject.next({ op: 'hi' });
    testing.FakeWebSocket.last.open();
    testing.FakeWebSocket.last.receive('{"a":1}');
    const seen = {
      resilienceKeys: Object.keys(resilience).sort(),
      webSocketKeys: Object.keys(rx).sort(),
      states,
      sockets: testing.FakeWebSocket.instances.length,
      policy: resilience.reconnect({ attempts: 2 }).policy.attempts,
      codes: [resilience.CLOSE_HEARTBEAT_TIMEOUT, resilience.CLOSE_CONNECT_TIMEOUT],
      errors: errors.map((e) => [e.code, e instanceof main.WebSocketError]),
      subject: { got, sent: testing.FakeWebSocket.last.sent },
    };
    subject.unsubscribe();
    ws.close();`;
  const EXPECTED = {
    resilienceKeys: RESILIENCE_EXPORTS,
    webSocketKeys: WEBSOCKET_EXPORTS,
    // open, dropped, reconnecting, a second socket, then its connect timeout with no attempt left.
    states: ['connecting', 'open', 'reconnecting', 'connecting', 'closed'],
    sockets: 3,
    policy: 2,
    codes: [4900, 4901],
    errors: [
      ['ERR_WS_INVALID_ARGUMENT', true],
      ['ERR_WS_INVALID_URL', true],
    ],
    subject: { got: [{ a: 1 }], sent: ['{"op":"hi"}'] },
  };

  for (const { how, format, build, file } of LOADERS) {
    it(`${how} gets the ${build} builds of both subpaths, sharing the main entry's core`, async () => {
      const { load, resolve } = FORMATS[format];
      const seen = await consumerJson(
        format,
        `const main = ${load('brython-websocket')};
         const resilience = ${load('brython-websocket/resilience')};
         const rx = ${load('brython-websocket/webSocket')};
         const testing = ${load('brython-websocket/testing')};
         const { VirtualTimeScheduler } = ${load('rxjs')};
         ${SCRIPT}
         console.log(JSON.stringify({
           resolved: [${resolve('brython-websocket/resilience')}, ${resolve('brython-websocket/webSocket')}],
           ...seen,
         }));`,
      );
      expect(seen).toEqual({
        resolved: [resolvedAs(format, `resilience.${file}`), resolvedAs(format, `webSocket.${file}`)],
        ...EXPECTED,
      });
    });
  }
});

describe('loading brython-websocket/streams by name from another directory', () => {
  // A socket of the main entry on the testing entry's FakeWebSocket (which cannot pause), read
  // by messages() of the streams entry until it overflows; the error is the main entry's class.
  const SCRIPT = `const ws = main.WebSocket('ws://test/', { WebSocketCtor: testing.FakeWebSocket });
    testing.FakeWebSocket.last.open();
    const reader = streams.messages(ws, { highWaterMark: 2, lowWaterMark: 0 });
    for (const v of ['a', 'b', 'c']) testing.FakeWebSocket.last.receive(v);
    const got = [];
    let error;
    try {
      for await (const v of reader) got.push(v);
    } catch (e) {
      error = [e.code, e.buffered, e instanceof main.WebSocketError, e instanceof streams.OverflowError];
    }
    const seen = { keys: Object.keys(streams).sort(), got, error, state: ws.state };
    ws.close();`;
  const EXPECTED = {
    keys: STREAMS_EXPORTS,
    got: ['a', 'b'],
    error: ['ERR_WS_OVERFLOW', 2, true, true],
    state: 'open',
  };
  for (const { how, format, build, file } of LOADERS) {
    it(`${how} gets the ${build} build, sharing the main entry's core`, async () => {
      const { load, resolve } = FORMATS[format];
      const body = `const main = ${load('brython-websocket')};
         const streams = ${load('brython-websocket/streams')};
         const testing = ${load('brython-websocket/testing')};
         ${SCRIPT}
         console.log(JSON.stringify({ resolved: ${resolve('brython-websocket/streams')}, ...seen }));`;
      const seen = await consumerJson(format, format === 'cjs' ? `(async () => { ${body} })();` : body);
      expect(seen).toEqual({ resolved: resolvedAs(format, `streams.${file}`), ...EXPECTED });
    });
  }
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
      output: lines
        .filter((line) => !line.startsWith('/'))
        .join('\n')
        .trim(),
      declarations: lines.filter((line) => line.startsWith(join(ROOT, 'dist'))).sort(),
    };
  }

  /** The declaration files `entries` load (they and their shared chunks), as tsc lists them. */
  function declarationsOf(...entries: string[]): string[] {
    const files = entries.flatMap((entry) => closure(entry));
    expect(files.length).toBeGreaterThan(entries.length);
    return [...new Set(files)].map((file) => join(DIST, file)).sort();
  }

  /** The two kinds of consumer package, and the declaration files each must load. */
  const CONSUMERS = [
    { label: 'an ESM consumer ("type": "module")', type: 'module', ext: '.d.ts' },
    { label: 'a CJS consumer ("type": "commonjs")', type: 'commonjs', ext: '.d.cts' },
  ] as const;

  for (const { label, type, ext } of CONSUMERS) {
    it(`${label} typechecks against dist/index${ext}`, async () => {
      const result = await typecheck(`ts-${type}`, type, tsconfig(['ES2022', 'DOM'], []), CONSUMER);
      expect(result).toEqual({ code: 0, output: '', declarations: declarationsOf(`index${ext}`) });
    });
  }

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

  for (const { label, type, ext } of CONSUMERS) {
    it(`${label} typechecks against dist/testing/index${ext}`, async () => {
      const result = await typecheck(`ts-testing-${type}`, type, tsconfig(['ES2022', 'DOM'], []), TESTING_CONSUMER);
      expect(result).toEqual({
        code: 0,
        output: '',
        declarations: declarationsOf(`index${ext}`, `testing/index${ext}`),
      });
    });
  }

  // The subpaths' types: the features are what the options take (not true or a plain object),
  // and webSocket<In, Out> keeps RxJS's shape.
  const SUBPATH_CONSUMER = `import { WebSocket, type SocketOptions, WebSocketError } from 'brython-websocket';
import {
  CLOSE_HEARTBEAT_TIMEOUT,
  connectTimeout,
  heartbeat,
  reconnect,
  type ReconnectFeature,
  type ReconnectOptions,
} from 'brython-websocket/resilience';
import { webSocket, WebSocketSubject, type WebSocketSubjectConfig } from 'brython-websocket/webSocket';

const retry: ReconnectOptions = { attempts: 5, shouldReconnect: (event) => event.code === 1012 };
const feature: ReconnectFeature = reconnect(retry);
const attempts: number = feature.policy.attempts;
const options: SocketOptions = { reconnect: feature, heartbeat: heartbeat({ interval: 15_000 }), connectTimeout: connectTimeout(5000) };
const ws = WebSocket('ws://localhost:8080', options);
const off = WebSocket('ws://localhost:8080', { reconnect: false, heartbeat: false, connectTimeout: false });
const code: number = CLOSE_HEARTBEAT_TIMEOUT;
const config: WebSocketSubjectConfig<{ price: number }, { op: string }> = { url: 'ws://localhost:8080' };
const subject: WebSocketSubject<{ price: number }, { op: string }> = webSocket(config);
subject.subscribe((tick) => tick.price.toFixed());
subject.next({ op: 'subscribe' });
const failed: boolean = new Error() instanceof WebSocketError;
// @ts-expect-error options.reconnect takes reconnect(), not true
WebSocket('ws://localhost:8080', { reconnect: true });
// @ts-expect-error options.heartbeat takes heartbeat(), not its options
WebSocket('ws://localhost:8080', { heartbeat: { interval: 1000 } });
// @ts-expect-error options.connectTimeout takes connectTimeout(ms), not a number
WebSocket('ws://localhost:8080', { connectTimeout: 5000 });
// @ts-expect-error a heartbeat is not a reconnect feature
WebSocket('ws://localhost:8080', { reconnect: heartbeat({ interval: 1000 }) });
// @ts-expect-error next() takes the Out type of the subject
subject.next('subscribe');
export { attempts, ws, off, code, failed };
`;

  for (const { label, type, ext } of CONSUMERS) {
    it(`the resilience and webSocket subpaths typecheck for ${label}`, async () => {
      const result = await typecheck(`ts-subpaths-${type}`, type, tsconfig(['ES2022', 'DOM'], []), SUBPATH_CONSUMER);
      expect(result).toEqual({
        code: 0,
        output: '',
        declarations: declarationsOf(`index${ext}`, `resilience${ext}`, `webSocket${ext}`),
      });
    });
  }

  const STREAMS_CONSUMER = `import { WebSocket } from 'brython-websocket';
import { concatMapPaced, messages, OverflowError, readable, writable, type MessageIterator, type ReadOptions } from 'brython-websocket/streams';

const ws = WebSocket<{ price: number }, { op: string }>('ws://localhost:8080');
const options: ReadOptions = { highWaterMark: 256, lowWaterMark: 64, overflow: 'drop-oldest' };
const reader: MessageIterator<{ price: number }> = messages(ws, options);
async function read(): Promise<number> {
  let sum = 0;
  for await (const tick of reader) sum += tick.price;
  return sum;
}
const stream: ReadableStream<{ price: number }> = readable(ws);
const sink: WritableStream<{ op: string }> = writable(ws, { highWaterMark: 65_536 });
const prices = ws.pipe(concatMapPaced(async (tick) => tick.price.toFixed(2)));
const dropped: number = new OverflowError(1, 2, 'drop-newest').dropped;
// @ts-expect-error overflow takes one of three rules
messages(ws, { overflow: 'drop' });
// @ts-expect-error the writable takes the socket's Out type
sink.getWriter().write('subscribe');
export { read, stream, prices, dropped };
`;

  for (const { label, type, ext } of CONSUMERS) {
    it(`the streams subpath typechecks for ${label}`, async () => {
      const result = await typecheck(`ts-streams-${type}`, type, tsconfig(['ES2022', 'DOM'], []), STREAMS_CONSUMER);
      expect(result).toEqual({ code: 0, output: '', declarations: declarationsOf(`index${ext}`, `streams${ext}`) });
    });
  }

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
    expect(result).toEqual({ code: 0, output: '', declarations: declarationsOf('index.d.ts') });
  });
});
