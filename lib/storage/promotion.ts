/**
 * WAL-shipping replication messages and promotion of a standby (pg_promote) for a Database.
 * Functions of the facade in database.ts.
 */
import type { Database } from './database';
import { ReplicationMessage, isReplicationMessage } from './replication';
import { ROLE_FILE, PromotionReport } from './database-types';
import { endRecovery } from './recovery';

/** Feed replication messages here from the node's onMessage; returns false for other messages. */
export function handleReplicationMessage(db: Database, from: string, message: unknown): boolean {
  if (!isReplicationMessage(message)) return false;
  const m = message as ReplicationMessage;
  if (m.type === 'standby-status') {
    if (db.sender && db.ready) db.sender.onStatus(from, m);
  } else if (db.receiver) {
    db.receiver.onBatch(from, m.entries);
  }
  return true;
}

/**
 * Promotes a standby to primary (pg_promote): stop streaming, make everything received
 * durable and replay it, discard transactions whose commit never arrived, and start
 * accepting writes. The role is written to disk so a restart keeps it.
 */
export function promote(db: Database, done: (report: PromotionReport) => void = () => undefined): void {
  if (db.roleNow !== 'standby' || !db.receiver) throw new Error(`promote on ${db.ctx.id}: the database is ${db.ready ? db.roleNow : 'still recovering'}; allowed: a ready standby`);
  const receiver = db.receiver;
  receiver.stop();
  db.ready = false;
  db.ctx.disk.put(ROLE_FILE, 'primary');
  const finish = () => {
    const replayed = receiver.replayEverythingReceived();
    db.ctx.setTimer(replayed * db.cost.perFrameMs, () => {
      db.receiver = null;
      db.roleNow = 'primary';
      const { discarded, inDoubt } = endRecovery(db);
      db.ready = true;
      const report: PromotionReport = { lastLsn: db.wal.lastLsn, framesReplayedAtPromotion: replayed, discardedTxIds: discarded, inDoubtGids: inDoubt };
      db.onEvent({ kind: 'promoted', node: db.ctx.id, atMs: db.ctx.simTimeMs(), report });
      db.onEvent({ kind: 'ready', node: db.ctx.id, atMs: db.ctx.simTimeMs(), role: 'primary' });
      done(report);
    });
  };
  if (db.wal.lastLsn > db.wal.durableLsn) db.wal.flush(db.wal.lastLsn, finish);
  else db.ctx.fsync(finish); // the role file must be durable too
}
