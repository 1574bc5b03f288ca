/**
 * bench:strategies — the episode's performance table beside what our strategies measure.
 *
 * Every strategy of lib/bench/strategy-targets.ts on one placement (Mumbai, Delhi, Bangalore,
 * Chennai, Kolkata; the leader in Mumbai), YCSB workload A on 1000 Zipfian keys (θ 0.99),
 * open-loop Poisson load timed from each request's intended start, an offered-load sweep per
 * strategy, then runs at 50 % and 80 % of the saturation throughput (the 80 % run's history
 * goes through lib/check; multi-leader with siblings through its sibling-aware read check).
 * Capacity constants: data/bench-capacity.json. Then the banking engine on its own transfer
 * workload (snapshot isolation and serializable, synchronous standby in Delhi; refusals by
 * reason), judged by lib/check's ledger check, and two-phase commit across five regions' banks,
 * judged by its atomicity check. Then, in tables of their own: the flash-sale inventory strategies
 * on the same five regions (reservations/s, P95, oversold units from the inventory check; no
 * capacity model, so no saturation), and P95 under the constant, business-day and sale-spike load
 * shapes at one mean rate.
 *
 *   npm run bench:strategies [-- --seed 41 --workload A --duration-ms 1500]
 *
 * With --postgres, the same mix also runs open-loop against a real PostgreSQL primary with one
 * synchronous standby on loopback (FIRST 1), at synchronous_commit off / local / on / remote_apply:
 * the same sweep with bisection, P95 at 50 % and 80 % of saturation, the 80 % run's history
 * checked with reads at the primary and at the standby, and pgbench at the 80 % load beside it
 * (lib/lessons/07-strategy-benchmarks/real-postgres.ts). Loopback has no WAN latency.
 *
 * Writes artifacts/bench-strategies-seed-<seed>.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { STRATEGY_IDS, YcsbWorkload, ycsbMix } from '../lib/bench';
import {
  EPISODE_TABLE,
  INVENTORY_DURATION_MS,
  INVENTORY_ORDERS_PER_SEC,
  SHAPE_MEAN_OPS_PER_SEC,
  SHAPE_STRATEGIES,
  curvePoints,
  inventoryRows,
  loadShapeRows,
  measureBanking,
  measureInventory,
  measureLoadShapes,
  measureRealPostgres,
  measureStrategies,
  measureTwoPhaseCommit,
  realPostgresFindings,
  realPostgresRows,
  regionalP95,
  tableRows,
} from '../lib/lessons/07-strategy-benchmarks';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const seed = Number(arg('seed', '41'));
const workload = arg('workload', 'A') as YcsbWorkload;
const durationMs = Number(arg('duration-ms', '1500'));
const mix = ycsbMix(workload);
const started = process.hrtime.bigint();
console.log(`bench:strategies — seed ${seed}, YCSB ${workload} (${mix.description}), 1000 Zipfian keys (θ 0.99), ${durationMs} ms a run (20 % warm-up), open loop from intended start`);

const measurements = [
  ...measureStrategies({ seed, strategies: STRATEGY_IDS, workload, durationMs }),
  measureBanking({ seed, durationMs }),
  measureBanking({ seed, durationMs, isolation: 'serializable' }),
  measureTwoPhaseCommit({ seed, durationMs }),
];
const rows = tableRows(measurements);

console.log('\nThe episode claims:');
console.table(EPISODE_TABLE.map((c) => ({ pattern: c.pattern, 'ops/s': c.throughputOpsPerSec?.join('–'), 'P95 ms': c.latencyMsP95, consistency: c.consistency })));
console.log('\nMeasured (this run):');
console.table(
  rows.map((r) => ({
    strategy: r.strategy,
    'episode row': r.episodeRow,
    'claimed ops/s': r.claimedOpsPerSec,
    'saturation ops/s': r.saturationOpsPerSec,
    'claimed P95': r.claimedP95,
    'P95 ms @50%': r.p95MsAt50,
    'P95 ms @80%': r.p95MsAt80,
    claimed: r.claimedConsistency,
    observed: r.observedConsistency,
    'errors/timeouts @80%': `${r.errorsAt80}/${r.timeoutsAt80}${r.refusalsAt80 ? ` (${r.refusalsAt80})` : ''}`,
  })),
);
console.log('\nWhy:');
for (const r of rows) console.log(`  ${r.strategy}: ${r.why}`);
const regional = regionalP95(measurements);
console.log('\nP95 (ms) by client region at 80 % of saturation:');
console.table(Object.fromEntries(regional.strategies.map((s, i) => [s, Object.fromEntries(regional.regions.map((r, j) => [r, regional.p95Ms[i][j]]))])));

const inventory = measureInventory({ seed, ordersPerSec: INVENTORY_ORDERS_PER_SEC, durationMs: INVENTORY_DURATION_MS });
console.log(`\nFlash-sale inventory on the same five regions (40 variants × 10 units split equally; buyers at a constant rate for ${INVENTORY_DURATION_MS / 1000} s). No capacity model, so no saturation: the stock runs out first.`);
console.table(inventoryRows(inventory).map(({ saturation, ...r }) => r));

const SHAPE_DURATION_MS = 3000;
const shapes = measureLoadShapes({ seed, strategies: SHAPE_STRATEGIES, meanOpsPerSec: SHAPE_MEAN_OPS_PER_SEC, durationMs: SHAPE_DURATION_MS });
console.log(`\nLoad shapes at one mean rate (${SHAPE_MEAN_OPS_PER_SEC} ops/s over ${SHAPE_DURATION_MS / 1000} s, YCSB A, no warm-up), P95 ms:`);
console.table(loadShapeRows(shapes));

async function postgresRows(): Promise<unknown> {
  if (!process.argv.includes('--postgres')) return null;
  const pgStarted = process.hrtime.bigint();
  // Real runs take real time: 1 s each (20 % warm-up) keeps four levels' sweeps near a minute.
  const outcome = await measureRealPostgres({ seed, workload, durationMs: 1000, ratesPerSec: [500, 1000, 2000, 4000, 8000], refineSteps: 3, onRun: (line) => console.log(`  postgres ${line}`) });
  if (outcome.status === 'skipped') {
    console.log(`\nPostgreSQL row ${outcome.reason}`);
    return { skipped: outcome.reason };
  }
  console.log(`\nReal PostgreSQL ${outcome.version} on loopback (primary + one synchronous standby, FIRST 1, fsync on, ${outcome.connections} connections; no WAN: loopback round trips are microseconds):`);
  console.table(realPostgresRows(outcome));
  console.log(realPostgresFindings(outcome, measurements).replace(/\*\*/g, ''));
  console.log(`(PostgreSQL section: ${(Number(process.hrtime.bigint() - pgStarted) / 1e9).toFixed(1)} s)`);
  return {
    version: outcome.version,
    table: realPostgresRows(outcome),
    levels: outcome.rows.map((r) => ({ level: r.level, saturation: r.sweep.saturation, points: r.sweep.points, atHalf: r.sweep.atHalf, atEightyPercent: r.sweep.atEightyPercent, standbyReads: r.standbyReads, pgbench: r.pgbench })),
    wallSeconds: outcome.wallSeconds,
  };
}

void (async () => {
const postgres = await postgresRows();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const out = path.resolve(__dirname, '..', 'artifacts', `bench-strategies-seed-${seed}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  JSON.stringify(
    {
      seed,
      workload,
      durationMs,
      episodeTable: EPISODE_TABLE,
      table: rows,
      regionalP95: regional,
      curves: curvePoints(measurements),
      saturation: measurements.map((m) => ({ strategy: m.strategy, ...m.sweep.saturation, extrapolatedCapacityPerSec: m.extrapolatedCapacityPerSec })),
      consistency: measurements.map((m) => ({ strategy: m.strategy, ...m.sweep.atEightyPercent?.consistency })),
      inventory: inventory.map(({ check, ...r }) => ({ ...r, verdict: check.verdict, undersoldOrders: check.undersold.length, nonAtomicCarts: check.nonAtomicCarts.length })),
      loadShapes: shapes,
      postgres,
      wallSeconds: seconds,
    },
    null,
    2,
  ),
);
console.log(`\n${seconds.toFixed(1)} s wall; results in ${path.relative(process.cwd(), out)} (seed ${seed})`);
})();
