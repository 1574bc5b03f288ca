/**
 * Redo: turning WAL records back into database state. Crash recovery and a standby's
 * continuous replay are the same loop, record by record:
 *
 * - a write ('w') is remembered under its transaction, not applied yet;
 * - a commit ('c') applies that transaction's remembered writes, in log order, unless the
 *   checkpoint image already contains them (commit LSN ≤ imageLsn);
 * - an abort ('a') forgets them;
 * - a prepare ('p') marks them as belonging to a 2PC transaction that must be kept.
 *
 * Whatever is still remembered when the log ends was never committed. At the end of crash
 * recovery (or at a standby's promotion) those transactions are the "losers": their
 * writes are discarded, except prepared ones, which stay in doubt with their locks.
 */
import type { WalEntry } from './write-ahead-log';
import type { DbWalRecord, GidOutcome } from './wal-records';
import type { JsonValue } from './version-store';

export interface UnfinishedTransaction {
  txId: number;
  firstLsn: number;
  writes: Map<string, JsonValue | null>;
  /** Set when a prepare record was seen: an in-doubt 2PC transaction. */
  gid: string | null;
  prepareLsn: number;
  /** The prepare record's meta (2PC: coordinator and peers). */
  meta: JsonValue | null;
}

/** Where redo puts what it finds. */
export interface RedoTarget {
  applyCommitted(txId: number, writes: Map<string, JsonValue | null>, commitLsn: number): void;
  noteGidOutcome(gid: string, outcome: GidOutcome): void;
}

export interface RedoCounters {
  framesApplied: number;
  commitsApplied: number;
  /** Commit records at or before the image LSN: their writes were already in the image. */
  commitsInImage: number;
  abortsSeen: number;
  checkpointsSeen: number;
}

export class RedoApplier {
  readonly unfinished = new Map<number, UnfinishedTransaction>();
  readonly counters: RedoCounters = { framesApplied: 0, commitsApplied: 0, commitsInImage: 0, abortsSeen: 0, checkpointsSeen: 0 };
  maxTxIdSeen = 0;
  lastAppliedLsn = 0;

  constructor(
    private readonly target: RedoTarget,
    private readonly imageLsn: number,
    private readonly maxUnfinished = 100_000,
  ) {}

  private open(txId: number, lsn: number): UnfinishedTransaction {
    let tx = this.unfinished.get(txId);
    if (!tx) {
      if (this.unfinished.size >= this.maxUnfinished) throw new Error(`redo: ${this.unfinished.size} transactions are open at LSN ${lsn}, the limit (maxUnfinished)`);
      tx = { txId, firstLsn: lsn, writes: new Map(), gid: null, prepareLsn: 0, meta: null };
      this.unfinished.set(txId, tx);
    }
    if (txId > this.maxTxIdSeen) this.maxTxIdSeen = txId;
    return tx;
  }

  apply(entry: WalEntry<DbWalRecord>): void {
    const record = entry.payload;
    const lsn = entry.lsn;
    if (lsn <= this.lastAppliedLsn) throw new Error(`redo: LSN ${lsn} applied after LSN ${this.lastAppliedLsn}; replay must move forward`);
    this.lastAppliedLsn = lsn;
    this.counters.framesApplied++;
    switch (record.t) {
      case 'w':
        this.open(record.tx, lsn).writes.set(record.k, record.v);
        break;
      case 'p': {
        const tx = this.open(record.tx, lsn);
        tx.gid = record.gid;
        tx.prepareLsn = lsn;
        tx.meta = record.meta ?? null;
        break;
      }
      case 'c': {
        const tx = this.unfinished.get(record.tx);
        if (record.tx > this.maxTxIdSeen) this.maxTxIdSeen = record.tx;
        this.unfinished.delete(record.tx);
        if (lsn > this.imageLsn) {
          if (tx && tx.writes.size > 0) this.target.applyCommitted(record.tx, tx.writes, lsn);
          this.counters.commitsApplied++;
        } else {
          this.counters.commitsInImage++;
        }
        if (tx && tx.gid) this.target.noteGidOutcome(tx.gid, 'committed');
        break;
      }
      case 'a': {
        const tx = this.unfinished.get(record.tx);
        this.unfinished.delete(record.tx);
        this.counters.abortsSeen++;
        if (tx && tx.gid) this.target.noteGidOutcome(tx.gid, 'aborted');
        break;
      }
      case 'refuse':
        this.target.noteGidOutcome(record.gid, 'refused');
        break;
      case 'ckpt':
        this.counters.checkpointsSeen++;
        break;
      default:
        throw new Error(`redo: unknown WAL record at LSN ${lsn}: ${JSON.stringify(record)}`);
    }
  }

  /** The first LSN of the oldest unfinished transaction (Infinity when none): replay after a restart must start no later. */
  oldestUnfinishedLsn(): number {
    let oldest = Infinity;
    for (const tx of this.unfinished.values()) if (tx.firstLsn < oldest) oldest = tx.firstLsn;
    return oldest;
  }
}
