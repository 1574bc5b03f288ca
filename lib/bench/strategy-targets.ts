/**
 * The strategies of the episode as benchmark targets, on one placement: database nodes in
 * Mumbai, Delhi, Bangalore, Chennai and Kolkata, an application server (client) in each of
 * those regions with its own connection pool. Each target is the real strategy from
 * lib/strategies, driven through its own API; what the harness adds is the capacity model
 * (data/bench-capacity.json): a request takes a connection from its region's pool for as
 * long as it runs, then CPU on the node that serves it and, for a write, a group-committed
 * fsync there; the work a write causes elsewhere (followers or other leaders applying it,
 * their fsyncs, the WAN link carrying it) is queued as side load. The strategies' own fsync
 * is set to 0 where they allow it, so the disk is not counted twice: its time is the
 * harness's fsync queue.
 *
 * Leader–follower also has its own link model (linkRecordsPerMs: the replication stream as a
 * share of the link), set from the same bandwidth, so a saturated link really holds back
 * replication (and, with sync acks, commits) in the strategy itself.
 */
import { LWWRegister, LWWRegisterState } from '../crdt';
import { OptionError, Simulation, checkOneOf } from '../sim';
import { AckOption, ReadOption, eventualStore, leaderFollower, multiLeaderRegisters } from '../strategies';
import type { KvOperation, OperationResult, WorkloadClient } from '../workload';
import { BenchTarget, ResourceStep } from './bench-target';
import { Capacity, ResourceSet, resolveCapacity, transmitMs } from './capacity';
import { KvHistory } from './history-check';

/** The placement every strategy runs on: the episode's five regions, the leader (where there is one) in Mumbai. */
export const BENCH_REGIONS = ['mumbai', 'delhi', 'bangalore', 'chennai', 'kolkata'] as const;
export const BENCH_LEADER_REGION = 'mumbai';

export type StrategyId =
  | 'lf-async-leader-reads'
  | 'lf-async-follower-reads'
  | 'lf-semi-sync'
  | 'lf-sync-first-1'
  | 'lf-sync-any-1'
  | 'multi-leader-lww'
  | 'multi-leader-hlc'
  | 'multi-leader-siblings'
  | 'eventual-crdt';

export const STRATEGY_IDS: readonly StrategyId[] = [
  'lf-async-leader-reads',
  'lf-async-follower-reads',
  'lf-semi-sync',
  'lf-sync-first-1',
  'lf-sync-any-1',
  'multi-leader-lww',
  'multi-leader-hlc',
  'multi-leader-siblings',
  'eventual-crdt',
];

export interface StrategyTargetOptions {
  capacity?: Partial<Capacity>;
  /** Record the history and check it after the run; default true. */
  checkConsistency?: boolean;
  /** Search budget per key for the linearizability checker; default 200 000. */
  checkStepsMax?: number;
}

interface Built {
  name: string;
  clients: WorkloadClient[];
  /** The node that serves `op` from a client in `region`. */
  servingNode(op: KvOperation, region: string): string;
  /** The nodes a write from `region` is applied on besides its serving node. */
  replicasOf(region: string): string[];
  /**
   * True when the strategy waits for its own fsync (the simulator's 1 ms default; its builder
   * has no option to turn it off): the harness's fsync queue is then side load only, so the
   * disk is counted once.
   */
  ownFsync: boolean;
}

