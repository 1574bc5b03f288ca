/**
 * The replication log: the write-ahead log a leader streams to its followers.
 *
 * Every write gets the next log sequence number (LSN: 1, 2, 3, ...) and the epoch of the
 * leader that wrote it. Entries are immutable once written. Two logs that hold an entry
 * with the same LSN and the same epoch hold the same entries up to there, because each
 * epoch has exactly one leader and a leader only ever appends (Raft's "log matching"
 * property). That is what lets a follower find where it parted from a new leader by
 * comparing epoch ranges alone, the way pg_rewind compares timeline history files.
 *
 * The log lives in memory and in the node's simulated disk file "log". Appends are
 * buffered until the node fsyncs; a crash loses what was not yet fsynced.
 */
import { Disk, LimitExceededError } from '../../sim';
import type { KvWriteOperation } from '../../workload';

export interface LogEntry {
  readonly lsn: number;
  readonly epoch: number;
  /** null for the marker a new leader writes when its epoch begins (Raft's no-op entry). */
  readonly op: KvWriteOperation | null;
  /** The client's id for the write, so a retried write is applied once; null for a marker. */
  readonly writeId: string | null;
}

/** A run of consecutive entries of one epoch, starting at firstLsn. */
export interface EpochSegment {
  epoch: number;
  firstLsn: number;
}

/** Position and epoch of a log's last entry: what elections compare. */
export interface LogPosition {
  lastEpoch: number;
  lastLsn: number;
}

const LOG_FILE = 'log';

export class ReplicationLog {
  private readonly entries: LogEntry[] = [];
  private readonly segments: EpochSegment[] = [];
  private readonly lsnByWriteId = new Map<string, number>();

  private constructor(
    private readonly disk: Disk,
    private readonly maxRecords: number,
  ) {}

  /** An empty log, or the log a restarted node finds on its disk (checked entry by entry). */
  static load(disk: Disk, maxRecords: number): ReplicationLog {
    const log = new ReplicationLog(disk, maxRecords);
    for (const record of disk.read(LOG_FILE)) log.remember(record as LogEntry, 'on replay from disk');
    return log;
  }

  get lastLsn(): number {
    return this.entries.length;
  }

  get lastEpoch(): number {
    return this.entries.length === 0 ? 0 : this.entries[this.entries.length - 1].epoch;
  }

  get position(): LogPosition {
    return { lastEpoch: this.lastEpoch, lastLsn: this.lastLsn };
  }

  entry(lsn: number): LogEntry | undefined {
    return this.entries[lsn - 1];
  }

  /** The epoch of the entry at lsn; 0 for lsn 0 ("before the first entry"). */
  epochAt(lsn: number): number {
    if (lsn === 0) return 0;
    const entry = this.entries[lsn - 1];
    if (!entry) throw new Error(`replication log: no entry at LSN ${lsn}; the log ends at ${this.lastLsn}`);
    return entry.epoch;
  }

  /** Entries fromLsn..toLsn inclusive (clipped to the log). */
  slice(fromLsn: number, toLsn: number): LogEntry[] {
    return this.entries.slice(Math.max(0, fromLsn - 1), Math.min(this.entries.length, toLsn));
  }

  epochSegments(): EpochSegment[] {
    return this.segments.map((s) => ({ ...s }));
  }

  /** The LSN of a client's write if this log holds it. */
  lsnOfWrite(writeId: string): number | undefined {
    return this.lsnByWriteId.get(writeId);
  }

  /** Appends an entry in memory and to the disk's buffer (durable only after the next fsync). */
  append(entry: LogEntry): void {
    this.remember(entry, 'on append');
    this.disk.append(LOG_FILE, entry);
  }

  /**
   * Drops every entry after lsn and returns them. The disk file is rewritten, which, like
   * any write, becomes durable with the next fsync.
   */
  truncateAfter(lsn: number): LogEntry[] {
    if (lsn >= this.entries.length) return [];
    if (lsn < 0) throw new Error(`replication log: cannot truncate after LSN ${lsn}`);
    const dropped = this.entries.splice(lsn);
    for (const entry of dropped) if (entry.writeId !== null) this.lsnByWriteId.delete(entry.writeId);
    while (this.segments.length > 0 && this.segments[this.segments.length - 1].firstLsn > lsn) this.segments.pop();
    this.disk.overwrite(LOG_FILE, this.entries);
    return dropped;
  }

  /** Adds an entry to the in-memory structures after checking the invariants of a log. */
  private remember(entry: LogEntry, when: string): void {
    if (entry.lsn !== this.entries.length + 1) {
      throw new Error(`replication log invariant broken ${when}: entry LSN ${entry.lsn} after LSN ${this.entries.length}; LSNs must be consecutive`);
    }
    if (entry.epoch < this.lastEpoch) {
      throw new Error(`replication log invariant broken ${when}: entry at LSN ${entry.lsn} has epoch ${entry.epoch} after epoch ${this.lastEpoch}; epochs never go back`);
    }
    if (this.entries.length >= this.maxRecords) {
      throw new LimitExceededError(`replication log holds ${this.entries.length} entries, its limit (maxLogRecords = ${this.maxRecords})`);
    }
    this.entries.push(entry);
    if (entry.epoch !== this.lastEpochOfSegments()) this.segments.push({ epoch: entry.epoch, firstLsn: entry.lsn });
    if (entry.writeId !== null) this.lsnByWriteId.set(entry.writeId, entry.lsn);
  }

  private lastEpochOfSegments(): number {
    return this.segments.length === 0 ? 0 : this.segments[this.segments.length - 1].epoch;
  }
}

/** The epoch ranges of a log as [epoch, first, last] triples. */
function ranges(segments: readonly EpochSegment[], lastLsn: number): Array<[number, number, number]> {
  return segments.map((s, i) => [s.epoch, s.firstLsn, i + 1 < segments.length ? segments[i + 1].firstLsn - 1 : lastLsn]);
}

/**
 * The last LSN two logs agree on. By log matching, they agree up to LSN n exactly when
 * their entries at n have the same epoch, so it is enough to intersect, epoch by epoch,
 * the LSN ranges each log holds, and take the highest LSN in any intersection.
 */
export function lastCommonLsn(a: readonly EpochSegment[], aLastLsn: number, b: readonly EpochSegment[], bLastLsn: number): number {
  const bRanges = ranges(b, bLastLsn);
  let best = 0;
  for (const [epoch, aFirst, aLast] of ranges(a, aLastLsn)) {
    for (const [bEpoch, bFirst, bLast] of bRanges) {
      if (bEpoch !== epoch) continue;
      const from = Math.max(aFirst, bFirst);
      const to = Math.min(aLast, bLast);
      if (from <= to && to > best) best = to;
    }
  }
  return best;
}

/**
 * Raft's election restriction: a log is at least as up to date as another when its last
 * entry has a higher epoch, or the same epoch and at least the same LSN.
 */
export function isAtLeastAsUpToDate(a: LogPosition, b: LogPosition): boolean {
  return a.lastEpoch > b.lastEpoch || (a.lastEpoch === b.lastEpoch && a.lastLsn >= b.lastLsn);
}
