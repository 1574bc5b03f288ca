import { describe, expect, it } from 'vitest';
import { runTwoPhaseFaultSchedule } from '../../../lib/strategies/two-phase-commit';

const SEEDS = 500;

describe('2PC seed sweep: random coordinator/participant crashes (torn WAL writes) and partitions', () => {
  it(`${SEEDS} schedules: atomic everywhere, money conserved, acknowledged decisions survive a crash of every node, nothing uncommitted survives`, () => {
    const failures: string[] = [];
    let committed = 0;
    let aborted = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      let result;
      try {
        result = runTwoPhaseFaultSchedule(seed);
      } catch (error) {
        failures.push(`seed ${seed} threw: ${(error as Error).message} (replay: runTwoPhaseFaultSchedule(${seed}))`);
        continue;
      }
      committed += result.decidedCommit;
      aborted += result.decidedAbort;
      if (result.violations.length > 0) failures.push(`seed ${seed}: ${result.violations.slice(0, 3).join(' | ')} (replay: runTwoPhaseFaultSchedule(${seed}))`);
    }
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    // Both outcomes must be common, or the sweep proves little.
    expect(committed).toBeGreaterThan(SEEDS * 5);
    expect(aborted).toBeGreaterThan(SEEDS);
  }, 120_000);
});
