/**
 * The README's and the guides' code and statements cannot drift from the package and its examples:
 * - the README's Brython page shows the script the `./brython` export ships;
 * - docs/brython.md's TypeScript page is the real page's code, which
 *   examples/browser-echo/e2e.spec.ts drives in Chromium;
 * - every name their code imports from the package is exported by that entry (the main entry,
 *   `/resilience`, `/webSocket`, `/streams`, `/testing`), as the TypeScript compiler reads the sources;
 * - their code gives the resilience options only what `reconnect()`, `heartbeat()` and
 *   `connectTimeout()` make;
 * - the excerpts of examples are the example files' lines;
 * - what they say of the package's files agrees with them: the entries, the rxjs peer range, the
 *   size budgets and ceilings, the specs the browser project runs, what CI installs.
 * spec/docs-code.spec.ts type-checks and runs the code blocks themselves.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BUDGETS, CEILINGS } from './bench/size.mjs';
import { docBlocks } from './helpers/doc-blocks.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** The code of every ```ts block of the README and of docs/, in order. */
const allCode = (): string =>
  docBlocks()
    .map((block) => block.code)
    .join('\n');

/** The first ```ts block after `heading`. */
function blockAfter(text: string, heading: string): string {
  const at = text.indexOf(`\n${heading}\n`);
  expect(at, heading).toBeGreaterThan(-1);
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
  expect(block, heading).toBeDefined();
  return block!;
}

