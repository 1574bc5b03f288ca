// Proves the experiments of notebook 08 say what the notebook says they say: on a small sweep the
// dual write fails the checker in both orders (loss; rolled-back changes published), the outbox and
// CDC with idempotent consumers never do while naive consumers apply duplicates; snapshots cut the
// events replayed without changing the balance; optimistic appends stop the double withdrawal; and
// the upcast history rebuilds the running balance.
import { describe, expect, it } from 'vitest';
import { SEED, captureSweep, doubleWithdrawal, dualWriteSweep, snapshotReplay, upcastDemo } from '../../lib/lessons/08-data-synchronisation';

describe('lesson 08 experiments', () => {
  it('dual writes fail in both orders on the same schedules the outbox and CDC pass', () => {
    const dual = dualWriteSweep(12);
    const [cp, pc] = dual.rows;
    expect(cp.seedsFailing).toBeGreaterThan(6);
    expect(cp.lost).toBeGreaterThan(0);
    expect(pc.rolledBackPublished).toBeGreaterThan(0);
    expect(dual.example?.firstViolation).toMatch(/never applied downstream/);
    const fixes = captureSweep(12);
    for (const row of fixes) {
      expect(row.lost + row.rolledBack).toBe(0);
      if (row.consumer === 'idempotent') {
        expect(row.seedsFailing).toBe(0);
        expect(row.effectsApplied).toBe(row.committedChanges);
      } else {
        expect(row.duplicateEffects).toBeGreaterThan(0);
      }
      expect(row.delivered).toBeGreaterThan(row.committedChanges);
    }
  });

  it('snapshots cut replay to the tail and rebuild the same balance', () => {
    const rows = snapshotReplay(SEED);
    const [none, every100, every1000] = rows;
    expect(none.eventsReplayed).toBe(none.eventsInStream);
    expect(every100.eventsReplayed).toBeLessThan(every1000.eventsReplayed);
    expect(every1000.eventsReplayed).toBeLessThan(none.eventsReplayed / 10);
    expect(new Set(rows.map((r) => r.balanceRupees)).size).toBe(1);
  });

  it('optimistic appends stop the double withdrawal; the upcast history rebuilds the running balance', () => {
    const [blind, checked] = doubleWithdrawal();
    expect(blind.finalBalanceRupees).toBeLessThan(0);
    expect(checked.secondWithdrawal).toBe('insufficient-funds');
    const up = upcastDemo(SEED);
    expect(up.withoutUpcaster).toMatch(/read it through the upcasters/);
    expect(up.balanceRupees).toBe(up.runningBalanceRupees);
  });
});
