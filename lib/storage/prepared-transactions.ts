/**
 * The 2PC participant side of a Database: prepare (forced to disk), the coordinator's decision
 * (finishPrepared), cooperative termination (refuse), and what is in doubt. Functions of the facade
 * in database.ts.
 */
import type { Database } from './database';
import { PrepareOutcome, Transaction } from './transaction';
import { GidOutcome } from './wal-records';
import { JsonValue } from './version-store';
import { enqueueCommit, rememberGid, requireActive } from './transactions';

/** Global (2PC) transactions prepared here and waiting for a decision. */
export function inDoubt(db: Database): Array<{ gid: string; txId: number; keys: string[]; meta: JsonValue | null; status: 'preparing' | 'prepared' | 'committing' }> {
  const out = [];
  for (const tx of db.preparedByGid.values()) {
    const status: 'preparing' | 'prepared' | 'committing' = tx.status === 'preparing' || tx.status === 'committing' ? tx.status : 'prepared';
    out.push({ gid: tx.gid as string, txId: tx.id, keys: [...tx.writes.keys()].sort(), meta: tx.prepareMeta, status });
  }
  return out;
}

/** What this node knows of a global transaction: its local outcome, 'prepared', or undefined. */
export function gidState(db: Database, gid: string): GidOutcome | 'prepared' | 'preparing' | 'active' | undefined {
  const prepared = db.preparedByGid.get(gid);
  if (prepared) return prepared.status === 'prepared' ? 'prepared' : prepared.status === 'committing' ? 'prepared' : 'preparing';
  return db.gidOutcomes.get(gid);
}

/**
 * Phase one of 2PC on this node: writes a prepare record for the global transaction
 * `gid` and forces it to disk. From then on this node may no longer abort on its own:
 * the writes and their locks survive any crash until finishPrepared() is called.
 */
export function prepare(db: Database, tx: Transaction, gid: string, done: (outcome: PrepareOutcome) => void, meta: JsonValue | null = null): void {
  requireActive(db, tx, `prepare(${gid})`);
  if (db.preparedByGid.has(gid) || db.gidOutcomes.has(gid)) throw new Error(`tx ${tx.id} prepare: global transaction ${gid} is already known here (${db.gidState(gid)})`);
  const lsn = db.wal.append(meta === null ? { t: 'p', tx: tx.id, gid } : { t: 'p', tx: tx.id, gid, meta });
  if (tx.firstLsn === 0) tx.firstLsn = lsn;
  tx.gid = gid;
  tx.prepareMeta = meta;
  tx.status = 'preparing';
  db.preparedByGid.set(gid, tx);
  db.wal.flush(lsn, () => {
    tx.status = 'prepared';
    // Strict 2PL may drop read locks once nothing more will be locked; write locks stay.
    db.locks.releaseShared(tx.id);
    db.counters.prepared++;
    done({ status: 'prepared', txId: tx.id, prepareLsn: lsn });
    const waiting = db.decisionsAwaitingPrepare.get(gid);
    db.decisionsAwaitingPrepare.delete(gid);
    if (waiting) for (const apply of waiting) apply();
  });
}

/**
 * Phase two on this node: applies the coordinator's decision to the prepared
 * transaction. 'commit' writes and forces a commit record (done runs when durable);
 * 'abort' writes an abort record and releases at once. Repeating a decision already
 * applied is harmless (the coordinator resends until it hears back).
 */
export function finishPrepared(db: Database, gid: string, decision: 'commit' | 'abort', done: (outcome: GidOutcome) => void): void {
  const tx = db.preparedByGid.get(gid);
  if (tx && tx.status === 'preparing') {
    // The coordinator gave up waiting (abort) while our prepare record was being forced.
    const waiting = db.decisionsAwaitingPrepare.get(gid) ?? [];
    waiting.push(() => db.finishPrepared(gid, decision, done));
    db.decisionsAwaitingPrepare.set(gid, waiting);
    return;
  }
  if (!tx || tx.status !== 'prepared') {
    const known = db.gidOutcomes.get(gid);
    if (known === 'committed' && decision === 'commit') return done('committed');
    if ((known === 'aborted' || known === 'refused') && decision === 'abort') return done(known);
    if (tx && tx.status === 'committing' && decision === 'commit') {
      whenCommitted(db, tx, () => done('committed'));
      return;
    }
    throw new Error(`finishPrepared(${gid}, ${decision}) on ${db.ctx.id}: the global transaction is ${tx ? tx.status : known ?? 'unknown'} here; a decision to ${decision} contradicts it`);
  }
  if (decision === 'abort') {
    db.abort(tx, 'global-abort');
    done('aborted');
    return;
  }
  enqueueCommit(db, tx, () => done('committed'));
}

export function whenCommitted(db: Database, tx: Transaction, fn: () => void): void {
  for (let i = db.commitQueueHead; i < db.commitQueue.length; i++) {
    const pending = db.commitQueue[i];
    if (pending.tx === tx) {
      const previous = pending.done;
      pending.done = (outcome) => {
        previous(outcome);
        fn();
      };
      return;
    }
  }
  throw new Error(`tx ${tx.id} is committing but not in the commit queue`);
}

/**
 * Cooperative termination: a peer asked about `gid`, which this node has not prepared.
 * By answering "aborted" it promises never to vote yes for it; the promise is forced to
 * the WAL before the answer goes out, so it survives a crash. Returns what the node can
 * say now ('refused' promises abort; 'prepared' means "I am in doubt too").
 */
export function refuse(db: Database, gid: string, done: (state: GidOutcome | 'prepared') => void): void {
  const state = db.gidState(gid);
  if (state === 'committed' || state === 'aborted' || state === 'refused') return done(state);
  if (state === 'prepared' || state === 'preparing') return done('prepared');
  rememberGid(db, gid, 'refused');
  const lsn = db.wal.append({ t: 'refuse', gid });
  db.wal.flush(lsn, () => done('refused'));
}
