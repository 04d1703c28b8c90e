/**
 * The README's code cannot drift from the package and its examples:
 * - its listing of the seed example is the real page's code, which
 *   examples/browser-echo/e2e.spec.ts drives in Chromium;
 * - every name its code imports from the package is exported by that entry (the main entry,
 *   `/resilience`, `/webSocket`, `/testing`), as the TypeScript compiler reads the sources;
 * - its code gives the resilience options only what `reconnect()`, `heartbeat()` and
 *   `connectTimeout()` make;
 * - its recipes are excerpts of the example files, line for line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

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
  for (const [heading, path] of [
    ['### An Angular service', 'examples/angular-service/echo.service.ts'],
    ['### A stream-processing pipeline in Node', 'examples/node-pipeline/pipeline.ts'],
    ['### Marble-testing a service', 'examples/angular-service/echo.service.marble.spec.ts'],
  ] as const) {
    it(`"${heading.slice(4)}" is an excerpt of ${path}: each line is one of the file's`, () => {
      const lines = new Set(read(path).split('\n').map(codeOf));
      const excerpt = blockAfter(read('README.md'), heading).split('\n').map(codeOf).filter((line) => line !== '');
      expect(excerpt.length).toBeGreaterThan(15);
      expect(excerpt.filter((line) => !lines.has(line))).toEqual([]);
    });
  }
});
