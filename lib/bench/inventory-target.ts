/**
 * The flash-sale inventory strategies (lib/strategies/inventory: a home region per SKU, CRDT
 * stock, escrow rights) as benchmark rows, on the benchmark's placement: a warehouse and the
 * buyers of each of Mumbai, Delhi, Bangalore, Chennai and Kolkata, the stock of every variant
 * split equally between them. Buyers arrive open-loop at a constant rate (lib/workload's
 * flash-sale orders: Zipf demand over style × colour × size, carts of one to three variants, a
 * quarter abandoned), each timed from its arrival to the answer. A sale is its own workload, like
 * a transfer, so these rows sit in a table of their own.
 *
 * There is no capacity model here: the warehouses have no CPU, pool or disk queue in the
 * harness, so nothing saturates and there is no saturation throughput to report. What limits a
 * sale is the stock: once the hot variants are gone, orders are refused as sold out. The rows
 * report what the strategies really differ in: how fast a reservation is answered (a round trip
 * to a home, a local decision, or a wait for rights) and whether the inventory check in lib/check
 * finds units sold that did not exist.
 */
import { OptionError, Simulation, checkKnownKeys, checkNumber, checkOneOf } from '../sim';
import { percentileOfSorted, sortedCopy } from '../stats/percentiles';
import type { InventoryCheckResult } from '../check';
import { INVENTORY_STRATEGIES, InventoryStrategy, inventoryCluster, splitStock } from '../strategies';
import { flashSaleCatalogue, flashSaleOrders } from '../workload';
import { BENCH_REGIONS } from './strategy-targets';

export interface InventoryBenchOptions {
  seed: number;
  strategy: InventoryStrategy;
  /** Buyers arriving per second, over all regions (constant). */
  ordersPerSec: number;
  /** How long buyers arrive, ms of simulated time. */
  durationMs: number;
  /** Units of each of the 40 variants, split equally between the five warehouses; default 10. */
  unitsPerVariant?: number;
}

export interface InventoryBenchResult {
  seed: number;
  strategy: InventoryStrategy;
  target: string;
  ordersPerSec: number;
  durationMs: number;
  orders: number;
  /** Reservations accepted per second of the run. */
  reservationsPerSec: number;
  reserved: number;
  /** Refusals by the reason the warehouse gave ("sold-out", "home-unreachable", ...). */
  refusedByReason: Record<string, number>;
  timeouts: number;
  /** Time from a buyer's request to "reserved", ms. */
  reserveMsP50: number | null;
  reserveMsP95: number | null;
  /** Units sold beyond the stock, as lib/check's inventory check counts them. */
  oversoldUnits: number;
  unitsSold: number;
  stockUnits: number;
  check: InventoryCheckResult;
}

const KEYS = ['seed', 'strategy', 'ordersPerSec', 'durationMs', 'unitsPerVariant'];
const NAMES: Record<InventoryStrategy, string> = {
  'home-region': 'home region per SKU (forward to the home, wait for its vote)',
  crdt: 'CRDT stock (PN-Counter per variant, sell on the local view)',
  escrow: 'escrow rights (bounded counter, move rights on demand)',
};

/** One sale on the benchmark placement; holds get time to end before the checker judges. */
export function runInventoryBench(options: InventoryBenchOptions): InventoryBenchResult {
  checkKnownKeys('runInventoryBench', options, KEYS);
  const strategy = checkOneOf('runInventoryBench strategy', options.strategy, INVENTORY_STRATEGIES);
  const ordersPerSec = checkNumber('runInventoryBench ordersPerSec', options.ordersPerSec, { min: 0.001, max: 100_000 });
  const durationMs = checkNumber('runInventoryBench durationMs', options.durationMs, { min: 100 });
  const unitsPerVariant = checkNumber('runInventoryBench unitsPerVariant', options.unitsPerVariant ?? 10, { integer: true, min: 0 });
  if (!Number.isInteger(options.seed)) throw new OptionError(`runInventoryBench seed: got ${options.seed}; allowed: an integer`);
  const sim = new Simulation({ seed: options.seed });
  const catalogue = flashSaleCatalogue({ styles: 4 });
  const regions = [...BENCH_REGIONS];
  const stock = splitStock(catalogue, regions, unitsPerVariant);
  const cluster = inventoryCluster({ sim, strategy, catalogue, stock });
  const startMs = 200;
  const orders = flashSaleOrders({ seed: options.seed, catalogue, regions, startMs, durationMs, peakPerSec: 0, basePerSec: ordersPerSec });
  cluster.place(orders);
  // Every hold must end (paid, cancelled or expired) before the check: the hold TTL plus the buyers' payment retries.
  sim.run(startMs + durationMs + cluster.timing.holdTtlMs + cluster.timing.homeGraceMs + 4 * cluster.timing.requestTimeoutMs);

  const check = cluster.check();
  const log = cluster.log.orders;
  const reservedOrders = log.filter((o) => o.reserve === 'reserved');
  const latencies = sortedCopy(reservedOrders.map((o) => (o.answeredAtMs as number) - o.requestAtMs));
  const refusedByReason: Record<string, number> = {};
  for (const o of log) if (o.reserve === 'refused') refusedByReason[o.reason ?? 'unknown'] = (refusedByReason[o.reason ?? 'unknown'] ?? 0) + 1;
  const at = (q: number): number | null => (latencies.length === 0 ? null : +percentileOfSorted(latencies, q).toFixed(1));
  return {
    seed: options.seed,
    strategy,
    target: NAMES[strategy],
    ordersPerSec,
    durationMs,
    orders: log.length,
    reservationsPerSec: reservedOrders.length / (durationMs / 1000),
    reserved: reservedOrders.length,
    refusedByReason,
    timeouts: log.filter((o) => o.reserve === 'timeout').length,
    reserveMsP50: at(50),
    reserveMsP95: at(95),
    oversoldUnits: check.oversoldUnits,
    unitsSold: check.unitsSold,
    stockUnits: Object.values(cluster.initialStock).reduce((a, b) => a + b, 0),
    check,
  };
}
