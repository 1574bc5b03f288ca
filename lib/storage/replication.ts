/**
 * Physical replication by WAL shipping, as PostgreSQL streaming replication does it.
 *
 * The primary's WAL sender ships frames to each standby once they are durable on the
 * primary. The standby appends them to its own WAL under the same LSNs, fsyncs, reports
 * how far it has flushed, and replays them into its own store at its own pace. So a
 * standby has three positions, as in pg_stat_replication: received (lastLsn), flushed,
 * and replayed; the time between the primary making a commit durable and the standby
 * replaying it is the replay lag.
 *
 * The primary keeps a replication slot per configured standby: it does not truncate WAL
 * the standby has not flushed yet, so a standby that was down can always catch up (at the
 * price of WAL piling up on the primary, bounded by maxRetainedFrames).
 *
 * In 'sync' mode the primary acknowledges a commit only once the first standby has
 * flushed it (synchronous_commit = on with one synchronous standby): a promotion then
 * loses no acknowledged commit, and every commit pays a round trip to the standby.
 */
import type { NodeContext } from '../sim';
import { LimitExceededError } from '../sim';
import type { WalEntry, WriteAheadLog } from './write-ahead-log';
import type { DbWalRecord } from './wal-records';

export type ReplicationMessage =
  | { type: 'wal-batch'; entries: Array<WalEntry<DbWalRecord>> }
  | { type: 'standby-status'; lastLsn: number; flushedLsn: number; replayedLsn: number };

export function isReplicationMessage(message: unknown): message is ReplicationMessage {
  if (typeof message !== 'object' || message === null) return false;
  const type = (message as { type?: unknown }).type;
  return type === 'wal-batch' || type === 'standby-status';
}

export interface StandbyProgress {
  standby: string;
  /** Last LSN the standby said it received. */
  lastLsn: number;
  flushedLsn: number;
  replayedLsn: number;
  /** Last LSN shipped to it (-1: not heard from yet, nothing shipped). */
  sentLsn: number;
  lastSentMs: number;
}

export interface SenderOptions {
  maxBatchFrames: number;
  /** Ship again from the standby's position when it reports no progress for this long (a lost batch). */
  resendAfterMs: number;
}

export class WalSender {
  private readonly standbys = new Map<string, StandbyProgress>();

  constructor(
    private readonly ctx: NodeContext,
    private readonly wal: WriteAheadLog<DbWalRecord>,
    standbyIds: readonly string[],
    private readonly options: SenderOptions,
    private readonly onProgress: () => void,
  ) {
    for (const id of standbyIds) this.standbys.set(id, { standby: id, lastLsn: 0, flushedLsn: 0, replayedLsn: 0, sentLsn: -1, lastSentMs: 0 });
  }

  isStandby(id: string): boolean {
    return this.standbys.has(id);
  }

  onStatus(from: string, status: { lastLsn: number; flushedLsn: number; replayedLsn: number }): void {
    const s = this.standbys.get(from);
    if (!s) return;
    s.lastLsn = status.lastLsn;
    s.flushedLsn = status.flushedLsn;
    s.replayedLsn = status.replayedLsn;
    const now = this.ctx.nowMs();
    // First contact, or the standby is behind what we shipped and has been for a while:
    // batches were lost (partition, standby crash) — ship again from where it is.
    if (s.sentLsn < 0 || (status.lastLsn < s.sentLsn && now - s.lastSentMs >= this.options.resendAfterMs)) s.sentLsn = status.lastLsn;
    this.pumpOne(s);
    this.onProgress();
  }

  /** Ships everything durable that a standby has not been sent yet. */
  pump(): void {
    for (const s of this.standbys.values()) this.pumpOne(s);
  }

  private pumpOne(s: StandbyProgress): void {
    if (s.sentLsn < 0) return;
    while (s.sentLsn < this.wal.durableLsn) {
      const from = s.sentLsn + 1;
      if (from < this.wal.firstRetainedLsn) {
        throw new LimitExceededError(`WAL sender: standby ${s.standby} needs LSN ${from}, but the WAL starts at ${this.wal.firstRetainedLsn}; its replication slot should have kept it`);
      }
      const entries = this.wal.durableEntriesFrom(from, this.options.maxBatchFrames);
      this.ctx.send(s.standby, { type: 'wal-batch', entries } as ReplicationMessage, entries.length * 64);
      s.sentLsn = entries[entries.length - 1].lsn;
      s.lastSentMs = this.ctx.nowMs();
    }
  }

  /** The oldest LSN some standby still needs (Infinity without standbys): WAL before it must be kept. */
  slotLsn(): number {
    let lsn = Infinity;
    for (const s of this.standbys.values()) lsn = Math.min(lsn, s.flushedLsn + 1);
    return lsn;
  }

  /** How far the synchronous standby (the first configured) has flushed. */
  syncFlushedLsn(): number {
    const first = this.standbys.values().next();
    return first.done ? Infinity : first.value.flushedLsn;
  }

