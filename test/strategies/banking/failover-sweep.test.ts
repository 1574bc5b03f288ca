import { describe, expect, it } from 'vitest';
import { runFailoverSchedule } from './failover-run';
import { seedRange, sweepSeeds } from '../../seed-sweep';

const SEEDS = 500;

describe('failover seed sweep: synchronous standby, random faults, the primary lost at a random moment', () => {
  it(`${SEEDS} schedules: the promoted standby has every acknowledged transfer and conserves money`, () => {
    const failures: string[] = [];
    let acknowledged = 0;
    failures.push(...sweepSeeds({
      seeds: seedRange(1, SEEDS),
      run: (seed) => {
        const result = runFailoverSchedule(seed);
        acknowledged += result.acknowledged;
        return result.violations.map((v) => `standby in ${result.standbyRegion}: ${v}`);
      },
      replay: (seed) => `runFailoverSchedule(${seed})`,
      failuresMax: Infinity,
    }));
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    expect(acknowledged).toBeGreaterThan(SEEDS * 50);
  }, 120_000);
});
