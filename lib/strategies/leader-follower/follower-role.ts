/**
 * The follower: a standby that streams the leader's log.
 *
 * 1. Attach: on the first heartbeat of a leader it sends `follow` with the epoch ranges
 *    of its log; the leader answers with the last LSN both logs share, and the follower
 *    drops everything after it (the divergent suffix an old leader may carry).
 * 2. Stream: each batch is written to the disk buffer (write position), fsynced (flush
 *    position) and replayed into the key-value state at the node's finite apply speed
 *    (replay position). Every step is reported back, which is where the leader's lag
 *    figures come from.
 * 3. Watch: every leader message resets a failure-detection timer. If it fires, the
 *    leader is suspected dead and, after a random pause, this follower stands for election.
 * 4. Serve reads from its replayed state, waiting a little (readWaitMs) when a session
 *    needs an LSN it has not replayed yet.
 */
import type { ReplicaNode } from './replica-node';
import { AppendEntries, ClientRead, ClientWrite, FollowAccepted, Heartbeat, PositionReport } from './messages';
import { LimitExceededError } from '../../sim';

interface WaitingRead {
  from: string;
  message: ClientRead;
  timer: number;
}

export class FollowerRole {
  readonly kind = 'follower';
  /** Attached: the leader has compared logs with us and streams to us. */
  private attached = false;
  /** The epoch of the leader we follow (or attach to). */
  private leaderEpoch = 0;
  private followSentInRound = -1;
  /** The last LSN for which a gap was reported, so that one loss is reported once. */
  private gapReportedAt = -1;
  private leaderSilent = false;
  private contactTimer: number | null = null;
  private candidacyTimer: number | null = null;
  private waitingReads: WaitingRead[] = [];
  private stopped = false;

  constructor(
    private readonly node: ReplicaNode,
    public leaderId: string | null,
  ) {}

  /** The pre-vote and vote rules ask this: did a leader speak within failureTimeoutMs? */
  get hearsFromLeader(): boolean {
    return !this.leaderSilent;
  }

  get isAttached(): boolean {
    return this.attached;
  }

  start(): void {
    // A node that just started has not heard from anybody, yet it must not vote a new
    // leader in straight away: the old leader's lease may still run. So the failure
    // timer starts now, as if a leader had just spoken.
    this.armContactTimer();
    this.node.replayUpTo(() => this.node.flushedLsn, () => this.onReplayed());
  }

  stop(): void {
    this.stopped = true;
    if (this.contactTimer !== null) this.node.ctx.cancelTimer(this.contactTimer);
    if (this.candidacyTimer !== null) this.node.ctx.cancelTimer(this.candidacyTimer);
    for (const w of this.waitingReads) {
      this.node.ctx.cancelTimer(w.timer);
      this.node.send(w.from, { type: 'read-behind', requestId: w.message.requestId, appliedLsn: this.node.kv.appliedLsn });
    }
    this.waitingReads = [];
  }

  // ---------------------------------------------------------------- from the leader

  onLeaderMessage(from: string, m: Heartbeat | AppendEntries | FollowAccepted): void {
    // An attachment belongs to one leader in one epoch: a node re-elected in a new epoch
    // has forgotten us and must compare logs again.
    if (this.leaderId !== from || this.leaderEpoch !== m.epoch) {
      this.leaderId = from;
      this.leaderEpoch = m.epoch;
      this.attached = false;
    }
    this.leaderSilent = false;
    this.armContactTimer();
    if (this.candidacyTimer !== null) {
      this.node.ctx.cancelTimer(this.candidacyTimer);
      this.candidacyTimer = null;
    }
    if (m.type === 'heartbeat') this.onHeartbeat(from, m);
    else if (m.type === 'append') this.onAppend(from, m);
    else this.onFollowAccepted(from, m);
  }

  private onHeartbeat(from: string, m: Heartbeat): void {
    if (!this.attached && this.followSentInRound !== m.round) {
      this.followSentInRound = m.round;
      this.node.send(from, { type: 'follow', epoch: this.node.epoch, lastLsn: this.node.log.lastLsn, segments: this.node.log.epochSegments() });
    }
    // With FIFO links every batch sent before this heartbeat has arrived by now; if the
    // leader has sent us more than we hold, batches were lost (a partition cut them).
    const gap = this.attached && m.sentToYouLsn > this.node.log.lastLsn;
    if (gap) this.gapReportedAt = this.node.log.lastLsn;
    this.report(m.round, gap);
  }

  private onAppend(from: string, m: AppendEntries): void {
    if (!this.attached) return;
    const log = this.node.log;
    if (m.prevLsn > log.lastLsn) {
      if (this.gapReportedAt !== log.lastLsn) {
        this.gapReportedAt = log.lastLsn;
        this.report(0, true);
      }
      return;
    }
    let appended = 0;
    for (const entry of m.entries) {
      if (entry.lsn <= log.lastLsn) continue; // a resend overlapping what we have
      log.append(entry);
      appended++;
    }
    if (appended === 0) return;
    this.report(0, false);
    this.node.requestFsync();
  }

