import { describe, expect, it } from 'vitest';
import { runFailoverSchedule } from '../../../lib/storage/banking';

const SEEDS = 500;

describe('failover seed sweep: synchronous standby, random faults, the primary lost at a random moment', () => {
  it(`${SEEDS} schedules: the promoted standby has every acknowledged transfer and conserves money`, () => {
    const failures: string[] = [];
    let acknowledged = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const result = runFailoverSchedule(seed);
      acknowledged += result.acknowledged;
      if (result.violations.length > 0) failures.push(`seed ${seed} (standby in ${result.standbyRegion}): ${result.violations.slice(0, 3).join(' | ')} (replay: runFailoverSchedule(${seed}))`);
    }
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    expect(acknowledged).toBeGreaterThan(SEEDS * 50);
  }, 120_000);
});
