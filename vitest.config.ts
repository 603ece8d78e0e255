import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: keep parallel forks modest so timing-sensitive e2e tests stay stable.
    pool: 'forks',
    maxWorkers: 2,
  },
});
