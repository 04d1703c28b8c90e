// Lint: typescript-eslint's strictest type-aware presets (strictTypeChecked and
// stylisticTypeChecked) over src, spec and examples, with zero warnings allowed
// (`npm run lint`, run by .ci/run). TypeScript files are linted with the type information of
// the tsconfig that includes them; plain .mjs/.cjs scripts get the same rules minus the ones
// that need types. Every departure from the presets is listed below with its reason.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // What .gitignore lists as build output (the demo's bundle is built by `npm run demo` and the tests).
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.angular/**',
      'docs/api/**',
      'coverage/**',
      'examples/browser-echo/bundle.js',
      '.scratch/**',
      'spec/.docs-code/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `() => socket.close()` as a callback, and `return this.finish()` in a function that
      // itself returns void, return nothing useful either way; the rule's own options for these
      // two keep it on for every other void expression.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      // `socket['_native']` is TypeScript's checked way to reach a private member from the module
      // next door (src/flow.ts); the dot form would not compile. (The rule's own check for
      // private members misses `declare private`, as Prettier orders the modifiers: hence the
      // pattern, the internal members' `_` prefix.)
      '@typescript-eslint/dot-notation': ['error', { allowPrivateClassPropertyAccess: true, allowPattern: '^_' }],
      // Numbers in messages and log lines are formatted by the template itself; objects,
      // nullish values and unions with them are still refused.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // Browser code: the page scripts, the Chromium specs and the Angular app.
    files: ['examples/browser-echo/**', 'examples/brython/**', 'examples/angular-app/src/**', 'spec/browser/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests index arrays the test itself just filled (noUncheckedIndexedAccess types them as
    // possibly undefined): a wrong `!` there fails the test with a TypeError, which is what a
    // test should do. The library and the examples keep the rule.
    files: ['spec/**', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // A CommonJS file's module system is require().
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
