/**
 * What a lag source reports at each sampling: the replicas with their lag, the leader and
 * its epoch, and per-region traffic (requests, errors, connection pool). Both sources
 * produce this shape: the simulated leader–follower cluster and a real PostgreSQL primary.
 * The monitor's rules, SLA tracking, metrics and dashboard read nothing else.
 */

export type SyncState = 'async' | 'sync' | 'quorum' | 'potential';

export interface ReplicaLag {
  /** e.g. "kolkata" (a PostgreSQL application_name) or "follower-kolkata" (a simulated node). */
  replica: string;
  region: string;
  /** false when the replica is not streaming from the leader (stopped, crashed, cut off). */
  connected: boolean;
  /** streaming | catchup | startup | disconnected | ... */
  state: string;
  /**
   * The lag the SLA is judged on: how long after the leader committed a change the replica
   * makes it visible to readers (replay lag). null: no measurement right now.
   */
  lagMs: number | null;
  /** Time until the replica had written, flushed and replayed the leader's recent WAL (PostgreSQL's three lags). */
  writeLagMs: number | null;
  flushLagMs: number | null;
  replayLagMs: number | null;
  /** WAL bytes the replica has not yet replayed (PostgreSQL) or null. */
  lagBytes: number | null;
  /** Log entries the replica has not yet applied (simulated cluster) or null. */
  pendingEntries: number | null;
  syncState: SyncState | null;
}

/** Business traffic of one region during the last sampling interval. */
export interface RegionTraffic {
  region: string;
  /** Which error-rate rule applies: "banking" | "ecommerce" | any name the rules know. */
  business: string;
  requestCount: number;
  errorCount: number;
  /** Connections of the region's pool in use, and the pool's size. */
  poolInUse: number;
  poolSize: number;
}

/** One configured database server as the monitor reached it (PostgreSQL; like postgres_exporter's pg_up). */
export interface ServerView {
  /** host:port as configured. */
  server: string;
  /** The server's cluster_name, or null when unknown. */
  name: string | null;
  up: boolean;
  /** primary: accepts writes (not in recovery); standby: replays WAL. */
  role: 'primary' | 'standby' | 'unknown';
  timelineId: number | null;
  /** Why the server could not be read (redacted by the service before it is shown). */
  error: string | null;
  /** The standby's own view (null on a primary or when unknown). */
  replayPaused: boolean | null;
  applyDelayMs: number | null;
  /** Now minus the primary-side commit time of the last transaction this standby replayed. */
  sinceLastReplayedCommitMs: number | null;
  /** WAL received but not yet replayed, bytes. */
  replayBacklogBytes: number | null;
}

/** A replication slot on the leader: an inactive one keeps WAL on the primary's disk without bound. */
export interface ReplicationSlotView {
  slot: string;
  slotType: string;
  active: boolean;
  /** WAL the slot holds back (current LSN − restart_lsn), bytes; null when unknown. */
  retainedWalBytes: number | null;
}

export interface ClusterSnapshot {
  /** When the sample was taken, ms on the source's clock (epoch ms for a live service, simulation ms in notebooks). */
  timeMs: number;
  /** "simulated" | "postgres" */
  source: string;
  leader: { id: string; region: string } | null;
  /** The leader's term: a simulated election epoch, or PostgreSQL's WAL timeline. */
  epoch: number;
  replicas: ReplicaLag[];
  traffic: RegionTraffic[];
  /** Every configured server, reachable or not (PostgreSQL sources). */
  servers?: ServerView[];
  /** More than one server accepts writes: two primaries, a split brain. */
  splitBrain?: boolean;
  slots?: ReplicationSlotView[];
  /** CPU and memory use of the database host, 0..1 (measured for a real source, modelled for the simulation). */
  resources?: { cpuRatio: number | null; memoryRatio: number | null };
}

/** A replica record with every optional measurement unknown: sources fill in what they have. */
export function replicaLag(fields: Pick<ReplicaLag, 'replica' | 'region'> & Partial<ReplicaLag>): ReplicaLag {
  return {
    connected: true,
    state: 'streaming',
    lagMs: null,
    writeLagMs: null,
    flushLagMs: null,
    replayLagMs: null,
    lagBytes: null,
    pendingEntries: null,
    syncState: null,
    ...fields,
  };
}
