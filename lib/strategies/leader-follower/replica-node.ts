/**
 * One database server of the cluster, as a state machine with three roles:
 *
 *        ┌──────────── heard a higher epoch / lease expired ─────────────┐
 *        ▼                                                                │
 *   ┌──────────┐  no heartbeat for failureTimeoutMs  ┌───────────┐  majority  ┌────────┐
 *   │ follower │ ──────────────────────────────────▶ │ candidate │ ─────────▶ │ leader │
 *   └──────────┘ ◀────── heard a leader of my epoch ─ └───────────┘   votes    └────────┘
 *
 * What every role shares lives here: the epoch and the vote (both on disk), the
 * replication log, the key-value state built from it, the fsync pipeline, the replay
 * ("apply") loop with its finite speed, and the epoch rules that fence an old leader. The
 * role-specific behaviour is in follower-role.ts, candidate-role.ts and leader-role.ts.
 */
import { NodeBehaviour, NodeContext } from '../../sim';
import { AckPolicy } from './ack-policy';
import { CandidateRole } from './candidate-role';
import { decidePreVote, decideVote, VoterState } from './election';
import { FollowerRole } from './follower-role';
import { KvStore } from './kv-store';
import { LeaderRole } from './leader-role';
import { ClientRead, ClientWrite, Redirect, RejectReason, ReplicaMessage, SMALL_MESSAGE_BYTES } from './messages';
import { ReplicationObserver } from './replication-events';
import { ReplicationLog } from './replication-log';

/** Everything a replica is told at creation; the cluster builder validates it. */
export interface ReplicaConfig {
  /** Every replica of the cluster (this one included), in a fixed order. */
  replicaIds: readonly string[];
  regionOf: Readonly<Record<string, string>>;
  /** Who leads epoch 1 when the cluster is first created (like the primary you initdb). */
  initialLeaderId: string;
  ack: AckPolicy;
  semiSyncTimeoutMs: number;
  fencing: boolean;
  heartbeatMs: number;
  failureTimeoutMs: number;
  leaseMs: number;
  electionJitterMs: number;
  /** How many log records this node replays per ms: its apply capacity. */
  applyRecordsPerMs: number;
  /** Speed of the replication stream to each follower, records per ms; absent: unlimited. */
  linkRecordsPerMs: Readonly<Record<string, number>>;
  maxBatchRecords: number;
  maxInFlightRecords: number;
  readWaitMs: number;
  maxLogRecords: number;
  /** Writes waiting for their acknowledgement, and reads waiting for replay, per node. */
  maxPendingRequests: number;
}

/** What the node keeps in its one-record "meta" file. */
interface Meta {
  epoch: number;
  votedFor: string | null;
  /** The last epoch this node led (a restarted leader uses it when fencing is off). */
  leaderOfEpoch: number;
}

const META_FILE = 'meta';
/** Replay work is done in slices of about this many ms, so positions advance smoothly. */
const APPLY_SLICE_MS = 5;

export type Role = FollowerRole | CandidateRole | LeaderRole;

export class ReplicaNode implements NodeBehaviour {
  readonly id: string;
  readonly log: ReplicationLog;
  readonly kv = new KvStore();
  /**
   * The durable election state (epoch, vote, the epoch this node last led). Roles read it but
   * change it only through the methods below, each of which writes it to disk before anything
   * acts on it: "persist first" lives in one place.
   */
  private durable: Meta;
  /** Everything up to here is on disk and survives a crash. */
  flushedLsn: number;
  role: Role;

  private readonly freshCluster: boolean;
  private fsyncInFlight = false;
  private fsyncAgain = false;
  private fsyncWaiters: Array<() => void> = [];
  /** Bumped by every truncation, so an fsync or replay started before it is not trusted after. */
  private logGeneration = 0;
  private applyTimer: number | null = null;
  private replayTarget: () => number = () => 0;
  private replayProgress: () => void = () => undefined;

