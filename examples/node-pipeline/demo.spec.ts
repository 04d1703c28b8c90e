/**
 * The runnable demo, as a user runs it: `node examples/node-pipeline/run.mjs` in a child
 * process (Node's own module resolution, the built package, the TypeScript hooks).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from '../../spec/helpers/run-node.js';

const RUN = fileURLToPath(new URL('./run.mjs', import.meta.url));

describe('node examples/node-pipeline/run.mjs', () => {
  it('prints the windows of a feed that drops once, reconnects, ends with 1000, then exact totals, and exits 0', async () => {
    const run = await runNode([RUN]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^feed ws:\/\/127\.0\.0\.1:\d+\/ticks, windows of 50 ms$/);
    // The connection's life, in order, among the window lines.
    expect(lines.filter((line) => line.startsWith('--'))).toEqual([
      '-- connected',
      '-- connection closed: 1006 (reconnecting)',
      '-- connected',
      '-- connection closed: 1000 end of feed (closed)',
    ]);
    // Every tick of both connections is in exactly one window (how they split depends on timing).
    const windowLines = lines.filter((line) => line.startsWith('['));
    const counted = windowLines.flatMap((line) => [...line.matchAll(/ n=(\d+)/g)].map((m) => Number(m[1])));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(24);
    expect(lines.at(-1)).toBe(
      'totals  AAPL n=8 vol=22 min=100.00 max=101.50 vwap=100.77 | MSFT n=8 vol=25 min=300.00 max=301.50 vwap=300.76 | ' +
        'NVDA n=8 vol=23 min=900.00 max=901.50 vwap=900.83',
    );
  });
});
