/**
 * Jepsen's list-append workload on a real PostgreSQL, for the transactional checker. Each key is
 * a row holding an integer array; a transaction is 1–`opsPerTransactionMax` micro-operations,
 * each either a read of a key's whole list or an append of a value unique to that key, done with
 * PostgreSQL's own atomic `vals = vals || v` (as Jepsen's PostgreSQL tests do, so nothing is lost
 * by a client's read-modify-write; only the isolation level decides what transactions see).
 *
 * `clients` connections run transactions concurrently at the chosen isolation level. What each
 * client saw is recorded with its wall-clock call and return times and its outcome: committed;
 * aborted (PostgreSQL refused it — serialization failure, deadlock — counted by SQLSTATE); or
 * unknown (the connection failed during COMMIT). The micro-operations are drawn from a seeded
 * generator, so one seed gives the same workload (not the same interleaving: that is the
 * server's).
 */
import { Client } from 'pg';
import { Rng } from '../sim/rng';
import { OptionError, checkNumber } from '../util/option-error';
import { LocalPgCluster } from './local-cluster';

export const PG_ISOLATION_LEVELS = ['read committed', 'repeatable read', 'serializable'] as const;
export type PgIsolation = (typeof PG_ISOLATION_LEVELS)[number];

export interface ListAppendPgOptions {
  isolation: PgIsolation;
  seed: number;
  clients?: number;
  transactionsPerClient?: number;
  keyCount?: number;
  opsPerTransactionMax?: number;
  /** Server to run against. Default: the primary. */
  server?: string;
  table?: string;
}

export type PgMop = ['append', number, number] | ['r', number, number[] | null];
export interface PgTransactionRecord {
  process: number;
  callMs: number;
  returnMs: number | null;
  outcome: 'committed' | 'aborted' | 'unknown';
  ops: PgMop[];
  /** SQLSTATE of the refusal, e.g. 40001 (serialization failure), 40P01 (deadlock). */
  sqlState?: string;
}

export interface ListAppendPgHistory {
  workload: 'list-append';
  isolation: PgIsolation;
  seed: number;
  transactions: PgTransactionRecord[];
  committedCount: number;
  abortedCount: number;
  unknownCount: number;
  /** Refusals by SQLSTATE. */
  abortsBySqlState: Record<string, number>;
  elapsedMs: number;
}

