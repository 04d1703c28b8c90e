import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts', 'examples/**/*.spec.ts'],
    globalSetup: ['spec/global-setup.ts'],
    typecheck: {
      enabled: true,
      include: ['spec/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