  constructor(
    readonly ctx: NodeContext,
    readonly config: ReplicaConfig,
    readonly observer: ReplicationObserver,
  ) {
    this.id = ctx.id;
    const meta = ctx.disk.get<Meta>(META_FILE);
    this.freshCluster = meta === undefined;
    if (meta === undefined) {
      // First boot of a new cluster: every node starts in epoch 1. This is setup (initdb),
      // not protocol, so it is made durable at once.
      this.durable = { epoch: 1, votedFor: null, leaderOfEpoch: 0 };
      ctx.disk.put(META_FILE, { epoch: 1, votedFor: null, leaderOfEpoch: 0 });
      ctx.disk.fsync();
    } else {
      this.durable = { epoch: meta.epoch, votedFor: meta.votedFor, leaderOfEpoch: meta.leaderOfEpoch };
    }
    // Crash recovery: the log on disk is the truth; replay it into a fresh state.
    this.log = ReplicationLog.load(ctx.disk, config.maxLogRecords);
    this.flushedLsn = this.log.lastLsn;
    for (let lsn = 1; lsn <= this.log.lastLsn; lsn++) this.kv.apply(this.log.entry(lsn)!);
    this.role = new FollowerRole(this, null);
  }

  onStart(): void {
    if (this.freshCluster && this.id === this.config.initialLeaderId) {
      this.becomeLeader('bootstrap');
    } else if (!this.config.fencing && this.leaderOfEpoch === this.epoch && this.epoch > 0) {
      // Without fencing nothing tells a restarted leader that it may have been replaced,
      // so it carries on as leader of its old epoch (a PostgreSQL primary restarted
      // without a standby.signal file does exactly this).
      this.becomeLeader('resumed');
    } else {
      this.becomeFollower(null);
    }
  }

  get peers(): string[] {
    return this.config.replicaIds.filter((id) => id !== this.id);
  }

  get clusterSize(): number {
    return this.config.replicaIds.length;
  }

  // ---------------------------------------------------------------- role changes

  becomeFollower(leaderId: string | null): void {
    this.role.stop();
    this.role = new FollowerRole(this, leaderId);
    this.role.start();
  }

  becomeCandidate(): void {
    this.role.stop();
    this.role = new CandidateRole(this);
    this.role.start();
  }

  becomeLeader(how: 'elected' | 'bootstrap' | 'resumed'): void {
    this.role.stop();
    this.role = new LeaderRole(this, how);
    this.role.start();
  }

  get epoch(): number {
    return this.durable.epoch;
  }

  get votedFor(): string | null {
    return this.durable.votedFor;
  }

  get leaderOfEpoch(): number {
    return this.durable.leaderOfEpoch;
  }

  /** Moves to a higher epoch (forgetting any vote of the old one) and writes it to disk. */
  adoptEpoch(epoch: number): void {
    if (epoch <= this.epoch) return;
    const wasLeader = this.role instanceof LeaderRole;
    this.durable = { ...this.durable, epoch, votedFor: null };
    this.persistMeta();
    if (wasLeader) this.observer.timelineEvent('stepped-down', this.id, epoch, `heard of epoch ${epoch}`);
  }

  /** A candidate takes `epoch` and votes for itself; `then` runs once both are on disk. */
  startEpochVotingForSelf(epoch: number, then: () => void): void {
    this.durable = { ...this.durable, epoch, votedFor: this.id };
    this.persistMeta(then);
  }

  /** This node's vote in the current epoch goes to `candidate`; `then` runs once it is on disk. */
  recordVote(candidate: string, then: () => void): void {
    this.durable = { ...this.durable, votedFor: candidate };
    this.persistMeta(then);
  }

  /** This node leads the current epoch (remembered across a restart, for resuming as leader). */
  claimLeadership(): void {
    this.durable = { ...this.durable, leaderOfEpoch: this.durable.epoch };
    this.persistMeta();
  }

  private persistMeta(then?: () => void): void {
    this.ctx.disk.put(META_FILE, { ...this.durable });
    this.requestFsync(then);
  }

  // ---------------------------------------------------------------- messages

