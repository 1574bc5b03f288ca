import { CrdtType, canonicalJson } from '../../crdt';
import { LimitExceededError, OptionError, Simulation, checkKnownKeys, checkNumber, checkOneOf } from '../../sim';
import { contentHash } from './content-hash';
import { EventualMetrics } from './eventual-metrics';
import { AntiEntropyMode, ReadResult, CrdtReplicaConfig, CrdtReplicaNode } from './crdt-replica-node';

/**
 * The cluster builder of the leaderless eventual store: one replica per region, every
 * replica holding every key as a CRDT state. See crdt-replica-node.ts for the protocol.
 *
 *   const store = eventualStore({ sim, regions: ['mumbai', 'delhi', ...], type: PNCounter,
 *                                 gossipIntervalMs: 200, fanout: 1, antiEntropy: 'merkle' });
 *   sim.at(100, () => store.update('mumbai', 'sku:phone', (s, id) => PNCounter.decrement(s, id, 1)));
 */
export interface EventualStoreOptions<S, V> {
  sim: Simulation;
  /** One replica per region; the replica's id is the region's id. */
  regions: readonly string[];
  /** The CRDT every key holds, e.g. PNCounter. */
  type: CrdtType<S, V>;
  /** Anti-entropy round interval, ms of each replica's clock. Default 200. */
  gossipIntervalMs?: number;
  /** Peers per anti-entropy round. Default 1. */
  fanout?: number;
  /** 'merkle' (default): compare Merkle digests, send only differing buckets; 'full-state': send everything both ways; 'off'. */
  antiEntropy?: AntiEntropyMode;
  /** Merkle tree shape: branching^depth leaf buckets. Defaults 16 and 2. */
  merkleBranching?: number;
  merkleDepth?: number;
  /** Push each write's new key state to every peer at once. Default true. */
  pushOnWrite?: boolean;
  /** Keep hints for peers that do not acknowledge a push (needs pushOnWrite). Default true. */
  hintedHandoff?: boolean;
  /** How long a coordinator waits for a push acknowledgement before keeping a hint, ms. Default 250. */
  ackTimeoutMs?: number;
  /** How often hints are retried, ms. Default 500. */
  hintRetryMs?: number;
  /** How long a read waits for the replicas it asked, ms. Default 300. */
  readTimeoutMs?: number;
  /** Most keys a replica may hold. Default 100 000. */
  keyCountMax?: number;
  /** Per-region clock skew, ms (the store does not use clocks for ordering; timers do run on them). */
  clockSkewMs?: Readonly<Record<string, number>>;
}

const OPTION_KEYS = [
  'sim', 'regions', 'type', 'gossipIntervalMs', 'fanout', 'antiEntropy', 'merkleBranching', 'merkleDepth', 'pushOnWrite',
  'hintedHandoff', 'ackTimeoutMs', 'hintRetryMs', 'readTimeoutMs', 'keyCountMax', 'clockSkewMs',
];
const ANTI_ENTROPY_MODES: readonly AntiEntropyMode[] = ['merkle', 'full-state', 'off'];

/** One client write as the observer saw it. */
export interface UpdateRecord {
  timeMs: number;
  replica: string;
  key: string;
  /** 'accepted': applied at the coordinator; 'unavailable': the replica was down. */
  outcome: 'accepted' | 'unavailable';
  /** True once the write was on the coordinator's disk and the client got its answer. */
  acknowledged: boolean;
}

/** How far the up replicas are from agreeing, at one moment. */
export interface DivergenceSample {
  timeMs: number;
  /** (replica, key) pairs whose state is not the join of every up replica's state for that key. */
  staleReplicaKeys: number;
  /** Keys on which the up replicas do not all agree. */
  divergentKeys: number;
  replicasUp: number;
}