function leaderFollowerTarget(sim: Simulation, capacity: Capacity, ack: AckOption, reads: ReadOption, name: string): Built {
  const followers = BENCH_REGIONS.filter((r) => r !== BENCH_LEADER_REGION);
  const cluster = leaderFollower({
    sim,
    leaderRegion: BENCH_LEADER_REGION,
    followerRegions: [...followers],
    clientRegions: [...BENCH_REGIONS],
    sessionsPerClient: capacity.connectionsPerAppServer,
    ack,
    reads,
    fsyncMs: 0,
    linkRecordsPerMs: 1 / transmitMs(capacity),
    recordHistory: false,
    maxQueuedOperations: 1_000_000,
    maxPendingRequests: 1_000_000,
    maxLogRecords: 2_000_000,
    maxMetricRecords: 2_000_000,
  });
  const replicaRegion: Record<string, string> = {};
  for (const id of cluster.replicaIds) replicaRegion[id] = cluster.options.regionOf[id];
  const leaderId = cluster.replicaIds[0];
  const followerIds = cluster.replicaIds.slice(1);
  // A 'nearest' read goes to the replica nearest the client (its own region's follower, or the leader in Mumbai).
  const nearestIn = (region: string): string => cluster.replicaIds.find((id) => replicaRegion[id] === region) ?? leaderId;
  return {
    name,
    clients: cluster.clients,
    servingNode: (op, region) => (op.f !== 'get' || reads === 'leader' ? leaderId : nearestIn(region)),
    replicasOf: () => followerIds,
    ownFsync: false,
  };
}

function multiLeaderTarget(sim: Simulation, policy: 'lww-physical' | 'lww-hlc' | 'siblings'): Built {
  const store = multiLeaderRegisters<string>({ sim, regions: [...BENCH_REGIONS], policy, opCountMax: 2_000_000, recordCountMax: 2_000_000 });
  const clients: WorkloadClient[] = BENCH_REGIONS.map((region) => ({
    id: `client-${region}`,
    region,
    sessionCount: 1,
    submit(op: KvOperation, done?: (result: OperationResult) => void) {
      const startMs = sim.nowMs();
      if (op.f === 'get') {
        // A read at the region's own leader: local, answered at once. Under 'siblings' it returns
        // every concurrent write the leader holds (the application merges them).
        const values = store.read(region, op.key);
        if (values === null) done?.({ ok: false, latencyMs: null });
        else if (policy === 'siblings') done?.({ ok: true, value: values.length ? values[0] : '', values, latencyMs: 0 });
        else done?.({ ok: true, value: values.length ? values[0] : '', latencyMs: 0 });
        return;
      }
      if (op.f === 'append') throw new OptionError('multi-leader benchmark: appends are not part of the YCSB mixes; use put');
      const outcome = store.put(region, op.key, op.value, () => done?.({ ok: true, latencyMs: sim.nowMs() - startMs }));
      if (outcome === 'unavailable') done?.({ ok: false, latencyMs: null });
    },
  }));
  return {
    name: policy === 'lww-hlc' ? 'multi-leader, LWW (hybrid logical clock)' : policy === 'siblings' ? 'multi-leader, siblings (keep every concurrent write)' : 'multi-leader, LWW (wall clock)',
    clients,
    servingNode: (_op, region) => region,
    replicasOf: (region) => BENCH_REGIONS.filter((r) => r !== region),
    ownFsync: true,
  };
}

function eventualTarget(sim: Simulation): Built {
  const store = eventualStore<LWWRegisterState<string>, string | null>({ sim, regions: [...BENCH_REGIONS], type: LWWRegister as never, keyCountMax: 1_000_000 });
  const clients: WorkloadClient[] = BENCH_REGIONS.map((region) => ({
    id: `client-${region}`,
    region,
    sessionCount: 1,
    submit(op: KvOperation, done?: (result: OperationResult) => void) {
      const startMs = sim.nowMs();
      if (op.f === 'get') {
        // One replica (R = 1): the local one, as an eventually consistent store reads by default.
        store.read(region, op.key, 1, (result) => {
          done?.(result === null ? { ok: false, latencyMs: null } : { ok: true, value: result.value ?? '', latencyMs: sim.nowMs() - startMs });
        });
        return;
      }
      if (op.f === 'append') throw new OptionError('eventual-store benchmark: appends are not part of the YCSB mixes; use put');
      // The timestamp is the replica's own wall clock, as Cassandra's is.
      const stampMs = sim.node(region).clock.localMs(sim.nowMs());
      const value = op.value;
      const outcome = store.update(region, op.key, (state, actor) => LWWRegister.set(state, actor, value, stampMs), () =>
        done?.({ ok: true, latencyMs: sim.nowMs() - startMs }),
      );
      if (outcome === 'unavailable') done?.({ ok: false, latencyMs: null });
    },
  }));
  return {
    name: 'eventual CRDT store (LWW register, R = 1)',
    clients,
    servingNode: (_op, region) => region,
    replicasOf: (region) => BENCH_REGIONS.filter((r) => r !== region),
    ownFsync: true,
  };
}

