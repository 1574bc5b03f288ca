import { Disk, ProcessDisk, SimDisk } from './disk';
import { EventQueue, QueuedEvent } from './event-queue';
import { DEFAULT_LINK, LinkProfile, ResolvedLink, mergeLinkProfile, resolveLink, sampleLatencyMs } from './network-model';
import { copyMessage } from './message-copy';
import { NodeClock } from './node-clock';
import { LimitExceededError, OptionError, checkKnownKeys, checkNumber, checkOneOf } from '../util/option-error';
import { Rng } from './rng';
import { Topology, indiaTopology } from './topology';
import { DropReason, TraceEvent } from './trace';

/**
 * Everything a node may touch. A node never sees the simulator itself: time, messages,
 * timers, randomness and disk all come through this context, which is what makes one
 * seed reproduce one run exactly.
 */
export interface NodeContext {
  readonly id: string;
  readonly region: string;
  /** Starts at 1 and grows with every restart; timers and messages of older incarnations are void. */
  readonly incarnation: number;
  /** This node's own wall clock: skewed, drifting, and it can jump. Protocol logic uses this. */
  nowMs(): number;
  /** This node's monotonic clock (CLOCK_MONOTONIC): drifts with the node's clock but never jumps. Use it for leases and timeouts. */
  monotonicMs(): number;
  /** The observer's true time, for metrics only. A protocol that reads it is cheating. */
  simTimeMs(): number;
  /** Sends a message; the network decides when (or whether) it arrives. */
  send(to: string, message: unknown, sizeBytes?: number): void;
  /** Runs `fire` after delayMs as measured by this node's clock; returns an id for cancelTimer. */
  setTimer(delayMs: number, fire: () => void): number;
  cancelTimer(timerId: number): void;
  /** Makes the disk's buffered writes durable after this node's fsync latency, then calls onDurable. */
  fsync(onDurable: () => void): void;
  readonly random: Rng;
  /** This incarnation's view of the node's disk: after this process crashes, its writes are dropped. */
  readonly disk: Disk;
  /** A line in the trace, e.g. "promoted to leader in epoch 3". */
  log(text: string): void;
}

export interface NodeBehaviour {
  onMessage(from: string, message: unknown): void;
  /** Called at the current time, as an event, once an incarnation has been built: at boot and after each restart. */
  onStart?(): void;
}

export interface NodeOptions<B extends NodeBehaviour> {
  id: string;
  region: string;
  /** Builds the node's volatile state from its context; called again on every restart. */
  create: (ctx: NodeContext) => B;
  clock?: { skewMs?: number; driftPpm?: number };
  /** How long an fsync takes on this node's disk, ms. */
  fsyncMs?: number;
}

export interface SimulationOptions {
  seed: number;
  topology?: Topology;
  /** Link behaviour for every pair unless overridden with setLink. */
  link?: Partial<LinkProfile>;
  /** Record every send/deliver/drop/fault in `trace` (off for benchmarks). */
  trace?: boolean;
  /**
   * How a message reaches its receiver. "copy" (the default): the receiver gets its own deep copy
   * (structuredClone), made when the message is sent, as bytes on a real network are, so no node
   * can reach into another's memory by mutating what it received, or what it sent (copyMessage:
   * a direct deep copy of data, prototypes kept). "shared": the
   * sender's object itself, for benchmarks of the event loop alone (bench:sim measures both).
   */
  messageIsolation?: 'copy' | 'shared';
  maxQueueLength?: number;
  maxEvents?: number;
  maxTraceEvents?: number;
  maxNodes?: number;
}

export interface SimulationStats {
  messagesSent: number;
  messagesDelivered: number;
  messagesDropped: number;
  droppedByReason: Record<DropReason, number>;
  duplicatesInjected: number;
  bytesSent: number;
  eventsProcessed: number;
}

export interface FaultRecord {
  timeMs: number;
  fault: string;
  nodes: string[];
  detail: string;
}

const SIMULATION_KEYS = ['seed', 'topology', 'link', 'trace', 'maxQueueLength', 'maxEvents', 'maxTraceEvents', 'maxNodes', 'messageIsolation'];
const NODE_KEYS = ['id', 'region', 'create', 'clock', 'fsyncMs'];

