import { describe, expect, it } from 'vitest';
import { runLedgerFaultSchedule } from '../../../lib/storage/banking';

const SEEDS = 500;

describe('ledger seed sweep: random crashes (with torn WAL writes), partitions and slow disks', () => {
  it(`${SEEDS} schedules: money conserved, acknowledged transfers survive every recovery, nothing uncommitted does`, () => {
    const failures: string[] = [];
    let recoveries = 0;
    let tailCuts = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const result = runLedgerFaultSchedule(seed);
      recoveries += result.recoveries;
      tailCuts += result.tailCuts;
      if (result.violations.length > 0) failures.push(`seed ${seed}: ${result.violations.slice(0, 3).join(' | ')} (replay: runLedgerFaultSchedule(${seed}))`);
    }
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    // The sweep must really exercise recovery, torn tails included.
    expect(recoveries).toBeGreaterThan(SEEDS);
    expect(tailCuts).toBeGreaterThan(SEEDS / 10);
  }, 120_000);
});
