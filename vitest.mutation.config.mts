// The vitest configuration Stryker's test runner uses: only the test files named in
// MUTATION_TESTS (comma-separated, set by scripts/mutation.ts from scripts/mutation-modules.json).
import { defineConfig } from 'vitest/config';

const files = (process.env.MUTATION_TESTS ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
if (files.length === 0) throw new Error('vitest.mutation.config.mts: MUTATION_TESTS is empty; run it through `npm run test:mutation -- MODULE`');

export default defineConfig({
  test: {
    include: files,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