  private onFollowAccepted(from: string, m: FollowAccepted): void {
    if (this.attached) return;
    const dropped = this.node.truncateLogAfter(m.truncateToLsn);
    if (dropped.length > 0) {
      this.node.observer.entriesDiscarded(this.node.id, this.node.epoch, dropped);
      this.node.observer.timelineEvent(
        'suffix-discarded',
        this.node.id,
        this.node.epoch,
        `dropped LSN ${dropped[0].lsn}–${dropped[dropped.length - 1].lsn} (${dropped.length} entries) that leader ${from} does not have`,
      );
    }
    this.attached = true;
    this.gapReportedAt = -1;
    this.report(0, false);
    this.node.replayUpTo(() => this.node.flushedLsn, () => this.onReplayed());
  }

  // ---------------------------------------------------------------- disk and replay progress

  onFlushed(): void {
    if (this.stopped) return;
    if (this.attached) this.report(0, false);
    this.node.replayUpTo(() => this.node.flushedLsn, () => this.onReplayed());
  }

  private onReplayed(): void {
    if (this.stopped) return;
    if (this.attached) this.report(0, false);
    const applied = this.node.kv.appliedLsn;
    const still: WaitingRead[] = [];
    for (const w of this.waitingReads) {
      if (applied >= w.message.minLsn) {
        this.node.ctx.cancelTimer(w.timer);
        this.node.serveRead(w.from, w.message, 'follower');
      } else still.push(w);
    }
    this.waitingReads = still;
  }

  private report(round: number, gap: boolean): void {
    if (this.leaderId === null) return;
    const report: PositionReport = {
      type: 'positions',
      epoch: this.node.epoch,
      round,
      attached: this.attached,
      writeLsn: this.node.log.lastLsn,
      flushLsn: this.node.flushedLsn,
      replayLsn: this.node.kv.appliedLsn,
      gap,
    };
    this.node.send(this.leaderId, report);
  }

  // ---------------------------------------------------------------- failure detection

  private armContactTimer(): void {
    if (this.contactTimer !== null) this.node.ctx.cancelTimer(this.contactTimer);
    this.contactTimer = this.node.ctx.setTimer(this.node.config.failureTimeoutMs, () => {
      this.contactTimer = null;
      this.leaderSilent = true;
      if (this.leaderId !== null) {
        this.node.observer.timelineEvent(
          'leader-failure-detected',
          this.node.id,
          this.node.epoch,
          `no message from leader ${this.leaderId} for ${this.node.config.failureTimeoutMs} ms`,
        );
      }
      this.scheduleCandidacy(this.node.ctx.random.float() * this.node.config.electionJitterMs);
    });
  }

  private scheduleCandidacy(delayMs: number): void {
    if (this.candidacyTimer !== null) this.node.ctx.cancelTimer(this.candidacyTimer);
    this.candidacyTimer = this.node.ctx.setTimer(delayMs, () => {
      this.candidacyTimer = null;
      if (this.leaderSilent && !this.stopped) this.node.becomeCandidate();
    });
  }

  /** We refused a candidate because our log is ahead: stand ourselves, now. */
  standNow(): void {
    if (this.leaderSilent) this.scheduleCandidacy(0);
  }

  /** We just voted for somebody: give them time to win before standing ourselves. */
  postponeCandidacy(): void {
    if (this.leaderSilent) this.scheduleCandidacy(this.node.config.failureTimeoutMs + this.node.ctx.random.float() * this.node.config.electionJitterMs);
  }

  // ---------------------------------------------------------------- clients

  onClientWrite(from: string, m: ClientWrite): void {
    this.node.notLeader(from, m, this.leaderSilent ? null : this.leaderId);
  }

  onClientRead(from: string, m: ClientRead): void {
    if (m.leaderOnly) {
      this.node.notLeader(from, m, this.leaderSilent ? null : this.leaderId);
      return;
    }
    if (this.node.kv.appliedLsn >= m.minLsn) {
      this.node.serveRead(from, m, 'follower');
      return;
    }
    // The session has seen LSN minLsn and we have not replayed it yet: wait a little,
    // like MongoDB's afterClusterTime or PostgreSQL's pg_wal_replay_wait.
    if (this.waitingReads.length >= this.node.config.maxPendingRequests) {
      throw new LimitExceededError(`follower ${this.node.id}: ${this.waitingReads.length} reads wait for replay, the limit (maxPendingRequests)`);
    }
    const waiting: WaitingRead = {
      from,
      message: m,
      timer: this.node.ctx.setTimer(this.node.config.readWaitMs, () => {
        this.waitingReads = this.waitingReads.filter((w) => w !== waiting);
        this.node.send(from, { type: 'read-behind', requestId: m.requestId, appliedLsn: this.node.kv.appliedLsn });
      }),
    };
    this.waitingReads.push(waiting);
  }
}

