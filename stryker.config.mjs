// StrykerJS configuration for `npm run test:mutation -- MODULE` (scripts/mutation.ts fills in
// `mutate`, MUTATION_MODULE (the report's name) and MUTATION_TESTS, the module's own test files, from
// scripts/mutation-modules.json). Not part of `npm test`: a module takes minutes.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.mts', related: false },
  coverageAnalysis: 'perTest',
  // String literals are messages and labels: thousands of mutants that say nothing about safety.
  mutator: { excludedMutations: ['StringLiteral'] },
  // The machine's 2 cores are shared; one test-runner process at a time.
  concurrency: 1,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATION_MODULE ?? 'mutation'}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // The sandbox needs lib/, test/ and the configs; not notebooks, artifacts or reports.
  ignorePatterns: ['notebooks', 'artifacts', 'reports', 'examples', '.ci', '*.ipynb', 'docs'],
  thresholds: { high: 85, low: 70, break: null },
};
