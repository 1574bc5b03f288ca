/**
 * The write-ahead log: every change is appended here, and made durable with fsync,
 * before it may be acknowledged. The rule that makes crash recovery possible is simple:
 * nothing is "committed" until the log record that says so is on stable storage.
 *
 * Layout on the simulated disk: segment files named `<prefix><start LSN in hex>`, each a
 * stream of frames (see wal-frame.ts) written in sector-sized chunks. Segments let a
 * checkpoint drop old log cheaply (empty the whole file) without rewriting the live one.
 *
 * Group commit: only one fsync is in flight at a time. With groupCommit on, every frame
 * appended while an fsync runs is written and synced together by the next one, so many
 * commits share one fsync. With it off, each flush request gets an fsync of its own,
 * one after another: the throughput ceiling is 1 / fsync latency.
 */
import type { Disk } from '../sim';
import { LimitExceededError, OptionError, checkKnownKeys, checkNumber } from '../sim';
import { FrameProblem, LSN_MAX, chunkText, decodeFrames, encodeFrame } from './wal-frame';

/** What the log needs from its node: the disk, and fsync with the node's latency. */
export interface WalIo {
  readonly disk: Disk;
  fsync(onDurable: () => void): void;
  /** True simulation time, used only to stamp when a frame became durable (replication lag metrics). */
  simTimeMs(): number;
}

export interface WalOptions {
  /** File-name prefix of the segments. Default 'wal/'. */
  prefix?: string;
  /** Characters written atomically in one disk record (a sector). Default 512. */
  sectorChars?: number;
  /** Frames per segment before a new segment starts. Default 1024. */
  segmentFrames?: number;
  /** Share one fsync among all frames appended while the previous fsync ran. Default true. */
  groupCommit?: boolean;
  /** Frames kept in memory (since the last truncation) before the log refuses more. Default 1,000,000. */
  maxRetainedFrames?: number;
  /** Flush requests waiting for an fsync. Default 100,000. */
  maxWaiters?: number;
}

const WAL_KEYS = ['prefix', 'sectorChars', 'segmentFrames', 'groupCommit', 'maxRetainedFrames', 'maxWaiters'];

export interface WalEntry<P> {
  lsn: number;
  payload: P;
  /** True simulation time at which this frame became durable on this node; NaN when unknown (recovered from disk). */
  durableAtMs: number;
}

/** What recovery cut off the end of the log, and why. */
export interface WalTailCut {
  segment: string;
  /** The LSN the first discarded frame would have had. */
  lsn: number;
  reason: FrameProblem | 'segment-gap';
  /** Characters discarded, including whole later segments. */
  discardedChars: number;
}

export interface WalOpenReport {
  segmentsRead: number;
  framesRead: number;
  charsRead: number;
  /** First LSN still on disk (0 when the log is empty). */
  firstLsn: number;
  /** Last valid LSN (0 when the log is empty). */
  lastLsn: number;
  tailCut: WalTailCut | null;
}

export interface WalStats {
  framesAppended: number;
  charsAppended: number;
  /** fsyncs the log asked for. */
  fsyncs: number;
  /** Frames made durable, summed over fsyncs; framesFlushed / fsyncs is the mean group size. */
  framesFlushed: number;
  chunksWritten: number;
  largestGroupFrames: number;
}

interface Segment {
  name: string;
  startLsn: number;
  frames: number;
  chars: number;
}

interface Waiter {
  lsn: number;
  onDurable: () => void;
}

const SEGMENT_NAME_DIGITS = 12;

function segmentName(prefix: string, startLsn: number): string {
  const text = startLsn.toString(16);
  return prefix + '0'.repeat(Math.max(0, SEGMENT_NAME_DIGITS - text.length)) + text;
}

/** The WAL segment files under a prefix, in LSN order, with their start LSNs. */
export function walSegmentFiles(disk: Disk, prefix: string): Array<{ name: string; startLsn: number }> {
  const files: Array<{ name: string; startLsn: number }> = [];
  for (const name of disk.fileNames()) {
    if (!name.startsWith(prefix)) continue;
    const suffix = name.slice(prefix.length);
    if (!/^[0-9a-f]+$/.test(suffix)) continue;
    files.push({ name, startLsn: parseInt(suffix, 16) });
  }
  return files.sort((a, b) => a.startLsn - b.startLsn);
}

