import { Dot } from '../../clocks';
import { LimitExceededError, OptionError } from '../../sim';
import { BuiltInPolicyName, ConflictPolicy, RegisterKeyState, conflictPolicy } from './conflict-policy';
import { LeaderCluster, MultiLeaderOptions, buildLeaderCluster } from './leader-cluster';
import { hlcLabel } from './logged-op';
import { ApplyResult, LostUpdate, PutPayload, RegisterStore } from './register-store';

/**
 * A multi-leader key–value store of registers: a leader per region accepts puts
 * locally, replicates them asynchronously, detects conflicts with version vectors and
 * resolves them with the chosen policy (see conflict-policy.ts).
 *
 *   const store = multiLeaderRegisters({ sim, regions: ['mumbai', 'delhi', 'bangalore'],
 *                                        policy: 'lww-physical', clockSkewMs: { delhi: -50 } });
 *   sim.at(1000, () => store.put('mumbai', 'balance:priya', 5000));
 */
export interface MultiLeaderRegistersOptions extends MultiLeaderOptions {
  /** 'lww-physical' | 'lww-hlc' | 'siblings', or your own last-writer-wins order. */
  policy: BuiltInPolicyName | ConflictPolicy;
  /** Most writes and conflicts recorded. Default 1 000 000. */
  recordCountMax?: number;
}

/** One client put as the observer saw it. */
export interface PutRecord<V> {
  timeMs: number;
  region: string;
  key: string;
  value: V;
  /** 'accepted' (applied at the region's leader) or 'unavailable' (the leader was down). */
  outcome: 'accepted' | 'unavailable';
  /** True once the write was on the leader's disk and the client got its answer. */
  acknowledged: boolean;
  dot: string | null;
  /** The origin leader's wall clock, ms (skew included). */
  physicalMs: number | null;
  /** The HLC timestamp as "l.c". */
  hlc: string | null;
}

/** One conflict detected by one leader: an incoming write concurrent with writes it held. */
export interface ConflictRecord {
  timeMs: number;
  leader: string;
  key: string;
  incoming: string;
  concurrentWith: string;
}

export interface MultiLeaderRegisters<V> extends LeaderCluster<PutPayload<V>, ApplyResult<V>, RegisterStore<V>> {
  readonly policy: ConflictPolicy;
  readonly puts: PutRecord<V>[];
  readonly conflicts: ConflictRecord[];
  /** A put at the region's leader (inside sim.at or between runs); onAcknowledged runs when the client gets its answer. */
  put(region: string, key: string, value: V, onAcknowledged?: () => void): 'accepted' | 'unavailable';
  /** What a read at the region's leader returns now: one value (LWW), all siblings, [] if never written; null if the leader is down. */
  read(region: string, key: string): V[] | null;
  keyState(region: string, key: string): RegisterKeyState<V> | undefined;
  /** Accepted writes that no longer show (read at the first live leader; meaningful once converged). */
  lostUpdates(): LostUpdate<V>[];
  /** Accepted writes, those involved in at least one detected conflict, and their ratio. */
  conflictRate(): { writes: number; conflictingWrites: number; rate: number };
}

export function multiLeaderRegisters<V>(options: MultiLeaderRegistersOptions): MultiLeaderRegisters<V> {
  const policy = conflictPolicy(options?.policy);
  const recordCountMax = options.recordCountMax ?? 1_000_000;
  const puts: PutRecord<V>[] = [];
  const conflicts: ConflictRecord[] = [];
  const conflictingDots = new Set<string>();
  const sim = options.sim;
  const cluster = buildLeaderCluster<PutPayload<V>, ApplyResult<V>, RegisterStore<V>>(
    'multiLeaderRegisters',
    options,
    ['policy', 'recordCountMax'],
    () => new RegisterStore<V>(policy),
    (leader, op, result) => {
      if (result.concurrentWith.length === 0) return;
      if (conflicts.length >= recordCountMax) throw new LimitExceededError(`multiLeaderRegisters recorded ${conflicts.length} conflicts, its limit (recordCountMax)`);
      const incoming = Dot.key(op.dot);
      const others = result.concurrentWith.map((w) => Dot.key(w.dot));
      conflictingDots.add(incoming);
      for (const dot of others) conflictingDots.add(dot);
      conflicts.push({ timeMs: sim.nowMs(), leader, key: result.key, incoming, concurrentWith: others.join(' ') });
    },
    (op, result, local, store) => {
      const shows = store.read(result.key).map((v) => JSON.stringify(v)).join(' | ');
      const what = local
        ? `put ${op.payload.key}=${JSON.stringify(op.payload.value)} as ${Dot.key(op.dot)} (clock ${op.physicalMs} ms, HLC ${hlcLabel(op.hlc)})`
        : `applied ${Dot.key(op.dot)}${result.concurrentWith.length > 0 ? ' — CONFLICT' : ''}`;
      return `${what}; read shows ${shows}`;
    },
  );
  function firstLiveStore(): RegisterStore<V> {
    for (const region of cluster.regions) {
      const leader = cluster.leader(region);
      if (leader) return leader.data;
    }
    throw new OptionError('multiLeaderRegisters: every leader is down; restart one before asking for lost updates');
  }
  return {
    ...cluster,
    policy,
    puts,
    conflicts,
    put(region, key, value, onAcknowledged) {
      if (typeof key !== 'string' || key.length === 0) throw new OptionError(`put key: got ${JSON.stringify(key)}; allowed: a non-empty string`);
      if (puts.length >= recordCountMax) throw new LimitExceededError(`multiLeaderRegisters recorded ${puts.length} puts, its limit (recordCountMax)`);
      const leader = cluster.leader(region);
      if (!leader) {
        puts.push({ timeMs: sim.nowMs(), region, key, value, outcome: 'unavailable', acknowledged: false, dot: null, physicalMs: null, hlc: null });
        return 'unavailable';
      }
      const record: PutRecord<V> = { timeMs: sim.nowMs(), region, key, value, outcome: 'accepted', acknowledged: false, dot: null, physicalMs: null, hlc: null };
      const op = leader.submit(
        (store) => ({ key, value, context: store.contextOf(key), readDot: store.winnerDot(key) }),
        () => {
          record.acknowledged = true;
          if (onAcknowledged) onAcknowledged();
        },
      );
      if (!op) throw new Error('multiLeaderRegisters: a put was refused, which registers never do');
      record.dot = Dot.key(op.dot);
      record.physicalMs = op.physicalMs;
      record.hlc = hlcLabel(op.hlc);
      puts.push(record);
      return 'accepted';
    },
    read(region, key) {
      const leader = cluster.leader(region);
      return leader ? leader.data.read(key) : null;
    },
    keyState(region, key) {
      const leader = cluster.leader(region);
      return leader ? leader.data.keyState(key) : undefined;
    },
    lostUpdates: () => firstLiveStore().lostUpdates(),
    conflictRate() {
      const writes = puts.filter((p) => p.outcome === 'accepted').length;
      return { writes, conflictingWrites: conflictingDots.size, rate: writes === 0 ? 0 : conflictingDots.size / writes };
    },
  };
}