  progress(): StandbyProgress[] {
    return [...this.standbys.values()].map((s) => ({ ...s }));
  }
}

export interface ReceiverHost {
  readonly ctx: NodeContext;
  readonly wal: WriteAheadLog<DbWalRecord>;
  /** Applies one durable frame to the standby's store. */
  replay(entry: WalEntry<DbWalRecord>): void;
  /** A commit record replayed: primaryDurableAtMs is when the primary made it durable. */
  onCommitReplayed(lsn: number, primaryDurableAtMs: number): void;
}

export interface ReceiverOptions {
  statusEveryMs: number;
  /** Simulated time to replay one frame on the standby. */
  replayPerFrameMs: number;
  replayBatchFrames: number;
  maxPendingStamps: number;
}

export class WalReceiver {
  replayedLsn: number;
  private replayTimer: number | null = null;
  private statusTimer: number | null = null;
  private stopped = false;
  /** When the primary made each not-yet-replayed commit frame durable. */
  private readonly primaryStamps = new Map<number, number>();

  constructor(
    private readonly host: ReceiverHost,
    readonly primaryId: string,
    private readonly options: ReceiverOptions,
    replayedLsn: number,
  ) {
    this.replayedLsn = replayedLsn;
  }

  start(): void {
    this.sendStatus();
    const tick = () => {
      if (this.stopped) return;
      this.sendStatus();
      this.statusTimer = this.host.ctx.setTimer(this.options.statusEveryMs, tick);
    };
    this.statusTimer = this.host.ctx.setTimer(this.options.statusEveryMs, tick);
    this.pumpReplay();
  }

  /** Stops receiving and replaying (promotion); returns nothing pending in timers. */
  stop(): void {
    this.stopped = true;
    if (this.replayTimer !== null) this.host.ctx.cancelTimer(this.replayTimer);
    if (this.statusTimer !== null) this.host.ctx.cancelTimer(this.statusTimer);
    this.replayTimer = null;
    this.statusTimer = null;
  }

  sendStatus(): void {
    const wal = this.host.wal;
    this.host.ctx.send(this.primaryId, { type: 'standby-status', lastLsn: wal.lastLsn, flushedLsn: wal.durableLsn, replayedLsn: this.replayedLsn } as ReplicationMessage, 32);
  }

  onBatch(from: string, entries: Array<WalEntry<DbWalRecord>>): void {
    if (this.stopped || from !== this.primaryId) return;
    const wal = this.host.wal;
    const before = wal.lastLsn;
    for (const entry of entries) {
      if (entry.lsn <= wal.lastLsn) continue; // a resend of what we already have
      if (entry.lsn !== wal.lastLsn + 1) break; // a gap: a batch was lost; our status makes the primary resend
      wal.appendAt(entry.lsn, entry.payload);
      if (entry.payload.t === 'c') {
        if (this.primaryStamps.size >= this.options.maxPendingStamps) {
          throw new LimitExceededError(`WAL receiver: ${this.primaryStamps.size} commits wait for replay, its limit (maxPendingStamps); replay cannot keep up`);
        }
        this.primaryStamps.set(entry.lsn, entry.durableAtMs);
      }
    }
    if (wal.lastLsn === before) return;
    wal.flush(wal.lastLsn, () => {
      if (this.stopped) return;
      this.sendStatus();
      this.pumpReplay();
    });
  }

  /** Replays durable frames in batches, each taking replayPerFrameMs per frame of simulated time. */
  private pumpReplay(): void {
    if (this.stopped || this.replayTimer !== null) return;
    const wal = this.host.wal;
    if (this.replayedLsn >= wal.durableLsn) return;
    const batch = wal.durableEntriesFrom(this.replayedLsn + 1, this.options.replayBatchFrames);
    this.replayTimer = this.host.ctx.setTimer(batch.length * this.options.replayPerFrameMs, () => {
      this.replayTimer = null;
      this.applyBatch(batch);
      if (this.replayedLsn >= wal.durableLsn) this.sendStatus();
      this.pumpReplay();
    });
  }

  private applyBatch(batch: Array<WalEntry<DbWalRecord>>): void {
    for (const entry of batch) {
      this.host.replay(entry);
      this.replayedLsn = entry.lsn;
      if (entry.payload.t === 'c') {
        const stamp = this.primaryStamps.get(entry.lsn);
        this.primaryStamps.delete(entry.lsn);
        if (stamp !== undefined && !Number.isNaN(stamp)) this.host.onCommitReplayed(entry.lsn, stamp);
      }
    }
  }

  /** Promotion: replay every frame received so far at once; returns how many were replayed. */
  replayEverythingReceived(): number {
    const wal = this.host.wal;
    let count = 0;
    for (let lsn = this.replayedLsn + 1; lsn <= wal.lastLsn; lsn++) {
      const entry = wal.entry(lsn);
      if (!entry) throw new Error(`WAL receiver: LSN ${lsn} is missing while promoting`);
      this.host.replay(entry);
      this.replayedLsn = lsn;
      count++;
    }
    this.primaryStamps.clear();
    return count;
  }
}