export interface EventualStore<S, V> {
  readonly sim: Simulation;
  readonly type: CrdtType<S, V>;
  readonly replicaIds: readonly string[];
  readonly metrics: EventualMetrics;
  readonly updates: UpdateRecord[];
  /**
   * A client write at `replica` (call it inside sim.at or between runs). `change` gets
   * the key's state and the replica's actor id (the region id, with "~2", "~3" after
   * restarts) and returns the updated state. Returns 'unavailable' when that replica is
   * down; otherwise the write is applied locally at once and `onDurable` runs when it
   * is on disk (the client's answer).
   */
  update(replica: string, key: string, change: (state: S, actorId: string) => S, onDurable?: (value: V) => void): 'accepted' | 'unavailable';
  /** A read at `replica` that merges `replicaCount` replicas (1: local only) and repairs the stale ones. */
  read(replica: string, key: string, replicaCount: number, onDone: (result: ReadResult<V> | null) => void): void;
  /** The value `replica` holds for `key` right now (undefined: down, or never heard of the key). */
  localValue(replica: string, key: string): V | undefined;
  /** Every replica's state of every key (down replicas: null), for assertions. */
  snapshot(): Record<string, Record<string, S> | null>;
  /** True when every replica is up and all hold identical states. */
  converged(): boolean;
  /** The current divergence across the up replicas (samples with `sampleEvery`). */
  divergence(timeMs?: number): DivergenceSample;
  /** Hints waiting per coordinator and peer. */
  hintsWaiting(): Record<string, Record<string, number>>;
}

