import { Hlc, HlcTimestamp, VectorClock } from '../../clocks';
import { NodeBehaviour, NodeContext } from '../../sim';
import { MessageMeter, wireSizeBytes } from '../../sim';
import { LoggedOp } from './logged-op';
import { LeaderOpLog } from './leader-op-log';

/**
 * One leader of a multi-leader (master–master) cluster: it accepts writes from clients
 * in its own region, applies them at once, and replicates them to the other leaders
 * asynchronously. What a write *means* — a register put under a conflict policy, or a
 * UPI payment under the idempotency rule — is the `data` it is applied to; the leader
 * only numbers, timestamps, stores and ships writes.
 *
 * The life of a write accepted here:
 *   1. it gets the next dot (this leader, n), the wall-clock time and an HLC timestamp;
 *   2. it is applied to the local data and appended to the on-disk op log;
 *   3. after fsync, the client is answered and the op is pushed to every other leader.
 * Ops from other leaders are applied when they are the next op of their origin (the
 * replication log refuses gaps and duplicates), appended to the log and fsynced in the
 * background; receiving an op also advances this leader's HLC past the op's timestamp.
 *
 * Anti-entropy, push–pull: every syncIntervalMs the leader sends each peer its version
 * vector; the peer answers with the ops the leader is missing, in origin order, and if
 * the vector shows the leader has ops the peer lacks, the peer asks for those at once.
 * That repairs everything a push could lose: messages dropped by a partition, a crashed
 * peer, a reordered push refused as a gap.
 *
 * Crash and restart: the op log on disk is replayed into fresh data. A leader's own op
 * is handed to anyone only after it is durable, so a restarted leader never reuses a
 * dot that another leader has seen.
 */
export interface ReplicatedData<P, R> {
  /** Applies one op; the result goes to the observer hook. */
  apply(op: LoggedOp<P>): R;
  /** Equal on two leaders iff their data is the same. */
  fingerprint(): string;
}

export interface LeaderConfig<P, R, D extends ReplicatedData<P, R>> {
  peers: readonly string[];
  syncIntervalMs: number;
  opsPerMessageMax: number;
  opCountMax: number;
  createData: () => D;
  /** Observer hook for every op applied live (not during recovery): for metrics only. */
  onApplied: (leader: string, op: LoggedOp<P>, result: R, local: boolean) => void;
  /** A line for the trace (drawn on space-time diagrams) about an op applied live; null for none. */
  describeApplied?: (op: LoggedOp<P>, result: R, local: boolean, data: D) => string | null;
  meter: MessageMeter;
  counters: { gapsRefused: number; duplicatesIgnored: number };
}

export type LeaderMessage<P> =
  | { type: 'ops'; ops: LoggedOp<P>[]; more: boolean }
  | { type: 'sync-request'; seen: VectorClock };