export class WriteAheadLog<P> {
  readonly prefix: string;
  readonly groupCommit: boolean;
  readonly stats: WalStats = { framesAppended: 0, charsAppended: 0, fsyncs: 0, framesFlushed: 0, chunksWritten: 0, largestGroupFrames: 0 };

  private readonly sectorChars: number;
  private readonly segmentFrames: number;
  private readonly maxRetainedFrames: number;
  private readonly maxWaiters: number;
  private readonly segments: Segment[] = [];
  /** Payloads from firstRetainedLsn to lastLsn, and when each became durable. */
  // Stryker disable next-line ArrayDeclaration: the constructor always replaces this initial value
  private payloads: P[] = [];
  // Stryker disable next-line ArrayDeclaration: the constructor always replaces this initial value
  private durableAt: number[] = [];
  private retainedStartLsn: number;
  /** Encoded frames appended but not yet written to disk: LSNs writtenLsn+1 ... lastLsn. */
  private unwritten: string[] = [];
  private unwrittenHead = 0;
  private waiters: Waiter[] = [];
  private waitersHead = 0;
  private flushing = false;
  private cutAwaitingSync: boolean;
  private readonly durableListeners: Array<(durableLsn: number) => void> = [];
  private last: number;
  private written: number;
  private durable: number;

  private constructor(
    private readonly io: WalIo,
    options: Required<WalOptions>,
    recovered: { payloads: P[]; firstLsn: number; lastLsn: number; segments: Segment[]; cutAwaitingSync: boolean },
  ) {
    this.prefix = options.prefix;
    this.groupCommit = options.groupCommit;
    this.sectorChars = options.sectorChars;
    this.segmentFrames = options.segmentFrames;
    this.maxRetainedFrames = options.maxRetainedFrames;
    this.maxWaiters = options.maxWaiters;
    this.payloads = recovered.payloads;
    this.durableAt = recovered.payloads.map(() => NaN);
    this.retainedStartLsn = recovered.firstLsn;
    this.segments.push(...recovered.segments);
    this.last = recovered.lastLsn;
    this.written = recovered.lastLsn;
    this.durable = recovered.lastLsn;
    this.cutAwaitingSync = recovered.cutAwaitingSync;
  }

