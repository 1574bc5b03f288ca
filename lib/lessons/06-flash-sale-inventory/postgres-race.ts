/** Notebook 06, section 6: the same race on one real PostgreSQL server (lib/postgres/stock-race.ts). */
import { STOCK_RACE_APPROACHES, StockRaceResult, runStockRace, stockRaceRows } from '../../postgres/stock-race';
import { LocalPgCluster } from '../../postgres/local-cluster';
import { postgresAvailability } from '../../postgres/binaries';

export interface PostgresRace {
  results: StockRaceResult[];
  rows: ReturnType<typeof stockRaceRows>;
  findings: string;
}

/** Starts a throwaway server on loopback, runs the three approaches one after another, stops it. */
export async function stockRaceOnPostgres(options: { clients?: number; ordersPerClient?: number; stock?: number } = {}): Promise<PostgresRace | { skipped: string }> {
  const pg = postgresAvailability();
  if (!pg.binaries) return { skipped: pg.reason };
  const cluster = await LocalPgCluster.start({ fsync: false });
  const results: StockRaceResult[] = [];
  try {
    for (const approach of STOCK_RACE_APPROACHES) results.push(await runStockRace(cluster, { approach, ...options }));
  } finally {
    await cluster.teardown();
  }
  const naive = results[0];
  const oversold = naive.verdict.violations.reduce((s, v) => s + v.oversoldUnits, 0);
  const findings = [
    `**Checker on PostgreSQL (read-then-write):** ${naive.verdict.summary}. ${naive.sold} buyers were told "sold" for ${naive.stock} units: ${oversold} oversold, while the database's own counter shows ${naive.finalQty} left (lost updates hide the oversell from it).`,
    ...results.slice(1).map((r) => `- ${r.approach}: ${r.sold} sold of ${r.stock}, ${r.verdict.verdict}; ${Math.round(r.ordersPerSec)} attempts/s, P95 ${r.latencyMsP95.toFixed(2)} ms.`),
  ].join('\n');
  return { results, rows: stockRaceRows(results), findings };
}