function build(sim: Simulation, id: StrategyId, capacity: Capacity): Built {
  switch (id) {
    case 'lf-async-leader-reads':
      return leaderFollowerTarget(sim, capacity, 'async', 'leader', 'leader–follower, async, reads at the leader');
    case 'lf-async-follower-reads':
      return leaderFollowerTarget(sim, capacity, 'async', 'nearest', 'leader–follower, async, reads at the nearest replica');
    case 'lf-semi-sync':
      return leaderFollowerTarget(sim, capacity, 'semi-sync', 'leader', 'leader–follower, semi-sync, reads at the leader');
    case 'lf-sync-first-1':
      return leaderFollowerTarget(sim, capacity, { mode: 'sync', rule: 'FIRST', count: 1 }, 'leader', 'leader–follower, sync FIRST 1, reads at the leader');
    case 'lf-sync-any-1':
      return leaderFollowerTarget(sim, capacity, { mode: 'sync', rule: 'ANY', count: 1 }, 'leader', 'leader–follower, sync ANY 1, reads at the leader');
    case 'multi-leader-lww':
      return multiLeaderTarget(sim, 'lww-physical');
    case 'multi-leader-hlc':
      return multiLeaderTarget(sim, 'lww-hlc');
    case 'multi-leader-siblings':
      return multiLeaderTarget(sim, 'siblings');
    case 'eventual-crdt':
      return eventualTarget(sim);
  }
}

/** A benchmark target for one strategy, with the capacity model around it. */
export function strategyTarget(sim: Simulation, id: StrategyId, options: StrategyTargetOptions = {}): BenchTarget {
  checkOneOf('strategy', id, STRATEGY_IDS);
  const capacity = resolveCapacity(options.capacity);
  const resources = new ResourceSet(sim, capacity);
  const built = build(sim, id, capacity);
  const history = options.checkConsistency === false ? null : new KvHistory(sim);
  const clients = history ? built.clients.map((c) => history.wrap(c)) : built.clients;
  const linkMs = transmitMs(capacity);
  // Create the resources in a fixed order, so reports list them the same way every run.
  for (const region of BENCH_REGIONS) {
    resources.pool(region);
    resources.cpu(region);
    resources.fsync(region);
  }
  const nodeRegion = (node: string): string => sim.regionOf(node);
  return {
    name: built.name,
    clients,
    get resources() {
      return resources.all;
    },
    poolOf: (client) => resources.pool(client.region),
    pathOf(op, client) {
      const node = built.servingNode(op, client.region);
      const where = nodeRegion(node);
      if (op.f === 'get') return [{ resource: resources.cpu(where), serviceMs: capacity.readCpuMs }];
      const cpu = { resource: resources.cpu(where), serviceMs: capacity.writeCpuMs };
      return built.ownFsync ? [cpu] : [cpu, { resource: resources.fsync(where), serviceMs: capacity.fsyncMs }];
    },
    sideLoadOf(op, client) {
      if (op.f === 'get') return [];
      const from = nodeRegion(built.servingNode(op, client.region));
      const steps: ResourceStep[] = built.ownFsync ? [{ resource: resources.fsync(from), serviceMs: capacity.fsyncMs }] : [];
      for (const replica of built.replicasOf(client.region)) {
        const to = nodeRegion(replica);
        steps.push({ resource: resources.link(from, to), serviceMs: linkMs });
        steps.push({ resource: resources.cpu(to), serviceMs: capacity.applyCpuMs });
        steps.push({ resource: resources.fsync(to), serviceMs: capacity.fsyncMs });
      }
      return steps;
    },
    observeConsistency: history ? () => history.check(options.checkStepsMax) : undefined,
  };
}
