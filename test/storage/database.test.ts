import { describe, expect, it } from 'vitest';
import { Rng, Simulation } from '../../lib/sim';
import { Database, TransactionAbortedError, databaseNode, singleNodeDatabase } from '../../lib/storage';

function ready(seed = 1, database = {}) {
  const h = singleNodeDatabase({ seed, database });
  h.runUntilReady();
  return h;
}

function commitNow(h: ReturnType<typeof ready>, writes: Record<string, number>) {
  const db = h.db();
  const tx = db.begin();
  for (const [k, v] of Object.entries(writes)) tx.write(k, v);
  let done = false;
  db.commit(tx, () => (done = true));
  h.sim.run(h.sim.nowMs() + 5);
  expect(done).toBe(true);
}

describe('database: commits and visibility', () => {
  it('a commit is acknowledged and visible only once its WAL record is durable', () => {
    const h = ready();
    const db = h.db();
    const tx = db.begin();
    tx.write('acct:a', 100);
    let acked = false;
    db.commit(tx, () => (acked = true));
    expect(acked).toBe(false);
    expect(db.readCommitted('acct:a')).toBeUndefined();
    h.sim.run(h.sim.nowMs() + 0.5); // fsync takes 1 ms
    expect(acked).toBe(false);
    h.sim.run(h.sim.nowMs() + 1);
    expect(acked).toBe(true);
    expect(db.readCommitted('acct:a')).toBe(100);
  });

  it('snapshot isolation: a transaction keeps reading its snapshot while others commit', () => {
    const h = ready();
    commitNow(h, { 'acct:a': 100 });
    const db = h.db();
    const reader = db.begin();
    expect(reader.read('acct:a')).toBe(100);
    commitNow(h, { 'acct:a': 40 });
    expect(reader.read('acct:a')).toBe(100);
    expect(db.begin().read('acct:a')).toBe(40);
  });

  it('snapshot isolation: the first updater wins, a later writer of the same row is aborted', () => {
    const h = ready();
    commitNow(h, { 'acct:a': 100 });
    const db = h.db();
    const slow = db.begin();
    commitNow(h, { 'acct:a': 90 });
    expect(() => slow.write('acct:a', (slow.read('acct:a') as number) - 10)).toThrow(/could not serialize access due to concurrent update of acct:a/);
    expect(slow.status).toBe('aborted');
    expect(db.counters.aborted['serialization-failure']).toBe(1);
  });

  it('two writers of one row: the second finds the row locked and is refused at once (NOWAIT)', () => {
    const h = ready();
    const db = h.db();
    const t1 = db.begin();
    const t2 = db.begin();
    t1.write('acct:a', 1);
    let error: unknown;
    try {
      t2.write('acct:a', 2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransactionAbortedError);
    expect((error as TransactionAbortedError).conflict).toMatchObject({ key: 'acct:a', holderTxId: t1.id, held: 'exclusive' });
  });

  it('serializable mode (strict 2PL): a scan blocks an insert under its prefix', () => {
    const h = ready();
    commitNow(h, { 'acct:a': 1 });
    const db = h.db();
    const auditor = db.begin({ isolation: 'serializable' });
    expect(auditor.scan('acct:')).toEqual([['acct:a', 1]]);
    const opener = db.begin({ isolation: 'serializable' });
    expect(() => opener.write('acct:b', 5)).toThrow(/prefix-shared/);
  });

  it('refuses writes on a standby and transactions while recovering, with a clear message', () => {
    const h = singleNodeDatabase({ seed: 1 });
    expect(() => h.db().begin()).toThrow(/still recovering/);
    expect(() => singleNodeDatabase({ seed: 1, database: { role: 'standby' } })).toThrow(/replication.primary got undefined/);
    expect(() => singleNodeDatabase({ seed: 1, database: { checkpointEveryMs: -5 } })).toThrow(/checkpointEveryMs: got -5/);
    h.runUntilReady();
    expect(() => h.db().begin({ isolation: 'repeatable-read' as never })).toThrow(/begin isolation: got "repeatable-read"; allowed: "snapshot" \| "serializable"/);
  });
});

describe('database: crash recovery', () => {
  it('an acknowledged commit survives a crash; one whose fsync had not finished does not', () => {
    const h = ready();
    commitNow(h, { 'acct:a': 100 });
    const db = h.db();
    const tx = db.begin();
    tx.write('acct:a', 0);
    let acked = false;
    db.commit(tx, () => (acked = true));
    h.sim.run(h.sim.nowMs() + 0.5);
    h.crash();
    expect(acked).toBe(false);
    h.restart();
    h.runUntilReady();
    expect(h.db().readCommitted('acct:a')).toBe(100);
  });

  it('writes of a transaction that never committed reach the disk and are still discarded by recovery', () => {
    const h = ready();
    const db = h.db();
    const loser = db.begin();
    loser.write('acct:loser', 999); // logged now ...
    commitNow(h, { 'acct:winner': 1 }); // ... and made durable by someone else's commit
    expect(db.wal.durableLsn).toBeGreaterThan(loser.firstLsn);
    h.crash();
    h.restart();
    h.runUntilReady();
    const recovered = h.db();
    expect(recovered.recovery.unfinishedTxIds).toEqual([loser.id]);
    expect(recovered.readCommitted('acct:loser')).toBeUndefined();
    expect(recovered.readCommitted('acct:winner')).toBe(1);
  });

  it('recovery time follows the WAL written since the last checkpoint', () => {
    const h = ready();
    for (let i = 0; i < 40; i++) commitNow(h, { [`acct:${i % 7}`]: i });
    h.crash();
    h.restart();
    const noCheckpoint = h.runUntilReady();
    const framesBefore = h.db().recovery.framesReplayed;
    let done = false;
    h.db().checkpoint(() => (done = true));
    h.sim.run(h.sim.nowMs() + 5);
    expect(done).toBe(true);
    for (let i = 0; i < 5; i++) commitNow(h, { [`acct:${i}`]: 1000 + i });
    h.crash();
    h.restart();
    const withCheckpoint = h.runUntilReady();
    const r = h.db().recovery;
    expect(r.imageRows).toBe(7);
    expect(r.framesReplayed).toBeLessThan(framesBefore / 4);
    expect(withCheckpoint).toBeLessThan(noCheckpoint);
    expect(h.db().committedRows('acct:')).toEqual([
      ['acct:0', 1000], ['acct:1', 1001], ['acct:2', 1002], ['acct:3', 1003], ['acct:4', 1004], ['acct:5', 33], ['acct:6', 34],
    ]);
  });

  it('a checkpoint taken while a transaction is open keeps the WAL that transaction needs', () => {
    const h = ready(1, { wal: { segmentFrames: 2 } });
    const db = h.db();
    const open = db.begin();
    open.write('acct:slow', 5);
    for (let i = 0; i < 6; i++) commitNow(h, { [`acct:${i}`]: i });
    db.checkpoint();
    h.sim.run(h.sim.nowMs() + 5);
    expect(db.lastCheckpoint?.redoLsn).toBe(open.firstLsn);
    let acked = false;
    db.commit(open, () => (acked = true));
    h.sim.run(h.sim.nowMs() + 5);
    expect(acked).toBe(true);
    h.crash();
    h.restart();
    h.runUntilReady();
    expect(h.db().readCommitted('acct:slow')).toBe(5);
  });

  it('a torn WAL tail is cut and the database still recovers every acknowledged commit', () => {
    let cutsSeen = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const h = ready(seed, { wal: { sectorChars: 64 } });
      const acked: string[] = [];
      const db = h.db();
      for (let i = 0; i < 30; i++) {
        const tx = db.begin();
        tx.write(`k${i}`, i);
        db.commit(tx, () => acked.push(`k${i}`));
        if (i % 7 === 0) h.sim.run(h.sim.nowMs() + 0.7);
      }
      h.crash(new Rng(seed));
      h.restart();
      h.runUntilReady();
      const recovered = h.db();
      if (recovered.recovery.tailCut) cutsSeen++;
      for (const key of acked) expect(recovered.readCommitted(key), `seed ${seed}: ${key}`).toBeDefined();
    }
    expect(cutsSeen).toBeGreaterThan(3);
  });
});