const DELIVER = 0;
const TIMER = 1;
const CALL = 2;

/** One mutable event shape for everything, so the heap stays monomorphic and events can be reused. */
class SimEvent implements QueuedEvent {
  timeMs = 0;
  seq = 0;
  kind = 0;
  from = 0;
  to = 0;
  incarnation = 0;
  msgId = 0;
  payload: unknown = null;
  fire: (() => void) | null = null;
}

class SimNode<B extends NodeBehaviour = NodeBehaviour> {
  up = true;
  incarnation = 0;
  behaviour: B | null = null;
  ctx: NodeContext | null = null;
  /** Per destination node index: the resolved link, built lazily. */
  links: Array<ResolvedLink | undefined> = [];
  /** Per destination node index: the latest delivery time scheduled, for FIFO links. */
  fifoLastMs: number[] = [];
  /** Per destination node index: how many active partitions block this direction. */
  blockedTo: number[] = [];
  fsyncFactor = 1;
  readonly disk = new SimDisk();

  constructor(
    readonly index: number,
    readonly id: string,
    readonly region: string,
    readonly regionIndex: number,
    readonly create: (ctx: NodeContext) => B,
    readonly clock: NodeClock,
    readonly rng: Rng,
    readonly fsyncMs: number,
  ) {}
}

/** What a caller holds for a node: its id, whether it is up, and the live behaviour. */
export interface NodeHandle<B extends NodeBehaviour> {
  readonly id: string;
  readonly region: string;
  readonly isUp: boolean;
  readonly incarnation: number;
  /** The current incarnation's behaviour; null while the node is down. */
  readonly behaviour: B | null;
  readonly disk: SimDisk;
  readonly clock: NodeClock;
}