export function eventualStore<S, V>(options: EventualStoreOptions<S, V>): EventualStore<S, V> {
  if (typeof options !== 'object' || options === null) throw new OptionError('eventualStore options: got nothing; allowed: { sim, regions, type, ... }');
  checkKnownKeys('eventualStore', options, OPTION_KEYS);
  const { sim, type } = options;
  if (!(sim instanceof Simulation)) throw new OptionError('eventualStore sim: allowed: a Simulation (new Simulation({ seed }))');
  if (!type || typeof type.merge !== 'function' || typeof type.empty !== 'function') {
    throw new OptionError(`eventualStore type: got ${typeof type}; allowed: a CRDT type from lib/crdt such as PNCounter`);
  }
  const regions = [...(options.regions ?? [])];
  if (regions.length < 2 || new Set(regions).size !== regions.length) {
    throw new OptionError(`eventualStore regions: got ${JSON.stringify(options.regions)}; allowed: at least two distinct region ids`);
  }
  const metrics = new EventualMetrics();
  const antiEntropy = checkOneOf('eventualStore antiEntropy', options.antiEntropy ?? 'merkle', ANTI_ENTROPY_MODES);
  const pushOnWrite = options.pushOnWrite ?? true;
  const hintedHandoff = options.hintedHandoff ?? true;
  if (options.hintedHandoff === true && !pushOnWrite) {
    throw new OptionError('eventualStore hintedHandoff: got true with pushOnWrite false; allowed: hinted handoff only with pushOnWrite (hints are kept for pushes nobody acknowledged)');
  }
  const base = {
    type,
    gossipIntervalMs: checkNumber('eventualStore gossipIntervalMs', options.gossipIntervalMs ?? 200, { min: 1 }),
    fanout: checkNumber('eventualStore fanout', options.fanout ?? 1, { integer: true, min: 1, max: regions.length - 1 }),
    antiEntropy,
    merkleBranching: checkNumber('eventualStore merkleBranching', options.merkleBranching ?? 16, { integer: true, min: 2, max: 256 }),
    merkleDepth: checkNumber('eventualStore merkleDepth', options.merkleDepth ?? 2, { integer: true, min: 1, max: 8 }),
    pushOnWrite,
    hintedHandoff: pushOnWrite && hintedHandoff,
    ackTimeoutMs: checkNumber('eventualStore ackTimeoutMs', options.ackTimeoutMs ?? 250, { min: 1 }),
    hintRetryMs: checkNumber('eventualStore hintRetryMs', options.hintRetryMs ?? 500, { min: 1 }),
    readTimeoutMs: checkNumber('eventualStore readTimeoutMs', options.readTimeoutMs ?? 300, { min: 1 }),
    keyCountMax: checkNumber('eventualStore keyCountMax', options.keyCountMax ?? 100_000, { integer: true, min: 1 }),
    metrics,
  };
  const skews = options.clockSkewMs ?? {};
  for (const region of Object.keys(skews)) {
    if (!regions.includes(region)) throw new OptionError(`eventualStore clockSkewMs: unknown replica ${JSON.stringify(region)}; allowed: ${regions.join(', ')}`);
  }

  const handles = regions.map((region) => {
    // Reads ask the nearest peers first, as a Dynamo coordinator prefers the fastest replicas.
    const peers = regions
      .filter((r) => r !== region)
      .sort((a, b) => sim.topology.rttMs(region, a) - sim.topology.rttMs(region, b) || (a < b ? -1 : 1));
    const config: CrdtReplicaConfig<S, V> = { ...base, peers };
    return sim.addNode({
      id: region,
      region,
      clock: { skewMs: skews[region] ?? 0 },
      create: (ctx) => new CrdtReplicaNode<S, V>(ctx, config),
    });
  });
  const byId = new Map(handles.map((h) => [h.id, h]));
  const updates: UpdateRecord[] = [];
  const updateCountMax = 1_000_000;

  function handle(replica: string) {
    const h = byId.get(replica);
    if (!h) throw new OptionError(`eventual store replica: got ${JSON.stringify(replica)}; allowed: ${regions.join(', ')}`);
    return h;
  }

  function stateHash(state: S): number {
    return contentHash(canonicalJson(state));
  }

  return {
    sim,
    type,
    replicaIds: regions,
    metrics,
    updates,
    update(replica, key, change, onDurable) {
      const h = handle(replica);
      if (typeof key !== 'string' || key.length === 0) throw new OptionError(`eventual store update key: got ${JSON.stringify(key)}; allowed: a non-empty string`);
      if (updates.length >= updateCountMax) throw new LimitExceededError(`eventual store recorded ${updates.length} updates, its limit`);
      const node = h.behaviour;
      if (!node) {
        updates.push({ timeMs: sim.nowMs(), replica, key, outcome: 'unavailable', acknowledged: false });
        return 'unavailable';
      }
      const record: UpdateRecord = { timeMs: sim.nowMs(), replica, key, outcome: 'accepted', acknowledged: false };
      updates.push(record);
      node.update(key, change, (value) => {
        record.acknowledged = true;
        if (onDurable) onDurable(value);
      });
      return 'accepted';
    },
    read(replica, key, replicaCount, onDone) {
      const node = handle(replica).behaviour;
      checkNumber('eventual store read replicaCount', replicaCount, { integer: true, min: 1, max: regions.length });
      if (!node) {
        onDone(null);
        return;
      }
      node.read(key, replicaCount, onDone);
    },
    localValue(replica, key) {
      const node = handle(replica).behaviour;
      return node ? node.valueOf(key) : undefined;
    },
    snapshot() {
      const result: Record<string, Record<string, S> | null> = {};
      for (const h of handles) {
        const node = h.behaviour;
        if (!node) {
          result[h.id] = null;
          continue;
        }
        const states: Record<string, S> = {};
        for (const key of node.keys()) states[key] = node.stateOf(key) as S;
        result[h.id] = states;
      }
      return result;
    },
    converged() {
      let first: string | null = null;
      for (const h of handles) {
        const node = h.behaviour;
        if (!node) return false;
        const fingerprint = node.fingerprint();
        if (first === null) first = fingerprint;
        else if (fingerprint !== first) return false;
      }
      return true;
    },
    divergence(timeMs = sim.nowMs()) {
      const up = handles.map((h) => h.behaviour).filter((n): n is CrdtReplicaNode<S, V> => n !== null);
      const keys = new Set<string>();
      for (const node of up) for (const key of node.keys()) keys.add(key);
      let staleReplicaKeys = 0;
      let divergentKeys = 0;
      for (const key of keys) {
        let join: S = type.empty();
        for (const node of up) {
          const state = node.stateOf(key);
          if (state !== undefined) join = type.merge(join, state);
        }
        const joinHash = stateHash(join);
        let stale = 0;
        for (const node of up) if (node.stateHashOf(key) !== joinHash) stale++;
        staleReplicaKeys += stale;
        if (stale > 0) divergentKeys++;
      }
      return { timeMs, staleReplicaKeys, divergentKeys, replicasUp: up.length };
    },
    hintsWaiting() {
      const result: Record<string, Record<string, number>> = {};
      for (const h of handles) {
        const node = h.behaviour;
        if (node) result[h.id] = node.hintCounts();
      }
      return result;
    },
  };
}