describe('database: 2PC participant side', () => {
  it('a prepared transaction survives a crash with its row locks, and commits when told', () => {
    const h = ready();
    commitNow(h, { 'acct:a': 100 });
    const db = h.db();
    const tx = db.begin();
    tx.write('acct:a', 40);
    let prepared = false;
    db.prepare(tx, 'neft-1', () => (prepared = true), { coordinator: 'rbi' });
    h.sim.run(h.sim.nowMs() + 5);
    expect(prepared).toBe(true);
    h.crash();
    h.restart();
    h.runUntilReady();
    const recovered = h.db();
    expect(recovered.inDoubt()).toEqual([{ gid: 'neft-1', txId: tx.id, keys: ['acct:a'], meta: { coordinator: 'rbi' }, status: 'prepared' }]);
    const other = recovered.begin();
    expect(() => other.write('acct:a', 1)).toThrow(/in doubt, for neft-1/);
    expect(recovered.readCommitted('acct:a')).toBe(100);
    let outcome = '';
    recovered.finishPrepared('neft-1', 'commit', (o) => (outcome = o));
    h.sim.run(h.sim.nowMs() + 5);
    expect(outcome).toBe('committed');
    expect(recovered.readCommitted('acct:a')).toBe(40);
    expect(recovered.gidState('neft-1')).toBe('committed');
  });

  it('a refusal (cooperative termination) is durable: after a crash the node still votes no', () => {
    const h = ready();
    let said = '';
    h.db().refuse('neft-9', (state) => (said = state));
    h.sim.run(h.sim.nowMs() + 5);
    expect(said).toBe('refused');
    h.crash();
    h.restart();
    h.runUntilReady();
    expect(h.db().gidState('neft-9')).toBe('refused');
    const tx = h.db().begin();
    expect(() => h.db().prepare(tx, 'neft-9', () => undefined)).toThrow(/already known here \(refused\)/);
  });

  it('contradicting a local outcome is an error, repeating it is harmless', () => {
    const h = ready();
    const db = h.db();
    const tx = db.begin();
    tx.write('k', 1);
    db.prepare(tx, 'g', () => undefined);
    h.sim.run(h.sim.nowMs() + 5);
    db.finishPrepared('g', 'abort', () => undefined);
    let again = '';
    db.finishPrepared('g', 'abort', (o) => (again = o));
    expect(again).toBe('aborted');
    expect(() => db.finishPrepared('g', 'commit', () => undefined)).toThrow(/contradicts/);
  });
});

