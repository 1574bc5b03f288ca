/**
 * Calibrates the autoscaling provisioning model on real PostgreSQL: for each data size, fill the
 * primary, start a write load, add a standby with pg_basebackup, and time copy, start and
 * catch-up. Returns the measurements; lib/strategies/autoscaling's fitCopyModel turns two of them
 * into the model's start-up and copy bandwidth.
 */
import { Client } from 'pg';
import { checkNumber } from '../util';
import { AddStandbyMeasurement, addStandbyUnderLoad, fillPrimary } from './add-standby';
import { LocalPgCluster } from './local-cluster';
import { runWriteWorkload } from './write-workload';

export interface CalibrationRun extends AddStandbyMeasurement {
  /** Writes the load committed while the standby was added. */
  writesDuringAdd: number;
  /** Rows of the filler table on the new standby once ready (equal to the primary's). */
  fillerRowsOnStandby: number;
}

export async function measureAddStandby(options: { sizesBytes: readonly number[]; writesPerSec?: number; loadMs?: number }): Promise<CalibrationRun[]> {
  const sizes = options.sizesBytes.map((s, i) => checkNumber(`measureAddStandby sizesBytes[${i}]`, s, { min: 1e6, max: 1e9 }));
  const writesPerSec = checkNumber('measureAddStandby writesPerSec', options.writesPerSec ?? 200, { min: 1, max: 5000 });
  const loadMs = checkNumber('measureAddStandby loadMs', options.loadMs ?? 4000, { min: 500, max: 60_000 });
  const cluster = await LocalPgCluster.start({ fsync: false, settings: { wal_keep_size: '1GB' } });
  const runs: CalibrationRun[] = [];
  try {
    for (let i = 0; i < sizes.length; i++) {
      const [{ bytes }] = await cluster.query<{ bytes: string }>(cluster.primaryName, 'SELECT sum(pg_database_size(datname))::bigint AS bytes FROM pg_database');
      // fillPrimary with 0 bytes still creates the table, so the standby check below has one to count.
      await fillPrimary(cluster, Math.max(0, sizes[i] - Number(bytes)));
      const load = runWriteWorkload(cluster, { durationMs: loadMs, writesPerSec, sampleEveryMs: 1000, table: 'load_writes' });
      load.catch(() => undefined);
      // Whatever fails, the load finishes before the cluster is torn down under its connections.
      const added = await addStandbyUnderLoad(cluster, { name: `added_${i}` }).catch(async (error) => {
        await load.catch(() => undefined);
        throw error;
      });
      try {
        const client = new Client({ ...cluster.clientConfig(cluster.primaryName), port: added.port });
        client.on('error', () => undefined); // a server stopped under an idle client must not crash the process
        await client.connect();
        let n: number;
        try {
          n = (await client.query('SELECT count(*)::int AS n FROM filler')).rows[0].n;
        } finally {
          await client.end().catch(() => undefined);
        }
        const result = await load;
        runs.push({ ...added.measurement, writesDuringAdd: result.writeCount, fillerRowsOnStandby: n });
      } finally {
        await load.catch(() => undefined);
        await added.stop();
      }
    }
  } finally {
    await cluster.teardown();
  }
  return runs;
}
