import { CrdtType, canonicalJson } from '../../crdt';
import { LimitExceededError, NodeBehaviour, NodeContext } from '../../sim';
import { contentHash } from './content-hash';
import { EventualMetrics } from './eventual-metrics';
import { MerkleTree, differingIndices } from './merkle-tree';
import { wireSizeBytes } from '../../sim';

/**
 * One replica of a leaderless, eventually consistent store of CRDTs (Dynamo-style, with
 * state-based CRDTs as values instead of Dynamo's vector-clocked blobs).
 *
 * Every replica accepts writes for every key. Replicas converge through four mechanisms,
 * each of which can be switched off to see what it contributes:
 *   1. push on write: the coordinator of a write sends the key's new state to every peer;
 *   2. hinted handoff: a peer that does not acknowledge that push within ackTimeoutMs gets
 *      a hint — the coordinator keeps the key's state for it and retries every
 *      hintRetryMs until the peer confirms (a crashed warehouse catches up right after it
 *      restarts, without waiting for gossip);
 *   3. anti-entropy: every gossipIntervalMs the replica picks `fanout` random peers and
 *      runs a push–pull exchange, either of its whole store ('full-state') or, with
 *      Merkle digests ('merkle'), walking down the two Merkle trees so only keys in
 *      differing leaf buckets travel;
 *   4. read repair: a read that asks several replicas merges their states, returns the
 *      merged value and sends it to every replica that was behind.
 * Because values are CRDTs, every one of these is just "merge what you receive": order,
 * duplicates and retries do not matter, and replicas that have received the same writes
 * hold the same state.
 *
 * Durability: a replica writes a key's state to its disk and fsyncs before it
 * acknowledges a local write; states merged in from peers are written without waiting
 * for fsync (if a crash loses them, anti-entropy brings them back).
 *
 * Actor ids: CRDT operations are made as actor `mumbai` in the first incarnation and
 * `mumbai~2`, `mumbai~3`, ... after restarts. A write that was applied in memory but not
 * yet fsynced may already have left in a gossip exchange; if the restarted replica
 * counted in its old slot again, its next decrement would produce the very slot value
 * the lost write had spread, and merge (a maximum) would swallow it. A fresh slot per
 * incarnation cannot collide. (The simulator's incarnation number plays the role of the
 * epoch a real system keeps on disk, as Riak does for its vnode ids.)
 *
 * Simplification against Dynamo: every replica holds every key (no consistent-hashing
 * ring), and the hint stays with the coordinator instead of travelling to a stand-in
 * node. The behaviour the lesson needs — writes accepted while a replica is down and
 * handed to it when it returns — is the same.
 */

export type AntiEntropyMode = 'merkle' | 'full-state' | 'off';

/** Most pushes awaiting acknowledgement, hint batches in flight and reads in progress per replica. */
export const PENDING_COUNT_MAX = 100_000;

export interface CrdtReplicaConfig<S, V> {
  type: CrdtType<S, V>;
  /** The other replicas, nearest first (reads ask the nearest ones). */
  peers: readonly string[];
  gossipIntervalMs: number;
  fanout: number;
  antiEntropy: AntiEntropyMode;
  merkleBranching: number;
  merkleDepth: number;
  pushOnWrite: boolean;
  hintedHandoff: boolean;
  ackTimeoutMs: number;
  hintRetryMs: number;
  readTimeoutMs: number;
  /** Most keys one replica may hold. */
  keyCountMax: number;
  metrics: EventualMetrics;
}

type KeyState<S> = [key: string, state: S];

export type EventualMessage<S> =
  | { type: 'update'; updateId: number; key: string; state: S; wantAck: boolean }
  | { type: 'update-ack'; updateId: number }
  | { type: 'hint'; hintId: number; entries: KeyState<S>[] }
  | { type: 'hint-ack'; hintId: number }
  | { type: 'read'; readId: number; key: string }
  | { type: 'read-reply'; readId: number; state: S | null }
  | { type: 'repair'; key: string; state: S }
  | { type: 'gossip-full'; entries: KeyState<S>[]; reply: boolean }
  | { type: 'merkle-nodes'; level: number; indices: number[]; hashes: number[] }
  | { type: 'merkle-buckets'; buckets: number[]; entries: KeyState<S>[]; reply: boolean };

