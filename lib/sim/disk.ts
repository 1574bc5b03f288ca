/**
 * A node's disk: named files of records. Writes land in the page cache first and are
 * lost by a crash; only what fsync made durable survives. This is exactly why a database
 * must fsync its write-ahead log before it tells a client "committed".
 *
 * Records are deep-copied on the way in and out, so a node cannot keep a reference that
 * lets volatile state leak into "disk" (or back) by mutation.
 */
interface DiskFile {
  durable: unknown[];
  /** Appends since the last fsync; dropped by a crash. */
  pendingAppends: unknown[];
  /** A whole-file rewrite since the last fsync (then pendingAppends is empty). */
  pendingReplace: unknown[] | null;
}

export interface DiskStats {
  recordsWritten: number;
  fsyncs: number;
  /** Records that were written but never fsynced when the node crashed. */
  recordsLostInCrashes: number;
}

export class SimDisk {
  private readonly files = new Map<string, DiskFile>();
  readonly stats: DiskStats = { recordsWritten: 0, fsyncs: 0, recordsLostInCrashes: 0 };

  private file(name: string): DiskFile {
    let file = this.files.get(name);
    if (!file) {
      file = { durable: [], pendingAppends: [], pendingReplace: null };
      this.files.set(name, file);
    }
    return file;
  }

  /** Appends one record (buffered until fsync). */
  append(name: string, record: unknown): void {
    const file = this.file(name);
    const copy = structuredClone(record);
    if (file.pendingReplace) file.pendingReplace.push(copy);
    else file.pendingAppends.push(copy);
    this.stats.recordsWritten++;
  }

  /** Replaces the whole file (buffered until fsync): metadata, a checkpoint, a truncated log. */
  overwrite(name: string, records: readonly unknown[]): void {
    const file = this.file(name);
    file.pendingReplace = records.map((r) => structuredClone(r));
    file.pendingAppends = [];
    this.stats.recordsWritten += records.length;
  }

  /** Convenience for a one-record file such as "the current epoch". */
  put(name: string, value: unknown): void {
    this.overwrite(name, [value]);
  }

  /** What the node sees now: the durable records plus its own unsynced writes. */
  read(name: string): unknown[] {
    const file = this.files.get(name);
    if (!file) return [];
    const visible = file.pendingReplace ?? file.durable.concat(file.pendingAppends);
    return visible.map((r) => structuredClone(r));
  }

  get<T>(name: string): T | undefined {
    const records = this.read(name);
    return records.length > 0 ? (records[records.length - 1] as T) : undefined;
  }

  /** Number of records visible now (durable + unsynced). */
  length(name: string): number {
    const file = this.files.get(name);
    if (!file) return 0;
    return file.pendingReplace ? file.pendingReplace.length : file.durable.length + file.pendingAppends.length;
  }

  /** Number of records that would survive a crash right now. */
  durableLength(name: string): number {
    return this.files.get(name)?.durable.length ?? 0;
  }

  fileNames(): string[] {
    return [...this.files.keys()].sort();
  }

  /** Makes every buffered write durable. The simulated fsync itself takes no time. */
  fsync(): void {
    this.stats.fsyncs++;
    for (const file of this.files.values()) {
      if (file.pendingReplace) {
        file.durable = file.pendingReplace;
        file.pendingReplace = null;
      } else {
        for (const record of file.pendingAppends) file.durable.push(record);
      }
      file.pendingAppends = [];
    }
  }

  /** Called by the simulator on a crash: the page cache is gone. */
  loseUnsyncedWrites(): number {
    let lost = 0;
    for (const file of this.files.values()) {
      lost += file.pendingAppends.length + (file.pendingReplace ? file.pendingReplace.length : 0);
      file.pendingAppends = [];
      file.pendingReplace = null;
    }
    this.stats.recordsLostInCrashes += lost;
    return lost;
  }
}