function labelOf(message: unknown): string {
  if (typeof message === 'object' && message !== null) {
    const type = (message as { type?: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return typeof message;
}

/**
 * A deterministic discrete-event simulation of nodes in Indian regions exchanging
 * messages over a network with realistic latency, faults and partitions.
 */
export class Simulation {
  readonly seed: number;
  readonly topology: Topology;
  readonly stats: SimulationStats = {
    messagesSent: 0,
    messagesDelivered: 0,
    messagesDropped: 0,
    droppedByReason: { loss: 0, partition: 0, 'node-down': 0 },
    duplicatesInjected: 0,
    bytesSent: 0,
    eventsProcessed: 0,
  };
  /** Every fault injected, in order; kept even when tracing is off. */
  readonly faults: FaultRecord[] = [];
  readonly trace: TraceEvent[] = [];

  private readonly tracing: boolean;
  private readonly copyMessages: boolean;
  private readonly queue: EventQueue<SimEvent>;
  private readonly freeEvents: SimEvent[] = [];
  private readonly nodes: SimNode[] = [];
  private readonly nodesById = new Map<string, SimNode>();
  private readonly regionIds: string[];
  private readonly baseOneWayMs: number[];
  private readonly master: Rng;
  private readonly networkRng: Rng;
  private readonly maxEvents: number;
  private readonly maxTraceEvents: number;
  private readonly maxNodes: number;
  private defaultLink: LinkProfile;
  private readonly linkOverrides = new Map<string, Partial<LinkProfile>>();
  private readonly partitions = new Map<number, Array<[number, number]>>();
  private readonly cancelledTimers = new Set<number>();
  private now = 0;
  private nextMsgId = 0;
  private nextTimerId = 0;
  private nextPartitionId = 0;

  constructor(options: SimulationOptions) {
    if (typeof options !== 'object' || options === null) throw new OptionError('Simulation options: got nothing; allowed: an object with at least { seed }');
    checkKnownKeys('Simulation options', options, SIMULATION_KEYS);
    this.seed = checkNumber('seed', options.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
    this.topology = options.topology ?? indiaTopology();
    this.defaultLink = mergeLinkProfile('link', DEFAULT_LINK, options.link ?? {});
    this.tracing = options.trace ?? false;
    this.copyMessages = checkOneOf('messageIsolation', options.messageIsolation ?? 'copy', ['copy', 'shared']) === 'copy';
    this.queue = new EventQueue<SimEvent>(checkNumber('maxQueueLength', options.maxQueueLength ?? 2_000_000, { integer: true, min: 1 }));
    this.maxEvents = checkNumber('maxEvents', options.maxEvents ?? 200_000_000, { integer: true, min: 1 });
    this.maxTraceEvents = checkNumber('maxTraceEvents', options.maxTraceEvents ?? 200_000, { integer: true, min: 1 });
    this.maxNodes = checkNumber('maxNodes', options.maxNodes ?? 1000, { integer: true, min: 1 });
    this.regionIds = this.topology.regions.map((r) => r.id);
    const count = this.regionIds.length;
    this.baseOneWayMs = new Array<number>(count * count);
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < count; j++) this.baseOneWayMs[i * count + j] = this.topology.rttMs(this.regionIds[i], this.regionIds[j]) / 2;
    }
    this.master = new Rng(this.seed);
    this.networkRng = this.master.split();
  }

  /** True simulation time, ms. */
  nowMs(): number {
    return this.now;
  }

  /** "seed 42 at t=1234.5 ms": what every figure and failure message quotes. */
  describe(): string {
    return `seed ${this.seed} at t=${this.now.toFixed(1)} ms`;
  }

  // ---------------------------------------------------------------- nodes

  addNode<B extends NodeBehaviour>(options: NodeOptions<B>): NodeHandle<B> {
    checkKnownKeys(`node ${JSON.stringify(options.id)}`, options, NODE_KEYS);
    if (typeof options.id !== 'string' || options.id.length === 0) throw new OptionError(`node id: got ${JSON.stringify(options.id)}; allowed: a non-empty string`);
    if (this.nodesById.has(options.id)) throw new OptionError(`node id: ${JSON.stringify(options.id)} is already taken; node ids must be unique`);
    const regionIndex = this.regionIds.indexOf(options.region);
    if (regionIndex < 0) throw new OptionError(`node ${options.id} region: got ${JSON.stringify(options.region)}; allowed: ${this.regionIds.join(', ')}`);
    if (typeof options.create !== 'function') throw new OptionError(`node ${options.id} create: got ${typeof options.create}; allowed: a function (ctx) => behaviour`);
    if (this.nodes.length >= this.maxNodes) throw new LimitExceededError(`simulation holds ${this.nodes.length} nodes, its limit (maxNodes = ${this.maxNodes})`);
    const skewMs = checkNumber(`node ${options.id} clock.skewMs`, options.clock?.skewMs ?? 0);
    const driftPpm = checkNumber(`node ${options.id} clock.driftPpm`, options.clock?.driftPpm ?? 0, { min: -100_000, max: 100_000 });
    const fsyncMs = checkNumber(`node ${options.id} fsyncMs`, options.fsyncMs ?? 1, { min: 0 });
    const node = new SimNode<B>(this.nodes.length, options.id, options.region, regionIndex, options.create, new NodeClock(skewMs, driftPpm), this.master.split(), fsyncMs);
    this.nodes.push(node as unknown as SimNode);
    this.nodesById.set(node.id, node as unknown as SimNode);
    this.boot(node);
    return this.handleOf(node);
  }

  node<B extends NodeBehaviour = NodeBehaviour>(id: string): NodeHandle<B> {
    return this.handleOf(this.requireNode('node', id) as unknown as SimNode<B>);
  }

  nodeIds(): string[] {
    return this.nodes.map((n) => n.id);
  }

  regionOf(id: string): string {
    return this.requireNode('regionOf', id).region;
  }

  private handleOf<B extends NodeBehaviour>(node: SimNode<B>): NodeHandle<B> {
    return {
      id: node.id,
      region: node.region,
      get isUp() {
        return node.up;
      },
      get incarnation() {
        return node.incarnation;
      },
      get behaviour() {
        return node.behaviour;
      },
      disk: node.disk,
      clock: node.clock,
    };
  }

  private requireNode(option: string, id: string): SimNode {
    const node = this.nodesById.get(id);
    if (!node) throw new OptionError(`${option}: unknown node ${JSON.stringify(id)}; known nodes: ${this.nodeIds().join(', ') || '(none yet)'}`);
    return node;
  }

  private boot<B extends NodeBehaviour>(node: SimNode<B>): void {
    node.up = true;
    node.incarnation++;
    const ctx = this.contextFor(node);
    node.ctx = ctx;
    const behaviour = node.create(ctx);
    node.behaviour = behaviour;
    // onStart runs as an event at the current time, so that every node added in the same
    // setup step exists before any of them starts sending.
    if (behaviour.onStart) {
      const incarnation = node.incarnation;
      this.scheduleCall(this.now, () => {
        if (node.up && node.incarnation === incarnation) (behaviour.onStart as () => void).call(behaviour);
      });
    }
  }

  private contextFor(node: SimNode): NodeContext {
    const sim = this;
    const incarnation = node.incarnation;
    return {
      id: node.id,
      region: node.region,
      incarnation,
      nowMs: () => node.clock.localMs(sim.now),
      monotonicMs: () => node.clock.monotonicMs(sim.now),
      simTimeMs: () => sim.now,
      send: (to, message, sizeBytes = 0) => {
        if (node.up && node.incarnation === incarnation) sim.sendFrom(node, to, message, sizeBytes);
      },
      setTimer: (delayMs, fire) => sim.setTimerFor(node, incarnation, delayMs, fire),
      cancelTimer: (timerId) => {
        sim.cancelledTimers.add(timerId);
      },
      fsync: (onDurable) => {
        // The fsync covers what was written before it was issued, not what is written while it runs.
        const point = node.disk.syncPoint();
        const delay = node.fsyncMs * node.fsyncFactor;
        sim.scheduleCall(sim.now + delay, () => {
          if (!node.up || node.incarnation !== incarnation) return;
          node.disk.completeSync(point);
          onDurable();
        });
      },
      random: node.rng,
      disk: new ProcessDisk(node.disk, () => node.up && node.incarnation === incarnation),
      log: (text) => {
        if (sim.tracing) sim.record({ kind: 'log', timeMs: sim.now, node: node.id, text });
      },
    };
  }

  // ---------------------------------------------------------------- network

  /** Overrides the link behaviour between two nodes (one direction, or both with bothWays). */
  setLink(from: string, to: string, patch: Partial<LinkProfile>, bothWays = true): void {
    const a = this.requireNode('setLink from', from);
    const b = this.requireNode('setLink to', to);
    const pairs: Array<[SimNode, SimNode]> = bothWays ? [[a, b], [b, a]] : [[a, b]];
    for (const [x, y] of pairs) {
      const key = `${x.index}|${y.index}`;
      const merged = { ...(this.linkOverrides.get(key) ?? {}), ...patch };
      mergeLinkProfile(`setLink ${x.id}→${y.id}`, this.defaultLink, merged);
      this.linkOverrides.set(key, merged);
      x.links[y.index] = undefined;
    }
  }

  /** Removes every override between two nodes. */
  resetLink(from: string, to: string): void {
    const a = this.requireNode('resetLink from', from);
    const b = this.requireNode('resetLink to', to);
    this.linkOverrides.delete(`${a.index}|${b.index}`);
    this.linkOverrides.delete(`${b.index}|${a.index}`);
    a.links[b.index] = undefined;
    b.links[a.index] = undefined;
  }

  /** The current one-way base latency between two nodes (RTT/2 + slow-link extra), without jitter. */
  baseLatencyMs(from: string, to: string): number {
    const a = this.requireNode('baseLatencyMs from', from);
    const b = this.requireNode('baseLatencyMs to', to);
    const link = this.linkFor(a, b);
    return link.baseMs + link.extraMs;
  }

  private linkFor(src: SimNode, dst: SimNode): ResolvedLink {
    let link = src.links[dst.index];
    if (!link) {
      const override = this.linkOverrides.get(`${src.index}|${dst.index}`);
      const profile = override ? { ...this.defaultLink, ...override } : this.defaultLink;
      const base = this.baseOneWayMs[src.regionIndex * this.regionIds.length + dst.regionIndex];
      link = resolveLink(base, profile);
      src.links[dst.index] = link;
    }
    return link;
  }

  private sendFrom(src: SimNode, toId: string, message: unknown, sizeBytes: number): void {
    const dst = this.nodesById.get(toId);
    if (!dst) throw new OptionError(`send from ${src.id}: unknown destination ${JSON.stringify(toId)}; known nodes: ${this.nodeIds().join(', ')}`);
    const stats = this.stats;
    stats.messagesSent++;
    stats.bytesSent += sizeBytes;
    const msgId = ++this.nextMsgId;
    const link = src.links[dst.index] ?? this.linkFor(src, dst);
    const rng = this.networkRng;
    const tracing = this.tracing;
    const label = tracing ? labelOf(message) : '';
    if (tracing) this.record({ kind: 'send', timeMs: this.now, msgId, from: src.id, to: dst.id, label, sizeBytes });
    if ((src.blockedTo[dst.index] ?? 0) > 0) {
      this.dropped(msgId, src, dst, label, 'partition', this.now);
      return;
    }
    if (link.lossProbability > 0 && rng.float() < link.lossProbability) {
      this.dropped(msgId, src, dst, label, 'loss', this.now + link.baseMs);
      return;
    }
    let deliverAt = this.now + sampleLatencyMs(link, rng);
    if (link.fifo) {
      const last = src.fifoLastMs[dst.index] ?? 0;
      if (deliverAt < last) deliverAt = last;
      src.fifoLastMs[dst.index] = deliverAt;
    }
    this.scheduleDelivery(deliverAt, src, dst, msgId, this.isolated(message));
    if (link.duplicateProbability > 0 && rng.float() < link.duplicateProbability) {
      stats.duplicatesInjected++;
      // A duplicate is a second copy: the receiver may have changed the first one by then.
      this.scheduleDelivery(deliverAt + rng.exponential(link.jitterMeanMs + link.baseMs * 0.5), src, dst, msgId, this.isolated(message));
    }
  }

  /**
   * The receiver's own copy of a message, taken at send time. Nodes never share memory: a
   * learner who edits a received log entry, or a leader that keeps mutating what it sent, cannot
   * change the other node, as bytes on a real network cannot (MIT 6.824's labrpc encodes and
   * decodes every message for the same reason). Primitives need no copy; objects are deep-copied
   * by copyMessage (message-copy.ts). Measured: about 460 ns per one-entry append batch, the
   * same as deep-freezing it (440 ns) and five times cheaper than structuredClone (2.3 µs); a copy
   * lets the receiver keep and change what it got, which freezing would forbid, so copying is the
   * default. bench:sim prints the rates with and without it.
   */
  private isolated(message: unknown): unknown {
    if (!this.copyMessages || message === null || typeof message !== 'object') return message;
    return copyMessage(message);
  }

  private scheduleDelivery(timeMs: number, src: SimNode, dst: SimNode, msgId: number, message: unknown): void {
    const event = this.freeEvents.pop() ?? new SimEvent();
    event.timeMs = timeMs;
    event.kind = DELIVER;
    event.from = src.index;
    event.to = dst.index;
    event.incarnation = dst.incarnation;
    event.msgId = msgId;
    event.payload = message;
    this.queue.push(event);
  }

  private dropped(msgId: number, src: SimNode, dst: SimNode, label: string, reason: DropReason, timeMs: number): void {
    this.stats.messagesDropped++;
    this.stats.droppedByReason[reason]++;
    if (this.tracing) this.record({ kind: 'drop', timeMs, msgId, from: src.id, to: dst.id, label, reason });
  }

  private deliver(event: SimEvent): void {
    const src = this.nodes[event.from];
    const dst = this.nodes[event.to];
    const message = event.payload;
    if (!dst.up || dst.incarnation !== event.incarnation) {
      this.dropped(event.msgId, src, dst, this.tracing ? labelOf(message) : '', 'node-down', this.now);
      return;
    }
    // A partition that started while the message was in flight loses it, as on a real cut link.
    if ((src.blockedTo[dst.index] ?? 0) > 0) {
      this.dropped(event.msgId, src, dst, this.tracing ? labelOf(message) : '', 'partition', this.now);
      return;
    }
    this.stats.messagesDelivered++;
    if (this.tracing) this.record({ kind: 'deliver', timeMs: this.now, msgId: event.msgId, from: src.id, to: dst.id, label: labelOf(message) });
    (dst.behaviour as NodeBehaviour).onMessage(src.id, message);
  }

  // ---------------------------------------------------------------- timers and external calls

  private setTimerFor(node: SimNode, incarnation: number, delayMs: number, fire: () => void): number {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) throw new OptionError(`setTimer on ${node.id}: delayMs got ${delayMs}; allowed: a finite number ≥ 0`);
    const timerId = ++this.nextTimerId;
    const event = this.freeEvents.pop() ?? new SimEvent();
    event.timeMs = this.now + node.clock.trueDelayMs(delayMs);
    event.kind = TIMER;
    event.to = node.index;
    event.incarnation = incarnation;
    event.msgId = timerId;
    event.fire = fire;
    this.queue.push(event);
    return timerId;
  }

  private scheduleCall(timeMs: number, fire: () => void): void {
    const event = this.freeEvents.pop() ?? new SimEvent();
    event.timeMs = timeMs;
    event.kind = CALL;
    event.fire = fire;
    this.queue.push(event);
  }

  /** Runs fn at true time timeMs (workloads, fault schedules, measurements). */
  at(timeMs: number, fn: () => void): void {
    checkNumber('at: timeMs', timeMs, { min: this.now });
    this.scheduleCall(timeMs, fn);
  }

  after(delayMs: number, fn: () => void): void {
    checkNumber('after: delayMs', delayMs, { min: 0 });
    this.scheduleCall(this.now + delayMs, fn);
  }

  /** Processes every event up to and including untilMs, then sets the clock to untilMs. */
  run(untilMs: number): void {
    checkNumber('run: untilMs', untilMs, { min: this.now });
    const queue = this.queue;
    const stats = this.stats;
    for (;;) {
      const next = queue.peek();
      if (next === undefined || next.timeMs > untilMs) break;
      queue.pop();
      this.now = next.timeMs;
      if (++stats.eventsProcessed > this.maxEvents) {
        throw new LimitExceededError(`simulation processed ${this.maxEvents} events, its limit (maxEvents); ${this.describe()}`);
      }
      try {
        this.process(next);
      } catch (error) {
        if (error instanceof Error && !error.message.startsWith('[')) error.message = `[${this.describe()}] ${error.message}`;
        throw error;
      }
      next.payload = null;
      next.fire = null;
      this.freeEvents.push(next);
    }
    this.now = untilMs;
  }

  /** Runs until no event is left (or maxMs passes, which is an error: something never quiesced). */
  runUntilIdle(maxMs: number): void {
    checkNumber('runUntilIdle: maxMs', maxMs, { min: this.now });
    this.run(maxMs);
    if (this.queue.length > 0) throw new LimitExceededError(`runUntilIdle: still ${this.queue.length} events pending at ${maxMs} ms; ${this.describe()}`);
  }

  pendingEvents(): number {
    return this.queue.length;
  }

  private process(event: SimEvent): void {
    if (event.kind === DELIVER) {
      this.deliver(event);
    } else if (event.kind === TIMER) {
      const node = this.nodes[event.to];
      if (this.cancelledTimers.delete(event.msgId)) return;
      if (node.up && node.incarnation === event.incarnation) (event.fire as () => void)();
    } else {
      (event.fire as () => void)();
    }
  }

  // ---------------------------------------------------------------- faults

  private noteFault(fault: string, nodes: string[], detail: string): void {
    const record = { timeMs: this.now, fault, nodes, detail };
    this.faults.push(record);
    if (this.tracing) this.record({ kind: 'fault', ...record });
  }

  /** The process dies: volatile state, timers and unsynced writes are gone; messages to it are lost. */
  crash(id: string): void {
    const node = this.requireNode('crash', id);
    if (!node.up) return;
    node.up = false;
    node.behaviour = null;
    node.ctx = null;
    const lost = node.disk.loseUnsyncedWrites();
    this.noteFault('crash', [id], `${lost} unsynced disk records lost`);
  }

  /** A new incarnation is built from what the disk kept. */
  restart(id: string): void {
    const node = this.requireNode('restart', id);
    if (node.up) return;
    node.fsyncFactor = 1;
    this.noteFault('restart', [id], `incarnation ${node.incarnation + 1}`);
    this.boot(node);
  }

  /**
   * Cuts the network between two groups of nodes. oneWay: only messages from sideA to
   * sideB are lost (a broken route in one direction, which confuses failure detectors).
   * Returns an id for heal().
   */
  partition(sideA: string[], sideB: string[], options: { oneWay?: boolean } = {}): number {
    const a = sideA.map((id) => this.requireNode('partition sideA', id));
    const b = sideB.map((id) => this.requireNode('partition sideB', id));
    const pairs: Array<[number, number]> = [];
    for (const x of a) {
      for (const y of b) {
        if (x === y) throw new OptionError(`partition: node ${x.id} is on both sides`);
        pairs.push([x.index, y.index]);
        if (!options.oneWay) pairs.push([y.index, x.index]);
      }
    }
    for (const [from, to] of pairs) this.nodes[from].blockedTo[to] = (this.nodes[from].blockedTo[to] ?? 0) + 1;
    const id = ++this.nextPartitionId;
    this.partitions.set(id, pairs);
    this.noteFault('partition', [...sideA, ...sideB], `${sideA.join(',')} ${options.oneWay ? '→' : '↔'} ${sideB.join(',')} (partition ${id})`);
    return id;
  }

  /** Heals one partition, or all of them when no id is given. */
  heal(partitionId?: number): void {
    const ids = partitionId === undefined ? [...this.partitions.keys()] : [partitionId];
    for (const id of ids) {
      const pairs = this.partitions.get(id);
      if (!pairs) throw new OptionError(`heal: no active partition ${id}; active: ${[...this.partitions.keys()].join(', ') || 'none'}`);
      for (const [from, to] of pairs) this.nodes[from].blockedTo[to]--;
      this.partitions.delete(id);
      this.noteFault('heal', [], `partition ${id} healed`);
    }
  }

  /** True when a message from one node to another would be cut by a partition right now. */
  isPartitioned(from: string, to: string): boolean {
    return (this.requireNode('isPartitioned from', from).blockedTo[this.requireNode('isPartitioned to', to).index] ?? 0) > 0;
  }

  /** An NTP step: the node's clock jumps by deltaMs. */
  jumpClock(id: string, deltaMs: number): void {
    const node = this.requireNode('jumpClock', id);
    checkNumber('jumpClock: deltaMs', deltaMs);
    node.clock.jump(deltaMs);
    this.noteFault('clock-jump', [id], `${deltaMs > 0 ? '+' : ''}${deltaMs} ms`);
  }

  /** A failing or overloaded disk: fsyncs take `factor` times longer until the node restarts or factor 1. */
  slowDisk(id: string, factor: number): void {
    const node = this.requireNode('slowDisk', id);
    node.fsyncFactor = checkNumber('slowDisk: factor', factor, { min: 1 });
    this.noteFault('slow-disk', [id], `fsync ×${factor}`);
  }

  /** A congested or rerouted link: every message takes extraMs longer (both ways unless told). */
  slowLink(from: string, to: string, extraMs: number, bothWays = true): void {
    checkNumber('slowLink: extraMs', extraMs, { min: 0 });
    this.setLink(from, to, { extraMs }, bothWays);
    this.noteFault('slow-link', [from, to], `+${extraMs} ms`);
  }

  private record(event: TraceEvent): void {
    if (this.trace.length >= this.maxTraceEvents) {
      throw new LimitExceededError(`trace holds ${this.trace.length} events, its limit (maxTraceEvents = ${this.maxTraceEvents}); turn tracing off or raise the limit`);
    }
    this.trace.push(event);
  }
}