describe('database: WAL shipping to a standby', () => {
  function pair(mode: 'async' | 'sync') {
    const sim = new Simulation({ seed: 3 });
    const events: unknown[] = [];
    sim.addNode({ id: 'primary', region: 'mumbai', create: (ctx) => databaseNode(ctx, { replication: { standbys: ['standby'], mode }, onEvent: (e) => events.push(e) }) });
    sim.addNode({ id: 'standby', region: 'delhi', create: (ctx) => databaseNode(ctx, { role: 'standby', replication: { primary: 'primary' }, onEvent: (e) => events.push(e) }) });
    sim.run(30);
    const db = (id: string) => (sim.node(id).behaviour as unknown as { db: Database }).db;
    return { sim, db, events };
  }

  it('the standby replays the primary commits after the network delay, under the same LSNs', () => {
    const { sim, db, events } = pair('async');
    const tx = db('primary').begin();
    tx.write('acct:a', 7);
    db('primary').commit(tx);
    sim.run(32);
    expect(db('standby').readCommitted('acct:a')).toBeUndefined(); // 14 ms away
    sim.run(60);
    expect(db('standby').readCommitted('acct:a')).toBe(7);
    expect(db('standby').wal.lastLsn).toBe(db('primary').wal.lastLsn);
    const lag = events.filter((e) => (e as { kind: string }).kind === 'commit-replayed') as Array<{ lagMs: number }>;
    expect(lag).toHaveLength(1);
    expect(lag[0].lagMs).toBeGreaterThan(14);
    expect(() => db('standby').begin()).toThrow(/is a standby/);
  });

  it('sync mode acknowledges only after the standby flushed; a promoted standby has every acknowledged commit', () => {
    const { sim, db } = pair('sync');
    const ackedAt: number[] = [];
    const tx = db('primary').begin();
    tx.write('acct:a', 7);
    db('primary').commit(tx, () => ackedAt.push(sim.nowMs()));
    sim.run(40);
    expect(ackedAt).toEqual([]); // local fsync done, standby not yet
    sim.run(80);
    expect(ackedAt[0]).toBeGreaterThan(58); // a round trip to Delhi plus fsyncs
    sim.crash('primary');
    let promoted = false;
    db('standby').promote(() => (promoted = true));
    sim.run(120);
    expect(promoted).toBe(true);
    expect(db('standby').role).toBe('primary');
    expect(db('standby').readCommitted('acct:a')).toBe(7);
    const after = db('standby').begin();
    after.write('acct:b', 1);
    db('standby').commit(after);
    sim.run(130);
    sim.crash('standby');
    sim.restart('standby');
    sim.run(200);
    expect(db('standby').role).toBe('primary'); // the promotion survives a restart
    expect(db('standby').readCommitted('acct:b')).toBe(1);
  });
});
