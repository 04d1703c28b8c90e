import { playwright } from '@vitest/browser-playwright';
import { configDefaults, defineConfig, type TestProjectConfiguration } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH, MISSING_CHROMIUM_NOTICE, RUN_BROWSER_TESTS } from './spec/browser/chromium.js';
import { onRxjs8 } from './spec/rxjs8/projects.js';

// Two projects. `node`: every spec and example, in Node. `browser`: spec/browser/ (the core on
// Chromium's own WebSocket) and the unit specs that need no Node API, in Debian's Chromium.
// Without Chromium, the browser project and the seed page's end-to-end spec are left out with
// a notice, unless CI is set: then they stay in, and fail (see spec/browser/chromium.ts).
if (MISSING_CHROMIUM_NOTICE !== undefined) console.warn(`\n${MISSING_CHROMIUM_NOTICE}\n`);

const E2E = ['examples/browser-echo/e2e.spec.ts', 'examples/brython/*.spec.ts'];

const node: TestProjectConfiguration = {
  test: {
    name: 'node',
    include: ['spec/**/*.spec.ts', 'examples/**/*.spec.ts'],
    exclude: [...configDefaults.exclude, 'spec/browser/**', ...(RUN_BROWSER_TESTS ? [] : E2E)],
    globalSetup: ['spec/global-setup.ts'],
    typecheck: {
      enabled: true,
      include: ['spec/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
};

const browser: TestProjectConfiguration = {
  test: {
    name: 'browser',
    include: [
      'spec/browser/**/*.spec.ts',
      // The unit specs that import no node: module, use no Buffer and start no process run
      // here too, on Chromium's globals. Left out: bindings, errors, index, support, package
      // (child processes, node:fs, node:vm) and codec (one test builds its data with Buffer).
      'spec/events.spec.ts',
      'spec/outbox.spec.ts',
      'spec/options.spec.ts',
      'spec/websocket.spec.ts',
      'spec/messages.spec.ts',
    ],
    globalSetup: ['spec/browser/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] } }),
      instances: [{ browser: 'chromium' }],
    },
  },
  // Cross-origin isolation, so that SharedArrayBuffer exists in the page as in an isolated
  // app: websocket.spec.ts checks that send() refuses one.
  server: {
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
  // Pre-bundled up front, so that Vite never reloads the page mid-run to optimise them.
  optimizeDeps: { include: ['rxjs', 'rxjs/testing', 'mock-socket', 'graphql-ws'] },
};

export default defineConfig({
  test: {
    projects: [
      ...(RUN_BROWSER_TESTS ? [node, browser] : [node]),
      // The same specs again on RxJS 8 (spec/rxjs8/projects.ts says what is left out, and why).
      onRxjs8(node, 'node-rxjs8'),
      ...(RUN_BROWSER_TESTS ? [onRxjs8(browser, 'browser-rxjs8')] : []),
    ],
  },
});
