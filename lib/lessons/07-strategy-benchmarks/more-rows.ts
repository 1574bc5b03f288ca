/**
 * Notebook 07, section 4 (continued): the rows that need a workload or a question of their own.
 *
 * - The flash-sale inventory strategies of notebook 06 on the benchmark's five regions
 *   (lib/bench's runInventoryBench): reservations per second, P95 time to a reservation and the
 *   units the inventory check finds oversold. They have no capacity model, so no saturation.
 * - Load shapes: the same mean rate offered constant, as a compressed business day and as a sale
 *   spike (lib/bench/load-shapes.ts), P95 per shape for a few strategies. A shape's peak is the
 *   mean ÷ its mean share, so the three runs offer the same number of requests.
 */
import { LOAD_SHAPES, LoadShape, StrategyId, YCSB_MIXES, meanShareOf, runInventoryBench, runOpenLoopBench, strategyTarget } from '../../bench';
import type { InventoryBenchResult } from '../../bench';
import { INVENTORY_STRATEGIES, InventoryStrategy } from '../../strategies';
import { checkNumber } from '../../sim';
import { DEFAULT_KEYS } from './strategy-table';

export function measureInventory(options: { seed: number; ordersPerSec: readonly number[]; durationMs: number; strategies?: readonly InventoryStrategy[] }): InventoryBenchResult[] {
  const strategies = options.strategies ?? INVENTORY_STRATEGIES;
  return options.ordersPerSec.flatMap((ordersPerSec) => strategies.map((strategy) => runInventoryBench({ seed: options.seed, strategy, ordersPerSec, durationMs: options.durationMs })));
}

export interface InventoryRow {
  strategy: string;
  'orders/s offered': number;
  'reservations/s': number;
  'reserve P50 (ms)': number | null;
  'reserve P95 (ms)': number | null;
  refused: string;
  timeouts: number;
  'units sold / stock': string;
  'oversold units': number;
  'inventory check': string;
  saturation: string;
}

export function inventoryRows(results: readonly InventoryBenchResult[]): InventoryRow[] {
  return results.map((r) => ({
    strategy: r.target,
    'orders/s offered': r.ordersPerSec,
    'reservations/s': +r.reservationsPerSec.toFixed(1),
    'reserve P50 (ms)': r.reserveMsP50,
    'reserve P95 (ms)': r.reserveMsP95,
    refused: Object.entries(r.refusedByReason).map(([reason, n]) => `${n} ${reason}`).join(', ') || '0',
    timeouts: r.timeouts,
    'units sold / stock': `${r.unitsSold} / ${r.stockUnits}`,
    'oversold units': r.oversoldUnits,
    'inventory check': r.check.verdict,
    saturation: 'none modelled: warehouses have no CPU, pool or disk queue in the harness; the stock runs out first',
  }));
}

export interface ShapeResult {
  strategy: StrategyId;
  name: string;
  shape: LoadShape;
  meanOpsPerSec: number;
  peakOpsPerSec: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  timeouts: number;
}

/** Each strategy under each load shape at the same mean rate (YCSB A, the benchmark's keys and placement). */
export function measureLoadShapes(options: { seed: number; strategies: readonly StrategyId[]; meanOpsPerSec: number; durationMs: number; shapes?: readonly LoadShape[] }): ShapeResult[] {
  const mean = checkNumber('measureLoadShapes meanOpsPerSec', options.meanOpsPerSec, { min: 1 });
  const shapes = options.shapes ?? LOAD_SHAPES;
  return options.strategies.flatMap((strategy) =>
    shapes.map((shape) => {
      const peak = mean / meanShareOf(shape);
      // No warm-up: the shape is the point, and the sale spike's quiet floor is its first 30 %.
      const r = runOpenLoopBench({ seed: options.seed, build: (sim) => strategyTarget(sim, strategy, { checkConsistency: false }), mix: YCSB_MIXES.A, ratePerSec: peak, shape, durationMs: options.durationMs, warmupMs: 0, keys: DEFAULT_KEYS });
      return { strategy, name: r.target, shape, meanOpsPerSec: mean, peakOpsPerSec: Math.round(peak), p50Ms: r.latency?.p50Ms ?? null, p95Ms: r.latency?.p95Ms ?? null, p99Ms: r.latency?.p99Ms ?? null, timeouts: r.timeouts };
    }),
  );
}

/** One row per strategy, one P95 column per shape. */
export function loadShapeRows(results: readonly ShapeResult[]): Array<Record<string, string | number | null>> {
  const names = [...new Set(results.map((r) => r.name))];
  return names.map((name) => {
    const row: Record<string, string | number | null> = { strategy: name };
    for (const r of results.filter((x) => x.name === name)) row[`P95 ms, ${r.shape} (peak ${r.peakOpsPerSec} ops/s)`] = r.p95Ms;
    return row;
  });
}
