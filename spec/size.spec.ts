/**
 * The bundle sizes docs/performance.md states, on the built package (dist/, rebuilt by the global
 * setup when stale): esbuild bundles and minifies, zlib gzips at level 9. The sizes must stay
 * under `CEILINGS` (the budget of 9 KiB for the `{ WebSocket }` app; for the main entry, which
 * is over its budget of 6.5 KiB, its size plus 0.1 KiB); `npm run bench` prints them against `BUDGETS`.
 * `node spec/bench/size.mjs` prints the rows to paste into docs/performance.md (README_LABELS: the rows' labels).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APPS,
  BUDGETS,
  bundle,
  CEILINGS,
  kib,
  measureSizes,
  README_LABELS,
  readmeFigure,
  ROOT,
  type Sizes,
} from './bench/size.mjs';

let sizes: Sizes;

beforeAll(async () => {
  sizes = await measureSizes();
}, 60_000);

describe('how the figures are measured', () => {
  it('keeps rxjs out of the main-entry bundle and inside the app bundles', async () => {
    const main = await bundle(APPS.mainEntry, { rxjsExternal: true });
    const app = await bundle(APPS.webSocketApp, { rxjsExternal: false });
    const rx = await bundle(APPS.rxjsWebSocketApp, { rxjsExternal: false });
    expect(main.code).toMatch(/from\s*"rxjs"/);
    expect([app.code, rx.code].map((code) => /from\s*"rxjs/.test(code))).toEqual([false, false]);
    expect(main.gzip).toBe(sizes.mainEntry);
    expect(app.gzip).toBe(sizes.webSocketApp);
  });

  it('bundles a real rxjs: the rxjs/webSocket app weighs more than 3 KiB and less than 8 KiB', () => {
    expect(sizes.rxjsWebSocketApp).toBeGreaterThan(3 * 1024);
    expect(sizes.rxjsWebSocketApp).toBeLessThan(8 * 1024);
  });
});

describe("docs/performance.md's bundle sizes", () => {
  it('are read from the table row with the exact label, and only from it', () => {
    const text = [
      '| figure | value |',
      '| --- | --- |',
      `| ${README_LABELS.mainEntry} | 3.2 KiB |`,
      `| ${README_LABELS.mainEntry} (old) | 9.9 KiB |`,
      `| ${README_LABELS.webSocketApp} | about 5 KiB |`,
    ].join('\n');
    expect([
      readmeFigure(text, README_LABELS.mainEntry),
      readmeFigure(text, README_LABELS.webSocketApp),
      readmeFigure(text, README_LABELS.rxjsWebSocketApp),
    ]).toEqual([3.2, undefined, undefined]);
  });

  const readme = readFileSync(join(ROOT, 'docs', 'performance.md'), 'utf8');
  it.each(Object.keys(README_LABELS) as (keyof Sizes)[])(
    'state the %s figure within 0.1 KiB of the measured one',
    (key) => {
      const label = README_LABELS[key];
      const stated = readmeFigure(readme, label);
      const paste = `| ${label} | ${kib(sizes[key])} KiB |`;
      expect(stated, `docs/performance.md has no row "${paste}"`).toBeTypeOf('number');
      expect(
        Math.abs(stated! - sizes[key] / 1024),
        `docs/performance.md states ${stated} KiB; make the row "${paste}"`,
      ).toBeLessThanOrEqual(0.1);
    },
  );
});

describe('what an app that imports only { WebSocket } ships', () => {
  it('has budgets of 6.5 and 9 KiB; the { WebSocket } app is held to its budget, the main entry to at most 0.3 KiB over it', () => {
    expect([BUDGETS.mainEntry, BUDGETS.webSocketApp]).toEqual([6.5 * 1024, 9 * 1024]);
    expect(CEILINGS.webSocketApp).toBe(BUDGETS.webSocketApp);
    expect(CEILINGS.mainEntry - BUDGETS.mainEntry).toBeLessThanOrEqual(0.3 * 1024 + 0.5);
  });

  it.each(['mainEntry', 'webSocketApp'] as const)('%s stays under its ceiling', (key) => {
    expect(
      sizes[key],
      `${key} is ${kib(sizes[key])} KiB; the ceiling is ${kib(CEILINGS[key])} KiB`,
    ).toBeLessThanOrEqual(CEILINGS[key]);
  });

  it('leaves the socket out of an app that imports only json() or the errors (the class stays free of side effects)', async () => {
    for (const app of [
      "import { json } from './dist/index.js';\nconsole.log(json());\n",
      "import { isWebSocketError, WebSocketError } from './dist/index.js';\nconsole.log(isWebSocketError(new WebSocketError('ERR_WS_CLOSED', 'x')));\n",
    ]) {
      const { code } = await bundle(app, { rxjsExternal: true });
      expect(code).toMatch(/JSON|ERR_WS_CLOSED/);
      expect(code).not.toMatch(/cannot bind|addEventListener|onmessage/);
    }
  });

  it('has no timer and no scheduler: those come only with brython-websocket/resilience', async () => {
    const app = await bundle(APPS.webSocketApp, { rxjsExternal: false });
    // (rxjs's own unhandled-error reporting uses setTimeout; a scheduler's timer uses setInterval)
    expect(app.code).not.toMatch(/setInterval|AsyncAction/);
    const withResilience = await bundle(
      APPS.webSocketApp + "import { reconnect } from './dist/resilience.js';\nconsole.log(reconnect());\n",
      { rxjsExternal: false },
    );
    expect(withResilience.code).toMatch(/setInterval/);
  });

  it('has no webSocket() drop-in: it comes only with brython-websocket/webSocket', async () => {
    const main = await bundle(APPS.mainEntry, { rxjsExternal: true });
    expect(main.code).not.toMatch(/ObjectUnsubscribedError|WebSocketSubject/);
  });
});
