import { Client, ClientConfig } from 'pg';
import { indiaTopology } from '../sim/topology';
import { PrimaryReplicationStats, ReplicationSlotRow, ServerActivity, StandbyStatus, readPrimaryReplicationStats, readReplicationSlots, readServerActivity, readStandbyStatus } from '../postgres/replication-stats';
import { LagSource, SourceUnavailableError } from './lag-source';
import { ClusterSnapshot, RegionTraffic, ReplicaLag, ServerView, replicaLag } from './snapshot';

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
  /** The connection pool size the pool rule judges against (MAX_CONNECTIONS); default: the server's max_connections. */
  maxConnections?: number;
  /** Host CPU and memory use, 0..1 (the service passes a /proc reader; tests a fake). */
  resources?: () => { cpuRatio: number | null; memoryRatio: number | null };
}

interface ServerConnection {
  config: ClientConfig;
  client: Client | null;
  /** host:port, for messages. */
  address: string;
  /** Statements this monitor has sent to the server: its own transactions, not the application's. */
  statementCount: number;
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
  private previousActivity: { activity: ServerActivity; ownStatements: number; server: string } | null = null;
  private previousLeader: string | null = null;
  /** The highest timeline seen: the epoch never goes back, even when an old primary returns. */
  private maxTimeline = 0;
  private readonly maxConnections: number | undefined;
  private readonly resources: (() => { cpuRatio: number | null; memoryRatio: number | null }) | undefined;

  constructor(options: PostgresSourceOptions) {
    this.region = options.region;
    this.business = options.business ?? 'banking';
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.now = options.now ?? Date.now;
    this.maxKnownReplicas = options.maxKnownReplicas ?? 100;
    this.maxConnections = options.maxConnections;
    this.resources = options.resources;
    this.servers = [options.primary, ...(options.standbys ?? [])].map((config) => ({ config, client: null, address: addressOf(config), statementCount: 0 }));
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
      // Count our own statements: each is a transaction in pg_stat_database, which the
      // error-rate rule must not mistake for the application's traffic.
      const counting = new Proxy(client, {
        get: (target, prop) => (prop === 'query'
          ? (...args: unknown[]) => {
              server.statementCount += 1;
              return (target.query as (...a: unknown[]) => unknown).apply(target, args);
            }
          : Reflect.get(target, prop)),
      });
      return { ok: true, value: await read(counting) };
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
    // Every configured server is asked who it is: a primary (not in recovery) or a standby.
    const statuses = await Promise.all(this.servers.map((s) => this.attempt(s, readStandbyStatus)));
    const servers: ServerView[] = statuses.map((st, i) => {
      const address = this.servers[i].address;
      if (!st.ok || !st.value) {
        return { server: address, name: null, up: false, role: 'unknown', timelineId: null, error: st.error ?? 'unreachable', replayPaused: null, applyDelayMs: null, sinceLastReplayedCommitMs: null, replayBacklogBytes: null };
      }
      const v = st.value;
      return {
        server: address,
        name: v.serverName || null,
        up: true,
        role: v.inRecovery ? 'standby' : 'primary',
        timelineId: v.timelineId,
        error: null,
        replayPaused: v.inRecovery ? v.replayPaused : null,
        applyDelayMs: v.inRecovery ? v.applyDelayMs : null,
        sinceLastReplayedCommitMs: v.inRecovery ? v.sinceLastReplayedCommitMs : null,
        replayBacklogBytes: v.inRecovery ? v.replayBacklogBytes : null,
      };
    });
    if (servers.every((v) => !v.up)) {
      const first = statuses[0];
      throw new SourceUnavailableError(`cannot reach the PostgreSQL primary at ${this.servers[0].address}: ${first.error ?? 'unreachable'}`);
    }
    // The leader: of the servers accepting writes, the one on the newest timeline. Two of them is
    // split brain, reported as such; the epoch never goes back to an old primary's timeline.
    const writable = servers.map((v, i) => ({ v, i })).filter(({ v }) => v.role === 'primary');
    for (const { v } of writable) this.maxTimeline = Math.max(this.maxTimeline, v.timelineId ?? 0);
    const splitBrain = writable.length > 1;
    if (writable.length === 0) return this.snapshotWithoutLeader(timeMs, servers);
    const { i: leaderIndex } = writable.reduce((best, x) => ((x.v.timelineId ?? 0) > (best.v.timelineId ?? 0) ? x : best));
    const leader = this.servers[leaderIndex];
    const primaryRead = await this.attempt(leader, async (client) => {
      const stats = await readPrimaryReplicationStats(client);
      const slots = await readReplicationSlots(client);
      const ownStatements = leader.statementCount;
      return { stats, slots, activity: await readServerActivity(client), ownStatements };
    });
    if (!primaryRead.ok || !primaryRead.value) {
      servers[leaderIndex] = { ...servers[leaderIndex], up: false, role: 'unknown', error: primaryRead.error ?? 'unreachable' };
      return this.snapshotWithoutLeader(timeMs, servers);
    }
    const { stats, slots, activity, ownStatements } = primaryRead.value;
    this.previousLeader = leader.address;
    // After a failover the promoted standby leads: it is no longer a replica to report.
    const leaderName = servers[leaderIndex].name;
    if (leaderName) this.known.delete(leaderName);
    // The configured primary sits in REGION; a promoted standby in the region its name says.
    const leaderRegion = leaderIndex === 0 ? this.region : regionFromReplicaName(leaderName ?? '', this.region);
    this.maxTimeline = Math.max(this.maxTimeline, stats.timelineId);
    return {
      timeMs,
      source: 'postgres',
      leader: { id: leader.address, region: leaderRegion },
      epoch: this.maxTimeline,
      replicas: this.replicasFrom(stats, leaderName),
      traffic: [this.trafficFrom(activity, ownStatements, leader.address)],
      servers,
      splitBrain,
      slots: slots.map((s: ReplicationSlotRow) => ({ slot: s.slotName, slotType: s.slotType, active: s.active, retainedWalBytes: s.retainedWalBytes })),
      ...(this.resources ? { resources: this.resources() } : {}),
    };
  }