  onMessage(from: string, message: unknown): void {
    const m = message as ReplicaMessage;
    switch (m.type) {
      case 'heartbeat':
      case 'append':
      case 'follow-accepted':
        // From somebody who believes it leads epoch m.epoch.
        if (m.epoch < this.epoch) {
          this.send(from, { type: 'stale-epoch', epoch: this.epoch });
          return;
        }
        if (m.epoch > this.epoch) {
          // A leader of a newer epoch exists: whatever we were, we follow it now.
          this.adoptEpoch(m.epoch);
          if (!(this.role instanceof FollowerRole)) this.becomeFollower(from);
        } else if (this.role instanceof LeaderRole) {
          throw new Error(`two leaders in epoch ${m.epoch}: ${this.id} and ${from}; an epoch must have one leader`);
        } else if (this.role instanceof CandidateRole) {
          this.becomeFollower(from);
        }
        (this.role as FollowerRole).onLeaderMessage(from, m);
        return;
      case 'follow':
      case 'positions':
        if (m.epoch > this.epoch) {
          this.adoptEpoch(m.epoch);
          this.becomeFollower(null);
          return;
        }
        if (m.epoch === this.epoch && this.role instanceof LeaderRole) this.role.onFollowerMessage(from, m);
        return;
      case 'stale-epoch':
        if (m.epoch > this.epoch) {
          this.adoptEpoch(m.epoch);
          this.becomeFollower(null);
        }
        return;
      case 'pre-vote':
      case 'vote':
        this.onVoteRequest(from, m);
        return;
      case 'pre-vote-reply':
      case 'vote-reply':
        if (this.role instanceof CandidateRole) this.role.onReply(from, m);
        else if (m.epoch > this.epoch && m.type === 'vote-reply') {
          this.adoptEpoch(m.epoch);
          this.becomeFollower(null);
        }
        return;
      case 'client-write':
        this.role.onClientWrite(from, m);
        return;
      case 'client-read':
        this.role.onClientRead(from, m);
        return;
      case 'status-request':
        if (this.role instanceof LeaderRole) this.role.onStatusRequest(from, m.requestId);
        else this.redirect(from, m.requestId, 'not-leader');
        return;
      default:
        throw new Error(`replica ${this.id}: unknown message ${JSON.stringify(m)}`);
    }
  }

  private onVoteRequest(from: string, m: { type: 'pre-vote' | 'vote'; epoch: number; lastEpoch: number; lastLsn: number }): void {
    const voter: VoterState = {
      epoch: this.epoch,
      votedFor: this.votedFor,
      hearsFromLeader: this.role.hearsFromLeader,
      log: this.log.position,
    };
    const request = { candidateId: from, epoch: m.epoch, lastEpoch: m.lastEpoch, lastLsn: m.lastLsn };
    if (m.type === 'pre-vote') {
      const decision = decidePreVote(voter, request);
      this.send(from, { type: 'pre-vote-reply', epoch: m.epoch, granted: decision.granted, reason: decision.reason });
      if (decision.voterIsAhead && this.role instanceof FollowerRole) this.role.standNow();
      return;
    }
    const decision = decideVote(voter, request);
    if (decision.adoptEpoch) {
      this.adoptEpoch(m.epoch);
      if (!(this.role instanceof FollowerRole)) this.becomeFollower(null);
    }
    if (!decision.granted) {
      this.send(from, { type: 'vote-reply', epoch: this.epoch, granted: false, voterLastLsn: this.log.lastLsn, reason: decision.reason });
      if (decision.voterIsAhead && this.role instanceof FollowerRole) this.role.standNow();
      return;
    }
    if (this.role instanceof FollowerRole) this.role.postponeCandidacy();
    // The vote must survive a crash, or this node could vote twice in one epoch.
    const epoch = this.epoch;
    this.recordVote(from, () => {
      this.send(from, { type: 'vote-reply', epoch, granted: true, voterLastLsn: this.log.lastLsn, reason: 'yes' });
    });
  }

  // ---------------------------------------------------------------- helpers for the roles

  send(to: string, message: unknown, sizeBytes = SMALL_MESSAGE_BYTES): void {
    this.ctx.send(to, message, sizeBytes);
  }

  redirect(to: string, requestId: number, reason: RejectReason, leaderId: string | null = null): void {
    const reply: Redirect = { type: 'redirect', requestId, leaderId, epoch: this.epoch, reason };
    this.send(to, reply);
  }

