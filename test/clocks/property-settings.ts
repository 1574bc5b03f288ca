/**
 * Shared fast-check settings for the clock and CRDT property tests. A fixed seed makes every
 * run reproducible; when a property fails, fast-check prints the seed and the shrunk
 * counterexample's path, so `fc.assert(..., { seed, path })` replays it exactly.
 */
import type { Parameters } from 'fast-check';

export const PROPERTY_SEED = 41_2011;

/** Options for one fc.assert: the fixed seed and a modest number of runs (at most 200). */
export function propertyRuns(numRuns = 100): Parameters<unknown> {
  if (numRuns > 200) throw new Error(`numRuns must be at most 200 to keep the suite fast; got ${numRuns}`);
  return { seed: PROPERTY_SEED, numRuns };
}
