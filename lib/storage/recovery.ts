/**
 * Crash recovery of a Database: load the checkpoint image, replay the WAL after its redo point,
 * then (once the simulated replay time has passed) end recovery — discard transactions that never
 * committed, restore prepared ones in doubt with their write locks, and start the WAL sender (on a
 * primary) or the WAL receiver (on a standby). Functions of the facade in database.ts.
 */
import type { Database } from './database';
import { checkNumber } from '../sim';
import { readCheckpointImage } from './checkpoint-image';
import { RedoApplier, UnfinishedTransaction } from './redo-applier';
import { WalReceiver, WalSender } from './replication';
import { Transaction } from './transaction';
import { DbWalRecord, GidOutcome } from './wal-records';
import { JsonValue } from './version-store';
import { WalOptions, WriteAheadLog } from './write-ahead-log';
import { RecoveryReport } from './database-types';
import { startCheckpointTimer } from './checkpoints';
import { drainCommits, installWrites, rememberGid } from './transactions';

/**
 * Recovers a database from its node's disk at open: the checkpoint image's rows and remembered
 * global outcomes, then every WAL frame from the image's redo point through a RedoApplier (kept
 * for the end of recovery). Throws when the disk holds an image the WAL does not reach.
 */
export function recoverFromDisk(db: Database, walOptions: WalOptions): { wal: WriteAheadLog<DbWalRecord>; recovery: RecoveryReport } {
  const image = readCheckpointImage(db.ctx.disk, db.imageFile);
  const opened = WriteAheadLog.open<DbWalRecord>(db.ctx, walOptions, image ? image.header.imageLsn + 1 : 1);
  const wal = opened.wal;
  const imageLsn = image ? image.header.imageLsn : 0;
  const redoLsn = image ? image.header.redoLsn : 1;
  if (image) {
    for (const [key, value] of image.rows) db.store.loadFrozen(key, value);
    for (const [gid, outcome] of image.header.gidOutcomes) rememberGid(db, gid, outcome);
    db.nextTxId = image.header.nextTxId;
  }
  if (wal.lastLsn < imageLsn) {
    throw new Error(`recovery on ${db.ctx.id}: the checkpoint image covers LSN ${imageLsn} but the WAL ends at ${wal.lastLsn}; durable WAL was lost`);
  }
  if (opened.entries.length > 0 && opened.entries[0].lsn > redoLsn) {
    throw new Error(`recovery on ${db.ctx.id}: replay must start at LSN ${redoLsn} but the oldest WAL frame on disk is ${opened.entries[0].lsn}`);
  }
  const applier = new RedoApplier(redoTarget(db), imageLsn);
  for (const entry of opened.entries) if (entry.lsn >= redoLsn) applier.apply(entry);
  db.applier = applier;
  db.lastRedoLsn = redoLsn;
  db.nextTxId = Math.max(db.nextTxId, applier.maxTxIdSeen + 1);
  const unfinished = [...applier.unfinished.values()];
  const imageRows = image ? image.rows.length : 0;
  const recovery: RecoveryReport = {
    imageRows,
    imageLsn,
    redoLsn,
    walFramesOnDisk: opened.report.framesRead,
    walCharsOnDisk: opened.report.charsRead,
    framesReplayed: applier.counters.framesApplied,
    commitsReplayed: applier.counters.commitsApplied,
    unfinishedTxIds: unfinished.filter((t) => t.gid === null).map((t) => t.txId),
    inDoubtGids: unfinished.filter((t) => t.gid !== null).map((t) => t.gid as string),
    tailCut: opened.report.tailCut,
    lastLsn: wal.lastLsn,
    recoveryMs: db.cost.fixedMs + imageRows * db.cost.perImageRowMs + applier.counters.framesApplied * db.cost.perFrameMs,
  };
  return { wal, recovery };
}