/** The names each entry of the package exports (values and types), from its source. */
function entryExports(): Map<string, Set<string>> {
  const entries: Record<string, string> = {
    'brython-websocket': 'src/index.ts',
    'brython-websocket/resilience': 'src/resilience.ts',
    'brython-websocket/webSocket': 'src/rxjs-compat.ts',
    'brython-websocket/streams': 'src/streams.ts',
    'brython-websocket/testing': 'src/testing/index.ts',
  };
  const files = Object.fromEntries(
    Object.entries(entries).map(([entry, path]) => [entry, fileURLToPath(new URL(`../${path}`, import.meta.url))]),
  );
  const program = ts.createProgram(Object.values(files), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, Set<string>>();
  for (const [entry, file] of Object.entries(files)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    result.set(entry, new Set(checker.getExportsOfModule(module).map((symbol) => symbol.name)));
  }
  return result;
}

/** A line as compared with the example file: trimmed, without a trailing `// …` comment. */
function codeOf(line: string): string {
  return line.replace(/\s+\/\/ .*$/, '').trim();
}

describe('the README on Brython pages', () => {
  it('shows the script of the ./brython export', () => {
    const readme = read('README.md');
    const pkg = JSON.parse(read('package.json')) as { exports: Record<string, string> };
    const section = readme.slice(readme.indexOf('### In a Brython page'), readme.indexOf('### A pipeline'));
    expect(section).toContain(
      `<script src="node_modules/brython-websocket/${pkg.exports['./brython']!.slice(2)}"></script>`,
    );
    expect(section).toContain('from browser import websocket');
  });
});

describe("docs/brython.md's page in TypeScript", () => {
  it('is examples/browser-echo/main.ts from its handlers on, verbatim', () => {
    const code = blockAfter(read('docs/brython.md'), '## The same page in TypeScript');
    const handlers = code.slice(code.indexOf('function on_open('));
    expect(handlers.length).toBeGreaterThan(500);
    expect(read('examples/browser-echo/main.ts').endsWith(handlers)).toBe(true);
  });
});

describe("the code of the README and docs/, and the package's entries", () => {
  it('imports from each entry only names it exports: webSocket from /webSocket, the features from /resilience', () => {
    const exports = entryExports();
    expect(exports.get('brython-websocket')).toContain('WebSocket');
    expect(exports.get('brython-websocket')).not.toContain('webSocket');
    expect(exports.get('brython-websocket/resilience')).toContain('reconnect');
    const imports = [...allCode().matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(brython-websocket[^']*)'/g)];
    expect(imports.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    const seen = new Set<string>();
    for (const [, , names, entry] of imports) {
      seen.add(entry!);
      const exported = exports.get(entry!);
      for (const raw of names!.split(',')) {
        const name = raw
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]!;
        if (name !== '' && exported?.has(name) !== true) wrong.push(`${name} from '${entry}'`);
      }
    }
    expect(wrong).toEqual([]);
    expect([...seen].sort()).toEqual([...exports.keys()].sort());
  });

  it('gives reconnect, heartbeat and connectTimeout only what the functions of brython-websocket/resilience make', () => {
    const code = allCode();
    expect(code).toContain("from 'brython-websocket/resilience'");
    // A plain value (true, an object of options, a number) throws ERR_WS_INVALID_ARGUMENT.
    expect(code.match(/\b(?:reconnect|heartbeat|connectTimeout)\s*:\s*(?:true\b|\{|\d)[^\n]*/g) ?? []).toEqual([]);
    expect(code).toMatch(/\breconnect: reconnect\(/);
    expect(code).toMatch(/\bheartbeat: heartbeat\(\{/);
    expect(code).toMatch(/\bconnectTimeout: connectTimeout\(\d/);
  });
});

describe('the excerpts of examples in docs/', () => {
  for (const [guide, heading, path, minLines] of [
    ['docs/pipelines.md', '## A stream-processing pipeline in Node', 'examples/node-pipeline/pipeline.ts', 15],
    ['docs/testing.md', '## Marble-testing a service', 'examples/angular-app/src/app/echo.service.spec.ts', 15],
  ] as const) {
    it(`${guide}, "${heading.slice(3)}", is an excerpt of ${path}: each line is one of the file's`, () => {
      const lines = new Set(read(path).split('\n').map(codeOf));
      const excerpt = blockAfter(read(guide), heading)
        .split('\n')
        .map(codeOf)
        .filter((line) => line !== '');
      expect(excerpt.length).toBeGreaterThan(minLines);
      expect(excerpt.filter((line) => !lines.has(line))).toEqual([]);
    });
  }
});

describe("what the README and docs/ say of the package's files", () => {
  /** The first match of `pattern` in `file` (the README by default), its groups. */
  function stated(pattern: RegExp, file = 'README.md'): string[] {
    const match = pattern.exec(read(file));
    expect(match, String(pattern)).not.toBeNull();
    return match!.slice(1);
  }

  it('Install: the table of entries lists exactly the subpaths of package.json exports', () => {
    const pkg = JSON.parse(read('package.json')) as { exports: Record<string, unknown> };
    const fromPackage = Object.keys(pkg.exports)
      // The browser script for Brython pages is no module entry: its own README section says so.
      .filter((key) => key !== './package.json' && key !== './brython')
      .map((key) => `brython-websocket${key.slice(1)}`);
    const [table] = stated(/\| import from \| what it holds \|\n\| --- \| --- \|\n((?:\|.*\n)+)/);
    const fromReadme = [...table!.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
    expect(fromReadme).toEqual(fromPackage);
    expect(stated(/The package has (\w+) entries/)[0]).toBe(
      ['one', 'two', 'three', 'four', 'five'][fromPackage.length - 1],
    );
  });

  it('Install: "RxJS 7.8 or later 7.x, or RxJS 8 (pre-releases included)" is the peer range of package.json', () => {
    const pkg = JSON.parse(read('package.json')) as { peerDependencies: Record<string, string> };
    const [major, minor, next] = stated(
      /`rxjs` is a peer dependency: RxJS (\d+)\.(\d+) or later \1\.x, or RxJS (\d+) \(pre-releases included/,
    );
    expect(pkg.peerDependencies.rxjs).toBe(`^${major}.${minor}.0 || ^${next}.0.0-0`);
  });

  it('docs/performance.md: the size ceilings and budgets are those of spec/bench/size.mjs', () => {
    const kib = (bytes: number): string => String(bytes / 1024);
    expect(stated(/under ceilings \(([\d.]+) and ([\d.]+) KiB/, 'docs/performance.md')).toEqual([
      kib(CEILINGS.mainEntry),
      kib(CEILINGS.webSocketApp),
    ]);
    expect(
      stated(
        /The budgets are ([\d.]+) KiB for the main entry and ([\d.]+) KiB for the `\{ WebSocket \}` app/,
        'docs/performance.md',
      ),
    ).toEqual([kib(BUDGETS.mainEntry), kib(BUDGETS.webSocketApp)]);
  });

  it('docs/development.md: the unit specs it says run in the browser are those of the browser project in vitest.config.ts', () => {
    const [list] = stated(/The unit specs that need no Node API \(([^)]*)\) run there too/, 'docs/development.md');
    const fromReadme = [...list!.matchAll(/`([\w-]+)`/g)].map((match) => match[1]);
    const config = read('vitest.config.ts');
    const browser = config.slice(
      config.indexOf("name: 'browser'"),
      config.indexOf('globalSetup', config.indexOf("name: 'browser'")),
    );
    const fromConfig = [...browser.matchAll(/'spec\/([\w-]+)\.spec\.ts'/g)].map((match) => match[1]);
    expect(fromConfig.length).toBeGreaterThan(0);
    expect(fromReadme).toEqual(fromConfig);
  });

  it('docs/development.md: .ci/run installs Chromium when it is missing, with the command it gives', () => {
    const [command] = stated(
      /`\.ci\/run` installs Chromium first when it is missing \(`([^`]+)`\)/,
      'docs/development.md',
    );
    const script = read('.ci/run');
    expect(script).toMatch(/if \[ ! -x "\$chromium" \]; then/);
    expect(script).toContain(command);
  });
});
