import { Client, ClientConfig } from 'pg';
import { indiaTopology } from '../sim/topology';
import { PrimaryReplicationStats, ServerActivity, StandbyStatus, readPrimaryReplicationStats, readServerActivity, readStandbyStatus } from '../postgres/replication-stats';
import { LagSource, SourceUnavailableError } from './lag-source';
import { ClusterSnapshot, RegionTraffic, ReplicaLag, replicaLag } from './snapshot';

/**
 * Lag from a real PostgreSQL cluster. The primary's `pg_stat_replication` gives every
 * connected standby's write/flush/replay lag and its WAL position; optional direct
 * connections to the standbys add their own view (`pg_last_wal_replay_lsn()`, time since
 * the last replayed commit) and let the monitor find the new primary after a failover:
 * whichever configured server is not in recovery leads, and its WAL timeline is the epoch.
 *
 * A standby that was streaming and disappears from pg_stat_replication is reported as
 * disconnected, not forgotten: that absence is exactly what an operator must see.
 */
export interface PostgresSourceOptions {
  /** How to reach the primary (password included; it is never printed). */
  primary: ClientConfig;
  /** Optional direct connections to standbys. */
  standbys?: ClientConfig[];
  /** The primary's region (REGION); replicas whose name does not start with a region id are placed here too. */
  region: string;
  /** Business of the traffic on this database, for the error-rate thresholds. Default "banking". */
  business?: string;
  /** Limit for connecting and for each query, ms. Default 3000. */
  timeoutMs?: number;
  /** The wall clock (epoch ms); injectable for tests. */
  now?: () => number;
  /** Replicas remembered after they vanish (a bound against unbounded growth). Default 100. */
  maxKnownReplicas?: number;
}

interface ServerConnection {
  config: ClientConfig;
  client: Client | null;
  /** host:port, for messages. */
  address: string;
}

/** "kolkata", "kolkata_2", "kolkata-standby" → kolkata; anything else → the fallback region. */
export function regionFromReplicaName(name: string, fallback: string, regionIds: readonly string[] = indiaTopology().regions.map((r) => r.id)): string {
  const lower = name.toLowerCase();
  for (const id of regionIds) {
    if (lower === id || (lower.startsWith(id) && !/[a-z]/.test(lower.charAt(id.length)))) return id;
  }
  return fallback;
}

/**
 * The outcome of one read. Both members name both fields so that code compiled without
 * strictNullChecks (tslab in a notebook) can still read `.error` after testing `.ok`.
 */
type Attempt<T> = { ok: true; value: T; error?: undefined } | { ok: false; error: string; value?: undefined };

function addressOf(config: ClientConfig): string {
  return `${config.host ?? 'localhost'}:${config.port ?? 5432}`;
}

export class PostgresLagSource implements LagSource {
  readonly kind = 'postgres';
  private readonly servers: ServerConnection[];
  private readonly region: string;
  private readonly business: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly maxKnownReplicas: number;
  private readonly known = new Map<string, string>();
  private previousActivity: ServerActivity | null = null;
  private previousLeader: string | null = null;

  constructor(options: PostgresSourceOptions) {
    this.region = options.region;
    this.business = options.business ?? 'banking';
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.now = options.now ?? Date.now;
    this.maxKnownReplicas = options.maxKnownReplicas ?? 100;
    this.servers = [options.primary, ...(options.standbys ?? [])].map((config) => ({ config, client: null, address: addressOf(config) }));
  }

  describe(): string {
    const primary = this.servers[0];
    const extra = this.servers.length > 1 ? ` and ${this.servers.length - 1} standby connection(s) (${this.servers.slice(1).map((s) => s.address).join(', ')})` : '';
    return `PostgreSQL primary ${primary.config.user ?? 'postgres'}@${primary.address}/${primary.config.database ?? 'postgres'}${extra}`;
  }

