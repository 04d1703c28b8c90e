import { defineConfig } from 'tsup';

export default defineConfig({
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
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['rxjs'],
  treeshake: true,
  // One copy of the core, shared by the entries (so `instanceof` holds across them), in
  // chunks next to them: ESM natively, CommonJS through tsup's own splitting.
  splitting: true,
});
