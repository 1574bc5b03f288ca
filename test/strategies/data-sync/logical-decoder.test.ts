// Proves logical decoding of lib/storage's WAL emits only committed transactions, in commit order,
// with their boundaries and before-images — on hand-written logs and on the WAL of a real Database
// that crashed with a transaction in flight.
import { describe, expect, it } from 'vitest';
import { LogicalDecoder } from '../../../lib/strategies/data-sync';
import { singleNodeDatabase } from '../../../lib/storage';
import type { DbWalRecord, WalEntry } from '../../../lib/storage';

const log = (...records: DbWalRecord[]): Array<WalEntry<DbWalRecord>> => records.map((payload, i) => ({ lsn: i + 1, payload, durableAtMs: 0 }));

describe('LogicalDecoder', () => {
  it('buffers interleaved transactions and emits each at its commit record, in commit order', () => {
    const decoder = new LogicalDecoder(['accounts']);
    const out = decoder.decode(log(
      { t: 'w', tx: 1, k: 'accounts/a', v: 1 },
      { t: 'w', tx: 2, k: 'accounts/b', v: 10 },
      { t: 'w', tx: 1, k: 'accounts/c', v: 3 },
      { t: 'c', tx: 2 },
      { t: 'c', tx: 1 },
    ));
    expect(out.map((t) => [t.txId, t.commitLsn])).toEqual([[2, 4], [1, 5]]);
    expect(out[1].changes.map((c) => [c.key, c.after, c.lsn])).toEqual([['accounts/a', 1, 1], ['accounts/c', 3, 3]]);
  });

  it('drops the writes of aborted transactions and of tables outside the publication', () => {
    const decoder = new LogicalDecoder(['accounts']);
    const out = decoder.decode(log(
      { t: 'w', tx: 1, k: 'accounts/a', v: 1 },
      { t: 'w', tx: 1, k: 'outbox/1', v: 'x' },
      { t: 'a', tx: 1 },
      { t: 'w', tx: 2, k: 'outbox/2', v: 'y' },
      { t: 'c', tx: 2 },
    ));
    expect(out).toEqual([]);
    expect(decoder.stats.discarded).toBe(1);
    expect(decoder.openTransactions).toBe(0);
  });

  it('carries before-images from earlier commits and publishes a key written twice in one transaction once', () => {
    const decoder = new LogicalDecoder(['accounts']);
    const out = decoder.decode(log(
      { t: 'w', tx: 1, k: 'accounts/a', v: 1 },
      { t: 'c', tx: 1 },
      { t: 'w', tx: 2, k: 'accounts/a', v: 2 },
      { t: 'w', tx: 2, k: 'accounts/a', v: 3 },
      { t: 'c', tx: 2 },
      { t: 'w', tx: 3, k: 'accounts/a', v: null },
      { t: 'c', tx: 3 },
    ));
    expect(out.map((t) => t.changes.map((c) => [c.before, c.after]))).toEqual([[[null, 1]], [[1, 3]], [[3, null]]]);
  });

  it('refuses a gap in the LSNs it is fed', () => {
    const decoder = new LogicalDecoder(['accounts']);
    decoder.decode(log({ t: 'c', tx: 9 }));
    expect(() => decoder.decode([{ lsn: 3, payload: { t: 'c', tx: 10 }, durableAtMs: 0 }])).toThrow(/LSN 3 after 1/);
  });

  it('on a real Database WAL: a transaction cut off by a crash is never emitted, the committed ones are', () => {
    const node = singleNodeDatabase({ seed: 7 });
    node.runUntilReady();
    let db = node.db();
    const t1 = db.begin();
    db.writeTx(t1, 'accounts/a', { v: 1 });
    db.commit(t1);
    node.sim.run(node.sim.nowMs() + 5);
    const t2 = db.begin();
    db.writeTx(t2, 'accounts/b', { v: 1 });
    db.wal.flush(db.wal.lastLsn, () => undefined); // the write is durable, its commit never comes
    node.sim.run(node.sim.nowMs() + 5);
    node.crash();
    node.restart();
    node.runUntilReady();
    db = node.db();
    const t3 = db.begin(); // recovery's abort record for t2 is not forced; the next commit makes it durable
    db.writeTx(t3, 'accounts/c', { v: 1 });
    db.commit(t3);
    node.sim.run(node.sim.nowMs() + 5);
    const decoder = new LogicalDecoder(['accounts']);
    const out = decoder.decode(db.wal.durableEntriesFrom(1, 1000));
    expect(out.map((t) => t.changes.map((c) => c.key))).toEqual([['accounts/a'], ['accounts/c']]);
    expect(decoder.stats.discarded).toBe(1); // recovery wrote the abort record for t2
  });
});