  /**
   * Opens the log on a node's disk: reads every segment, checks every frame, and cuts the
   * log at the first torn or corrupt frame (rewriting that segment without it and
   * emptying any later one). Nothing after a bad frame is ever replayed. When a cut was
   * made, call syncCut() and wait before appending, so new frames never land behind garbage.
   *
   * continueFromLsn: the log must continue at least from here, because a checkpoint image
   * already covers everything before it. It matters when a checkpoint emptied the segment
   * holding its last frames and the crash took the (unsynced) next segment: the disk then
   * holds no frame at or after the image, yet LSNs before it must never be reused.
   */
  static open<P>(io: WalIo, options: WalOptions = {}, continueFromLsn = 1): { wal: WriteAheadLog<P>; report: WalOpenReport; entries: Array<WalEntry<P>> } {
    checkKnownKeys('WAL options', options, WAL_KEYS);
    const resolved: Required<WalOptions> = {
      prefix: options.prefix ?? 'wal/',
      sectorChars: checkNumber('WAL sectorChars', options.sectorChars ?? 512, { integer: true, min: 32 }),
      segmentFrames: checkNumber('WAL segmentFrames', options.segmentFrames ?? 1024, { integer: true, min: 1 }),
      groupCommit: options.groupCommit ?? true,
      maxRetainedFrames: checkNumber('WAL maxRetainedFrames', options.maxRetainedFrames ?? 1_000_000, { integer: true, min: 1 }),
      maxWaiters: checkNumber('WAL maxWaiters', options.maxWaiters ?? 100_000, { integer: true, min: 1 }),
    };
    if (typeof resolved.prefix !== 'string' || resolved.prefix.length === 0) throw new OptionError(`WAL prefix: got ${JSON.stringify(resolved.prefix)}; allowed: a non-empty string such as "wal/"`);
    if (typeof resolved.groupCommit !== 'boolean') throw new OptionError(`WAL groupCommit: got ${JSON.stringify(resolved.groupCommit)}; allowed: true | false`);

    const disk = io.disk;
    const files = walSegmentFiles(disk, resolved.prefix);
    const payloads: P[] = [];
    const entries: Array<WalEntry<P>> = [];
    const segments: Segment[] = [];
    const report: WalOpenReport = { segmentsRead: 0, framesRead: 0, charsRead: 0, firstLsn: 0, lastLsn: 0, tailCut: null };
    let nextLsn = 0;
    let cut: WalTailCut | null = null;
    for (const file of files) {
      const chunks = disk.read(file.name) as string[];
      const stream = chunks.join('');
      if (cut) {
        // Everything after the cut is discarded, whole segments included.
        // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty file overwritten with nothing and counted as 0 discarded characters is the same
        if (stream.length > 0) {
          cut.discardedChars += stream.length;
          disk.overwrite(file.name, []);
        }
        continue;
      }
      if (stream.length === 0) {
        // An emptied (truncated) segment. If it is the one a cut left empty, its start
        // LSN is where the log continues.
        // Stryker disable next-line ConditionalExpression: `nextLsn !== 0` → true is equivalent: segment files start at LSN 1 or later, so startLsn === nextLsn already fails while nextLsn is 0
        if (nextLsn !== 0 && file.startLsn === nextLsn) segments.push({ name: file.name, startLsn: file.startLsn, frames: 0, chars: 0 });
        continue;
      }
      report.segmentsRead++;
      report.charsRead += stream.length;
      if (nextLsn !== 0 && file.startLsn !== nextLsn) {
        cut = { segment: file.name, lsn: nextLsn, reason: 'segment-gap', discardedChars: stream.length };
        disk.overwrite(file.name, []);
        continue;
      }
      if (nextLsn === 0) report.firstLsn = file.startLsn;
      const decoded = decodeFrames(stream, file.startLsn);
      for (const frame of decoded.frames) {
        payloads.push(frame.payload as P);
        entries.push({ lsn: frame.lsn, payload: frame.payload as P, durableAtMs: NaN });
      }
      report.framesRead += decoded.frames.length;
      nextLsn = file.startLsn + decoded.frames.length;
      segments.push({ name: file.name, startLsn: file.startLsn, frames: decoded.frames.length, chars: decoded.validChars });
      if (decoded.problem) {
        cut = { segment: file.name, lsn: decoded.problem.lsn, reason: decoded.problem.reason, discardedChars: stream.length - decoded.validChars };
        disk.overwrite(file.name, chunkText(stream.slice(0, decoded.validChars), resolved.sectorChars));
      }
    }
    report.tailCut = cut;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: continueFromLsn 1 is never above any next LSN, and an empty disk (nextLsn 0 or 1) is below any continueFromLsn > 1 either way
    if (continueFromLsn > 1 && (nextLsn === 0 ? 1 : nextLsn) < continueFromLsn) {
      // Everything on disk is older than the checkpoint image: drop it (durably, before any
      // append, via the same syncCut as a torn tail) and start a fresh segment at continueFromLsn.
      for (const segment of segments) disk.overwrite(segment.name, []);
      segments.length = 0;
      payloads.length = 0;
      entries.length = 0;
      report.firstLsn = 0;
      nextLsn = continueFromLsn;
      const wal = new WriteAheadLog<P>(io, resolved, { payloads, firstLsn: continueFromLsn, lastLsn: continueFromLsn - 1, segments, cutAwaitingSync: true });
      report.lastLsn = continueFromLsn - 1;
      return { wal, report, entries };
    }
    const lastLsn = nextLsn === 0 ? 0 : nextLsn - 1;
    // Stryker disable next-line ConditionalExpression: firstLsn is 0 only when no frame was read, and then lastLsn is 0 too
    report.lastLsn = report.firstLsn === 0 ? 0 : lastLsn;
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: with no frame read lastLsn is 0, and Math.max(…, 1) below turns 0, -1 and 1 all into 1
    const firstLsn = report.firstLsn === 0 ? lastLsn + 1 : report.firstLsn;
    const wal = new WriteAheadLog<P>(io, resolved, { payloads, firstLsn: Math.max(firstLsn, 1), lastLsn, segments, cutAwaitingSync: cut !== null });
    return { wal, report, entries };
  }

  /** The LSN of the newest frame appended (0 when none). */
  get lastLsn(): number {
    return this.last;
  }

  /** Every frame up to this LSN survives a crash. */
  get durableLsn(): number {
    return this.durable;
  }

  /** Frames written to the disk's page cache (not necessarily durable). */
  get writtenLsn(): number {
    return this.written;
  }

  /** The oldest LSN still held (in memory and on disk); older frames were truncated by a checkpoint. */
  get firstRetainedLsn(): number {
    return this.retainedStartLsn;
  }

  get retainedFrames(): number {
    return this.payloads.length;
  }

