/**
 * An application server in one region that talks to the cluster on behalf of its users.
 *
 * It runs `sessions` sessions (each one user's connection); a session runs one operation
 * at a time and keeps a session token (the LSNs it last wrote and read). Writes go to the
 * leader it believes in; a replica that is not the leader answers with a redirect naming
 * the leader it knows, and the client follows it. Every attempt has a timeout; after
 * maxAttempts the operation is given up and stays open (`return: null`) in the history,
 * because the client cannot know whether a write it sent took effect.
 *
 * Every operation is recorded with HistoryRecorder in lib/check's kv shape, with the LSN
 * as `version`, so the checker can test linearizability and the session guarantees.
 */
import { HistoryRecorder, LimitExceededError, NodeBehaviour, NodeContext, OptionError } from '../../sim';
import type { KvOperation, OperationResult } from '../../workload';
import { ClientReply, ClientRead, ClientWrite, SMALL_MESSAGE_BYTES } from './messages';
import { chooseReadTarget, ReadRouting, SessionToken } from './read-routing';
import type { TimelineEventName } from './replication-events';

/** The output a history records: {} for writes (plus version), {value} for gets. */
export interface KvOutput {
  value?: string;
  version?: number;
}

export interface ClientConfig {
  replicaIds: readonly string[];
  /** Replicas ordered nearest first from this client's region. */
  replicasByDistance: readonly string[];
  initialLeaderId: string;
  routing: ReadRouting;
  sessions: number;
  /** Process number of session 0 in the history; sessions are numbered on from there. */
  firstProcess: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  retryBackoffMs: number;
  statusPollMs: number;
  maxQueuedOperations: number;
}

/** One finished (or abandoned) operation, for latency figures. */
export interface OperationMetric {
  /** When the operation started, ms. */
  timeMs: number;
  kind: 'write' | 'read';
  f: KvOperation['f'];
  key: string;
  client: string;
  region: string;
  process: number;
  ok: boolean;
  /** null when the client gave up. */
  latencyMs: number | null;
  attempts: number;
  /** The replica that answered, null when none did. */
  servedBy: string | null;
  servedAs: 'leader' | 'follower' | null;
}

export interface ClientObserver {
  operationFinished(metric: OperationMetric): void;
  timelineEvent(event: TimelineEventName, node: string, epoch: number, detail: string): void;
}

interface Operation {
  op: KvOperation;
  done: ((result: OperationResult) => void) | undefined;
}

interface Session {
  process: number;
  token: SessionToken;
  running: Running | null;
  queue: Operation[];
}

interface Running extends Operation {
  session: Session;
  historyIndex: number;
  startMs: number;
  attempts: number;
  requestId: number;
  target: string | null;
  timer: number | null;
  writeId: string | null;
  avoid: Set<string>;
  forceLeader: boolean;
}

export class ClientNode implements NodeBehaviour {
  private readonly sessions: Session[] = [];
  private readonly running = new Map<number, Running>();
  private leaderId: string | null;
  private leaderEpoch = 0;
  /** The epoch of the newest leader that acknowledged one of our writes. */
  private lastWriteEpoch = 0;
  private nextRequestId = 1;
  private nextWriteNumber = 1;
  private roundRobin = 0;
  private status: { replayLagMsById: Record<string, number>; receivedMs: number } | null = null;
  private queuedCount = 0;

  constructor(
    private readonly ctx: NodeContext,
    private readonly config: ClientConfig,
    private readonly history: HistoryRecorder<KvOperation, KvOutput> | null,
    private readonly observer: ClientObserver,
  ) {
    this.leaderId = config.initialLeaderId;
    for (let i = 0; i < config.sessions; i++) {
      this.sessions.push({ process: config.firstProcess + i, token: { lastWriteLsn: 0, lastReadLsn: 0 }, running: null, queue: [] });
    }
  }

  onStart(): void {
    if (this.config.routing.mode === 'bounded-staleness') this.pollStatus();
  }

  get sessionCount(): number {
    return this.sessions.length;
  }

  /** The session token of one session (what a learner inspects to understand routing). */
  sessionToken(session: number): SessionToken {
    return { ...this.sessions[session].token };
  }

