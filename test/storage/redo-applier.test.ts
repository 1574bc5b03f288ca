import { describe, expect, it } from 'vitest';
import { RedoApplier } from '../../lib/storage';
import type { DbWalRecord, JsonValue } from '../../lib/storage';

function replay(records: DbWalRecord[], imageLsn = 0) {
  const applied: Array<{ txId: number; writes: Array<[string, JsonValue | null]> }> = [];
  const outcomes: Array<[string, string]> = [];
  const applier = new RedoApplier(
    {
      applyCommitted: (txId, writes) => applied.push({ txId, writes: [...writes] }),
      noteGidOutcome: (gid, outcome) => outcomes.push([gid, outcome]),
    },
    imageLsn,
  );
  records.forEach((payload, i) => applier.apply({ lsn: i + 1, payload, durableAtMs: NaN }));
  return { applier, applied, outcomes };
}

describe('redo', () => {
  it('applies a transaction at its commit record, in log order, and never before', () => {
    const { applied, applier } = replay([
      { t: 'w', tx: 1, k: 'a', v: 1 },
      { t: 'w', tx: 2, k: 'b', v: 2 },
      { t: 'w', tx: 1, k: 'a', v: 10 },
      { t: 'c', tx: 2 },
      { t: 'c', tx: 1 },
    ]);
    expect(applied).toEqual([
      { txId: 2, writes: [['b', 2]] },
      { txId: 1, writes: [['a', 10]] },
    ]);
    expect(applier.unfinished.size).toBe(0);
  });

  it('leaves writes without a commit record unfinished, and forgets aborted ones', () => {
    const { applied, applier } = replay([
      { t: 'w', tx: 1, k: 'a', v: 1 },
      { t: 'w', tx: 2, k: 'b', v: 2 },
      { t: 'a', tx: 2 },
    ]);
    expect(applied).toEqual([]);
    expect([...applier.unfinished.keys()]).toEqual([1]);
    expect(applier.oldestUnfinishedLsn()).toBe(1);
  });

  it('skips commits the checkpoint image already holds, but still learns their 2PC outcome', () => {
    const { applied, outcomes, applier } = replay(
      [
        { t: 'w', tx: 1, k: 'a', v: 1 },
        { t: 'p', tx: 1, gid: 'g1', meta: { coordinator: 'c' } },
        { t: 'c', tx: 1 },
        { t: 'w', tx: 2, k: 'b', v: 2 },
        { t: 'p', tx: 2, gid: 'g2' },
      ],
      3,
    );
    expect(applied).toEqual([]);
    expect(outcomes).toEqual([['g1', 'committed']]);
    expect(applier.counters.commitsInImage).toBe(1);
    const inDoubt = applier.unfinished.get(2);
    expect(inDoubt?.gid).toBe('g2');
  });

  it('refuses to move backwards', () => {
    const applier = new RedoApplier({ applyCommitted: () => undefined, noteGidOutcome: () => undefined }, 0);
    applier.apply({ lsn: 5, payload: { t: 'c', tx: 1 }, durableAtMs: NaN });
    expect(() => applier.apply({ lsn: 5, payload: { t: 'c', tx: 2 }, durableAtMs: NaN })).toThrow(/replay must move forward/);
  });
});
