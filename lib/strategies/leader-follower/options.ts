/**
 * The options of a leader-follower cluster, their defaults, and their validation. A typo
 * or an impossible value throws lib/sim's OptionError naming the option, the value given
 * and what is allowed, before anything is built.
 */
import { OptionError, Simulation, checkKnownKeys, checkNumber, checkOneOf } from '../../sim';
import { AckPolicy, WaitFor } from './ack-policy';
import { parseReadRouting, ReadRouting } from './read-routing';

export type AckOption =
  | 'async'
  | 'semi-sync'
  | { mode: 'sync'; rule: 'FIRST' | 'ANY'; count: number; standbys?: string[]; waitFor?: WaitFor };

export type ReadOption = 'leader' | 'nearest' | 'read-your-writes' | 'monotonic-reads' | { mode: 'bounded-staleness'; maxStalenessMs: number };

export interface LeaderFollowerOptions {
  sim: Simulation;
  /** Region of the first leader, e.g. 'mumbai'. */
  leaderRegion: string;
  /** One follower per entry; a region may repeat (two followers in one region). */
  followerRegions: string[];
  /** One client (application server) per entry; default: one in every region of the cluster. */
  clientRegions?: string[];
  /** Sessions (user connections) per client; default 1. */
  sessionsPerClient?: number;
  /** When a write is acknowledged; default 'async'. */
  ack?: AckOption;
  /** MySQL's rpl_semi_sync_master_timeout: semi-sync falls back to async after this; default 1000. */
  semiSyncTimeoutMs?: number;
  /** Where reads go; default 'leader'. */
  reads?: ReadOption;
  /** Leader lease and restart-as-follower; false lets a learner watch split brain. Default true. */
  fencing?: boolean;
  /** How often the leader sends heartbeats; default 50. */
  heartbeatMs?: number;
  /** Silence after which followers suspect the leader; default 500. */
  failureTimeoutMs?: number;
  /** How long a majority's heartbeat acknowledgement keeps the leader's lease; default 0.8 × failureTimeoutMs. */
  leaseMs?: number;
  /** Random pause before a follower stands for election; default failureTimeoutMs / 2. */
  electionJitterMs?: number;
  /** Replay speed, records per ms: one number for every node, or per node id or region. Default 20. */
  applyRecordsPerMs?: number | Record<string, number>;
  /**
   * Speed of the replication stream from the leader to a follower, records per ms (its
   * share of the network link): one number for every follower, or per node id or region.
   * Default: unlimited.
   */
  linkRecordsPerMs?: number | Record<string, number>;
  /** Most entries per replication message; default 256. */
  maxBatchRecords?: number;
  /** Most entries sent to a follower and not yet written by it; default 4096. */
  maxInFlightRecords?: number;
  /** How long each fsync takes, ms; default 1. */
  fsyncMs?: number;
  /** Client timeout per attempt; default 1000. */
  requestTimeoutMs?: number;
  /** Attempts per operation before the client gives up; default 5. */
  maxAttempts?: number;
  /** Pause before retrying after "not ready" or "no leader known", × attempt number; default 20. */
  retryBackoffMs?: number;
  /** How long a follower holds a read that needs an LSN it has not replayed; default 200. */
  readWaitMs?: number;
  /** How often bounded-staleness clients poll the leader's replication status; default 100. */
  statusPollMs?: number;
  /** How often the lag of every follower is sampled into metrics.lagSamples; default 50. */
  lagSampleMs?: number;
  /** Record a history for lib/check; default true. */
  recordHistory?: boolean;
  maxHistoryOperations?: number;
  maxLogRecords?: number;
  maxPendingRequests?: number;
  maxQueuedOperations?: number;
  maxMetricRecords?: number;
}

export interface ResolvedOptions {
  leaderRegion: string;
  followerRegions: string[];
  clientRegions: string[];
  sessionsPerClient: number;
  ack: AckPolicy;
  semiSyncTimeoutMs: number;
  reads: ReadRouting;
  fencing: boolean;
  heartbeatMs: number;
  failureTimeoutMs: number;
  leaseMs: number;
  electionJitterMs: number;
  applyRecordsPerMs: Record<string, number>;
  /** Per node id; a node missing here has an unlimited link. */
  linkRecordsPerMs: Record<string, number>;
  maxBatchRecords: number;
  maxInFlightRecords: number;
  fsyncMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  retryBackoffMs: number;
  readWaitMs: number;
  statusPollMs: number;
  lagSampleMs: number;
  recordHistory: boolean;
  maxHistoryOperations: number;
  maxLogRecords: number;
  maxPendingRequests: number;
  maxQueuedOperations: number;
  maxMetricRecords: number;
  /** Replica ids in order: the leader first, then the followers. */
  replicaIds: string[];
  regionOf: Record<string, string>;
}