  get knownLeader(): string | null {
    return this.leaderId;
  }

  submit(op: KvOperation, done?: (result: OperationResult) => void, sessionIndex?: number): void {
    const session = sessionIndex !== undefined ? this.sessions[sessionIndex] : this.leastBusySession();
    if (!session) throw new OptionError(`client ${this.ctx.id} session: got ${sessionIndex}; allowed: 0 to ${this.sessions.length - 1}`);
    if (session.running === null) {
      this.begin(session, { op, done });
      return;
    }
    if (this.queuedCount >= this.config.maxQueuedOperations) {
      throw new LimitExceededError(
        `client ${this.ctx.id}: ${this.queuedCount} operations queued behind busy sessions, the limit (maxQueuedOperations); add sessions or lower the load`,
      );
    }
    session.queue.push({ op, done });
    this.queuedCount++;
  }

  private leastBusySession(): Session {
    let best = this.sessions[0];
    for (const s of this.sessions) {
      const load = (s.running ? 1 : 0) + s.queue.length;
      const bestLoad = (best.running ? 1 : 0) + best.queue.length;
      if (load < bestLoad) best = s;
      if (load === 0) break;
    }
    return best;
  }

  private begin(session: Session, operation: Operation): void {
    const now = this.ctx.simTimeMs();
    const historyIndex = this.history ? this.history.invoke(session.process, { ...operation.op }, now) : -1;
    const run: Running = {
      ...operation,
      session,
      historyIndex,
      startMs: now,
      attempts: 0,
      requestId: 0,
      target: null,
      timer: null,
      writeId: operation.op.f === 'get' ? null : `${this.ctx.id}#${this.nextWriteNumber++}`,
      avoid: new Set(),
      forceLeader: false,
    };
    session.running = run;
    this.attempt(run);
  }

  private attempt(run: Running): void {
    if (run.attempts >= this.config.maxAttempts) {
      this.finish(run, null, null);
      return;
    }
    run.attempts++;
    run.requestId = this.nextRequestId++;
    this.running.set(run.requestId, run);
    const op = run.op;
    if (op.f === 'get') {
      const decision = chooseReadTarget({
        routing: this.config.routing,
        leaderId: this.leaderId,
        replicasByDistance: this.config.replicasByDistance,
        session: run.session.token,
        status: this.status ? { replayLagMsById: this.status.replayLagMsById, ageMs: this.ctx.nowMs() - this.status.receivedMs } : null,
        avoid: run.avoid,
        forceLeader: run.forceLeader,
      });
      run.target = decision.target ?? this.anyReplica(run.avoid);
      const message: ClientRead = { type: 'client-read', requestId: run.requestId, key: op.key, minLsn: decision.minLsn, leaderOnly: decision.leaderOnly };
      this.ctx.send(run.target, message, SMALL_MESSAGE_BYTES);
    } else {
      run.target = this.leaderId ?? this.anyReplica(run.avoid);
      const message: ClientWrite = { type: 'client-write', requestId: run.requestId, writeId: run.writeId!, op };
      this.ctx.send(run.target, message, SMALL_MESSAGE_BYTES);
    }
    const requestId = run.requestId;
    run.timer = this.ctx.setTimer(this.config.requestTimeoutMs, () => {
      if (!this.running.delete(requestId)) return;
      run.timer = null;
      // No answer: that replica may be down or cut off. Try another one.
      if (run.target !== null) run.avoid.add(run.target);
      if (run.target === this.leaderId) this.leaderId = null;
      this.attempt(run);
    });
  }

