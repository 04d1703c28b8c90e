/**
 * The README's code cannot drift from the package and its examples:
 * - its listing of the seed example is the real page's code, which
 *   examples/browser-echo/e2e.spec.ts drives in Chromium;
 * - every name its code imports from the package is exported by that entry (the main entry,
 *   `/resilience`, `/webSocket`, `/testing`), as the TypeScript compiler reads the sources;
 * - its code gives the resilience options only what `reconnect()`, `heartbeat()` and
 *   `connectTimeout()` make;
 * - its recipes are excerpts of the example files, line for line;
 * - what it says of the package's files agrees with them: the entries, the rxjs peer range, the
 *   size budgets and ceilings, the specs the browser project runs, what CI installs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BUDGETS, CEILINGS } from './bench/size.mjs';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** The body of every ```ts block of the README, in order. */
function tsBlocks(readme: string): string[] {
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** The first ```ts block after `heading`. */
function blockAfter(readme: string, heading: string): string {
  const at = readme.indexOf(heading);
  expect(at, heading).toBeGreaterThan(-1);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
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
  it('shows the script of the ./brython export, and links to the guide', () => {
    const readme = read('README.md');
    const pkg = JSON.parse(read('package.json')) as { exports: Record<string, string> };
    const section = readme.slice(readme.indexOf('### In a Brython page'), readme.indexOf('## API'));
    expect(section).toContain(`<script src="node_modules/brython-websocket/${pkg.exports['./brython']!.slice(2)}"></script>`);
    expect(section).toContain('from browser import websocket');
    expect(section).toContain('(docs/brython.md)');
  });
});

describe("the README's seed example", () => {
  it('is examples/browser-echo/main.ts from its handlers on, verbatim', () => {
    const readme = read('README.md');
    const heading = readme.indexOf("### The seed's example, in TypeScript");
    expect(heading).toBeGreaterThan(-1);
    const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(heading))?.[1];
    expect(block).toBeDefined();
    const code = block!.slice(block!.indexOf('function on_open('));
    expect(code.length).toBeGreaterThan(500);
    expect(read('examples/browser-echo/main.ts').endsWith(code)).toBe(true);
  });
});

describe("the README's code and the package's entries", () => {
  it('imports from each entry only names it exports: webSocket from /webSocket, the features from /resilience', () => {
    const exports = entryExports();
    expect(exports.get('brython-websocket')).toContain('WebSocket');
    expect(exports.get('brython-websocket')).not.toContain('webSocket');
    expect(exports.get('brython-websocket/resilience')).toContain('reconnect');
    const imports = [...tsBlocks(read('README.md')).join('\n').matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(brython-websocket[^']*)'/g)];
    expect(imports.length).toBeGreaterThan(10);
    const wrong: string[] = [];
    const seen = new Set<string>();
    for (const [, , names, entry] of imports) {
      seen.add(entry!);
      const exported = exports.get(entry!);
      for (const raw of names!.split(',')) {
        const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!;
        if (name !== '' && exported?.has(name) !== true) wrong.push(`${name} from '${entry}'`);
      }
    }
    expect(wrong).toEqual([]);
    expect([...seen].sort()).toEqual([...exports.keys()].sort());
  });

  it('gives reconnect, heartbeat and connectTimeout only what the functions of brython-websocket/resilience make', () => {
    const code = tsBlocks(read('README.md')).join('\n');
    expect(code).toContain("from 'brython-websocket/resilience'");
    // A plain value (true, an object of options, a number) throws ERR_WS_INVALID_ARGUMENT.
    expect(code.match(/\b(?:reconnect|heartbeat|connectTimeout)\s*:\s*(?:true\b|\{|\d)[^\n]*/g) ?? []).toEqual([]);
    expect(code).toMatch(/\breconnect: reconnect\(/);
    expect(code).toMatch(/\bheartbeat: heartbeat\(\{/);
    expect(code).toMatch(/\bconnectTimeout: connectTimeout\(\d/);
  });
});

describe("the README's recipes", () => {
  for (const [heading, path, minLines] of [
    ['### An Angular service', 'examples/angular-app/src/app/echo.service.ts', 10],
    ['### A stream-processing pipeline in Node', 'examples/node-pipeline/pipeline.ts', 15],
    ['### Marble-testing a service', 'examples/angular-app/src/app/echo.service.spec.ts', 15],
  ] as const) {
    it(`"${heading.slice(4)}" is an excerpt of ${path}: each line is one of the file's`, () => {
      const lines = new Set(read(path).split('\n').map(codeOf));
      const excerpt = blockAfter(read('README.md'), heading).split('\n').map(codeOf).filter((line) => line !== '');
      expect(excerpt.length).toBeGreaterThan(minLines);
      expect(excerpt.filter((line) => !lines.has(line))).toEqual([]);
    });
  }
});

describe("what the README says of the package's files", () => {
  /** The first match of `pattern` in the README, its groups. */
  function stated(pattern: RegExp): string[] {
    const match = pattern.exec(read('README.md'));
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
    expect(stated(/The package has (\w+) entries/)[0]).toBe(['one', 'two', 'three', 'four', 'five'][fromPackage.length - 1]);
  });

  it('Install: "RxJS 7.8 or later 7.x, or RxJS 8 (pre-releases included)" is the peer range of package.json', () => {
    const pkg = JSON.parse(read('package.json')) as { peerDependencies: Record<string, string> };
    const [major, minor, next] = stated(/`rxjs` is a peer dependency: RxJS (\d+)\.(\d+) or later \1\.x, or RxJS (\d+) \(pre-releases included/);
    expect(pkg.peerDependencies.rxjs).toBe(`^${major}.${minor}.0 || ^${next}.0.0-0`);
  });

  it('Performance: the size ceilings and budgets are those of spec/bench/size.mjs', () => {
    const kib = (bytes: number): string => String(bytes / 1024);
    expect(stated(/under ceilings \(([\d.]+) and ([\d.]+) KiB/)).toEqual([kib(CEILINGS.mainEntry), kib(CEILINGS.webSocketApp)]);
    expect(stated(/The budgets are ([\d.]+) KiB for the main entry and ([\d.]+) KiB for the `\{ WebSocket \}` app/)).toEqual([
      kib(BUDGETS.mainEntry),
      kib(BUDGETS.webSocketApp),
    ]);
  });

  it('Development: the unit specs it says run in the browser are those of the browser project in vitest.config.ts', () => {
    const [list] = stated(/The unit specs that need no Node API \(([^)]*)\) run there too/);
    const fromReadme = [...list!.matchAll(/`([\w-]+)`/g)].map((match) => match[1]);
    const config = read('vitest.config.ts');
    const browser = config.slice(config.indexOf("name: 'browser'"), config.indexOf('globalSetup', config.indexOf("name: 'browser'")));
    const fromConfig = [...browser.matchAll(/'spec\/([\w-]+)\.spec\.ts'/g)].map((match) => match[1]);
    expect(fromConfig.length).toBeGreaterThan(0);
    expect(fromReadme).toEqual(fromConfig);
  });

  it('Development: .ci/run installs Chromium when it is missing, with the command the README gives', () => {
    const [command] = stated(/`\.ci\/run` installs Chromium first when it is missing \(`([^`]+)`\)/);
    const script = read('.ci/run');
    expect(script).toMatch(/if \[ ! -x "\$chromium" \]; then/);
    expect(script).toContain(command);
  });
});
