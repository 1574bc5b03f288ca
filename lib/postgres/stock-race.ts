/**
 * The flash-sale race on one real PostgreSQL server: `clients` connections buy the last units of
 * one hot SKU at once, each making `ordersPerClient` attempts, in one of three ways.
 *
 * - read-then-write: BEGIN (READ COMMITTED); SELECT qty; if qty ≥ 1, UPDATE … SET qty = (the
 *   value read − 1); COMMIT. Two buyers read the same qty and both write qty − 1: a lost update,
 *   and more orders are told "sold" than there were units. The database's counter never goes
 *   negative, so only the record of orders shows the oversell: checkStockInvariant judges it.
 * - guarded-update: one statement, `UPDATE … SET qty = qty - 1 WHERE sku = $1 AND qty >= 1`.
 *   PostgreSQL re-checks the WHERE on the latest row version after waiting for the row lock, so it
 *   cannot oversell; every buyer queues on the one hot row.
 * - skip-locked: one row per unit; `SELECT … WHERE NOT sold LIMIT 1 FOR UPDATE SKIP LOCKED`, then
 *   mark it sold. Buyers take different rows instead of queueing on one.
 *
 * Each attempt's latency is measured on the wall clock; orders/s is attempts over elapsed time.
 */
import { Client } from 'pg';
import { OptionError, checkNumber } from '../util/option-error';
import { percentileOfSorted, sortedCopy } from '../stats/percentiles';
import { checkStockInvariant, StockInvariantResult } from '../check/stock-invariant';
import { LocalPgCluster } from './local-cluster';

export const STOCK_RACE_APPROACHES = ['read-then-write', 'guarded-update', 'skip-locked'] as const;
export type StockRaceApproach = (typeof STOCK_RACE_APPROACHES)[number];

export interface StockRaceOptions {
  approach: StockRaceApproach;
  /** Concurrent buyers (connections). Default 16. */
  clients?: number;
  /** Attempts per buyer. Default 10. */
  ordersPerClient?: number;
  /** Units of the hot SKU at the start. Default 40. */
  stock?: number;
  server?: string;
}

export interface StockRaceResult {
  approach: StockRaceApproach;
  clients: number;
  stock: number;
  attempts: number;
  /** Orders told "sold". */
  sold: number;
  refused: number;
  /** Attempts PostgreSQL refused with an error, by SQLSTATE. */
  errorsBySqlState: Record<string, number>;
  /** What the database says is left. */
  finalQty: number;
  verdict: StockInvariantResult;
  elapsedMs: number;
  ordersPerSec: number;
  latencyMsP50: number;
  latencyMsP95: number;
}

const SKU = 'kurta-01/blue/M';

async function prepare(db: Client, approach: StockRaceApproach, stock: number): Promise<void> {
  await db.query('DROP TABLE IF EXISTS workbook_stock, workbook_stock_units');
  if (approach === 'skip-locked') {
    await db.query('CREATE TABLE workbook_stock_units (unit_id int PRIMARY KEY, sku text NOT NULL, sold boolean NOT NULL DEFAULT false)');
    await db.query('INSERT INTO workbook_stock_units (unit_id, sku) SELECT g, $1 FROM generate_series(1, $2::int) g', [SKU, stock]);
  } else {
    await db.query('CREATE TABLE workbook_stock (sku text PRIMARY KEY, qty int NOT NULL)');
    await db.query('INSERT INTO workbook_stock VALUES ($1, $2)', [SKU, stock]);
  }
}