  serveRead(to: string, m: ClientRead, servedAs: 'leader' | 'follower'): void {
    const read = this.kv.get(m.key);
    this.observer.readServed(this.id, servedAs, m.key, read.value, this.kv.appliedLsn);
    this.send(to, {
      type: 'read-ok',
      requestId: m.requestId,
      value: read.value,
      keyVersion: read.version,
      appliedLsn: this.kv.appliedLsn,
      epoch: this.epoch,
      servedAs,
    });
  }

  /**
   * Group commit: one fsync at a time; writes that arrive meanwhile wait for the next one.
   * `then` runs once an fsync that started after this call has completed.
   */
  requestFsync(then?: () => void): void {
    if (then) this.fsyncWaiters.push(then);
    if (this.fsyncInFlight) {
      this.fsyncAgain = true;
      return;
    }
    this.startFsync();
  }

  private startFsync(): void {
    this.fsyncInFlight = true;
    this.fsyncAgain = false;
    const waiters = this.fsyncWaiters;
    this.fsyncWaiters = [];
    const targetLsn = this.log.lastLsn;
    const generation = this.logGeneration;
    this.ctx.fsync(() => {
      this.fsyncInFlight = false;
      if (generation === this.logGeneration && targetLsn > this.flushedLsn) {
        this.flushedLsn = targetLsn;
        this.role.onFlushed();
      }
      for (const waiter of waiters) waiter();
      if (this.fsyncAgain || this.fsyncWaiters.length > 0 || this.log.lastLsn > this.flushedLsn) this.startFsync();
    });
  }

  /**
   * Drops the log after lsn (a suffix that a new leader does not have) and rebuilds the
   * state if it had already replayed any of it. Returns the dropped entries.
   */
  truncateLogAfter(lsn: number): ReturnType<ReplicationLog['truncateAfter']> {
    const dropped = this.log.truncateAfter(lsn);
    if (dropped.length === 0) return dropped;
    this.logGeneration++;
    this.cancelApply();
    if (this.flushedLsn > lsn) this.flushedLsn = lsn;
    if (this.kv.appliedLsn > lsn) {
      // A state machine cannot un-apply; rebuild it from the kept prefix (pg_rewind's job).
      this.kv.reset();
      for (let i = 1; i <= lsn; i++) this.kv.apply(this.log.entry(i)!);
    }
    this.requestFsync();
    return dropped;
  }

  /**
   * The replay loop: applies log entries up to target() at applyRecordsPerMs, in slices of
   * about APPLY_SLICE_MS. This finite speed is why a follower falls behind at a peak. The
   * loop is the node's, not a role's: it keeps going while a follower becomes a candidate
   * and then a leader, and the newest caller's target and progress callback win.
   */
  replayUpTo(target: () => number, onProgress: () => void): void {
    this.replayTarget = target;
    this.replayProgress = onProgress;
    if (this.applyTimer !== null) return;
    const backlog = Math.min(target(), this.log.lastLsn) - this.kv.appliedLsn;
    if (backlog <= 0) return;
    const rate = this.config.applyRecordsPerMs;
    const count = Math.min(backlog, Math.max(1, Math.ceil(rate * APPLY_SLICE_MS)));
    const generation = this.logGeneration;
    this.applyTimer = this.ctx.setTimer(count / rate, () => {
      this.applyTimer = null;
      if (generation !== this.logGeneration) return;
      const upTo = Math.min(this.kv.appliedLsn + count, this.log.lastLsn);
      for (let lsn = this.kv.appliedLsn + 1; lsn <= upTo; lsn++) this.kv.apply(this.log.entry(lsn)!);
      this.replayProgress();
      this.replayUpTo(this.replayTarget, this.replayProgress);
    });
  }

  cancelApply(): void {
    if (this.applyTimer !== null) {
      this.ctx.cancelTimer(this.applyTimer);
      this.applyTimer = null;
    }
  }

  /** For the read and write handlers of the roles: the common "wrong node" answer. */
  notLeader(to: string, m: ClientWrite | ClientRead, leaderId: string | null): void {
    this.redirect(to, m.requestId, 'not-leader', leaderId);
  }
}
