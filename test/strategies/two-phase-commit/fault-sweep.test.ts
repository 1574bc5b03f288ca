import { describe, expect, it } from 'vitest';
import { runTwoPhaseFaultSchedule } from './fault-run';
import { seedRange, sweepSeeds } from '../../seed-sweep';

const SEEDS = 500;

describe('2PC seed sweep: random coordinator/participant crashes (torn WAL writes) and partitions', () => {
  it(`${SEEDS} schedules: atomic everywhere, money conserved, acknowledged decisions survive a crash of every node, nothing uncommitted survives`, () => {
    const failures: string[] = [];
    let committed = 0;
    let aborted = 0;
    failures.push(...sweepSeeds({
      seeds: seedRange(1, SEEDS),
      run: (seed) => {
        const result = runTwoPhaseFaultSchedule(seed);
        committed += result.decidedCommit;
        aborted += result.decidedAbort;
        return result.violations;
      },
      replay: (seed) => `runTwoPhaseFaultSchedule(${seed})`,
      failuresMax: Infinity,
    }));
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    // Both outcomes must be common, or the sweep proves little.
    expect(committed).toBeGreaterThan(SEEDS * 5);
    expect(aborted).toBeGreaterThan(SEEDS);
  }, 120_000);
});
