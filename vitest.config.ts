import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['app/**/*.test.ts', 'scripts/**/*.test.ts', 'server/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