export async function recordListAppendHistory(cluster: LocalPgCluster, options: ListAppendPgOptions): Promise<ListAppendPgHistory> {
  if (!PG_ISOLATION_LEVELS.includes(options.isolation)) {
    throw new OptionError(`isolation: got ${JSON.stringify(options.isolation)}; allowed: ${PG_ISOLATION_LEVELS.map((l) => JSON.stringify(l)).join(' | ')}`);
  }
  const seed = checkNumber('seed', options.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
  const clients = checkNumber('clients', options.clients ?? 6, { integer: true, min: 1, max: 64 });
  const perClient = checkNumber('transactionsPerClient', options.transactionsPerClient ?? 40, { integer: true, min: 1, max: 10_000 });
  const keyCount = checkNumber('keyCount', options.keyCount ?? 4, { integer: true, min: 1, max: 1000 });
  const opsMax = checkNumber('opsPerTransactionMax', options.opsPerTransactionMax ?? 4, { integer: true, min: 1, max: 20 });
  const table = options.table ?? 'workbook_append';
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new OptionError(`table: got ${JSON.stringify(table)}; allowed: a lowercase SQL identifier`);
  const server = options.server ?? cluster.primaryName;

  const setup = await cluster.connect(server);
  try {
    await setup.query(`DROP TABLE IF EXISTS ${table}`);
    await setup.query(`CREATE TABLE ${table} (k int PRIMARY KEY, vals int[] NOT NULL DEFAULT '{}')`);
    await setup.query(`INSERT INTO ${table} (k) SELECT generate_series(0, $1::int - 1)`, [keyCount]);
  } finally {
    await setup.end();
  }
  // The workload: every transaction's micro-ops, drawn up front from the seed.
  const rng = new Rng(seed);
  const nextValue = new Array<number>(keyCount).fill(0);
  const plans: PgMop[][][] = [];
  for (let c = 0; c < clients; c++) {
    const mine: PgMop[][] = [];
    for (let t = 0; t < perClient; t++) {
      const n = rng.int(1, opsMax);
      const mops: PgMop[] = [];
      for (let i = 0; i < n; i++) {
        const k = rng.int(0, keyCount - 1);
        mops.push(rng.chance(0.5) ? ['r', k, null] : ['append', k, (nextValue[k] += 1)]);
      }
      mine.push(mops);
    }
    plans.push(mine);
  }
  const origin = process.hrtime.bigint();
  const nowMs = () => Number(process.hrtime.bigint() - origin) / 1e6;
  const transactions: PgTransactionRecord[] = [];
  const connections: Client[] = [];
  try {
    for (let c = 0; c < clients; c++) {
      const db = await cluster.connect(server);
      // Deadlocks between appenders are found after deadlock_timeout (1 s by default); a short
      // one keeps a run to seconds. Superuser-only: a plain user keeps the server's setting.
      await db.query(`SET deadlock_timeout = '50ms'`).catch(() => undefined);
      connections.push(db);
    }
    await Promise.all(connections.map(async (db, process) => {
      for (const plan of plans[process]) {
        const callMs = nowMs();
        const ops: PgMop[] = [];
        let phase: 'body' | 'commit' = 'body';
        try {
          await db.query(`BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
          for (const mop of plan) {
            if (mop[0] === 'r') {
              const rows = (await db.query(`SELECT vals FROM ${table} WHERE k = $1`, [mop[1]])).rows as Array<{ vals: number[] }>;
              ops.push(['r', mop[1], rows[0]?.vals ?? []]);
            } else {
              await db.query(`UPDATE ${table} SET vals = vals || $2::int WHERE k = $1`, [mop[1], mop[2]]);
              ops.push(mop);
            }
          }
          phase = 'commit';
          await db.query('COMMIT');
          transactions.push({ process, callMs, returnMs: nowMs(), outcome: 'committed', ops });
        } catch (error) {
          const sqlState = (error as { code?: string }).code;
          try {
            await db.query('ROLLBACK');
          } catch {
            // The connection is gone; the transaction's fate is what matters here.
          }
          // A refusal with a SQLSTATE certainly did not commit; a lost connection during COMMIT might have.
          const unknown = phase === 'commit' && sqlState === undefined;
          const attempted = unknown ? plan : ops.concat(plan.slice(ops.length).filter((m) => m[0] === 'append'));
          transactions.push({
            process, callMs, returnMs: unknown ? null : nowMs(), outcome: unknown ? 'unknown' : 'aborted',
            ops: attempted.map((m) => (m[0] === 'r' && unknown ? ['r', m[1], null] : m)) as PgMop[],
            ...(sqlState ? { sqlState } : {}),
          });
          if (unknown) return; // A process whose outcome is unknown is retired, as in Jepsen.
        }
      }
    }));
  } finally {
    await Promise.all(connections.map((c) => c.end().catch(() => undefined)));
  }
  const abortsBySqlState: Record<string, number> = {};
  for (const t of transactions) if (t.outcome === 'aborted') abortsBySqlState[t.sqlState ?? 'none'] = (abortsBySqlState[t.sqlState ?? 'none'] ?? 0) + 1;
  return {
    workload: 'list-append',
    isolation: options.isolation,
    seed,
    transactions,
    committedCount: transactions.filter((t) => t.outcome === 'committed').length,
    abortedCount: transactions.filter((t) => t.outcome === 'aborted').length,
    unknownCount: transactions.filter((t) => t.outcome === 'unknown').length,
    abortsBySqlState,
    elapsedMs: nowMs(),
  };
}