/** One purchase attempt; true when the buyer is told "sold". */
async function buyOnce(db: Client, approach: StockRaceApproach): Promise<boolean> {
  if (approach === 'guarded-update') {
    const r = await db.query('UPDATE workbook_stock SET qty = qty - 1 WHERE sku = $1 AND qty >= 1', [SKU]);
    return r.rowCount === 1;
  }
  await db.query('BEGIN ISOLATION LEVEL READ COMMITTED');
  try {
    let sold = false;
    if (approach === 'read-then-write') {
      const qty = (await db.query('SELECT qty FROM workbook_stock WHERE sku = $1', [SKU])).rows[0].qty as number;
      if (qty >= 1) {
        await db.query('UPDATE workbook_stock SET qty = $2 WHERE sku = $1', [SKU, qty - 1]);
        sold = true;
      }
    } else {
      const row = (await db.query('SELECT unit_id FROM workbook_stock_units WHERE sku = $1 AND NOT sold LIMIT 1 FOR UPDATE SKIP LOCKED', [SKU])).rows[0] as { unit_id: number } | undefined;
      if (row) {
        await db.query('UPDATE workbook_stock_units SET sold = true WHERE unit_id = $1', [row.unit_id]);
        sold = true;
      }
    }
    await db.query('COMMIT');
    return sold;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export async function runStockRace(cluster: LocalPgCluster, options: StockRaceOptions): Promise<StockRaceResult> {
  if (!STOCK_RACE_APPROACHES.includes(options.approach)) {
    throw new OptionError(`runStockRace approach: got ${JSON.stringify(options.approach)}; allowed: ${STOCK_RACE_APPROACHES.join(' | ')}`);
  }
  const approach = options.approach;
  const clients = checkNumber('runStockRace clients', options.clients ?? 16, { integer: true, min: 1, max: 40 });
  const perClient = checkNumber('runStockRace ordersPerClient', options.ordersPerClient ?? 10, { integer: true, min: 1, max: 10_000 });
  const stock = checkNumber('runStockRace stock', options.stock ?? 40, { integer: true, min: 0, max: 1_000_000 });
  const server = options.server ?? cluster.primaryName;

  const setup = await cluster.connect(server);
  try {
    await prepare(setup, approach, stock);
  } finally {
    await setup.end();
  }
  const connections: Client[] = [];
  const sales: Array<{ timeMs: number; site: string; sku: string; sold: boolean }> = [];
  const latencies: number[] = [];
  const errorsBySqlState: Record<string, number> = {};
  const origin = process.hrtime.bigint();
  const nowMs = () => Number(process.hrtime.bigint() - origin) / 1e6;
  let startMs = 0;
  try {
    for (let c = 0; c < clients; c++) connections.push(await cluster.connect(server));
    startMs = nowMs();
    await Promise.all(connections.map(async (db, c) => {
      for (let i = 0; i < perClient; i++) {
        const callMs = nowMs();
        try {
          const sold = await buyOnce(db, approach);
          sales.push({ timeMs: nowMs(), site: `client-${c}`, sku: SKU, sold });
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'none';
          errorsBySqlState[code] = (errorsBySqlState[code] ?? 0) + 1;
        }
        latencies.push(nowMs() - callMs);
      }
    }));
  } finally {
    await Promise.all(connections.map((c) => c.end().catch(() => undefined)));
  }
  const elapsedMs = nowMs() - startMs;
  const check = await cluster.connect(server);
  let finalQty: number;
  try {
    finalQty = approach === 'skip-locked'
      ? Number((await check.query('SELECT count(*) AS n FROM workbook_stock_units WHERE NOT sold')).rows[0].n)
      : Number((await check.query('SELECT qty FROM workbook_stock WHERE sku = $1', [SKU])).rows[0].qty);
  } finally {
    await check.end();
  }
  const sorted = sortedCopy(latencies);
  const sold = sales.filter((s) => s.sold).length;
  return {
    approach, clients, stock,
    attempts: clients * perClient,
    sold,
    refused: sales.length - sold,
    errorsBySqlState,
    finalQty,
    verdict: checkStockInvariant(sales, { [SKU]: stock }),
    elapsedMs,
    ordersPerSec: (clients * perClient * 1000) / elapsedMs,
    latencyMsP50: percentileOfSorted(sorted, 50),
    latencyMsP95: percentileOfSorted(sorted, 95),
  };
}

/** One row per approach for a table: the checker's verdict beside throughput and latency. */
export function stockRaceRows(results: readonly StockRaceResult[]) {
  return results.map((r) => ({
    approach: r.approach,
    buyers: r.clients,
    'units in stock': r.stock,
    'orders told sold': r.sold,
    'oversold (checker)': r.verdict.violations.reduce((s, v) => s + v.oversoldUnits, 0),
    'qty left in the database': r.finalQty,
    'orders/s': Math.round(r.ordersPerSec),
    'P50 (ms)': +r.latencyMsP50.toFixed(2),
    'P95 (ms)': +r.latencyMsP95.toFixed(2),
  }));
}
