import { Client } from 'pg';
import type { OperationRecord } from '../sim/history';
import { OptionError, checkNumber } from '../util/option-error';
import { LocalPgCluster } from './local-cluster';
import { delay } from './server-process';

/**
 * A history of a single register on real PostgreSQL, in the shape lib/check reads: process 0
 * writes 1, 2, 3, ... to the primary (each write returns after its commit), process 1 reads
 * from a standby right after each write returned. Every read that starts after a write
 * returned must, in a linearizable system, see that write or a later one; a standby that
 * has not replayed it yet returns the older value, and the checker proves the read stale.
 */
export interface RegisterHistoryOptions {
  /** The standby to read from. */
  standby: string;
  writes?: number;
  readsPerWrite?: number;
  /** Pause between operations, ms. Default 20. */
  pauseMs?: number;
  table?: string;
}

export interface RegisterHistory {
  model: 'register';
  operations: Array<OperationRecord<{ f: 'write'; value: number } | { f: 'read' }, { value?: number | null }>>;
  /** Reads that returned a value older than the last write that had returned before they began. */
  staleReadCount: number;
}

export async function recordRegisterHistory(cluster: LocalPgCluster, options: RegisterHistoryOptions): Promise<RegisterHistory> {
  const writes = checkNumber('writes', options.writes ?? 5, { integer: true, min: 1, max: 10_000 });
  const readsPerWrite = checkNumber('readsPerWrite', options.readsPerWrite ?? 3, { integer: true, min: 1, max: 100 });
  const pauseMs = checkNumber('pauseMs', options.pauseMs ?? 20, { min: 0, max: 60_000 });
  const table = options.table ?? 'workbook_register';
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new OptionError(`table: got ${JSON.stringify(table)}; allowed: a lowercase SQL identifier`);
  if (!cluster.standbyNames.includes(options.standby)) throw new OptionError(`standby: got ${JSON.stringify(options.standby)}; allowed: ${cluster.standbyNames.join(', ')}`);

  const primary: Client = await cluster.connect(cluster.primaryName);
  let reader: Client | null = null;
  try {
    await primary.query(`DROP TABLE IF EXISTS ${table}`);
    await primary.query(`CREATE TABLE ${table} (id int PRIMARY KEY, value int)`);
    await primary.query(`INSERT INTO ${table} VALUES (1, NULL)`);
    // Start from a state every standby has, so the history's initial value (null) holds everywhere.
    await cluster.waitForReplay(options.standby);
    reader = await cluster.connect(options.standby);
    const operations: RegisterHistory['operations'] = [];
    const origin = process.hrtime.bigint();
    const nowMs = () => Number(process.hrtime.bigint() - origin) / 1e6;
    let staleReadCount = 0;
    for (let value = 1; value <= writes; value++) {
      const call = nowMs();
      await primary.query(`UPDATE ${table} SET value = $1 WHERE id = 1`, [value]);
      operations.push({ process: 0, call, return: nowMs(), input: { f: 'write', value }, output: {} });
      for (let r = 0; r < readsPerWrite; r++) {
        await delay(pauseMs);
        const readCall = nowMs();
        const rows = (await reader.query(`SELECT value FROM ${table} WHERE id = 1`)).rows as Array<{ value: number | null }>;
        const seen = rows[0]?.value ?? null;
        operations.push({ process: 1, call: readCall, return: nowMs(), input: { f: 'read' }, output: { value: seen } });
        if (seen === null || seen < value) staleReadCount++;
      }
      await delay(pauseMs);
    }
    return { model: 'register', operations, staleReadCount };
  } finally {
    await primary.end().catch(() => undefined);
    if (reader) await reader.end().catch(() => undefined);
  }
}
