import type { ClientBase } from 'pg';

/**
 * What PostgreSQL says about its own streaming replication, read with plain SQL:
 * on the primary, one row of `pg_stat_replication` per connected standby (how far each
 * has written, flushed and replayed the WAL, and the lag times the primary measured);
 * on a standby, how far it has received and replayed, and when the last replayed
 * transaction had committed on the primary.
 */

/** A WAL position "16/B374D848" as a number of bytes (exact up to 2^53, i.e. 8 PiB of WAL). */
export function parseLsn(lsn: string): number {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!match) throw new Error(`LSN: got ${JSON.stringify(lsn)}; allowed: two hex numbers separated by "/", like "0/3000148"`);
  return parseInt(match[1], 16) * 2 ** 32 + parseInt(match[2], 16);
}

/** Bytes of WAL between two positions (how far `behind` is behind `ahead`), never negative. */
export function lsnDistanceBytes(ahead: string | null, behind: string | null): number | null {
  if (ahead === null || behind === null) return null;
  return Math.max(0, parseLsn(ahead) - parseLsn(behind));
}

export type SyncState = 'async' | 'potential' | 'sync' | 'quorum';

/** One standby as the primary sees it. Lags in ms are null when PostgreSQL has no recent measurement. */
export interface StandbyReplicationRow {
  applicationName: string;
  clientAddr: string | null;
  /** startup | catchup | streaming | backup | stopping */
  state: string;
  syncState: SyncState;
  syncPriority: number;
  sentLsn: string | null;
  writeLsn: string | null;
  flushLsn: string | null;
  replayLsn: string | null;
  writeLagMs: number | null;
  flushLagMs: number | null;
  replayLagMs: number | null;
  /** WAL the standby has not yet replayed, against the primary's current position. */
  replayLagBytes: number | null;
  /** When the primary last heard from the standby. */
  replyTime: Date | null;
}

