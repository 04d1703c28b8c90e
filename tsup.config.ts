import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      resilience: 'src/resilience.ts',
      webSocket: 'src/rxjs-compat.ts',
      streams: 'src/streams.ts',
      'testing/index': 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // The Brython script below is built at the same time: not cleaned away.
    clean: ['!brython.js', '!brython.js.map'],
    target: 'es2022',
    platform: 'neutral',
    external: ['rxjs'],
    treeshake: true,
    // One copy of the core, shared by the entries (so `instanceof` holds across them), in
    // chunks next to them: ESM natively, CommonJS through tsup's own splitting.
    splitting: true,
    // Members named `_x` are internal (never part of the API): shortened in the build. Names
    // that code outside the package defines or calls keep their spelling: RxJS's `_subscribe`,
    // and the hooks of Node's streams (a subclass of Readable or Writable defines `_read`...).
    // `mangleQuoted` shortens `socket['_x']` too: the streams read the socket's private members
    // that way (src/flow.ts), which TypeScript checks.
    esbuildOptions(options) {
      options.mangleProps = /^_/;
      options.mangleQuoted = true;
      options.reserveProps = /^_(subscribe|trySubscribe|read|write|writev|final|destroy|construct|transform|flush)$/;
    },
  },
  // `brython-websocket/brython`: one classic script for Brython pages (no bundler there), rxjs
  // included, with the Python module's source as text. No types, no CommonJS.
  {
    entry: { brython: 'src/brython/index.ts' },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    dts: false,
    sourcemap: true,
    clean: false,
    minify: true,
    target: 'es2022',
    platform: 'browser',
    noExternal: ['rxjs'],
    treeshake: true,
    loader: { '.py': 'text' },
    define: { __VERSION__: JSON.stringify(version) },
  },
]);
