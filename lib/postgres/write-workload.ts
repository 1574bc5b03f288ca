import { Client } from 'pg';
import { OptionError, checkNumber } from '../util/option-error';
import { LocalPgCluster } from './local-cluster';
import { readPrimaryReplicationStats } from './replication-stats';
import { delay } from './server-process';

/**
 * A steady write load on the primary while another connection samples
 * pg_stat_replication: the real counterpart of the simulator's lag plots. The writer runs
 * one INSERT at a time at a target rate; the sampler records one row per standby per tick.
 */
export interface StandbyLagSample {
  /** ms since the workload started */
  timeMs: number;
  standby: string;
  state: string;
  syncState: string;
  writeLagMs: number | null;
  flushLagMs: number | null;
  replayLagMs: number | null;
  replayLagBytes: number | null;
}

export interface WriteWorkloadResult {
  writeCount: number;
  durationMs: number;
  samples: StandbyLagSample[];
  /** Ids of the rows the primary acknowledged, in order (for counting lost writes after a failover). */
  acknowledgedIds: number[];
}

export interface WriteWorkloadOptions {
  durationMs: number;
  writesPerSec: number;
  /** How often pg_stat_replication is read, ms. Default 200. */
  sampleEveryMs?: number;
  table?: string;
  /** Cap on lag samples kept (an error beyond it). Default 100 000. */
  maxSamples?: number;
  /** Cap on writes (an error beyond it). Default 1 000 000. */
  maxWrites?: number;
}

export async function runWriteWorkload(cluster: LocalPgCluster, options: WriteWorkloadOptions): Promise<WriteWorkloadResult> {
  const durationMs = checkNumber('durationMs', options.durationMs, { min: 1, max: 3_600_000 });
  const writesPerSec = checkNumber('writesPerSec', options.writesPerSec, { min: 0.1, max: 100_000 });
  const sampleEveryMs = checkNumber('sampleEveryMs', options.sampleEveryMs ?? 200, { min: 10, max: 60_000 });
  const maxSamples = checkNumber('maxSamples', options.maxSamples ?? 100_000, { integer: true, min: 1 });
  const maxWrites = checkNumber('maxWrites', options.maxWrites ?? 1_000_000, { integer: true, min: 1 });
  const table = options.table ?? 'workbook_writes';
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new OptionError(`table: got ${JSON.stringify(table)}; allowed: a lowercase SQL identifier`);
  const writer: Client = await cluster.connect(cluster.primaryName);
  const sampler: Client = await cluster.connect(cluster.primaryName);
  const samples: StandbyLagSample[] = [];
  const acknowledgedIds: number[] = [];
  try {
    await writer.query(`CREATE TABLE IF NOT EXISTS ${table} (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    let writing = true;
    const sampling = (async () => {
      while (writing && elapsed() < durationMs) {
        const stats = await readPrimaryReplicationStats(sampler);
        const t = elapsed();
        for (const s of stats.standbys) {
          if (samples.length >= maxSamples) throw new OptionError(`runWriteWorkload: ${maxSamples} lag samples, its limit (maxSamples); sample less often or shorten the run`);
          samples.push({ timeMs: t, standby: s.applicationName, state: s.state, syncState: s.syncState, writeLagMs: s.writeLagMs, flushLagMs: s.flushLagMs, replayLagMs: s.replayLagMs, replayLagBytes: s.replayLagBytes });
        }
        await delay(sampleEveryMs);
      }
    })();
    // Handled now so a sampler failure is not an "unhandled rejection" while the writer still runs; it is rethrown below.
    sampling.catch(() => undefined);
    try {
      const gapMs = 1000 / writesPerSec;
      let next = 0;
      while (elapsed() < durationMs) {
        if (acknowledgedIds.length >= maxWrites) throw new OptionError(`runWriteWorkload: ${maxWrites} writes, its limit (maxWrites); lower writesPerSec or durationMs`);
        const result = await writer.query(`INSERT INTO ${table} (payload) VALUES ($1) RETURNING id`, [`write ${acknowledgedIds.length + 1}`]);
        acknowledgedIds.push(Number(result.rows[0].id));
        next += gapMs;
        const wait = next - elapsed();
        if (wait > 0) await delay(wait);
      }
    } catch (error) {
      // Stop the sampler before the connections close under it, then report the writer's error.
      writing = false;
      await sampling.catch(() => undefined);
      throw error;
    }
    writing = false;
    await sampling;
    return { writeCount: acknowledgedIds.length, durationMs: elapsed(), samples, acknowledgedIds };
  } finally {
    await writer.end().catch(() => undefined);
    await sampler.end().catch(() => undefined);
  }
}

/** Which acknowledged rows a server still has: after a failover, the rest are lost writes. */
export async function countSurvivingWrites(
  cluster: LocalPgCluster,
  server: string,
  acknowledgedIds: readonly number[],
  table = 'workbook_writes',
): Promise<{ server: string; acknowledged: number; present: number; lost: number }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new OptionError(`table: got ${JSON.stringify(table)}; allowed: a lowercase SQL identifier`);
  const rows = await cluster.query<{ id: string }>(server, `SELECT id FROM ${table} WHERE id = ANY($1::bigint[])`, [acknowledgedIds as number[]]);
  return { server, acknowledged: acknowledgedIds.length, present: rows.length, lost: acknowledgedIds.length - rows.length };
}
