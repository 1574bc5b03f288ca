/**
 * The leader: the one node that accepts writes.
 *
 * A write is appended to the log with the next LSN, fsynced together with whatever else
 * arrived meanwhile (group commit), streamed to every follower in batches, and
 * acknowledged to the client when the acknowledgement policy (ack-policy.ts) says so.
 * Reads are answered from the state of the acknowledged writes only, so a reader never
 * sees a write that a failover could still take back.
 *
 * A newly elected leader first replays the backlog it received as a follower (so a lagging
 * follower makes a slow failover), then writes a marker entry that opens its epoch. Entries
 * of earlier epochs count as committed once the marker is, never by counting replicas
 * (Raft §5.4.2: counting copies of an old entry can be wrong).
 *
 * Heartbeats go out every heartbeatMs. They keep followers from starting an election and
 * renew the lease (leader-lease.ts); with fencing on, a leader whose lease runs out steps
 * down by itself, before anybody else can have been elected.
 */
import { LimitExceededError } from '../../sim';
import { committableLsn, StandbyPosition, syncStandbyIds } from './ack-policy';
import { batchBytes } from './messages';
import { LagTracker } from './lag-tracker';
import { LeaderLease } from './leader-lease';
import { AppendEntries, ClientRead, ClientWrite, FollowRequest, PositionReport, ReplicaStatus } from './messages';
import type { ReplicaNode } from './replica-node';
import { lastCommonLsn, LogEntry } from './replication-log';

interface FollowerProgress {
  id: string;
  attached: boolean;
  /** The last LSN handed to the link for it (it may still sit in the send buffer). */
  sentLsn: number;
  /** The last LSN actually on the wire to it (it may not have arrived). */
  wireLsn: number;
  /** Set while a batch occupies a link of finite speed. */
  linkTimer: number | null;
  writeLsn: number;
  flushLsn: number;
  replayLsn: number;
  /** The heartbeat round current when we last heard from it. */
  lastHeardRound: number;
}

interface Waiter {
  client: string;
  requestId: number;
}

export class LeaderRole {
  readonly kind = 'leader';
  readonly hearsFromLeader = true;
  readonly lease: LeaderLease;
  readonly lagTracker = new LagTracker();
  /** Writes are accepted once the backlog is replayed and the epoch's marker is in the log. */
  ready = false;
  /** LSN of this epoch's marker: nothing before it is acknowledged by counting replicas. */
  epochStartLsn = Infinity;
  /** Highest LSN acknowledged; the leader's state holds exactly the entries up to here. */
  commitLsn = 0;
  private readonly followers = new Map<string, FollowerProgress>();
  private readonly waiters = new Map<number, Waiter[]>();
  private waiterCount = 0;
  private heartbeatTimer: number | null = null;
  private semiSyncTimer: number | null = null;
  private semiSyncFallenBack = false;
  private stopped = false;
  private promotionTargetLsn = 0;

  constructor(
    private readonly node: ReplicaNode,
    private readonly how: 'elected' | 'bootstrap' | 'resumed',
  ) {
    this.lease = new LeaderLease(node.id, node.clusterSize);
    for (const id of node.peers) {
      this.followers.set(id, { id, attached: false, sentLsn: 0, wireLsn: 0, linkTimer: null, writeLsn: 0, flushLsn: 0, replayLsn: 0, lastHeardRound: 0 });
    }
  }

  start(): void {
    const node = this.node;
    node.claimLeadership();
    this.lagTracker.recordFlush(node.flushedLsn, node.ctx.nowMs());
    this.sendHeartbeats();
    if (this.how === 'resumed') {
      // Fencing off: carry on as if nothing happened, everything in the log as committed.
      this.commitLsn = node.log.lastLsn;
      const first = node.log.epochSegments().filter((s) => s.epoch === node.epoch)[0];
      this.epochStartLsn = first ? first.firstLsn : node.log.lastLsn + 1;
      this.ready = true;
      node.observer.timelineEvent('resumed-as-leader', node.id, node.epoch, `restarted and resumed leading epoch ${node.epoch} without asking anybody`);
      return;
    }
    if (this.how === 'elected') node.observer.timelineEvent('elected', node.id, node.epoch, `won the votes of a majority with last LSN ${node.log.lastLsn}`);
    // Replay everything received as a follower before taking writes (PostgreSQL's
    // promote finishes recovery first); the lag a follower had is paid for here.
    this.promotionTargetLsn = node.log.lastLsn;
    if (node.kv.appliedLsn >= this.promotionTargetLsn) this.becomeReady();
    else node.replayUpTo(() => this.promotionTargetLsn, () => this.onPromotionReplay());
  }