  private async clientFor(server: ServerConnection): Promise<Client> {
    if (server.client) return server.client;
    const client = new Client({
      ...server.config,
      connectionTimeoutMillis: this.timeoutMs,
      query_timeout: this.timeoutMs,
      application_name: 'replication-workbook-monitor',
    });
    // A broken connection emits 'error' outside any query; we drop it and reconnect next time.
    client.on('error', () => {
      if (server.client === client) server.client = null;
    });
    client.on('end', () => {
      if (server.client === client) server.client = null;
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    server.client = client;
    return client;
  }

  private async dropClient(server: ServerConnection): Promise<void> {
    const client = server.client;
    server.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  /** Runs `read` on a server; a failure drops the connection and returns the error message. */
  private async attempt<T>(server: ServerConnection, read: (client: Client) => Promise<T>): Promise<Attempt<T>> {
    try {
      const client = await this.clientFor(server);
      return { ok: true, value: await read(client) };
    } catch (error) {
      await this.dropClient(server);
      return { ok: false, error: (error as Error).message };
    }
  }

  private remember(name: string, region: string): void {
    if (this.known.has(name) || this.known.size < this.maxKnownReplicas) this.known.set(name, region);
  }

  async sample(): Promise<ClusterSnapshot> {
    const timeMs = this.now();
    // Who is in recovery? With only the primary configured we skip the question and ask it directly.
    const statuses = this.servers.length > 1 ? await Promise.all(this.servers.map((s) => this.attempt(s, readStandbyStatus))) : null;
    let leaderIndex = 0;
    if (statuses) {
      const leading = statuses.findIndex((s) => s.ok && s.value !== undefined && !s.value.inRecovery);
      if (leading >= 0) leaderIndex = leading;
    }
    const leader = this.servers[leaderIndex];
    const primaryRead = await this.attempt(leader, async (client) => ({ stats: await readPrimaryReplicationStats(client), activity: await readServerActivity(client) }));
    if (!primaryRead.ok) {
      const reachableStandbys = statuses ? statuses.filter((s) => s.ok).length : 0;
      if (reachableStandbys === 0) throw new SourceUnavailableError(`cannot reach the PostgreSQL primary at ${leader.address}: ${primaryRead.error}`);
      return this.snapshotWithoutLeader(timeMs, statuses as Array<Attempt<StandbyStatus>>);
    }
    const { stats, activity } = primaryRead.value as { stats: PrimaryReplicationStats; activity: ServerActivity };
    this.previousLeader = leader.address;
    // After a failover the promoted standby leads: it is no longer a replica to report.
    const leaderStatus = statuses ? statuses[leaderIndex] : null;
    if (leaderStatus && leaderStatus.ok && leaderStatus.value && leaderStatus.value.serverName) this.known.delete(leaderStatus.value.serverName);
    return {
      timeMs,
      source: 'postgres',
      leader: { id: leader.address, region: this.region },
      epoch: stats.timelineId,
      replicas: this.replicasFrom(stats),
      traffic: [this.trafficFrom(activity)],
    };
  }

  private replicasFrom(stats: PrimaryReplicationStats): ReplicaLag[] {
    const replicas: ReplicaLag[] = [];
    const seen = new Set<string>();
    for (const row of stats.standbys) {
      const name = row.applicationName || row.clientAddr || 'standby';
      if (seen.has(name)) continue;
      seen.add(name);
      const region = regionFromReplicaName(name, this.region);
      this.remember(name, region);
      // PostgreSQL clears the lag columns a while after a standby has caught up and the
      // primary is idle; with nothing left to replay the lag is genuinely zero.
      const caughtUp = row.replayLagBytes === 0;
      const replayLagMs = row.replayLagMs ?? (caughtUp ? 0 : null);
      replicas.push(
        replicaLag({
          replica: name,
          region,
          connected: row.state === 'streaming' || row.state === 'catchup',
          state: row.state,
          lagMs: replayLagMs,
          writeLagMs: row.writeLagMs ?? (caughtUp ? 0 : null),
          flushLagMs: row.flushLagMs ?? (caughtUp ? 0 : null),
          replayLagMs,
          lagBytes: row.replayLagBytes,
          syncState: row.syncState,
        }),
      );
    }
    for (const [name, region] of this.known) {
      if (!seen.has(name)) replicas.push(replicaLag({ replica: name, region, connected: false, state: 'disconnected' }));
    }
    return replicas.sort((a, b) => (a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0));
  }

  private trafficFrom(activity: ServerActivity): RegionTraffic {
    const previous = this.previousActivity;
    this.previousActivity = activity;
    // Counters are cumulative; a restart resets them, so a negative delta means "unknown".
    const commits = previous ? activity.commitCount - previous.commitCount : 0;
    const rollbacks = previous ? activity.rollbackCount - previous.rollbackCount : 0;
    const valid = commits >= 0 && rollbacks >= 0;
    return {
      region: this.region,
      business: this.business,
      requestCount: valid ? commits + rollbacks : 0,
      errorCount: valid ? rollbacks : 0,
      poolInUse: activity.connectionCount,
      poolSize: activity.maxConnections,
    };
  }

  /** The primary is gone but standbys answer: no leader, every known replica reported from its own view. */
  private snapshotWithoutLeader(timeMs: number, statuses: Array<Attempt<StandbyStatus>>): ClusterSnapshot {
    const replicas: ReplicaLag[] = [];
    for (const [name, region] of this.known) {
      replicas.push(replicaLag({ replica: name, region, connected: false, state: 'leader unreachable' }));
    }
    const timelines = statuses.map((s) => (s.ok && s.value ? s.value.timelineId ?? 0 : null)).filter((t): t is number => t !== null);
    return {
      timeMs,
      source: 'postgres',
      leader: null,
      epoch: timelines.length > 0 ? Math.max(...timelines) : 0,
      replicas: replicas.sort((a, b) => (a.replica < b.replica ? -1 : 1)),
      traffic: [],
    };
  }

  /** The address of the server that led at the last successful sample. */
  get leaderAddress(): string | null {
    return this.previousLeader;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => this.dropClient(s)));
  }
}