  /** Size of the log on disk: characters in the segments still kept (1 character ≈ 1 byte here). */
  get sizeChars(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.chars;
    return total;
  }

  get segmentCount(): number {
    return this.segments.filter((s) => s.frames > 0).length;
  }

  /** True while a recovery cut waits for syncCut(). */
  get awaitingCutSync(): boolean {
    return this.cutAwaitingSync;
  }

  /** Makes a recovery cut durable; appends are refused until onSynced runs. */
  syncCut(onSynced: () => void): void {
    if (!this.cutAwaitingSync) {
      onSynced();
      return;
    }
    this.io.fsync(() => {
      this.cutAwaitingSync = false;
      onSynced();
    });
  }

  /** Called with the new durable LSN after every fsync that advanced it (the WAL sender listens). */
  onDurable(listener: (durableLsn: number) => void): void {
    this.durableListeners.push(listener);
  }

  /** Appends one frame to the log buffer (memory only until a flush) and returns its LSN. */
  append(payload: P): number {
    return this.appendAt(this.last + 1, payload);
  }

  /**
   * Appends a frame with a given LSN, which must be the next one. A standby uses this to
   * store the primary's frames under the primary's LSNs (physical replication).
   */
  appendAt(lsn: number, payload: P): number {
    if (this.cutAwaitingSync) throw new Error(`WAL ${this.prefix}: a torn tail was cut at open and is not durable yet; call syncCut() and wait before appending`);
    if (lsn !== this.last + 1) throw new Error(`WAL ${this.prefix}: appendAt got LSN ${lsn}; allowed: exactly the next LSN, ${this.last + 1}`);
    if (this.payloads.length >= this.maxRetainedFrames) {
      throw new LimitExceededError(`WAL ${this.prefix} holds ${this.payloads.length} frames since LSN ${this.retainedStartLsn}, its limit (maxRetainedFrames = ${this.maxRetainedFrames}); checkpoint more often, or a standby's replication slot is holding the log back`);
    }
    if (lsn > LSN_MAX) throw new LimitExceededError(`WAL ${this.prefix}: LSN ${lsn} exceeds the largest LSN ${LSN_MAX}`);
    const frame = encodeFrame(lsn, payload);
    this.last = lsn;
    this.payloads.push(payload);
    this.durableAt.push(NaN);
    this.unwritten.push(frame);
    this.stats.framesAppended++;
    this.stats.charsAppended += frame.length;
    return lsn;
  }

  /**
   * Asks for every frame up to `lsn` to be made durable; onDurable runs once it is (at
   * once if it already is). Waiters are woken in LSN order.
   */
  flush(lsn: number, onDurable: () => void): void {
    if (!(lsn <= this.last)) throw new Error(`WAL ${this.prefix}: flush up to LSN ${lsn}, but the last LSN appended is ${this.last}`);
    if (lsn <= this.durable) {
      onDurable();
      return;
    }
    if (this.waiters.length - this.waitersHead >= this.maxWaiters) {
      throw new LimitExceededError(`WAL ${this.prefix}: ${this.maxWaiters} flush requests are waiting for fsync, its limit (maxWaiters)`);
    }
    const waiter = { lsn, onDurable };
    const waiters = this.waiters;
    // Requests almost always arrive in LSN order; insert in place when one does not.
    let i = waiters.length;
    while (i > this.waitersHead && waiters[i - 1].lsn > lsn) i--;
    waiters.splice(i, 0, waiter);
    this.kick();
  }

  /** Starts the next write + fsync if none is in flight and someone is waiting. */
  private kick(): void {
    if (this.flushing || this.waitersHead >= this.waiters.length) return;
    const target = this.groupCommit ? this.last : this.waiters[this.waitersHead].lsn;
    const frames = target - this.written;
    this.writeFrames(frames);
    this.flushing = true;
    this.stats.fsyncs++;
    this.stats.framesFlushed += frames;
    // Stryker disable next-line EqualityOperator: >= assigns the value it already holds
    if (frames > this.stats.largestGroupFrames) this.stats.largestGroupFrames = frames;
    this.io.fsync(() => this.fsyncDone(target));
  }