export interface ReadResult<V> {
  key: string;
  /** The merged value of every state that answered. */
  value: V;
  /** Replicas whose state went into the value, the coordinator included. */
  replicasAnswered: number;
  /** Replicas that were sent the merged state because they were behind. */
  repairsSent: number;
}

interface PendingRead<S, V> {
  key: string;
  asked: string[];
  replies: Map<string, S | null>;
  timerId: number;
  onDone: (result: ReadResult<V>) => void;
}

export class CrdtReplicaNode<S, V> implements NodeBehaviour {
  private readonly store = new Map<string, S>();
  private readonly stateHashes = new Map<string, number>();
  private readonly tree: MerkleTree;
  /** Per peer: key → state kept for it because it did not acknowledge an update. */
  private readonly hints = new Map<string, Map<string, S>>();
  private readonly pendingAcks = new Map<number, { peer: string; key: string; state: S; timerId: number }>();
  private readonly pendingHintBatches = new Map<number, { peer: string; sent: Array<[string, number]> }>();
  private readonly pendingReads = new Map<number, PendingRead<S, V>>();
  private nextId = 1;
  /** The actor id this incarnation's CRDT operations count under. */
  readonly actorId: string;
  private hintTimerRunning = false;
  private fsyncQueued = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly config: CrdtReplicaConfig<S, V>,
  ) {
    this.tree = new MerkleTree({ branching: config.merkleBranching, depth: config.merkleDepth });
    this.actorId = ctx.incarnation === 1 ? ctx.id : `${ctx.id}~${ctx.incarnation}`;
    // A restarted replica rebuilds its store from the key states its disk kept.
    for (const name of ctx.disk.fileNames()) {
      if (!name.startsWith('crdt/')) continue;
      const state = ctx.disk.get<S>(name);
      if (state !== undefined) this.install(name.slice('crdt/'.length), state);
    }
  }

  onStart(): void {
    if (this.config.antiEntropy === 'off' || this.config.peers.length === 0) return;
    // A random first delay spreads the replicas' rounds, as real gossip timers drift apart.
    this.ctx.setTimer(this.ctx.random.float() * this.config.gossipIntervalMs, () => this.gossipRound());
  }

  // ------------------------------------------------------------------ reads of local state

  keys(): string[] {
    return [...this.store.keys()].sort();
  }

  stateOf(key: string): S | undefined {
    return this.store.get(key);
  }

  valueOf(key: string): V | undefined {
    const state = this.store.get(key);
    return state === undefined ? undefined : this.config.type.value(state);
  }

  stateHashOf(key: string): number | undefined {
    return this.stateHashes.get(key);
  }

  /** A short summary of the whole store: equal on two replicas iff (up to hash collisions) they hold the same states. */
  fingerprint(): string {
    return `${this.store.size}:${this.tree.root()}`;
  }

  /** Keys with a hint waiting, per peer. */
  hintCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [peer, keys] of this.hints) if (keys.size > 0) counts[peer] = keys.size;
    return counts;
  }

  // ------------------------------------------------------------------ client operations

  /**
   * A client write coordinated here: `change` gets the key's current state and this
   * incarnation's actor id and returns the state after a CRDT operation, e.g.
   * `(s, actor) => PNCounter.decrement(s, actor, 1)`. onDurable runs once the new state is on
   * disk; only then is it pushed to the peers.
   */
  update(key: string, change: (state: S, replicaId: string) => S, onDurable?: (value: V) => void): V {
    const type = this.config.type;
    const current = this.store.get(key) ?? type.empty();
    const next = change(current, this.actorId);
    // An update must only add information; a change that drops part of the state would
    // be undone by the next merge on this replica and never reach the others.
    if (canonicalJson(type.merge(current, next)) !== canonicalJson(next)) {
      throw new Error(`update of key ${JSON.stringify(key)} at ${this.ctx.id}: the change function must return the state updated by a ${type.name} operation, but it lost part of the state`);
    }
    this.absorb(key, next, false);
    const value = type.value(next);
    this.ctx.fsync(() => {
      if (onDurable) onDurable(value);
      if (this.config.pushOnWrite) this.pushUpdate(key);
    });
    return value;
  }

  /**
   * A read at this replica that also asks the `replicaCount − 1` nearest peers, merges
   * every answer (waiting at most readTimeoutMs), returns the merged value and repairs
   * the replicas that were behind. replicaCount 1 reads only the local state.
   */
  read(key: string, replicaCount: number, onDone: (result: ReadResult<V>) => void): void {
    const asked = this.config.peers.slice(0, Math.max(0, replicaCount - 1));
    if (asked.length === 0) {
      const state = this.store.get(key) ?? this.config.type.empty();
      onDone({ key, value: this.config.type.value(state), replicasAnswered: 1, repairsSent: 0 });
      return;
    }
    const readId = this.nextId++;
    this.checkPending('reads in progress', this.pendingReads.size);
    const timerId = this.ctx.setTimer(this.config.readTimeoutMs, () => this.finishRead(readId));
    this.pendingReads.set(readId, { key, asked, replies: new Map(), timerId, onDone });
    for (const peer of asked) this.send(peer, { type: 'read', readId, key });
  }

  // ------------------------------------------------------------------ messages

  onMessage(from: string, raw: unknown): void {
    const message = raw as EventualMessage<S>;
    switch (message.type) {
      case 'update':
        this.absorb(message.key, message.state, true);
        if (message.wantAck) this.send(from, { type: 'update-ack', updateId: message.updateId });
        break;
      case 'update-ack': {
        const pending = this.pendingAcks.get(message.updateId);
        if (pending) {
          this.ctx.cancelTimer(pending.timerId);
          this.pendingAcks.delete(message.updateId);
        }
        break;
      }
      case 'hint':
        for (const [key, state] of message.entries) this.absorb(key, state, true);
        this.send(from, { type: 'hint-ack', hintId: message.hintId });
        break;
      case 'hint-ack':
        this.hintDelivered(message.hintId);
        break;
      case 'read':
        this.send(from, { type: 'read-reply', readId: message.readId, state: this.store.get(message.key) ?? null });
        break;
      case 'read-reply': {
        const pending = this.pendingReads.get(message.readId);
        if (!pending || pending.replies.has(from)) break;
        pending.replies.set(from, message.state);
        if (pending.replies.size === pending.asked.length) {
          this.ctx.cancelTimer(pending.timerId);
          this.finishRead(message.readId);
        }
        break;
      }
      case 'repair':
        this.absorb(message.key, message.state, true);
        break;
      case 'gossip-full':
        // Reply with what this replica held before merging: the sender already has its own part.
        if (message.reply) this.send(from, { type: 'gossip-full', entries: this.entries(this.keys()), reply: false });
        this.absorbAll(message.entries);
        break;
      case 'merkle-nodes':
        this.onMerkleNodes(from, message.level, message.indices, message.hashes);
        break;
      case 'merkle-buckets':
        if (message.reply) {
          const entries = this.entries(this.tree.keysIn(message.buckets));
          this.config.metrics.keyStatesSentByAntiEntropy += entries.length;
          this.send(from, { type: 'merkle-buckets', buckets: message.buckets, entries, reply: false });
        }
        this.absorbAll(message.entries);
        break;
      default:
        throw new Error(`replica ${this.ctx.id}: unknown message type ${JSON.stringify((message as { type: unknown }).type)} from ${from}`);
    }
  }

  // ------------------------------------------------------------------ anti-entropy

  private gossipRound(): void {
    const { peers, fanout, gossipIntervalMs, antiEntropy, metrics } = this.config;
    const partners = this.ctx.random.shuffled(peers).slice(0, Math.min(fanout, peers.length));
    for (const peer of partners) {
      metrics.gossipExchanges++;
      if (antiEntropy === 'full-state') {
        const entries = this.entries(this.keys());
        metrics.keyStatesSentByAntiEntropy += entries.length;
        this.send(peer, { type: 'gossip-full', entries, reply: true });
      } else {
        this.send(peer, { type: 'merkle-nodes', level: 0, indices: [0], hashes: this.tree.hashesAt(0, [0]) });
      }
    }
    this.ctx.setTimer(gossipIntervalMs, () => this.gossipRound());
  }

  /**
   * One step of the Merkle walk, the same on both sides: compare the peer's hashes of
   * some nodes with ours; stop if all match; at the leaves, send our keys of the
   * differing buckets and ask for theirs; above, send our hashes of the differing
   * nodes' children.
   */
  private onMerkleNodes(from: string, level: number, indices: number[], hashes: number[]): void {
    const differing = differingIndices(indices, this.tree.hashesAt(level, indices), hashes);
    if (differing.length === 0) return;
    if (level === 0) this.config.metrics.gossipExchangesWithDifference++;
    if (level === this.tree.depth) {
      const entries = this.entries(this.tree.keysIn(differing));
      this.config.metrics.keyStatesSentByAntiEntropy += entries.length;
      this.send(from, { type: 'merkle-buckets', buckets: differing, entries, reply: true });
      return;
    }
    const children = this.tree.childrenOf(level, differing);
    this.send(from, { type: 'merkle-nodes', level: level + 1, indices: children, hashes: this.tree.hashesAt(level + 1, children) });
  }

  // ------------------------------------------------------------------ push and hinted handoff

  private pushUpdate(key: string): void {
    const state = this.store.get(key) as S;
    for (const peer of this.config.peers) {
      const updateId = this.nextId++;
      const wantAck = this.config.hintedHandoff;
      this.send(peer, { type: 'update', updateId, key, state, wantAck });
      if (!wantAck) continue;
      const timerId = this.ctx.setTimer(this.config.ackTimeoutMs, () => {
        this.pendingAcks.delete(updateId);
        this.addHint(peer, key, state);
      });
      this.checkPending('pushes awaiting acknowledgement', this.pendingAcks.size);
      this.pendingAcks.set(updateId, { peer, key, state, timerId });
    }
  }

  private addHint(peer: string, key: string, state: S): void {
    let forPeer = this.hints.get(peer);
    if (!forPeer) {
      forPeer = new Map();
      this.hints.set(peer, forPeer);
    }
    const held = forPeer.get(key);
    // Hints for one key coalesce by merge, so a long outage costs one state per key, not one per write.
    forPeer.set(key, held === undefined ? state : this.config.type.merge(held, state));
    if (held === undefined) {
      if (forPeer.size > this.config.keyCountMax) {
        throw new LimitExceededError(`replica ${this.ctx.id} holds hints for ${forPeer.size} keys for ${peer}, more than keyCountMax = ${this.config.keyCountMax}`);
      }
      this.config.metrics.hintsStored++;
    }
    if (!this.hintTimerRunning) {
      this.hintTimerRunning = true;
      this.ctx.setTimer(this.config.hintRetryMs, () => this.deliverHints());
    }
  }

  private deliverHints(): void {
    let waiting = false;
    for (const [peer, forPeer] of this.hints) {
      if (forPeer.size === 0) continue;
      waiting = true;
      // An older batch to this peer that was never acknowledged is superseded by this one.
      for (const [id, batch] of this.pendingHintBatches) if (batch.peer === peer) this.pendingHintBatches.delete(id);
      const hintId = this.nextId++;
      const entries: KeyState<S>[] = [...forPeer.entries()];
      this.checkPending('hint batches in flight', this.pendingHintBatches.size);
      this.pendingHintBatches.set(hintId, { peer, sent: entries.map(([key, state]) => [key, this.hashOf(state)]) });
      this.send(peer, { type: 'hint', hintId, entries });
    }
    this.hintTimerRunning = waiting;
    if (waiting) this.ctx.setTimer(this.config.hintRetryMs, () => this.deliverHints());
  }

  private hintDelivered(hintId: number): void {
    const batch = this.pendingHintBatches.get(hintId);
    if (!batch) return;
    this.pendingHintBatches.delete(hintId);
    const forPeer = this.hints.get(batch.peer);
    if (!forPeer) return;
    for (const [key, hash] of batch.sent) {
      const held = forPeer.get(key);
      // A hint that grew after this batch left still has news for the peer; keep it.
      if (held !== undefined && this.hashOf(held) === hash) {
        forPeer.delete(key);
        this.config.metrics.hintsDelivered++;
      }
    }
  }

  // ------------------------------------------------------------------ reads with repair

  private finishRead(readId: number): void {
    const pending = this.pendingReads.get(readId);
    if (!pending) return;
    this.pendingReads.delete(readId);
    const type = this.config.type;
    let merged = this.store.get(pending.key) ?? type.empty();
    for (const state of pending.replies.values()) if (state !== null) merged = type.merge(merged, state);
    const mergedHash = this.hashOf(merged);
    let repairsSent = 0;
    for (const [peer, state] of pending.replies) {
      if (state === null || this.hashOf(state) !== mergedHash) {
        this.send(peer, { type: 'repair', key: pending.key, state: merged });
        repairsSent++;
      }
    }
    this.config.metrics.readRepairs += repairsSent;
    this.absorb(pending.key, merged, true);
    pending.onDone({ key: pending.key, value: type.value(merged), replicasAnswered: 1 + pending.replies.size, repairsSent });
  }

  // ------------------------------------------------------------------ local state

  private checkPending(what: string, count: number): void {
    if (count >= PENDING_COUNT_MAX) {
      throw new LimitExceededError(`replica ${this.ctx.id} has ${count} ${what}, its limit (PENDING_COUNT_MAX = ${PENDING_COUNT_MAX}); the workload outruns the network`);
    }
  }

  private hashOf(state: S): number {
    return contentHash(canonicalJson(state));
  }

  private entries(keys: readonly string[]): KeyState<S>[] {
    return keys.map((key) => [key, this.store.get(key) as S]);
  }

  private absorbAll(entries: readonly KeyState<S>[]): void {
    for (const [key, state] of entries) this.absorb(key, state, true);
  }

  /** Puts a state into memory and the Merkle tree, without touching the disk (recovery). */
  private install(key: string, state: S): number {
    if (!this.store.has(key) && this.store.size >= this.config.keyCountMax) {
      throw new LimitExceededError(`replica ${this.ctx.id} holds ${this.store.size} keys, its limit (keyCountMax = ${this.config.keyCountMax}); cannot add ${JSON.stringify(key)}`);
    }
    const hash = this.hashOf(state);
    this.store.set(key, state);
    this.stateHashes.set(key, hash);
    this.tree.set(key, hash);
    return hash;
  }

  /** Merges a state into the key's and writes the result to disk when it changed. */
  private absorb(key: string, incoming: S, fromPeer: boolean): void {
    const current = this.store.get(key);
    const merged = current === undefined ? incoming : this.config.type.merge(current, incoming);
    const before = this.stateHashes.get(key);
    const after = this.hashOf(merged);
    if (after === before) return;
    this.install(key, merged);
    this.ctx.disk.put(`crdt/${key}`, merged);
    if (fromPeer && !this.fsyncQueued) {
      this.fsyncQueued = true;
      this.ctx.fsync(() => {
        this.fsyncQueued = false;
      });
    }
  }

  private send(to: string, message: EventualMessage<S>): void {
    const bytes = wireSizeBytes(message);
    this.config.metrics.countMessage(message.type, bytes);
    this.ctx.send(to, message, bytes);
  }
}