  private onPromotionReplay(): void {
    if (!this.stopped && !this.ready && this.node.kv.appliedLsn >= this.promotionTargetLsn) this.becomeReady();
  }

  private becomeReady(): void {
    const node = this.node;
    this.ready = true;
    const marker: LogEntry = { lsn: node.log.lastLsn + 1, epoch: node.epoch, op: null, writeId: null };
    node.log.append(marker);
    this.epochStartLsn = marker.lsn;
    node.requestFsync();
    if (this.how === 'elected') {
      node.observer.timelineEvent('promoted', node.id, node.epoch, `replayed up to LSN ${this.promotionTargetLsn} and accepts writes from LSN ${marker.lsn}`);
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.heartbeatTimer !== null) this.node.ctx.cancelTimer(this.heartbeatTimer);
    if (this.semiSyncTimer !== null) this.node.ctx.cancelTimer(this.semiSyncTimer);
    // Clients waiting for an acknowledgement learn that this node no longer leads; their
    // writes may or may not survive, so they must treat the outcome as unknown.
    for (const list of this.waiters.values()) {
      for (const w of list) this.node.redirect(w.client, w.requestId, 'stepped-down');
    }
    this.waiters.clear();
    this.waiterCount = 0;
  }

  private stepDown(reason: string): void {
    this.node.observer.timelineEvent('stepped-down', this.node.id, this.node.epoch, reason);
    this.node.becomeFollower(null);
  }

  // ---------------------------------------------------------------- heartbeats and lease

  private sendHeartbeats(): void {
    const node = this.node;
    const round = this.lease.startRound();
    node.ctx.setTimer(node.config.leaseMs, () => this.onLeaseRoundExpired(round));
    for (const f of this.followers.values()) {
      node.send(f.id, {
        type: 'heartbeat',
        epoch: node.epoch,
        round,
        lastLsn: node.flushedLsn,
        commitLsn: this.commitLsn,
        sentToYouLsn: f.attached ? f.wireLsn : 0,
      });
    }
    this.heartbeatTimer = node.ctx.setTimer(node.config.heartbeatMs, () => {
      this.heartbeatTimer = null;
      if (!this.stopped) this.sendHeartbeats();
    });
    this.updateCommit();
  }

  private onLeaseRoundExpired(round: number): void {
    if (this.stopped) return;
    this.lease.expire(round);
    if (this.node.config.fencing && !this.lease.isValid) {
      this.node.observer.timelineEvent('lease-expired', this.node.id, this.node.epoch, `no majority acknowledged a heartbeat within ${this.node.config.leaseMs} ms`);
      this.stepDown('its lease expired, so it stops accepting writes before anybody else can be elected');
    }
  }

  /** May this leader act now? Without fencing it never doubts itself. */
  private get mayServe(): boolean {
    return !this.node.config.fencing || this.lease.isValid;
  }

  // ---------------------------------------------------------------- followers

  onFollowerMessage(from: string, m: FollowRequest | PositionReport): void {
    const f = this.followers.get(from);
    if (!f) return;
    f.lastHeardRound = this.lease.currentRound;
    if (m.type === 'follow') {
      this.onFollow(f, m);
      return;
    }
    if (m.round > 0) this.lease.acknowledge(m.round, from);
    if (!m.attached || !f.attached) return;
    f.writeLsn = m.writeLsn;
    f.flushLsn = m.flushLsn;
    f.replayLsn = m.replayLsn;
    this.lagTracker.report(f.id, m.writeLsn, m.flushLsn, m.replayLsn, this.node.ctx.nowMs());
    if (m.gap && m.writeLsn < f.wireLsn) {
      f.sentLsn = m.writeLsn;
      f.wireLsn = m.writeLsn;
    }
    if (this.semiSyncFallenBack && m.writeLsn >= this.node.flushedLsn) {
      this.semiSyncFallenBack = false;
      this.node.observer.timelineEvent('semi-sync-restored', this.node.id, this.node.epoch, `${f.id} caught up; acknowledgements wait for a follower again`);
    }
    this.stream(f);
    this.updateCommit();
  }