const OPTION_KEYS = [
  'sim', 'leaderRegion', 'followerRegions', 'clientRegions', 'sessionsPerClient', 'ack', 'semiSyncTimeoutMs', 'reads', 'fencing',
  'heartbeatMs', 'failureTimeoutMs', 'leaseMs', 'electionJitterMs', 'applyRecordsPerMs', 'linkRecordsPerMs', 'maxBatchRecords', 'maxInFlightRecords',
  'fsyncMs', 'requestTimeoutMs', 'maxAttempts', 'retryBackoffMs', 'readWaitMs', 'statusPollMs', 'lagSampleMs', 'recordHistory',
  'maxHistoryOperations', 'maxLogRecords', 'maxPendingRequests', 'maxQueuedOperations', 'maxMetricRecords',
];

function checkRegion(option: string, value: unknown, regions: readonly string[]): string {
  return checkOneOf(option, value, regions);
}

/** Node ids are region names; a second node in one region gets "-2", and so on. */
export function replicaIdsFor(regions: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return regions.map((region) => {
    const n = (seen.get(region) ?? 0) + 1;
    seen.set(region, n);
    return n === 1 ? region : `${region}-${n}`;
  });
}

function parseAck(value: unknown, replicaIds: readonly string[]): AckPolicy {
  if (value === 'async' || value === 'semi-sync') return { mode: value };
  if (typeof value === 'object' && value !== null && (value as { mode?: unknown }).mode === 'sync') {
    const v = value as Record<string, unknown>;
    checkKnownKeys('ack', v, ['mode', 'rule', 'count', 'standbys', 'waitFor']);
    const rule = checkOneOf('ack.rule', v.rule, ['FIRST', 'ANY'] as const);
    let standbys: string[] | null = null;
    if (v.standbys !== undefined) {
      if (!Array.isArray(v.standbys) || v.standbys.length === 0) {
        throw new OptionError(`ack.standbys: got ${JSON.stringify(v.standbys)}; allowed: a non-empty list of node ids from ${replicaIds.join(', ')}`);
      }
      standbys = v.standbys.map((id, i) => checkOneOf(`ack.standbys[${i}]`, id, replicaIds));
      if (new Set(standbys).size !== standbys.length) throw new OptionError(`ack.standbys: got ${JSON.stringify(v.standbys)}; allowed: each node at most once`);
    }
    const candidates = standbys === null ? replicaIds.length - 1 : standbys.length;
    const count = checkNumber('ack.count', v.count, { integer: true, min: 1, max: Math.max(1, candidates) });
    if (candidates < 1) throw new OptionError('ack: sync replication needs at least one follower; allowed: followerRegions with at least one region');
    const waitFor = checkOneOf('ack.waitFor', v.waitFor ?? 'flush', ['write', 'flush', 'apply'] as const);
    return { mode: 'sync', rule, count, standbys, waitFor };
  }
  throw new OptionError(
    `ack: got ${JSON.stringify(value)}; allowed: 'async' | 'semi-sync' | { mode: 'sync', rule: 'FIRST' | 'ANY', count, standbys?, waitFor?: 'write' | 'flush' | 'apply' }`,
  );
}

/**
 * A rate per node from one number or a map keyed by node id or region. With `everyNode`,
 * a map must give every node a rate; otherwise nodes it omits are left out (unlimited).
 */
function perNodeRates(option: string, value: unknown, replicaIds: readonly string[], regionOf: Record<string, string>, everyNode: boolean): Record<string, number> {
  const rates: Record<string, number> = {};
  if (typeof value === 'number') {
    checkNumber(option, value, { min: 0.001 });
    for (const id of replicaIds) rates[id] = value;
    return rates;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OptionError(`${option}: got ${JSON.stringify(value)}; allowed: a number > 0 or { [node id or region]: number }`);
  }
  const names = [...new Set([...replicaIds, ...Object.values(regionOf)])];
  const map = value as Record<string, unknown>;
  for (const [name, rate] of Object.entries(map)) {
    checkOneOf(`${option} key`, name, names);
    checkNumber(`${option}.${name}`, rate, { min: 0.001 });
  }
  for (const id of replicaIds) {
    const rate = map[id] ?? map[regionOf[id]];
    if (rate !== undefined) rates[id] = rate as number;
    else if (everyNode) throw new OptionError(`${option}: no rate for node ${id}; allowed: a number, or an entry for every node id or region (${replicaIds.join(', ')})`);
  }
  return rates;
}

