// Runs the Node pipeline demo (demo.ts): a local tick feed that drops the connection once, cut
// into windows of 50 ms, each printed as it closes, then the totals.
//
//   npm run build && node examples/node-pipeline/run.mjs
//
// Node 20 cannot run TypeScript: ts-hooks.mjs compiles the example's .ts files with esbuild as
// they load. `brython-websocket` and `brython-websocket/resilience` resolve through this
// package's own package.json "exports" to its build in dist/, as they would for a user who
// installed the package.

import { existsSync } from 'node:fs';
import { register } from 'node:module';

if (!['index.js', 'resilience.js'].every((file) => existsSync(new URL(`../../dist/${file}`, import.meta.url)))) {
  console.error('run.mjs: dist/ is missing: run `npm run build` first');
  process.exit(1);
}
register('./ts-hooks.mjs', import.meta.url);
const { main } = await import('./demo.ts');
try {
  await main();
} catch (error) {
  console.error(`run.mjs: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
