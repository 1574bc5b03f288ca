/**
 * A node's disk: named files of records. Writes land in the page cache first and are
 * lost by a crash; only what fsync made durable survives. This is exactly why a database
 * must fsync its write-ahead log before it tells a client "committed".
 *
 * Records are deep-copied on the way in and out, so a node cannot keep a reference that
 * lets volatile state leak into "disk" (or back) by mutation.
 */
interface DiskFile {
  /** Bumped by every whole-file rewrite and every crash: content of one generation only grows. */
  generation: number;
  /** What the node sees: durable records plus its unsynced writes. */
  content: unknown[];
  /** The durable file is the first durableLength records of durableContent (of durableGeneration). */
  durableGeneration: number;
  durableContent: unknown[];
  durableLength: number;
}

/** What an fsync covers: the state of every file at the moment the fsync was issued. */
export interface SyncPoint {
  files: Array<{ file: DiskFile; generation: number; content: unknown[]; length: number }>;
}

export interface DiskStats {
  recordsWritten: number;
  fsyncs: number;
  /** Records that were written but never fsynced when the node crashed. */
  recordsLostInCrashes: number;
}

export class SimDisk {
  private readonly files = new Map<string, DiskFile>();
  private nextGeneration = 1;
  readonly stats: DiskStats = { recordsWritten: 0, fsyncs: 0, recordsLostInCrashes: 0 };

  private file(name: string): DiskFile {
    let file = this.files.get(name);
    if (!file) {
      const content: unknown[] = [];
      const generation = this.nextGeneration++;
      file = { generation, content, durableGeneration: generation, durableContent: content, durableLength: 0 };
      this.files.set(name, file);
    }
    return file;
  }

  /** Appends one record (buffered until fsync). */
  append(name: string, record: unknown): void {
    this.file(name).content.push(structuredClone(record));
    this.stats.recordsWritten++;
  }

  /** Replaces the whole file (buffered until fsync): metadata, a checkpoint, a truncated log. */
  overwrite(name: string, records: readonly unknown[]): void {
    const file = this.file(name);
    file.generation = this.nextGeneration++;
    file.content = records.map((r) => structuredClone(r));
    this.stats.recordsWritten += records.length;
  }

  /** Convenience for a one-record file such as "the current epoch". */
  put(name: string, value: unknown): void {
    this.overwrite(name, [value]);
  }

  /** What the node sees now: the durable records plus its own unsynced writes. */
  read(name: string): unknown[] {
    const file = this.files.get(name);
    return file ? file.content.map((r) => structuredClone(r)) : [];
  }

  get<T>(name: string): T | undefined {
    const file = this.files.get(name);
    if (!file || file.content.length === 0) return undefined;
    return structuredClone(file.content[file.content.length - 1]) as T;
  }

  /** Number of records visible now (durable + unsynced). */
  length(name: string): number {
    return this.files.get(name)?.content.length ?? 0;
  }

  /** Number of records that would survive a crash right now. */
  durableLength(name: string): number {
    const file = this.files.get(name);
    return file ? file.durableLength : 0;
  }

  fileNames(): string[] {
    return [...this.files.keys()].sort();
  }

  /**
   * Remembers what every file holds now. An fsync issued now covers exactly this, not the
   * writes that happen while it is in flight.
   */
  syncPoint(): SyncPoint {
    return { files: [...this.files.values()].map((file) => ({ file, generation: file.generation, content: file.content, length: file.content.length })) };
  }

  /** Makes a sync point durable (unless something newer already is). */
  completeSync(point: SyncPoint): void {
    this.stats.fsyncs++;
    for (const { file, generation, content, length } of point.files) {
      const newer = generation > file.durableGeneration || (generation === file.durableGeneration && length > file.durableLength);
      if (!newer) continue;
      file.durableGeneration = generation;
      file.durableContent = content;
      file.durableLength = length;
    }
  }

  /** Makes every buffered write durable at once. The simulated fsync itself takes no time. */
  fsync(): void {
    this.completeSync(this.syncPoint());
  }

  /** Called by the simulator on a crash: the page cache is gone. */
  loseUnsyncedWrites(): number {
    let lost = 0;
    for (const file of this.files.values()) {
      const sameGeneration = file.generation === file.durableGeneration;
      lost += sameGeneration ? file.content.length - file.durableLength : file.content.length;
      file.content = file.durableContent.slice(0, file.durableLength);
      file.generation = this.nextGeneration++;
      file.durableGeneration = file.generation;
      file.durableContent = file.content;
    }
    this.stats.recordsLostInCrashes += lost;
    return lost;
  }
}

/** What code that stores records needs of a disk: a SimDisk, or a process's view of one. */
export type Disk = Pick<SimDisk, 'append' | 'overwrite' | 'put' | 'read' | 'get' | 'length' | 'durableLength' | 'fileNames' | 'syncPoint' | 'completeSync' | 'fsync' | 'stats'>;

/**
 * One process incarnation's view of its node's disk. Once that process has crashed, its writes
 * and fsyncs are dropped: a handler that crashes its own node (a fault injected at a protocol
 * milestone) runs on to its end in JavaScript, but a dead process writes nothing, so nothing it
 * "wrote" after the crash may reach the next incarnation. Reads still answer. The operator's
 * handle (NodeHandle.disk) is the disk itself, so tests can still corrupt files of a node that
 * is down.
 */
export class ProcessDisk implements Disk {
  constructor(
    private readonly disk: SimDisk,
    private readonly alive: () => boolean,
  ) {}

  get stats(): DiskStats {
    return this.disk.stats;
  }

  append(name: string, record: unknown): void {
    if (this.alive()) this.disk.append(name, record);
  }

  overwrite(name: string, records: readonly unknown[]): void {
    if (this.alive()) this.disk.overwrite(name, records);
  }

  put(name: string, value: unknown): void {
    if (this.alive()) this.disk.put(name, value);
  }

  read(name: string): unknown[] {
    return this.disk.read(name);
  }

  get<T>(name: string): T | undefined {
    return this.disk.get<T>(name);
  }

  length(name: string): number {
    return this.disk.length(name);
  }

  durableLength(name: string): number {
    return this.disk.durableLength(name);
  }

  fileNames(): string[] {
    return this.disk.fileNames();
  }

  syncPoint(): SyncPoint {
    return this.disk.syncPoint();
  }

  completeSync(point: SyncPoint): void {
    if (this.alive()) this.disk.completeSync(point);
  }

  fsync(): void {
    if (this.alive()) this.disk.fsync();
  }
}
