/**
 * Transactions of a Database: begin, reads and writes under snapshot isolation or strict 2PL
 * (NOWAIT), and the commit path — append the commit record, wait until it is durable (and flushed
 * by a synchronous standby), then install the writes, release the locks and acknowledge.
 * Functions of the facade in database.ts.
 */
import type { Database } from './database';
import { LimitExceededError, checkKnownKeys, checkOneOf } from '../sim';
import { LockConflict } from './lock-table';
import { AbortReason, CommitOutcome, ConflictInfo, ISOLATION_LEVELS, Isolation, Transaction, TransactionAbortedError } from './transaction';
import { GidOutcome } from './wal-records';
import { JsonValue } from './version-store';
import { DatabaseUnavailableError } from './database-types';

/**
 * Starts a transaction. isolation: 'snapshot' (default) or 'serializable' (strict 2PL).
 * On a standby only read-only snapshot transactions are allowed.
 */
export function begin(db: Database, options: { isolation?: Isolation; readOnly?: boolean } = {}): Transaction {
  checkKnownKeys('begin options', options, ['isolation', 'readOnly']);
  const isolation = checkOneOf<Isolation>('begin isolation', options.isolation ?? 'snapshot', ISOLATION_LEVELS);
  if (!db.ready) throw new DatabaseUnavailableError(`database on ${db.ctx.id} is still recovering; it is ready in ${db.recovery.recoveryMs.toFixed(1)} ms of replay`);
  const readOnly = options.readOnly ?? false;
  if (db.roleNow !== 'primary' && (!readOnly || isolation !== 'snapshot')) {
    throw new DatabaseUnavailableError(`database on ${db.ctx.id} is a standby: only begin({ readOnly: true }) with snapshot isolation is allowed`);
  }
  if (db.active.size >= db.maxActive) throw new LimitExceededError(`database on ${db.ctx.id}: ${db.active.size} transactions are open, its limit (maxActiveTransactions = ${db.maxActive})`);
  const tx = new Transaction(db, db.nextTxId++, isolation, db.commitSeq, readOnly, db.ctx.simTimeMs());
  db.active.set(tx.id, tx);
  return tx;
}

export function requireActive(db: Database, tx: Transaction, what: string): void {
  if (tx.status !== 'active') throw new Error(`tx ${tx.id} ${what}: the transaction is ${tx.status}; allowed only while active`);
  if (db.active.get(tx.id) !== tx) throw new Error(`tx ${tx.id} ${what}: this transaction belongs to another database incarnation`);
}

export function conflictInfo(db: Database, conflict: LockConflict): ConflictInfo {
  const holder = db.active.get(conflict.holderTxId);
  return { ...conflict, holderGid: holder && holder.gid && holder.status !== 'active' ? holder.gid : null };
}

export function failWith(db: Database, tx: Transaction, reason: AbortReason, conflict: ConflictInfo | null, message: string): never {
  db.abort(tx, reason);
  throw new TransactionAbortedError(tx.id, reason, conflict, message);
}

export function lockConflict(db: Database, tx: Transaction, conflict: LockConflict): never {
  const info = conflictInfo(db, conflict);
  const inDoubt = info.holderGid ? ` (prepared, in doubt, for ${info.holderGid})` : '';
  return failWith(db, tx, 'lock-conflict', info, `tx ${tx.id}: ${info.requested} lock on ${info.key} refused: tx ${info.holderTxId}${inDoubt} holds it ${info.held} (NOWAIT)`);
}

export function readTx(db: Database, tx: Transaction, key: string): JsonValue | undefined {
  requireActive(db, tx, `read(${key})`);
  if (tx.writes.has(key)) {
    const own = tx.writes.get(key);
    return own === null ? undefined : own;
  }
  if (tx.isolation === 'serializable') {
    const conflict = db.locks.acquireShared(tx.id, key);
    if (conflict) lockConflict(db, tx, conflict);
    return db.store.readLatest(key);
  }
  return db.store.readAt(key, tx.snapshotSeq);
}

export function writeTx(db: Database, tx: Transaction, key: string, value: JsonValue | null): void {
  requireActive(db, tx, `write(${key})`);
  if (tx.readOnly) throw new Error(`tx ${tx.id} write(${key}): the transaction is read-only`);
  if (typeof key !== 'string' || key.length === 0) throw new Error(`tx ${tx.id} write: key got ${JSON.stringify(key)}; allowed: a non-empty string`);
  const conflict = db.locks.acquireExclusive(tx.id, key);
  if (conflict) lockConflict(db, tx, conflict);
  if (tx.isolation === 'snapshot') {
    const latest = db.store.latest(key);
    if (latest && latest.beginSeq > tx.snapshotSeq) {
      failWith(db, tx, 'serialization-failure', null, `tx ${tx.id}: could not serialize access due to concurrent update of ${key} (tx ${latest.xmin} committed it after this snapshot)`);
    }
  }
  const lsn = db.wal.append({ t: 'w', tx: tx.id, k: key, v: value });
  if (tx.firstLsn === 0) tx.firstLsn = lsn;
  tx.writes.set(key, value);
}

