import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Notebook execution and the browser test start real processes; give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