  private onFollow(f: FollowerProgress, m: FollowRequest): void {
    const log = this.node.log;
    const common = lastCommonLsn(log.epochSegments(), log.lastLsn, m.segments, m.lastLsn);
    f.attached = true;
    f.sentLsn = common;
    f.wireLsn = common;
    f.writeLsn = Math.min(f.writeLsn, common);
    f.flushLsn = Math.min(f.flushLsn, common);
    f.replayLsn = Math.min(f.replayLsn, common);
    this.lagTracker.reset(f.id, common);
    this.node.send(f.id, { type: 'follow-accepted', epoch: this.node.epoch, truncateToLsn: common });
    const drop = m.lastLsn - common;
    this.node.observer.timelineEvent(
      'follower-attached',
      f.id,
      this.node.epoch,
      `streams from ${this.node.id} after LSN ${common}${drop > 0 ? `; must drop its last ${drop} entries` : ''}`,
    );
    this.stream(f);
  }

  /**
   * Sends the follower what it lacks of the flushed log, within the in-flight window. With
   * a finite link speed (linkRecordsPerMs) a batch occupies the link for
   * entries / linkRecordsPerMs ms before its last byte is on the wire; until then it sits
   * in the leader's send buffer, and a crash of the leader loses it. That is where an
   * asynchronous leader's lost writes come from: what it had acknowledged but not yet
   * shipped.
   */
  private stream(f: FollowerProgress): void {
    if (!f.attached || f.linkTimer !== null) return;
    const node = this.node;
    const { maxBatchRecords, maxInFlightRecords } = node.config;
    const linkRate = node.config.linkRecordsPerMs[f.id];
    for (;;) {
      const limit = Math.min(node.flushedLsn, f.writeLsn + maxInFlightRecords);
      if (f.sentLsn >= limit) return;
      const to = Math.min(limit, f.sentLsn + maxBatchRecords);
      const message: AppendEntries = { type: 'append', epoch: node.epoch, prevLsn: f.sentLsn, entries: node.log.slice(f.sentLsn + 1, to), commitLsn: this.commitLsn };
      f.sentLsn = to;
      if (linkRate === undefined) {
        node.send(f.id, message, batchBytes(message.entries.length));
        f.wireLsn = to;
        continue;
      }
      f.linkTimer = node.ctx.setTimer(message.entries.length / linkRate, () => {
        f.linkTimer = null;
        if (this.stopped) return;
        node.send(f.id, message, batchBytes(message.entries.length));
        f.wireLsn = Math.max(f.wireLsn, message.entries[message.entries.length - 1].lsn);
        this.stream(f);
      });
      return;
    }
  }

  private isConnected(f: FollowerProgress): boolean {
    const roundsAllowed = Math.ceil(this.node.config.failureTimeoutMs / this.node.config.heartbeatMs);
    return f.attached && this.lease.currentRound - f.lastHeardRound <= roundsAllowed;
  }

  private standbyPositions(): StandbyPosition[] {
    const result: StandbyPosition[] = [];
    for (const f of this.followers.values()) {
      result.push({
        id: f.id,
        connected: this.isConnected(f),
        writeLsn: f.attached ? f.writeLsn : 0,
        flushLsn: f.attached ? f.flushLsn : 0,
        replayLsn: f.attached ? f.replayLsn : 0,
      });
    }
    return result;
  }

  // ---------------------------------------------------------------- commit and acknowledgement

  onFlushed(): void {
    if (this.stopped) return;
    this.lagTracker.recordFlush(this.node.flushedLsn, this.node.ctx.nowMs());
    for (const f of this.followers.values()) this.stream(f);
    this.updateCommit();
  }

  private updateCommit(): void {
    if (!this.ready || this.stopped) return;
    const node = this.node;
    const target = committableLsn(node.config.ack, node.id, node.flushedLsn, this.standbyPositions(), this.semiSyncFallenBack);
    if (target < this.epochStartLsn || target <= this.commitLsn) {
      this.armSemiSyncTimer();
      return;
    }
    for (let lsn = this.commitLsn + 1; lsn <= target; lsn++) {
      const entry = node.log.entry(lsn)!;
      if (node.kv.appliedLsn < lsn) node.kv.apply(entry);
      const list = this.waiters.get(lsn);
      if (list) {
        this.waiters.delete(lsn);
        this.waiterCount -= list.length;
        node.observer.writeAcknowledged(node.id, entry, entry.op ? node.kv.get(entry.op.key).value : '');
        for (const w of list) node.send(w.client, { type: 'write-ok', requestId: w.requestId, lsn, epoch: node.epoch });
      }
    }
    this.commitLsn = target;
    this.armSemiSyncTimer();
  }

