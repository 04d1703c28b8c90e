/**
 * Bundle-size figures, measured with esbuild's JS API (bundle, minify, ESM, browser platform
 * with esbuild's default resolution) and zlib's gzip at level 9, from the BUILT package
 * (`dist/index.js`, what a consumer gets):
 *
 * - `mainEntry`: the whole main entry, rxjs external;
 * - `webSocketApp`: an app importing only `{ WebSocket }` from this package, rxjs bundled;
 * - `rxjsWebSocketApp`: the same app on `rxjs/webSocket`, for comparison;
 * - `resilientApp`: the `{ WebSocket }` app with the three features of `brython-websocket/resilience`.
 *
 * Shared by `npm run bench` and `spec/size.spec.ts` (the budget test). Run it alone,
 * `node spec/bench/size.mjs`, to print the README rows that the test keeps in step.
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The budgets, in bytes of min+gzip, with the WebSocket interface (`addEventListener`, `on*`,
 * `dispatchEvent`) in the main entry. `npm run bench` marks each pass or miss.
 */
export const BUDGETS = { mainEntry: 6.5 * 1024, webSocketApp: 9 * 1024 };

/**
 * The ceilings `npm test` holds the package to. The `{ WebSocket }` app meets its budget: its
 * ceiling is the budget. The main entry is over its budget (docs/performance.md, known limits,
 * says why): its ceiling is its size, 6.7 KiB, plus 0.1 KiB. A change that makes the bundles
 * grow past them fails the tests.
 */
export const CEILINGS = { mainEntry: 6.8 * 1024, webSocketApp: BUDGETS.webSocketApp };

/** The first cell of each README row that states a figure (`| <label> | 3.2 KiB |`). */
export const README_LABELS = {
  mainEntry: 'main entry, min+gzip, rxjs external',
  webSocketApp: 'app importing only `{ WebSocket }`, rxjs bundled, min+gzip',
  rxjsWebSocketApp: 'the same app on `rxjs/webSocket`, min+gzip',
  resilientApp: 'the `{ WebSocket }` app with `reconnect()`, `heartbeat()` and `connectTimeout()`, min+gzip',
};

export const APPS = {
  mainEntry: "export * from './dist/index.js';",
  webSocketApp:
    "import { WebSocket } from './dist/index.js';\n" +
    "WebSocket('ws://localhost:8080').bind('message', (e) => console.log(e.data));\n",
  rxjsWebSocketApp:
    "import { webSocket } from 'rxjs/webSocket';\n" +
    "webSocket('ws://localhost:8080').subscribe((m) => console.log(m));\n",
  resilientApp:
    "import { WebSocket } from './dist/index.js';\n" +
    "import { connectTimeout, heartbeat, reconnect } from './dist/resilience.js';\n" +
    "WebSocket('ws://localhost:8080', { reconnect: reconnect(), heartbeat: heartbeat({ interval: 15000 }), connectTimeout: connectTimeout(5000) })" +
    ".bind('message', (e) => console.log(e.data));\n",
};

/** Bundles `contents` (resolved from the package root); returns the minified code and its gzip size. */
export async function bundle(contents, { rxjsExternal }) {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js', sourcefile: 'app.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    external: rxjsExternal ? ['rxjs', 'rxjs/*'] : [],
  });
  const code = result.outputFiles[0].text;
  return { code, gzip: gzipSync(code, { level: 9 }).length };
}

/** The three figures, in bytes of min+gzip. */
export async function measureSizes() {
  const [mainEntry, webSocketApp, rxjsWebSocketApp, resilientApp] = await Promise.all([
    bundle(APPS.mainEntry, { rxjsExternal: true }),
    bundle(APPS.webSocketApp, { rxjsExternal: false }),
    bundle(APPS.rxjsWebSocketApp, { rxjsExternal: false }),
    bundle(APPS.resilientApp, { rxjsExternal: false }),
  ]);
  return {
    mainEntry: mainEntry.gzip,
    webSocketApp: webSocketApp.gzip,
    rxjsWebSocketApp: rxjsWebSocketApp.gzip,
    resilientApp: resilientApp.gzip,
  };
}

/** Bytes as KiB with one decimal, the way the README states them. */
export function kib(bytes) {
  return (bytes / 1024).toFixed(1);
}

/** The README rows for measured sizes, ready to paste into the Performance section's table. */
export function readmeRows(sizes) {
  return Object.keys(README_LABELS).map((key) => `| ${README_LABELS[key]} | ${kib(sizes[key])} KiB |`);
}

/** The figure (KiB) a README states in the row labelled `label`, or undefined. */
export function readmeFigure(readme, label) {
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length >= 4 && cells[1] === label) {
      const m = /^(\d+(?:\.\d+)?) KiB$/.exec(cells[2]);
      return m === null ? undefined : Number(m[1]);
    }
  }
  return undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of readmeRows(await measureSizes())) console.log(row);
}
