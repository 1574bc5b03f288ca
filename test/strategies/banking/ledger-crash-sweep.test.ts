import { describe, expect, it } from 'vitest';
import { runLedgerFaultSchedule } from './ledger-fault-run';
import { seedRange, sweepSeeds } from '../../seed-sweep';

const SEEDS = 500;

describe('ledger seed sweep: random crashes (with torn WAL writes), partitions and slow disks', () => {
  it(`${SEEDS} schedules: money conserved, acknowledged transfers survive every recovery, nothing uncommitted does`, () => {
    const failures: string[] = [];
    let recoveries = 0;
    let tailCuts = 0;
    failures.push(...sweepSeeds({
      seeds: seedRange(1, SEEDS),
      run: (seed) => {
        const result = runLedgerFaultSchedule(seed);
        recoveries += result.recoveries;
        tailCuts += result.tailCuts;
        return result.violations;
      },
      replay: (seed) => `runLedgerFaultSchedule(${seed})`,
      failuresMax: Infinity,
    }));
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    // The sweep must really exercise recovery, torn tails included.
    expect(recoveries).toBeGreaterThan(SEEDS);
    expect(tailCuts).toBeGreaterThan(SEEDS / 10);
  }, 120_000);
});
