/**
 * The ```ts code blocks of the README and of docs/*.md, with their marks.
 *
 * A block is type-checked as a module of its own unless an HTML comment right above it marks it
 * as a fragment (`<!-- fragment: why -->`), for an excerpt that uses names defined elsewhere.
 * `<!-- runnable -->` above a block makes spec/docs-code.spec.ts run it as well.
 * `<!-- given: declarations -->` above a block: what the listing leaves to the reader (`ws`, a
 * `saveToDatabase` of yours), declared for the type check, which then checks the listing itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type BlockMark = 'fragment' | 'runnable' | 'given' | undefined;

export interface DocBlock {
  /** The Markdown file, relative to the root: `README.md`, `docs/testing.md`. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly mark: BlockMark;
  /** Why a fragment is one (the text after `fragment:`); for `given`, the declarations. */
  readonly why: string;
  readonly code: string;
}

/** README.md and every docs/*.md, relative to the root. */
export function docFiles(): string[] {
  const docs = readdirSync(`${ROOT}docs`)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

export function readDoc(file: string): string {
  return readFileSync(`${ROOT}${file}`, 'utf8');
}

/** The ```ts blocks of one Markdown text, in order. */
export function tsBlocksOf(file: string, text: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const match of text.matchAll(
    /(?:<!--\s*(fragment|runnable|given)\b:?\s*([\s\S]*?)\s*-->\n[ \t]*)?```ts\n([\s\S]*?)```/g,
  )) {
    const line = text.slice(0, match.index + match[0].indexOf('```ts')).split('\n').length;
    blocks.push({ file, line, mark: match[1] as BlockMark, why: match[2] ?? '', code: match[3]! });
  }
  return blocks;
}

/** The ```ts blocks of the README and of every guide. */
export function docBlocks(): DocBlock[] {
  return docFiles().flatMap((file) => tsBlocksOf(file, readDoc(file)));
}
