/**
 * Checkpoints of a Database: an image of every committed row, forced, then a new redo point and
 * WAL segments dropped before it (and not needed by a standby). Functions of the facade in
 * database.ts.
 */
import type { Database } from './database';
import { CheckpointImage, writeCheckpointImage } from './checkpoint-image';
import { RedoApplier } from './redo-applier';
import { CheckpointReport } from './database-types';

export function startCheckpointTimer(db: Database): void {
  const every = db.checkpointEveryMs;
  if (every === null) return;
  const tick = () => {
    db.checkpoint();
    db.ctx.setTimer(every, tick);
  };
  db.ctx.setTimer(every, tick);
}

/**
 * Writes a checkpoint image of every committed row, forces it, then records the new
 * redo point and drops WAL segments entirely before it (and not needed by a standby).
 * Returns false when one is already running or the database is not ready.
 */
export function checkpoint(db: Database, done: (report: CheckpointReport) => void = () => undefined): boolean {
  if (db.checkpointInFlight || !db.ready) return false;
  db.checkpointInFlight = true;
  const startedAtMs = db.ctx.simTimeMs();
  let imageLsn: number;
  let redoLsn: number;
  if (db.receiver) {
    // A standby's restartpoint: its store is exactly what it replayed.
    imageLsn = Math.min(db.receiver.replayedLsn, db.wal.durableLsn);
    redoLsn = Math.min(imageLsn + 1, (db.applier as RedoApplier).oldestUnfinishedLsn());
  } else {
    const pending = db.commitQueueHead < db.commitQueue.length ? db.commitQueue[db.commitQueueHead].lsn : Infinity;
    imageLsn = Math.min(pending - 1, db.wal.durableLsn);
    redoLsn = imageLsn + 1;
    for (const tx of db.active.values()) if (tx.firstLsn > 0 && tx.firstLsn < redoLsn) redoLsn = tx.firstLsn;
  }
  const image: CheckpointImage = {
    header: {
      kind: 'checkpoint-image',
      imageLsn,
      redoLsn,
      nextTxId: db.receiver ? Math.max(db.nextTxId, (db.applier as RedoApplier).maxTxIdSeen + 1) : db.nextTxId,
      rowCount: 0,
      gidOutcomes: [...db.gidOutcomes.entries()],
      takenAtMs: startedAtMs,
    },
    rows: db.store.committedRows(),
  };
  image.header.rowCount = image.rows.length;
  writeCheckpointImage(db.ctx.disk, db.imageFile, image);
  db.ctx.fsync(() => {
    db.checkpointInFlight = false;
    // Only a primary writes WAL of its own; a standby's WAL must stay identical to its primary's.
    if (db.roleNow === 'primary' && !db.receiver) db.wal.append({ t: 'ckpt', redoLsn, imageLsn });
    const keepFrom = Math.min(redoLsn, db.sender ? db.sender.slotLsn() : Infinity);
    const segmentsEmptied = db.wal.truncateBefore(Math.min(keepFrom, db.wal.durableLsn + 1));
    db.lastRedoLsn = redoLsn;
    const report: CheckpointReport = {
      imageLsn,
      redoLsn,
      rows: image.rows.length,
      segmentsEmptied,
      walFramesRetained: db.wal.retainedFrames,
      walCharsRetained: db.wal.sizeChars,
      startedAtMs,
      durableAtMs: db.ctx.simTimeMs(),
    };
    db.lastCheckpoint = report;
    db.counters.checkpoints++;
    db.onEvent({ kind: 'checkpoint', node: db.ctx.id, atMs: report.durableAtMs, report });
    done(report);
  });
  return true;
}