  /** Some replica not known to be unreachable, in turn: any replica can redirect us. */
  private anyReplica(avoid: ReadonlySet<string>): string {
    const ids = this.config.replicaIds;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[this.roundRobin++ % ids.length];
      if (!avoid.has(id)) return id;
    }
    return ids[this.roundRobin++ % ids.length];
  }

  onMessage(from: string, message: unknown): void {
    const m = message as ClientReply;
    if (m.type === 'status') {
      const lags: Record<string, number> = {};
      for (const row of m.followers) if (row.streaming) lags[row.id] = row.replayLagMs;
      this.status = { replayLagMsById: lags, receivedMs: this.ctx.nowMs() };
      this.learnLeader(from, m.epoch);
      return;
    }
    if (m.type === 'redirect' && m.requestId === 0) {
      // The answer to a status poll sent to a replica that is not the leader.
      if (m.leaderId !== null && m.epoch >= this.leaderEpoch) this.learnLeader(m.leaderId, m.epoch);
      else if (this.leaderId === from) this.leaderId = null;
      return;
    }
    const run = this.running.get(m.requestId);
    if (!run) return; // an answer to an attempt we already gave up on
    this.running.delete(m.requestId);
    if (run.timer !== null) this.ctx.cancelTimer(run.timer);
    run.timer = null;
    switch (m.type) {
      case 'write-ok': {
        this.learnLeader(from, m.epoch);
        if (this.lastWriteEpoch > 0 && m.epoch > this.lastWriteEpoch) {
          this.observer.timelineEvent('client-redirected', this.ctx.id, m.epoch, `first write acknowledged by the new leader ${from}`);
        }
        this.lastWriteEpoch = Math.max(this.lastWriteEpoch, m.epoch);
        run.session.token.lastWriteLsn = Math.max(run.session.token.lastWriteLsn, m.lsn);
        this.finish(run, { version: m.lsn }, from, 'leader');
        return;
      }
      case 'read-ok':
        if (m.servedAs === 'leader') this.learnLeader(from, m.epoch);
        run.session.token.lastReadLsn = Math.max(run.session.token.lastReadLsn, m.appliedLsn);
        this.finish(run, { value: m.value, version: m.keyVersion }, from, m.servedAs);
        return;
      case 'read-behind':
        run.forceLeader = true;
        this.attempt(run);
        return;
      case 'redirect': {
        if (m.leaderId !== null && m.leaderId !== from && m.epoch >= this.leaderEpoch) {
          this.leaderId = m.leaderId;
          this.leaderEpoch = m.epoch;
          this.attempt(run);
          return;
        }
        if (m.leaderId === null && this.leaderId === from) this.leaderId = null;
        if (m.leaderId === null) run.avoid.add(from);
        // Not ready yet, no lease, or nobody knows a leader: wait a little, then retry.
        this.ctx.setTimer(this.config.retryBackoffMs * run.attempts, () => {
          if (run.session.running === run) this.attempt(run);
        });
        return;
      }
    }
  }

  private learnLeader(id: string, epoch: number): void {
    if (epoch >= this.leaderEpoch) {
      this.leaderId = id;
      this.leaderEpoch = epoch;
    }
  }

  private finish(run: Running, output: KvOutput | null, servedBy: string | null, servedAs: 'leader' | 'follower' | null = null): void {
    const now = this.ctx.simTimeMs();
    const ok = output !== null;
    if (ok && this.history) this.history.complete(run.historyIndex, output, now);
    const latencyMs = ok ? now - run.startMs : null;
    this.observer.operationFinished({
      timeMs: run.startMs,
      kind: run.op.f === 'get' ? 'read' : 'write',
      f: run.op.f,
      key: run.op.key,
      client: this.ctx.id,
      region: this.ctx.region,
      process: run.session.process,
      ok,
      latencyMs,
      attempts: run.attempts,
      servedBy,
      servedAs,
    });
    const session = run.session;
    session.running = null;
    const result: OperationResult = { ok, latencyMs };
    if (output && output.value !== undefined) result.value = output.value;
    if (output && output.version !== undefined) result.version = output.version;
    if (run.done) run.done(result);
    // The next queued operation of this session, if the callback did not start one.
    if (session.running === null && session.queue.length > 0) {
      this.queuedCount--;
      this.begin(session, session.queue.shift()!);
    }
  }

  private pollStatus(): void {
    const target = this.leaderId ?? this.anyReplica(new Set());
    this.ctx.send(target, { type: 'status-request', requestId: 0 }, SMALL_MESSAGE_BYTES);
    this.ctx.setTimer(this.config.statusPollMs, () => this.pollStatus());
  }
}
