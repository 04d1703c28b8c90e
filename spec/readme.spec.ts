/**
 * The README's listing of the seed example is the real page's code, which
 * examples/browser-echo/e2e.spec.ts drives in Chromium: it cannot drift from what is tested.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

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