  private replicasFrom(stats: PrimaryReplicationStats, leaderName: string | null): ReplicaLag[] {
    const replicas: ReplicaLag[] = [];
    const seen = new Set<string>();
    for (const row of stats.standbys) {
      const name = row.applicationName || row.clientAddr || 'standby';
      if (seen.has(name)) continue;
      seen.add(name);
      const region = regionFromReplicaName(name, this.region);
      this.remember(name, region);
      // With nothing left to replay the lag is zero, whatever replay_lag says: PostgreSQL keeps
      // its last value while the primary is idle (and clears it only later), which would keep
      // an alert firing after the standby caught up. Bytes first, as postgres_exporter users do.
      const caughtUp = row.replayLagBytes === 0;
      const replayLagMs = caughtUp ? 0 : row.replayLagMs;
      replicas.push(
        replicaLag({
          replica: name,
          region,
          connected: row.state === 'streaming' || row.state === 'catchup',
          state: row.state,
          lagMs: replayLagMs,
          writeLagMs: caughtUp ? 0 : row.writeLagMs,
          flushLagMs: caughtUp ? 0 : row.flushLagMs,
          replayLagMs,
          lagBytes: row.replayLagBytes,
          syncState: row.syncState,
        }),
      );
    }
    for (const [name, region] of this.known) {
      if (!seen.has(name) && name !== leaderName) replicas.push(replicaLag({ replica: name, region, connected: false, state: 'disconnected' }));
    }
    return replicas.sort((a, b) => (a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0));
  }

  private trafficFrom(activity: ServerActivity, ownStatements: number, server: string): RegionTraffic {
    const previous = this.previousActivity && this.previousActivity.server === server ? this.previousActivity : null;
    this.previousActivity = { activity, ownStatements, server };
    // Counters are cumulative; a restart resets them, so a negative delta means "unknown".
    // Our own statements since the last reading are transactions too: they are not traffic.
    const own = previous ? ownStatements - previous.ownStatements : 0;
    const commits = previous ? activity.commitCount - previous.activity.commitCount - own : 0;
    const rollbacks = previous ? activity.rollbackCount - previous.activity.rollbackCount : 0;
    const valid = commits >= 0 && rollbacks >= 0;
    return {
      region: this.region,
      business: this.business,
      requestCount: valid ? commits + rollbacks : 0,
      errorCount: valid ? rollbacks : 0,
      poolInUse: activity.connectionCount,
      poolSize: this.maxConnections ?? activity.maxConnections,
    };
  }

  /** The primary is gone but standbys answer: no leader, every known replica reported from its own view. */
  private snapshotWithoutLeader(timeMs: number, servers: ServerView[]): ClusterSnapshot {
    const replicas: ReplicaLag[] = [];
    for (const [name, region] of this.known) {
      replicas.push(replicaLag({ replica: name, region, connected: false, state: 'leader unreachable' }));
    }
    for (const v of servers) if (v.timelineId !== null) this.maxTimeline = Math.max(this.maxTimeline, v.timelineId);
    return {
      timeMs,
      source: 'postgres',
      leader: null,
      epoch: this.maxTimeline,
      replicas: replicas.sort((a, b) => (a.replica < b.replica ? -1 : 1)),
      traffic: [],
      servers,
      splitBrain: false,
      slots: [],
      ...(this.resources ? { resources: this.resources() } : {}),
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