export function resolveOptions(options: LeaderFollowerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new OptionError('leaderFollower: got no options; allowed: an object with sim, leaderRegion, followerRegions');
  checkKnownKeys('leaderFollower', options, OPTION_KEYS);
  if (!(options.sim instanceof Simulation)) throw new OptionError(`sim: got ${typeof options.sim}; allowed: a Simulation from lib/sim`);
  const regions = options.sim.topology.regions.map((r) => r.id);
  const leaderRegion = checkRegion('leaderRegion', options.leaderRegion, regions);
  if (!Array.isArray(options.followerRegions)) throw new OptionError(`followerRegions: got ${JSON.stringify(options.followerRegions)}; allowed: a list of regions from ${regions.join(', ')}`);
  const followerRegions = options.followerRegions.map((r, i) => checkRegion(`followerRegions[${i}]`, r, regions));
  const replicaIds = replicaIdsFor([leaderRegion, ...followerRegions]);
  const regionOf: Record<string, string> = {};
  replicaIds.forEach((id, i) => (regionOf[id] = i === 0 ? leaderRegion : followerRegions[i - 1]));
  const clusterRegions = [...new Set([leaderRegion, ...followerRegions])];
  const clientRegions = options.clientRegions === undefined ? clusterRegions : options.clientRegions;
  if (!Array.isArray(clientRegions) || clientRegions.length === 0) throw new OptionError(`clientRegions: got ${JSON.stringify(clientRegions)}; allowed: a non-empty list of regions`);
  clientRegions.forEach((r, i) => checkRegion(`clientRegions[${i}]`, r, regions));

  const failureTimeoutMs = checkNumber('failureTimeoutMs', options.failureTimeoutMs ?? 500, { min: 1 });
  const heartbeatMs = checkNumber('heartbeatMs', options.heartbeatMs ?? 50, { min: 1, max: failureTimeoutMs / 2 });
  const leaseMs = checkNumber('leaseMs', options.leaseMs ?? failureTimeoutMs * 0.8, { min: heartbeatMs, max: failureTimeoutMs });
  if (options.leaseMs !== undefined && leaseMs >= failureTimeoutMs) {
    throw new OptionError(`leaseMs: got ${leaseMs}; allowed: less than failureTimeoutMs (${failureTimeoutMs}), or an old leader could still act when a new one is elected`);
  }

  const applyRecordsPerMs = perNodeRates('applyRecordsPerMs', options.applyRecordsPerMs ?? 20, replicaIds, regionOf, true);
  const linkRecordsPerMs = options.linkRecordsPerMs === undefined ? {} : perNodeRates('linkRecordsPerMs', options.linkRecordsPerMs, replicaIds, regionOf, false);

  const fencing = options.fencing ?? true;
  if (typeof fencing !== 'boolean') throw new OptionError(`fencing: got ${JSON.stringify(fencing)}; allowed: true | false`);
  const recordHistory = options.recordHistory ?? true;
  if (typeof recordHistory !== 'boolean') throw new OptionError(`recordHistory: got ${JSON.stringify(recordHistory)}; allowed: true | false`);

  return {
    leaderRegion,
    followerRegions,
    clientRegions,
    sessionsPerClient: checkNumber('sessionsPerClient', options.sessionsPerClient ?? 1, { integer: true, min: 1, max: 10_000 }),
    ack: parseAck(options.ack ?? 'async', replicaIds),
    semiSyncTimeoutMs: checkNumber('semiSyncTimeoutMs', options.semiSyncTimeoutMs ?? 1000, { min: 1 }),
    reads: parseReadRouting(options.reads ?? 'leader'),
    fencing,
    heartbeatMs,
    failureTimeoutMs,
    leaseMs,
    electionJitterMs: checkNumber('electionJitterMs', options.electionJitterMs ?? failureTimeoutMs / 2, { min: 0 }),
    applyRecordsPerMs,
    linkRecordsPerMs,
    maxBatchRecords: checkNumber('maxBatchRecords', options.maxBatchRecords ?? 256, { integer: true, min: 1 }),
    maxInFlightRecords: checkNumber('maxInFlightRecords', options.maxInFlightRecords ?? 4096, { integer: true, min: 1 }),
    fsyncMs: checkNumber('fsyncMs', options.fsyncMs ?? 1, { min: 0 }),
    requestTimeoutMs: checkNumber('requestTimeoutMs', options.requestTimeoutMs ?? 1000, { min: 1 }),
    maxAttempts: checkNumber('maxAttempts', options.maxAttempts ?? 5, { integer: true, min: 1, max: 100 }),
    retryBackoffMs: checkNumber('retryBackoffMs', options.retryBackoffMs ?? 20, { min: 0 }),
    readWaitMs: checkNumber('readWaitMs', options.readWaitMs ?? 200, { min: 0 }),
    statusPollMs: checkNumber('statusPollMs', options.statusPollMs ?? 100, { min: 1 }),
    lagSampleMs: checkNumber('lagSampleMs', options.lagSampleMs ?? 50, { min: 1 }),
    recordHistory,
    maxHistoryOperations: checkNumber('maxHistoryOperations', options.maxHistoryOperations ?? 200_000, { integer: true, min: 1 }),
    maxLogRecords: checkNumber('maxLogRecords', options.maxLogRecords ?? 1_000_000, { integer: true, min: 1 }),
    maxPendingRequests: checkNumber('maxPendingRequests', options.maxPendingRequests ?? 100_000, { integer: true, min: 1 }),
    maxQueuedOperations: checkNumber('maxQueuedOperations', options.maxQueuedOperations ?? 100_000, { integer: true, min: 1 }),
    maxMetricRecords: checkNumber('maxMetricRecords', options.maxMetricRecords ?? 1_000_000, { integer: true, min: 1 }),
    replicaIds,
    regionOf,
  };
}
