/**
 * The multi-version key-value store under the database: every committed write adds a
 * new version of its key instead of overwriting the old one, so a reader with an older
 * snapshot keeps seeing the value that was current when its snapshot was taken, without
 * taking any lock.
 *
 * Each version carries the transaction that created it (xmin) and the one that replaced
 * or deleted it (xmax), as PostgreSQL's tuple headers do, plus the commit sequence
 * numbers between which it was the current one [beginSeq, endSeq). A snapshot is just a
 * commit sequence number: a reader at snapshot s sees, for each key, the version with
 * beginSeq ≤ s < endSeq. Versions are installed only when their transaction commits, so
 * the store never holds uncommitted data; a transaction's pending writes live in the
 * transaction itself (and in the WAL).
 */
import { LimitExceededError } from '../sim';

/** A value the store can hold: anything JSON can carry (the WAL stores it as JSON). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Transaction id of versions loaded from a checkpoint image: "frozen", older than every snapshot. */
export const FROZEN_TX_ID = 0;

export interface Version {
  /** null: this version is a deletion (a tombstone). */
  value: JsonValue | null;
  /** Transaction that created this version. */
  xmin: number;
  /** Transaction that replaced or deleted it; 0 while it is the current version. */
  xmax: number;
  beginSeq: number;
  /** Infinity while current. */
  endSeq: number;
}

export class VersionStore {
  private readonly rows = new Map<string, Version[]>();
  private versionTotal = 0;
  /**
   * Keys whose newest version is a tombstone, in commit order (tombstones are installed in
   * seq order, so the queue is sorted by seq). A deleted key gets no more installs of its
   * own, so nothing at install time would ever prune it: every install sweeps this queue up
   * to the horizon instead, as autovacuum would, so a table that is written and deleted
   * (an outbox) does not keep every key it ever held.
   */
  private tombstones: Array<{ key: string; seq: number }> = [];
  private tombstonesHead = 0;

  constructor(private readonly maxVersionsPerKey = 10_000) {}

  /** The value of `key` as of snapshot `seq`; undefined when absent or deleted then. */
  readAt(key: string, seq: number): JsonValue | undefined {
    const versions = this.rows.get(key);
    if (!versions) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i];
      if (v.beginSeq <= seq && seq < v.endSeq) return v.value === null ? undefined : v.value;
    }
    return undefined;
  }

  /** The current committed version of a key, tombstones included. */
  latest(key: string): Version | undefined {
    const versions = this.rows.get(key);
    return versions ? versions[versions.length - 1] : undefined;
  }

  /** The current committed value (undefined when absent or deleted). */
  readLatest(key: string): JsonValue | undefined {
    const v = this.latest(key);
    return v === undefined || v.value === null ? undefined : v.value;
  }

  /**
   * Installs a committed write: ends the current version at `seq` (setting its xmax) and
   * adds the new one. Versions that ended at or before `horizonSeq` can be seen by no
   * running snapshot any more and are pruned here, as PostgreSQL's page pruning does.
   */
  install(key: string, value: JsonValue | null, txId: number, seq: number, horizonSeq: number): void {
    let versions = this.rows.get(key);
    if (!versions) {
      if (value === null) return; // deleting a key that never existed leaves nothing behind
      versions = [];
      this.rows.set(key, versions);
    }
    const current = versions[versions.length - 1];
    if (current) {
      if (current.beginSeq > seq) throw new Error(`VersionStore: install of ${key} at commit seq ${seq}, older than its current version (seq ${current.beginSeq})`);
      current.xmax = txId;
      current.endSeq = seq;
    }
    versions.push({ value, xmin: txId, xmax: 0, beginSeq: seq, endSeq: Infinity });
    this.versionTotal++;
    if (value === null) this.tombstones.push({ key, seq });
    this.prune(key, versions, horizonSeq);
    this.sweepTombstones(horizonSeq);
    if (versions.length > this.maxVersionsPerKey) {
      throw new LimitExceededError(`VersionStore: key ${key} holds ${versions.length} versions, its limit (maxVersionsPerKey = ${this.maxVersionsPerKey}); a very old snapshot is keeping them alive`);
    }
  }

  private prune(key: string, versions: Version[], horizonSeq: number): void {
    let dead = 0;
    while (dead < versions.length - 1 && versions[dead].endSeq <= horizonSeq) dead++;
    if (dead > 0) {
      versions.splice(0, dead);
      this.versionTotal -= dead;
    }
    const only = versions[0];
    if (versions.length === 1 && only.value === null && only.beginSeq <= horizonSeq) {
      this.rows.delete(key);
      this.versionTotal--;
    }
  }

  /** Removes deleted keys whose tombstone no running snapshot can still look behind. */
  private sweepTombstones(horizonSeq: number): void {
    const queue = this.tombstones;
    while (this.tombstonesHead < queue.length && queue[this.tombstonesHead].seq <= horizonSeq) {
      const { key, seq } = queue[this.tombstonesHead++];
      const versions = this.rows.get(key);
      // Gone already, or written again since: then its own installs prune it.
      if (versions && versions[versions.length - 1].beginSeq === seq) this.prune(key, versions, horizonSeq);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator,ArithmeticOperator,BlockStatement: compaction only bounds memory; any condition leaves the same entries from tombstonesHead on
    if (this.tombstonesHead > 1024 && this.tombstonesHead * 2 > queue.length) {
      this.tombstones = queue.slice(this.tombstonesHead);
      this.tombstonesHead = 0;
    }
  }

  /** Loads a row from a checkpoint image as a frozen version visible to every snapshot. */
  loadFrozen(key: string, value: JsonValue): void {
    if (this.rows.has(key)) throw new Error(`VersionStore: checkpoint image holds key ${key} twice`);
    this.rows.set(key, [{ value, xmin: FROZEN_TX_ID, xmax: 0, beginSeq: 0, endSeq: Infinity }]);
    this.versionTotal++;
  }

  /** Keys that have any version, sorted; with a prefix, only keys starting with it. */
  keys(prefix = ''): string[] {
    const out: string[] = [];
    for (const key of this.rows.keys()) if (key.startsWith(prefix)) out.push(key);
    return out.sort();
  }

  /** Every key's current committed value, sorted by key: what a checkpoint image holds. */
  committedRows(): Array<[string, JsonValue]> {
    const out: Array<[string, JsonValue]> = [];
    for (const key of this.keys()) {
      const v = this.readLatest(key);
      if (v !== undefined) out.push([key, v]);
    }
    return out;
  }

  /** All versions of a key, oldest first (for lessons that show xmin/xmax). */
  versionsOf(key: string): Version[] {
    return (this.rows.get(key) ?? []).map((v) => ({ ...v }));
  }

  get versionCount(): number {
    return this.versionTotal;
  }

  get keyCount(): number {
    return this.rows.size;
  }
}
