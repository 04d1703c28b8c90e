/**
 * The code in the README and in docs/ is code that works:
 * - every ```ts block compiles, each as a module of its own, with the project's compiler options
 *   and the package's entries resolved to its sources (tsconfig.json's `paths`); a block marked
 *   `<!-- fragment: why -->` is left out, and fragments stay few;
 * - every block marked `<!-- runnable -->` runs: a block that declares tests (`it(...)`) has
 *   them run here, any other runs inside one test;
 * - every relative link of those pages leads to a file that exists, and every `#anchor` to a
 *   heading of the page it names.
 */
import { mkdirSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, docBlocks, docFiles, readDoc, tsBlocksOf, type DocBlock } from './helpers/doc-blocks.js';

/** The name of a block's module: where it comes from, readable in a diagnostic. */
function moduleName(block: DocBlock): string {
  return `${block.file.replace(/[/.]/g, '-')}-line-${block.line}`;
}

/** A block as a module: the `given` declarations on its first line, so that lines keep their numbers. */
function sourceOf(block: DocBlock): string {
  const given = block.mark === 'given' ? `${block.why} ` : '';
  return `${given}${block.code}\nexport {};\n`;
}

/** The diagnostics of the blocks, each as `file:line: message`, the line being the README's. */
function typeCheck(blocks: DocBlock[]): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile.bind(ts.sys));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  // A listing may declare what it does not use (`const ws = ...` to show the call).
  const options: ts.CompilerOptions = { ...parsed.options, noUnusedLocals: false, noEmit: true };
  const dir = join(ROOT, 'spec', '.docs-code');
  const files = new Map(blocks.map((block) => [join(dir, `${moduleName(block)}.ts`), block]));
  const host = ts.createCompilerHost(options);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (path) => files.has(path) || fileExists(path);
  host.readFile = (path) => {
    const block = files.get(path);
    return block === undefined ? readFile(path) : sourceOf(block);
  };
  host.getSourceFile = (path, language, ...rest) => {
    const block = files.get(path);
    return block === undefined
      ? getSourceFile(path, language, ...rest)
      : ts.createSourceFile(path, sourceOf(block), language);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  return [...files].flatMap(([path, block]) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(path)).map((diagnostic) => {
      const at =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
          : 0;
      return `${block.file}:${block.line + 1 + at}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    }),
  );
}

describe('the ```ts blocks of the README and docs/', () => {
  const blocks = docBlocks();

  it('are found, in the README and in the guides, and few of them are fragments', () => {
    expect(blocks.filter((block) => block.file === 'README.md').length).toBeGreaterThanOrEqual(6);
    expect(new Set(blocks.map((block) => block.file)).size).toBeGreaterThanOrEqual(6);
    const fragments = blocks.filter((block) => block.mark === 'fragment');
    expect(fragments.length).toBeLessThanOrEqual(Math.ceil(blocks.length / 4));
    // A fragment says why it cannot compile alone.
    expect(fragments.filter((block) => block.why.length < 10).map((block) => `${block.file}:${block.line}`)).toEqual(
      [],
    );
  });

  it('compile, each as a module of its own (fragments aside)', () => {
    expect(typeCheck(blocks.filter((block) => block.mark !== 'fragment'))).toEqual([]);
  }, 120_000);

  it('the check can fail: a block that misuses the API does not compile', () => {
    const bad = tsBlocksOf(
      'docs/bad.md',
      "```ts\nimport { WebSocket } from 'brython-websocket';\nWebSocket('ws://test/', { reconnect: true });\n```\n",
    );
    expect(typeCheck(bad)).toEqual([expect.stringMatching(/^docs\/bad\.md:3: /)]);
  }, 120_000);
});

// ---- Runnable blocks ------------------------------------------------------------------------

/** The package's entries, as the sources they resolve to in this repository. */
const ENTRIES: Record<string, string> = {
  'brython-websocket': 'src/index.ts',
  'brython-websocket/resilience': 'src/resilience.ts',
  'brython-websocket/webSocket': 'src/rxjs-compat.ts',
  'brython-websocket/streams': 'src/streams.ts',
  'brython-websocket/testing': 'src/testing/index.ts',
};

const RUN_DIR = join(ROOT, 'spec', '.docs-code', `run-${process.pid}`);
afterAll(() => rmSync(RUN_DIR, { recursive: true, force: true }));

/** Writes the block as a module whose imports of the package point at its sources. */
function runnableModule(block: DocBlock): string {
  const path = join(RUN_DIR, `${moduleName(block)}.ts`);
  const code = block.code.replace(/from '(brython-websocket[^']*)'/g, (whole, entry: string) => {
    const source = ENTRIES[entry];
    if (source === undefined) return whole;
    return `from '${relative(dirname(path), join(ROOT, source)).replace(/\.ts$/, '.js')}'`;
  });
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(path, code);
  return path;
}

const runnable = docBlocks().filter((block) => block.mark === 'runnable');

describe('the runnable blocks', () => {
  it('are there: the marble examples of docs/resilience.md and docs/testing.md, and the FakeWebSocket one', () => {
    expect(runnable.map((block) => block.file).sort()).toEqual([
      'docs/resilience.md',
      'docs/testing.md',
      'docs/testing.md',
      'docs/testing.md',
    ]);
  });
});

for (const block of runnable) {
  const path = runnableModule(block);
  if (/^it\(/m.test(block.code)) {
    // Its tests register here, under this name, as the module loads.
    describe(`${block.file}, the block at line ${block.line}`, async () => {
      await import(path);
    });
  } else {
    it(`${block.file}, the block at line ${block.line}, runs without throwing`, async () => {
      await import(path);
    });
  }
}

// ---- Links ----------------------------------------------------------------------------------

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(text: string): Set<string> {
  const withoutCode = text.replace(/```[\s\S]*?```/g, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]!)));
}

describe('the links of the README and docs/', () => {
  it('anchorOf makes the anchors GitHub makes', () => {
    expect(anchorOf('Migrating from `rxjs/webSocket`')).toBe('migrating-from-rxjswebsocket');
    expect(anchorOf('`WebSocket(url, protocols=None, options=None, **options)`')).toBe(
      'websocketurl-protocolsnone-optionsnone-options',
    );
    expect(anchorOf("The example from Brython's documentation")).toBe('the-example-from-brythons-documentation');
  });

  it('lead to files that exist, and to headings that exist', () => {
    const broken: string[] = [];
    for (const file of docFiles()) {
      const text = readDoc(file).replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue; // https:, mailto:
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const resolved = path === '' ? join(ROOT, file) : join(ROOT, dirname(file), path);
        if (!existsSync(resolved)) {
          broken.push(`${file}: ${target}`);
          continue;
        }
        if (
          anchor !== undefined &&
          resolved.endsWith('.md') &&
          !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)
        ) {
          broken.push(`${file}: ${target}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
