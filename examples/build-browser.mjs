// Bundles the browser example (examples/browser-echo/main.ts) into
// examples/browser-echo/bundle.js: one classic script (an IIFE), rxjs included, because
// rxjs's ESM build cannot be loaded in a browser through an import map.
//
//   node examples/build-browser.mjs     (after `npm run build`, which writes dist/)
//
// `brython-websocket` resolves to this package's own ESM build, dist/index.js, as it would
// for a user who installed the package; its subpaths (`brython-websocket/resilience`,
// `/webSocket`, `/testing`) to dist/resilience.js, dist/webSocket.js, dist/testing/index.js.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGE_ESM = resolve(ROOT, 'dist/index.js');
const ENTRY = resolve(ROOT, 'examples/browser-echo/main.ts');
const OUTFILE = resolve(ROOT, 'examples/browser-echo/bundle.js');

/** The ESM file of each entry of package.json's "exports", by import specifier. */
const ENTRIES = {
  'brython-websocket': PACKAGE_ESM,
  'brython-websocket/resilience': resolve(ROOT, 'dist/resilience.js'),
  'brython-websocket/webSocket': resolve(ROOT, 'dist/webSocket.js'),
  'brython-websocket/testing': resolve(ROOT, 'dist/testing/index.js'),
};

/** @type {import('esbuild').Plugin} */
const selfReference = {
  name: 'brython-websocket-self-reference',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^brython-websocket(\/.*)?$/ }, (args) => {
      const path = ENTRIES[args.path];
      if (path === undefined) return { errors: [{ text: `${args.path} is not an entry of brython-websocket` }] };
      return { path };
    });
  },
};

/**
 * Builds the bundle and returns its absolute path.
 * @returns {Promise<string>}
 */
export async function buildBrowserEcho() {
  if (!existsSync(PACKAGE_ESM)) {
    throw new Error(`${PACKAGE_ESM} is missing: run \`npm run build\` first, then build the browser example`);
  }
  await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: OUTFILE,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    plugins: [selfReference],
    logLevel: 'silent',
  });
  return OUTFILE;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(`built ${await buildBrowserEcho()}`);
  } catch (error) {
    console.error(`build-browser: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
