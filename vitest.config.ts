import { defineConfig } from 'vitest/config';

// Tests start real processes, servers, databases and a browser: give them time,
// and keep parallelism modest on 2-core machines.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
