/** Notebook 04, section 1: one transfer, step by step — what each log holds. */
import { TwoPhaseCommitCluster } from '../../strategies/two-phase-commit';
import { walTable } from '../../storage';

// ---------------------------------------------------------------- what each log holds

export interface TransferWalRow {
  node: string;
  lsn: number;
  record: string;
}

/**
 * Every WAL record that one global transaction left: the coordinator's decision (and end)
 * records, and on each participant its writes, prepare and local commit or abort.
 */
export function transferWalRecords(cluster: TwoPhaseCommitCluster, gid: string): TransferWalRow[] {
  const rows: TransferWalRow[] = [];
  const coordinator = cluster.coordinator();
  if (coordinator) {
    const wal = coordinator.wal;
    for (let lsn = wal.firstRetainedLsn; lsn <= wal.lastLsn; lsn++) {
      const e = wal.entry(lsn);
      if (!e || e.payload.gid !== gid) continue;
      rows.push({ node: cluster.coordinatorId, lsn, record: e.payload.t === 'decide' ? `decision to commit ${gid} (participants ${e.payload.participants.join(', ')})` : `end of ${gid}: every participant acknowledged` });
    }
  }
  for (const id of cluster.participantIds) {
    const db = cluster.db(id);
    let txId: number | null = null;
    for (let lsn = db.wal.firstRetainedLsn; lsn <= db.wal.lastLsn && txId === null; lsn++) {
      const e = db.wal.entry(lsn);
      if (e && e.payload.t === 'p' && e.payload.gid === gid) txId = e.payload.tx;
    }
    if (txId === null) continue;
    for (const row of walTable(db, { txIds: [txId], limit: 100 })) {
      const record = row.kind === 'c' ? `tx ${txId} local commit (COMMIT PREPARED)` : row.kind === 'a' ? `tx ${txId} local abort` : row.record;
      rows.push({ node: id, lsn: row.lsn, record });
    }
  }
  return rows;
}
