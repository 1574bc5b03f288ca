/**
 * Looking inside a database for the lessons: its WAL as readable rows, and the versions
 * of one key with their xmin / xmax. Read-only; nothing here changes state.
 */
import type { Database } from './database';
import { describeRecord } from './wal-records';

export interface WalRow {
  lsn: number;
  /** The record as written: t = w (write), c (commit), a (abort), p (prepare), refuse, ckpt. */
  kind: string;
  tx: number | null;
  record: string;
  durable: boolean;
}

/** The WAL records still held, oldest first (at most `limit`, from `fromLsn`). */
export function walTable(db: Database, options: { fromLsn?: number; limit?: number; txIds?: number[] } = {}): WalRow[] {
  const rows: WalRow[] = [];
  const limit = options.limit ?? 50;
  const wanted = options.txIds ? new Set(options.txIds) : null;
  for (let lsn = Math.max(options.fromLsn ?? 1, db.wal.firstRetainedLsn); lsn <= db.wal.lastLsn && rows.length < limit; lsn++) {
    const entry = db.wal.entry(lsn);
    if (!entry) continue;
    const record = entry.payload;
    const tx = 'tx' in record ? record.tx : null;
    if (wanted && (tx === null || !wanted.has(tx))) continue;
    rows.push({ lsn, kind: record.t, tx, record: describeRecord(record), durable: lsn <= db.wal.durableLsn });
  }
  return rows;
}

export interface VersionRow {
  key: string;
  value: string;
  /** The transaction that created this version. */
  xmin: number;
  /** The transaction that replaced it (0: still current). */
  xmax: number;
  visibleFromSeq: number;
  visibleUntilSeq: string;
}

export function versionsTable(db: Database, key: string): VersionRow[] {
  return db.store.versionsOf(key).map((v) => ({
    key,
    value: v.value === null ? '(deleted)' : JSON.stringify(v.value),
    xmin: v.xmin,
    xmax: v.xmax,
    visibleFromSeq: v.beginSeq,
    visibleUntilSeq: v.endSeq === Infinity ? '∞ (current)' : String(v.endSeq),
  }));
}
