/** The matrix of docs/runtimes.md: read back what matrixOf writes, and only from its own table. */
import { describe, expect, it } from 'vitest';
import { matrixOf, readMatrix, type Cell } from './matrix.js';
import { ROWS } from './runtimes.mjs';
import { SCENARIOS } from './scenarios.mjs';

describe('readMatrix / matrixOf', () => {
  it('reads back, cell by cell, the table matrixOf writes (✘ and unrun cells included)', () => {
    const results = new Map<string, Cell>([
      ['node22/refused', '✘'],
      ['deno/refused', '✔'],
      ['chromium/flow', '✔'],
    ]);
    const doc = `# Runtimes\n\nSome text | with a bar.\n\n${matrixOf(results)}\n\nAfter the table.\n`;
    const matrix = readMatrix(doc);
    expect([...matrix.keys()]).toEqual(SCENARIOS.map((s) => s.id));
    expect([...matrix.get('refused')!.keys()]).toEqual(ROWS.map((r) => r.id));
    expect([
      matrix.get('refused')!.get('node22'),
      matrix.get('refused')!.get('deno'),
      matrix.get('flow')!.get('chromium'),
    ]).toEqual(['✘', '✔', '✔']);
    expect(matrix.get('flow')!.get('bun')).toBe('-');
  });

  it('names an unknown scenario or runtime instead of dropping it', () => {
    const doc = ['| scenario | Node 22 | Node 99 |', '| --- | --- | --- |', '| a scenario nobody runs | ✔ | ✘ |'].join(
      '\n',
    );
    const matrix = readMatrix(doc);
    expect([...matrix.keys()]).toEqual(['? a scenario nobody runs']);
    expect(Object.fromEntries(matrix.get('? a scenario nobody runs')!)).toEqual({ node22: '✔', '? Node 99': '✘' });
  });

  it('is empty without a table whose first header is "scenario"', () => {
    expect(readMatrix('| runtime | Node 22 |\n| --- | --- |\n| x | ✔ |').size).toBe(0);
  });
});