  /**
   * MySQL's rpl_semi_sync_master_timeout: if the oldest waiting write has had no follower
   * acknowledgement for semiSyncTimeoutMs, stop waiting and run asynchronously.
   */
  private armSemiSyncTimer(): void {
    const node = this.node;
    if (node.config.ack.mode !== 'semi-sync' || this.semiSyncFallenBack || this.semiSyncTimer !== null) return;
    if (this.waiterCount === 0) return;
    const waitingFor = this.commitLsn + 1;
    this.semiSyncTimer = node.ctx.setTimer(node.config.semiSyncTimeoutMs, () => {
      this.semiSyncTimer = null;
      if (this.stopped) return;
      if (this.commitLsn < waitingFor && !this.semiSyncFallenBack) {
        this.semiSyncFallenBack = true;
        node.observer.timelineEvent('semi-sync-fallback', node.id, node.epoch, `no follower acknowledged LSN ${waitingFor} within ${node.config.semiSyncTimeoutMs} ms; acknowledging asynchronously`);
      }
      this.updateCommit();
    });
  }

  // ---------------------------------------------------------------- clients

  onClientWrite(from: string, m: ClientWrite): void {
    const node = this.node;
    if (!this.ready) return node.redirect(from, m.requestId, 'not-ready', node.id);
    if (!this.mayServe) return node.redirect(from, m.requestId, 'no-lease', null);
    // A retry of a write we already have: answer it, never apply it twice.
    const existing = node.log.lsnOfWrite(m.writeId);
    if (existing !== undefined) {
      if (existing <= this.commitLsn) node.send(from, { type: 'write-ok', requestId: m.requestId, lsn: existing, epoch: node.epoch });
      else this.addWaiter(existing, from, m.requestId);
      return;
    }
    const entry: LogEntry = { lsn: node.log.lastLsn + 1, epoch: node.epoch, op: m.op, writeId: m.writeId };
    node.log.append(entry);
    node.observer.writeAccepted(node.id, entry);
    this.addWaiter(entry.lsn, from, m.requestId);
    node.requestFsync();
  }

  private addWaiter(lsn: number, client: string, requestId: number): void {
    if (this.waiterCount >= this.node.config.maxPendingRequests) {
      throw new LimitExceededError(`leader ${this.node.id}: ${this.waiterCount} writes wait for acknowledgement, the limit (maxPendingRequests); a sync leader without its standbys queues forever`);
    }
    const list = this.waiters.get(lsn);
    if (list) list.push({ client, requestId });
    else this.waiters.set(lsn, [{ client, requestId }]);
    this.waiterCount++;
    this.armSemiSyncTimer();
  }

  onClientRead(from: string, m: ClientRead): void {
    const node = this.node;
    if (!this.ready || this.commitLsn < this.epochStartLsn) return node.redirect(from, m.requestId, 'not-ready', node.id);
    if (!this.mayServe) return node.redirect(from, m.requestId, 'no-lease', null);
    node.serveRead(from, m, 'leader');
  }

  onStatusRequest(from: string, requestId: number): void {
    this.node.send(from, { type: 'status', requestId, epoch: this.node.epoch, followers: this.replicationStatus() });
  }

  // ---------------------------------------------------------------- pg_stat_replication

  /** One row per follower, like PostgreSQL's pg_stat_replication view. */
  replicationStatus(): ReplicaStatus[] {
    const node = this.node;
    const nowMs = node.ctx.nowMs();
    const flushed = node.flushedLsn;
    const rows: ReplicaStatus[] = [];
    for (const f of this.followers.values()) {
      rows.push({
        id: f.id,
        region: node.config.regionOf[f.id],
        streaming: this.isConnected(f),
        writeLsn: f.writeLsn,
        flushLsn: f.flushLsn,
        replayLsn: f.replayLsn,
        lsnLag: Math.max(0, node.log.lastLsn - f.replayLsn),
        writeLagMs: this.lagTracker.lagMs(f.id, 'write', flushed, nowMs),
        flushLagMs: this.lagTracker.lagMs(f.id, 'flush', flushed, nowMs),
        replayLagMs: this.lagTracker.lagMs(f.id, 'replay', flushed, nowMs),
      });
    }
    return rows;
  }

  /** Which standbys a sync leader waits on now (pg_stat_replication's sync_state). */
  syncStandbys(): string[] {
    const ack = this.node.config.ack;
    return ack.mode === 'sync' ? syncStandbyIds(ack, this.node.id, this.standbyPositions()) : [];
  }

  get pendingWriteCount(): number {
    return this.waiterCount;
  }
}
