/**
 * The checkpoint image: a copy of every committed row as of one LSN, written to its own
 * file so the WAL before it can be dropped. Recovery loads the image and replays only
 * the WAL after it, which is why recovery time follows the WAL written since the last
 * checkpoint rather than the age of the database.
 *
 * The file is rewritten whole (SimDisk.overwrite), which a crash either completes (after
 * fsync) or leaves untouched: the previous image stays valid until the new one is
 * durable. A real engine gets the same effect by writing to a new file and renaming it.
 */
import type { Disk } from '../sim';
import type { GidOutcome } from './wal-records';
import type { JsonValue } from './version-store';

export interface CheckpointImageHeader {
  kind: 'checkpoint-image';
  /** Every transaction whose commit record is at or before this LSN is in the image. */
  imageLsn: number;
  /** Replay must start here: the first record of the oldest transaction still open at imageLsn, or imageLsn + 1. */
  redoLsn: number;
  nextTxId: number;
  rowCount: number;
  /** The fate of recent global (2PC) transactions, so a participant can still answer its peers after truncation. */
  gidOutcomes: Array<[string, GidOutcome]>;
  takenAtMs: number;
}

export interface CheckpointImage {
  header: CheckpointImageHeader;
  rows: Array<[string, JsonValue]>;
}

export function writeCheckpointImage(disk: Disk, file: string, image: CheckpointImage): void {
  disk.overwrite(file, [image.header, ...image.rows]);
}

/** The durable image on a disk, or null when none has been written. A malformed image is an error, not a silent fresh start. */
export function readCheckpointImage(disk: Disk, file: string): CheckpointImage | null {
  const records = disk.read(file);
  if (records.length === 0) return null;
  const header = records[0] as CheckpointImageHeader;
  if (!header || header.kind !== 'checkpoint-image') throw new Error(`checkpoint image ${file}: the first record is not a checkpoint-image header`);
  const rows = records.slice(1) as Array<[string, JsonValue]>;
  if (rows.length !== header.rowCount) throw new Error(`checkpoint image ${file}: header promises ${header.rowCount} rows, the file holds ${rows.length}`);
  return { header, rows };
}