  private fsyncDone(target: number): void {
    this.flushing = false;
    const nowMs = this.io.simTimeMs();
    for (let lsn = Math.max(this.durable + 1, this.retainedStartLsn); lsn <= target; lsn++) this.durableAt[lsn - this.retainedStartLsn] = nowMs;
    this.durable = target;
    const waiters = this.waiters;
    const woken: Waiter[] = [];
    while (this.waitersHead < waiters.length && waiters[this.waitersHead].lsn <= target) woken.push(waiters[this.waitersHead++]);
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,BlockStatement: compaction only bounds memory; any condition leaves the same waiters from waitersHead on
    if (this.waitersHead > 1024 && this.waitersHead * 2 > waiters.length) {
      this.waiters = waiters.slice(this.waitersHead);
      this.waitersHead = 0;
    }
    for (const listener of this.durableListeners) listener(target);
    for (const waiter of woken) waiter.onDurable();
    this.kick();
  }

  /** Writes the next `count` unwritten frames to their segments, in sector-sized chunks. */
  private writeFrames(count: number): void {
    const disk = this.io.disk;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with no segment, segments[-1] is undefined, which the code treats exactly like null
    let segment = this.segments.length > 0 ? this.segments[this.segments.length - 1] : null;
    let pending = '';
    const emit = () => {
      // Stryker disable next-line ConditionalExpression,LogicalOperator: pending is empty whenever segment is null, and an empty pending writes no chunk (chunkText('') is [])
      if (!segment || pending.length === 0) return;
      for (const chunk of chunkText(pending, this.sectorChars)) {
        disk.append(segment.name, chunk);
        this.stats.chunksWritten++;
      }
      pending = '';
    };
    for (let i = 0; i < count; i++) {
      const lsn = this.written + 1;
      if (!segment || segment.frames >= this.segmentFrames) {
        emit();
        segment = { name: segmentName(this.prefix, lsn), startLsn: lsn, frames: 0, chars: 0 };
        this.segments.push(segment);
      }
      const frame = this.unwritten[this.unwrittenHead++];
      pending += frame;
      segment.frames++;
      segment.chars += frame.length;
      this.written = lsn;
    }
    emit();
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator,BlockStatement: compaction only bounds memory; any condition leaves the same frames from unwrittenHead on
    if (this.unwrittenHead > 1024 && this.unwrittenHead * 2 > this.unwritten.length) {
      this.unwritten = this.unwritten.slice(this.unwrittenHead);
      this.unwrittenHead = 0;
    }
  }

  /** The retained entry at an LSN (undefined when truncated or not yet appended). */
  entry(lsn: number): WalEntry<P> | undefined {
    const index = lsn - this.retainedStartLsn;
    if (index < 0 || index >= this.payloads.length) return undefined;
    return { lsn, payload: this.payloads[index], durableAtMs: this.durableAt[index] };
  }

  /** Up to maxCount durable entries starting at fromLsn (what a WAL sender ships, what a standby replays). */
  durableEntriesFrom(fromLsn: number, maxCount: number): Array<WalEntry<P>> {
    if (fromLsn < this.retainedStartLsn) throw new Error(`WAL ${this.prefix}: LSN ${fromLsn} was truncated; the oldest retained LSN is ${this.retainedStartLsn}`);
    const out: Array<WalEntry<P>> = [];
    const end = Math.min(this.durable, fromLsn + maxCount - 1);
    for (let lsn = fromLsn; lsn <= end; lsn++) {
      const index = lsn - this.retainedStartLsn;
      out.push({ lsn, payload: this.payloads[index], durableAtMs: this.durableAt[index] });
    }
    return out;
  }

  /**
   * Forgets every frame before `lsn`: whole segments that end before it are emptied on
   * disk (durable with the next fsync), and memory is released. The segment being
   * written is never emptied. Only durable history may be truncated.
   */
  truncateBefore(lsn: number): number {
    if (lsn > this.durable + 1) throw new Error(`WAL ${this.prefix}: truncateBefore(${lsn}) would drop frames that are not durable (durable up to ${this.durable})`);
    let emptied = 0;
    while (this.segments.length > 1) {
      const first = this.segments[0];
      if (first.startLsn + first.frames - 1 >= lsn) break;
      this.io.disk.overwrite(first.name, []);
      this.segments.shift();
      emptied++;
    }
    const keepFrom = Math.min(lsn, this.last + 1);
    const drop = keepFrom - this.retainedStartLsn;
    // Stryker disable next-line EqualityOperator: dropping 0 frames (slice(0)) changes nothing
    if (drop > 0) {
      this.payloads = this.payloads.slice(drop);
      this.durableAt = this.durableAt.slice(drop);
      this.retainedStartLsn = keepFrom;
    }
    return emptied;
  }
}