export function redoTarget(db: Database) {
  return {
    applyCommitted: (txId: number, writes: Map<string, JsonValue | null>) => installWrites(db, txId, writes),
    noteGidOutcome: (gid: string, outcome: GidOutcome) => rememberGid(db, gid, outcome),
  };
}

export function finishRecovery(db: Database): void {
  if (db.roleNow === 'primary') {
    endRecovery(db);
  } else {
    const primary = db.replicationOptions.primary as string;
    db.receiver = new WalReceiver(
      {
        ctx: db.ctx,
        wal: db.wal,
        replay: (entry) => (db.applier as RedoApplier).apply(entry),
        onCommitReplayed: (lsn, primaryDurableAtMs) => {
          const atMs = db.ctx.simTimeMs();
          db.onEvent({ kind: 'commit-replayed', node: db.ctx.id, atMs, lsn, lagMs: atMs - primaryDurableAtMs });
        },
      },
      primary,
      {
        statusEveryMs: checkNumber('replication.statusEveryMs', db.replicationOptions.statusEveryMs ?? 50, { min: 1 }),
        replayPerFrameMs: checkNumber('replication.replayPerFrameMs', db.replicationOptions.replayPerFrameMs ?? 0.01, { min: 0 }),
        replayBatchFrames: 64,
        maxPendingStamps: 1_000_000,
      },
      db.wal.lastLsn,
    );
    db.receiver.start();
  }
  db.ready = true;
  startCheckpointTimer(db);
  db.onEvent({ kind: 'ready', node: db.ctx.id, atMs: db.ctx.simTimeMs(), role: db.roleNow });
  const listeners = db.readyListeners;
  db.readyListeners = [];
  for (const listener of listeners) listener();
}

/**
 * End of recovery on a primary (or at promotion): transactions that never committed are
 * discarded (an abort record says so), prepared ones are restored in doubt with their
 * write locks, and the WAL sender starts.
 */
export function endRecovery(db: Database): { discarded: number[]; inDoubt: string[] } {
  const applier = db.applier as RedoApplier;
  const discarded: number[] = [];
  const inDoubt: string[] = [];
  const unfinished: UnfinishedTransaction[] = [...applier.unfinished.values()].sort((a, b) => a.firstLsn - b.firstLsn);
  for (const u of unfinished) {
    if (u.gid === null) {
      db.wal.append({ t: 'a', tx: u.txId });
      discarded.push(u.txId);
      continue;
    }
    const tx = new Transaction(db, u.txId, 'snapshot', db.commitSeq, false, db.ctx.simTimeMs());
    tx.status = 'prepared';
    tx.gid = u.gid;
    tx.prepareMeta = u.meta;
    tx.firstLsn = u.firstLsn;
    for (const [key, value] of u.writes) {
      tx.writes.set(key, value);
      const conflict = db.locks.acquireExclusive(tx.id, key);
      if (conflict) throw new Error(`recovery on ${db.ctx.id}: two in-doubt transactions both hold ${key} (tx ${tx.id} and tx ${conflict.holderTxId})`);
    }
    db.active.set(tx.id, tx);
    db.preparedByGid.set(u.gid, tx);
    inDoubt.push(u.gid);
  }
  db.nextTxId = Math.max(db.nextTxId, applier.maxTxIdSeen + 1);
  db.applier = null;
  const standbys = db.replicationOptions.standbys ?? [];
  if (standbys.length > 0) {
    db.sender = new WalSender(
      db.ctx,
      db.wal,
      standbys,
      {
        maxBatchFrames: checkNumber('replication.maxBatchFrames', db.replicationOptions.maxBatchFrames ?? 500, { integer: true, min: 1 }),
        resendAfterMs: checkNumber('replication.resendAfterMs', db.replicationOptions.resendAfterMs ?? 200, { min: 1 }),
      },
      () => drainCommits(db),
    );
    db.wal.onDurable(() => (db.sender as WalSender).pump());
  }
  return { discarded, inDoubt };
}