export interface PrimaryReplicationStats {
  /** The primary's current WAL write position. */
  currentLsn: string;
  /** The WAL timeline: it grows by one at each promotion, PostgreSQL's epoch. */
  timelineId: number;
  standbys: StandbyReplicationRow[];
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Reads pg_stat_replication on a primary (fails on a standby: pg_current_wal_lsn() is not allowed in recovery). */
export async function readPrimaryReplicationStats(client: ClientBase): Promise<PrimaryReplicationStats> {
  // One statement, so the current LSN and the standby positions come from the same snapshot.
  const result = await client.query(`
    SELECT pg_current_wal_lsn()::text AS current_lsn,
           ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int AS timeline_id,
           r.application_name, r.client_addr::text AS client_addr, r.state, r.sync_state, r.sync_priority,
           r.sent_lsn::text AS sent_lsn, r.write_lsn::text AS write_lsn, r.flush_lsn::text AS flush_lsn,
           r.replay_lsn::text AS replay_lsn,
           (EXTRACT(EPOCH FROM r.write_lag) * 1000)::float8 AS write_lag_ms,
           (EXTRACT(EPOCH FROM r.flush_lag) * 1000)::float8 AS flush_lag_ms,
           (EXTRACT(EPOCH FROM r.replay_lag) * 1000)::float8 AS replay_lag_ms,
           pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::float8 AS replay_lag_bytes,
           r.reply_time
      FROM (SELECT 1) AS one
      LEFT JOIN pg_stat_replication r ON true
     ORDER BY r.application_name`);
  const rows = result.rows as Array<Record<string, unknown>>;
  const first = rows[0] ?? {};
  return {
    currentLsn: String(first.current_lsn),
    timelineId: Number(first.timeline_id),
    standbys: rows
      .filter((row) => row.application_name !== null && row.application_name !== undefined)
      .map((row) => ({
        applicationName: String(row.application_name),
        clientAddr: row.client_addr === null ? null : String(row.client_addr),
        state: String(row.state),
        syncState: String(row.sync_state) as SyncState,
        syncPriority: Number(row.sync_priority),
        sentLsn: (row.sent_lsn as string | null) ?? null,
        writeLsn: (row.write_lsn as string | null) ?? null,
        flushLsn: (row.flush_lsn as string | null) ?? null,
        replayLsn: (row.replay_lsn as string | null) ?? null,
        writeLagMs: numberOrNull(row.write_lag_ms),
        flushLagMs: numberOrNull(row.flush_lag_ms),
        replayLagMs: numberOrNull(row.replay_lag_ms),
        replayLagBytes: numberOrNull(row.replay_lag_bytes),
        replyTime: row.reply_time instanceof Date ? row.reply_time : null,
      })),
  };
}

/** What a standby knows about itself. */
export interface StandbyStatus {
  /** The server's cluster_name setting ("" when unset); lib/postgres names each standby this way. */
  serverName: string;
  inRecovery: boolean;
  receiveLsn: string | null;
  replayLsn: string | null;
  /**
   * Now minus the commit time (on the primary) of the last transaction replayed here.
   * Beware: it also grows while the primary is idle, when there is nothing to replay.
   */
  sinceLastReplayedCommitMs: number | null;
  /** received but not yet replayed WAL, bytes */
  replayBacklogBytes: number | null;
  replayPaused: boolean;
  /** The configured recovery_min_apply_delay, ms. */
  applyDelayMs: number;
  /** pg_stat_wal_receiver.status ("streaming", ...) or null when no WAL receiver runs. */
  receiverStatus: string | null;
  /** The timeline the WAL receiver streams, or (after promotion) the server's own. */
  timelineId: number | null;
}

/** Reads a server's recovery status. On a primary (not in recovery) the LSN fields are null. */
export async function readStandbyStatus(client: ClientBase): Promise<StandbyStatus> {
  const result = await client.query(`
    SELECT current_setting('cluster_name') AS server_name,
           pg_is_in_recovery() AS in_recovery,
           pg_last_wal_receive_lsn()::text AS receive_lsn,
           pg_last_wal_replay_lsn()::text AS replay_lsn,
           (EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp())) * 1000)::float8 AS since_replay_ms,
           pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 AS backlog_bytes,
           CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END AS replay_paused,
           (SELECT setting::float8 FROM pg_settings WHERE name = 'recovery_min_apply_delay') AS apply_delay_ms,
           (SELECT status FROM pg_stat_wal_receiver LIMIT 1) AS receiver_status,
           COALESCE((SELECT received_tli FROM pg_stat_wal_receiver LIMIT 1),
                    CASE WHEN pg_is_in_recovery() THEN NULL
                         ELSE ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END) AS timeline_id`);
  const row = result.rows[0] as Record<string, unknown>;
  return {
    serverName: String(row.server_name ?? ''),
    inRecovery: row.in_recovery === true,
    receiveLsn: (row.receive_lsn as string | null) ?? null,
    replayLsn: (row.replay_lsn as string | null) ?? null,
    sinceLastReplayedCommitMs: numberOrNull(row.since_replay_ms),
    replayBacklogBytes: numberOrNull(row.backlog_bytes),
    replayPaused: row.replay_paused === true,
    applyDelayMs: numberOrNull(row.apply_delay_ms) ?? 0,
    receiverStatus: (row.receiver_status as string | null) ?? null,
    timelineId: numberOrNull(row.timeline_id),
  };
}

/** Connections in use against max_connections, and committed/rolled-back transaction counters. */
export interface ServerActivity {
  connectionCount: number;
  maxConnections: number;
  commitCount: number;
  rollbackCount: number;
}

export async function readServerActivity(client: ClientBase): Promise<ServerActivity> {
  const result = await client.query(`
    SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::float8 AS connection_count,
           current_setting('max_connections')::float8 AS max_connections,
           COALESCE(sum(xact_commit), 0)::float8 AS commit_count,
           COALESCE(sum(xact_rollback), 0)::float8 AS rollback_count
      FROM pg_stat_database`);
  const row = result.rows[0] as Record<string, unknown>;
  return {
    connectionCount: Number(row.connection_count),
    maxConnections: Number(row.max_connections),
    commitCount: Number(row.commit_count),
    rollbackCount: Number(row.rollback_count),
  };
}

/** One replication slot as the primary keeps it. */
export interface ReplicationSlotRow {
  slotName: string;
  slotType: string;
  active: boolean;
  /** WAL held back for this slot: current LSN − restart_lsn, bytes (null before the slot has one). */
  retainedWalBytes: number | null;
}

/** Reads pg_replication_slots on a primary: an inactive slot retaining WAL is a disk-full outage in waiting. */
export async function readReplicationSlots(client: ClientBase): Promise<ReplicationSlotRow[]> {
  const result = await client.query(`
    SELECT slot_name, slot_type, active,
           pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 AS retained_bytes
      FROM pg_replication_slots ORDER BY slot_name`);
  return (result.rows as Array<Record<string, unknown>>).map((row) => ({
    slotName: String(row.slot_name),
    slotType: String(row.slot_type),
    active: row.active === true,
    retainedWalBytes: numberOrNull(row.retained_bytes),
  }));
}