export class LeaderNode<P, R, D extends ReplicatedData<P, R>> implements NodeBehaviour {
  readonly data: D;
  private readonly log: LeaderOpLog<P>;
  private hlc: HlcTimestamp;
  /** This leader's own ops that are on disk; only those may leave the node. */
  private durableOwnCount: number;
  private fsyncQueued = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly config: LeaderConfig<P, R, D>,
  ) {
    this.data = config.createData();
    this.log = new LeaderOpLog<P>(config.opCountMax);
    this.hlc = Hlc.init(ctx.id);
    for (const op of ctx.disk.read('oplog') as LoggedOp<P>[]) {
      // The log on disk was written in apply order, so replay must accept every op.
      const outcome = this.log.append(op);
      if (outcome !== 'appended') throw new Error(`leader ${ctx.id} recovery: op ${op.dot.node}:${op.dot.counter} in the on-disk log is a ${outcome}; the log is corrupt`);
      this.data.apply(op);
      if (Hlc.compare(op.hlc, this.hlc) > 0) this.hlc = { l: op.hlc.l, c: op.hlc.c, nodeId: ctx.id };
    }
    this.durableOwnCount = this.log.seenOf(ctx.id);
  }

  onStart(): void {
    if (this.config.peers.length === 0) return;
    this.ctx.setTimer(this.ctx.random.float() * this.config.syncIntervalMs, () => this.antiEntropyRound());
  }

  /** The version vector of every op this leader holds. */
  seen(): VectorClock {
    return this.log.seen();
  }

  /** A fingerprint of data and log together. */
  fingerprint(): string {
    return `${JSON.stringify(this.log.seen())}|${this.data.fingerprint()}`;
  }

  /**
   * A client write in this leader's region. `prepare` builds the op's payload from the
   * current data (a put reads the key's version vector) or returns null to refuse the
   * write (a UPI payment whose transaction id was already applied here). `onDurable`
   * runs after fsync, when the client would get its answer.
   */
  submit(prepare: (data: D) => P | null, onDurable?: (op: LoggedOp<P>) => void): LoggedOp<P> | null {
    const payload = prepare(this.data);
    if (payload === null) return null;
    const physicalMs = Math.floor(this.ctx.nowMs());
    this.hlc = Hlc.now(this.hlc, physicalMs);
    const op: LoggedOp<P> = {
      dot: { node: this.ctx.id, counter: this.log.seenOf(this.ctx.id) + 1 },
      physicalMs,
      hlc: this.hlc,
      acceptedAtSimMs: this.ctx.simTimeMs(),
      payload,
    };
    this.applyNew(op, true);
    this.ctx.fsync(() => {
      this.durableOwnCount = Math.max(this.durableOwnCount, op.dot.counter);
      if (onDurable) onDurable(op);
      for (const peer of this.config.peers) this.send(peer, { type: 'ops', ops: [op], more: false });
    });
    return op;
  }

  onMessage(from: string, raw: unknown): void {
    const message = raw as LeaderMessage<P>;
    if (message.type === 'ops') {
      let appended = false;
      for (const op of message.ops) appended = this.receive(op) || appended;
      if (appended) this.queueFsync();
      // The peer had more than one message's worth for us: ask again right away.
      if (message.more) this.send(from, { type: 'sync-request', seen: this.log.seen() });
    } else if (message.type === 'sync-request') {
      const { ops, more } = this.log.missingFor(message.seen, this.config.opsPerMessageMax, { [this.ctx.id]: this.durableOwnCount });
      if (ops.length > 0) this.send(from, { type: 'ops', ops, more });
      // Push–pull: the peer has ops this leader lacks, so ask for them now instead of at our next round.
      if (!VectorClock.lessOrEqual(message.seen, this.log.seen())) this.send(from, { type: 'sync-request', seen: this.log.seen() });
    } else {
      throw new Error(`leader ${this.ctx.id}: unknown message type ${JSON.stringify((message as { type: unknown }).type)} from ${from}`);
    }
  }

  private antiEntropyRound(): void {
    const seen = this.log.seen();
    for (const peer of this.config.peers) this.send(peer, { type: 'sync-request', seen });
    this.ctx.setTimer(this.config.syncIntervalMs, () => this.antiEntropyRound());
  }

  private receive(op: LoggedOp<P>): boolean {
    const physicalMs = Math.floor(this.ctx.nowMs());
    const appended = this.applyNew(op, false);
    if (appended) this.hlc = Hlc.update(this.hlc, op.hlc, physicalMs);
    return appended;
  }

  private applyNew(op: LoggedOp<P>, local: boolean): boolean {
    const outcome = this.log.append(op);
    if (outcome === 'gap') {
      this.config.counters.gapsRefused++;
      return false;
    }
    if (outcome === 'duplicate') {
      this.config.counters.duplicatesIgnored++;
      return false;
    }
    const result = this.data.apply(op);
    this.ctx.disk.append('oplog', op);
    this.config.onApplied(this.ctx.id, op, result, local);
    if (this.config.describeApplied) {
      const line = this.config.describeApplied(op, result, local, this.data);
      if (line !== null) this.ctx.log(line);
    }
    return true;
  }

  private queueFsync(): void {
    if (this.fsyncQueued) return;
    this.fsyncQueued = true;
    this.ctx.fsync(() => {
      this.fsyncQueued = false;
    });
  }

  private send(to: string, message: LeaderMessage<P>): void {
    const bytes = wireSizeBytes(message);
    this.config.meter.countMessage(message.type, bytes);
    this.ctx.send(to, message, bytes);
  }
}
