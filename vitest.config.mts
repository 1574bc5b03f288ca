import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Stryker's sandboxes and reports (npm run test:mutation) are never part of npm test.
    exclude: ['**/node_modules/**', '.stryker-tmp/**', 'reports/**'],
    // Notebook execution and the browser test start real processes; give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
