// Test runner configuration: every *.test.ts beside the code it proves.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,sim,checkers,scenarios,reports,viz}/**/*.test.{ts,tsx}'],
    setupFiles: ['./vitest.setup.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
