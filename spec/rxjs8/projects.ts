/**
 * The RxJS 8 runs: the `node` and `browser` projects again, with every `rxjs` and `rxjs/...`
 * import (in src/, spec/ and examples/) resolved to the `rxjs8` devDependency, an npm alias of
 * `rxjs@8.0.0-alpha.14`. Derived from the RxJS 7 projects, so that a spec added there runs here too.
 */
import type { TestProjectConfiguration } from 'vitest/config';

/**
 * `rxjs` -> `rxjs8`, `rxjs/testing` -> `rxjs8/testing`, and so on (never `rxjsfoo`), except
 * `rxjs/webSocket`: the specs compare this package's `webSocket()` with RxJS 7.8's, the version
 * users migrate from, on both majors; they import RxJS 8's as `rxjs8/webSocket`.
 */
export const RXJS8_ALIAS = [{ find: /^rxjs(?=$|\/(?!webSocket$))/, replacement: 'rxjs8' }];

/**
 * Left out of the RxJS 8 runs, with the reason:
 * - the Angular example: Angular 21 and 22 accept only `rxjs ^6.5.3 || ^7.4.0`, and `@angular/core`
 *   (loaded from node_modules, outside the alias) would bring RxJS 7 beside RxJS 8;
 * - specs that only check what is the same on every RxJS (the build's files, the package's
 *   metadata, the bundle sizes measured with RxJS 7 bundled, docs/performance.md's figures).
 * - specs that run only in child processes loading dist/ or the examples: those resolve `rxjs`
 *   from node_modules, that is RxJS 7, so here they would only run the RxJS 7 case again (the
 *   soak alone takes over a minute). dist/ on RxJS 8 is checked by `.ci/rxjs-majors.sh`: the
 *   packed package installed beside each major, every entry run in ESM and CJS.
 * The specs that mix both (index, package, errors, bindings, support, security) run here: their
 * in-process tests on RxJS 8, their child processes on RxJS 7.
 */
export const RXJS8_EXCLUDE = [
  'examples/angular-app/**',
  // the runtimes' conformance suite and the Brython pages run the built package in child
  // processes and pages, with RxJS 7 resolved from node_modules or bundled into dist/brython.js
  'spec/runtimes/**',
  'examples/brython/**',
  'spec/size.spec.ts',
  'spec/readme.spec.ts',
  // what npm packs, and tsc's messages in a child process on the project's RxJS 7 types
  'spec/pack.spec.ts',
  'spec/overload-errors.spec.ts',
  'spec/integration/soak.spec.ts',
  'spec/integration/node-global.spec.ts',
  'examples/demo.spec.ts',
  'examples/node-pipeline/demo.spec.ts',
  // builds the page with esbuild, which bundles rxjs from node_modules (RxJS 7) whatever the alias
  'examples/browser-echo/e2e.spec.ts',
];

type Test = NonNullable<Extract<TestProjectConfiguration, { test?: unknown }>['test']>;

/** `project`, named `name`, on RxJS 8. */
export function onRxjs8(project: TestProjectConfiguration, name: string): TestProjectConfiguration {
  if (typeof project !== 'object' || !('test' in project)) {
    throw new Error('onRxjs8() takes an inline project configuration');
  }
  const test = project.test as Test;
  const optimize = (project as { optimizeDeps?: { include?: string[] } }).optimizeDeps;
  return {
    ...project,
    resolve: { ...(project as { resolve?: object }).resolve, alias: RXJS8_ALIAS },
    ...(optimize?.include === undefined
      ? {}
      : {
          optimizeDeps: {
            ...optimize,
            include: optimize.include.map((id) => id.replace(RXJS8_ALIAS[0]!.find, RXJS8_ALIAS[0]!.replacement)),
          },
        }),
    test: {
      ...test,
      name,
      include: [...(test.include ?? []), 'spec/rxjs8/*.spec.ts'],
      exclude: [...(test.exclude ?? []), ...RXJS8_EXCLUDE],
      // What spec/rxjs8/major.spec.ts checks the loaded RxJS against.
      provide: { ...test.provide, rxjsMajor: 8 },
      // A browser project names its projects after its instances: each needs a name of its own.
      ...(test.browser?.instances === undefined
        ? {}
        : {
            browser: {
              ...test.browser,
              instances: test.browser.instances.map((each) => ({ ...each, name: `${name} (${each.browser})` })),
            },
          }),
      // tsc does not see the alias: the types are checked on RxJS 8 by tsconfig.rxjs8.json.
      typecheck: { ...test.typecheck, enabled: false },
    },
  };
}
