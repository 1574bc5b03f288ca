import { describe, expect, it } from 'vitest';
import { checkpointIntervalExperiment, crashAtRandomPoints, standbyExperiment } from '../../../lib/lessons/05-banking-acid';

describe('core-banking ledger scenarios', () => {
  it('crash the ledger ten times under load: every recovery keeps every acknowledged transfer and the total', () => {
    const rows = crashAtRandomPoints({ seed: 5, crashes: 10, runMs: 4000 });
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      expect(row.acknowledgedMissing, `crash ${row.crash}`).toBe(0);
      expect(row.totalPaise).toBe(row.expectedTotalPaise);
      expect(row.invariantsHold).toBe(true);
    }
    expect(rows.some((r) => r.walTail !== 'clean')).toBe(true);
  });

  it('checkpointing more often shortens recovery and shrinks the WAL, at the price of more image writes', () => {
    const rows = checkpointIntervalExperiment({ seed: 2, intervalsMs: [null, 1000, 250], crashAtMs: 2500 });
    const [never, second, quarter] = rows;
    expect(never.checkpoints).toBe(0);
    expect(second.framesReplayed).toBeLessThan(never.framesReplayed);
    expect(quarter.framesReplayed).toBeLessThan(second.framesReplayed);
    expect(quarter.recoveryMs).toBeLessThan(never.recoveryMs);
    expect(quarter.walSizeKbAtCrash).toBeLessThan(never.walSizeKbAtCrash);
    expect(quarter.checkpointRowsWritten).toBeGreaterThan(second.checkpointRowsWritten);
  });

  it('cut the standby link, lose the primary, promote: async loses acknowledged transfers, sync loses none', () => {
    const asyncRun = standbyExperiment({ seed: 5, replication: 'async' });
    const syncRun = standbyExperiment({ seed: 5, replication: 'sync' });
    expect(asyncRun.lostAcknowledged).toBeGreaterThan(0);
    expect(asyncRun.invariantsOnPromoted.violations.join('\n')).toMatch(/acknowledged transfer .* is missing/);
    expect(syncRun.lostAcknowledged).toBe(0);
    expect(syncRun.invariantsOnPromoted.ok).toBe(true);
    // Money is conserved on the promoted standby either way: it lost whole transfers, never halves.
    expect(asyncRun.invariantsOnPromoted.totalPaise).toBe(asyncRun.invariantsOnPromoted.expectedTotalPaise);
    expect(syncRun.transfersAfterPromotion).toBeGreaterThan(0);
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    expect(median(syncRun.commitLatencyMs)).toBeGreaterThan(median(asyncRun.commitLatencyMs) + 20);
  });
});