export function scanTx(db: Database, tx: Transaction, prefix: string): Array<[string, JsonValue]> {
  requireActive(db, tx, `scan(${prefix})`);
  const keys = new Set(db.store.keys(prefix));
  for (const key of tx.writes.keys()) if (key.startsWith(prefix)) keys.add(key);
  if (tx.isolation === 'serializable') {
    const conflict = db.locks.acquirePrefixShared(tx.id, prefix);
    if (conflict) lockConflict(db, tx, conflict);
  }
  const out: Array<[string, JsonValue]> = [];
  for (const key of [...keys].sort()) {
    const value = db.readTx(tx, key);
    if (value !== undefined) out.push([key, value]);
  }
  return out;
}

/**
 * Commits: durable first, visible and acknowledged after. `done` runs when the commit
 * record is durable (and flushed by the synchronous standby, if any); a read-only
 * transaction commits at once.
 */
export function commit(db: Database, tx: Transaction, done: (outcome: CommitOutcome) => void = () => undefined): void {
  requireActive(db, tx, 'commit');
  if (tx.writes.size === 0) {
    db.locks.releaseAll(tx.id);
    db.active.delete(tx.id);
    tx.status = 'committed';
    db.counters.readOnlyCommitted++;
    done({ status: 'committed', txId: tx.id, commitLsn: null });
    return;
  }
  enqueueCommit(db, tx, done);
}

export function enqueueCommit(db: Database, tx: Transaction, done: (outcome: CommitOutcome) => void): void {
  const lsn = db.wal.append({ t: 'c', tx: tx.id });
  tx.status = 'committing';
  db.commitQueue.push({ tx, lsn, done });
  db.wal.flush(lsn, () => drainCommits(db));
}

/** Installs, in LSN order, every queued commit that is durable (and replicated, in sync mode). */
export function drainCommits(db: Database): void {
  const queue = db.commitQueue;
  const syncLsn = db.sender && db.replicationOptions.mode === 'sync' ? db.sender.syncFlushedLsn() : Infinity;
  while (db.commitQueueHead < queue.length) {
    const head = queue[db.commitQueueHead];
    if (head.lsn > db.wal.durableLsn || head.lsn > syncLsn) break;
    db.commitQueueHead++;
    installWrites(db, head.tx.id, head.tx.writes);
    finish(db, head.tx, 'committed');
    db.counters.committed++;
    head.done({ status: 'committed', txId: head.tx.id, commitLsn: head.lsn });
  }
  if (db.commitQueueHead > 1024 && db.commitQueueHead * 2 > queue.length) {
    db.commitQueue = queue.slice(db.commitQueueHead);
    db.commitQueueHead = 0;
  }
  if (db.checkpointEveryFrames !== null && db.ready && db.wal.lastLsn - db.lastRedoLsn >= db.checkpointEveryFrames) db.checkpoint();
}

export function installWrites(db: Database, txId: number, writes: Map<string, JsonValue | null>): void {
  const seq = ++db.commitSeq;
  const horizon = oldestSnapshotSeq(db);
  for (const [key, value] of writes) db.store.install(key, value, txId, seq, horizon);
}

/** Versions older than every running snapshot can go. */
export function oldestSnapshotSeq(db: Database): number {
  let oldest = db.commitSeq;
  for (const tx of db.active.values()) if (tx.isolation === 'snapshot' && tx.snapshotSeq < oldest) oldest = tx.snapshotSeq;
  return oldest;
}

export function finish(db: Database, tx: Transaction, status: 'committed' | 'aborted'): void {
  tx.status = status;
  db.locks.releaseAll(tx.id);
  db.active.delete(tx.id);
  if (tx.gid) {
    db.preparedByGid.delete(tx.gid);
    rememberGid(db, tx.gid, status);
  }
}

/** Aborts an active (or prepared, see finishPrepared) transaction: its writes are discarded and its locks released. */
export function abort(db: Database, tx: Transaction, reason: AbortReason = 'requested'): void {
  if (tx.status === 'aborted') return;
  if (tx.status !== 'active' && tx.status !== 'prepared') throw new Error(`tx ${tx.id} abort: the transaction is ${tx.status}; allowed only while active or prepared`);
  // The abort record need not be forced: if it is lost, recovery aborts the transaction anyway.
  if (tx.firstLsn > 0) db.wal.append({ t: 'a', tx: tx.id });
  tx.abortReason = reason;
  finish(db, tx, 'aborted');
  db.counters.aborted[reason]++;
}

export function rememberGid(db: Database, gid: string, outcome: GidOutcome): void {
  db.gidOutcomes.delete(gid);
  db.gidOutcomes.set(gid, outcome);
  if (db.gidOutcomes.size > db.maxGids) {
    const oldest = db.gidOutcomes.keys().next().value as string;
    db.gidOutcomes.delete(oldest);
  }
}
