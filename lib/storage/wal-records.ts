/**
 * The records the database writes to its WAL. Short field names keep frames small, since
 * every byte is written, fsynced, shipped to standbys and replayed.
 *
 * A transaction's writes are logged as it makes them ('w'), long before it commits; a
 * crash can leave them in the log with no commit record after them, and recovery must
 * then discard them. That is the "uncommitted work" of the lesson.
 */
import type { JsonValue } from './version-store';

export type DbWalRecord =
  /** Transaction tx wrote value v to key k (v null: deleted it). */
  | { t: 'w'; tx: number; k: string; v: JsonValue | null }
  /** Transaction tx committed: from this record on, its writes must survive any crash. */
  | { t: 'c'; tx: number }
  /** Transaction tx aborted (not forced to disk: losing it changes nothing, recovery aborts tx anyway). */
  | { t: 'a'; tx: number }
  /**
   * Transaction tx is prepared for global transaction gid (2PC): its writes and locks must
   * survive a crash until the decision arrives. meta: what the participant needs to ask
   * about the outcome after a crash (its coordinator and peers).
   */
  | { t: 'p'; tx: number; gid: string; meta?: JsonValue }
  /** This node promised never to vote yes for gid (2PC cooperative termination answered "aborted" for it). */
  | { t: 'refuse'; gid: string }
  /** A checkpoint completed: the image holds everything committed up to imageLsn; replay starts at redoLsn. */
  | { t: 'ckpt'; redoLsn: number; imageLsn: number };

/** What this node knows about a global (2PC) transaction's local fate. */
export type GidOutcome = 'committed' | 'aborted' | 'refused';

export function describeRecord(record: DbWalRecord): string {
  switch (record.t) {
    case 'w':
      return `tx ${record.tx} writes ${record.k} = ${record.v === null ? '(deleted)' : JSON.stringify(record.v)}`;
    case 'c':
      return `tx ${record.tx} commits`;
    case 'a':
      return `tx ${record.tx} aborts`;
    case 'p':
      return `tx ${record.tx} prepared for ${record.gid}`;
    case 'refuse':
      return `refuses to prepare ${record.gid}`;
    case 'ckpt':
      return `checkpoint: image up to LSN ${record.imageLsn}, redo from LSN ${record.redoLsn}`;
  }
}
