/** Notebook 06, sections 1–4: one sale per strategy and fault, judged by the inventory checker. */
import { Simulation, checkNumber, checkOneOf, scheduleFaults } from '../../sim';
import { percentileOfSorted, sortedCopy } from '../../stats/percentiles';
import type { InventoryCheckResult } from '../../check/inventory-check';
import { DEFAULT_TIMING, INVENTORY_STRATEGIES, InventoryCluster, InventoryStrategy, InventoryTiming, inventoryCluster } from '../../strategies/inventory';
import { BURST, FAULT_NAMES, FaultName, REGIONS, RUN_MS, SALE_DURATION_MS, SEED, UNITS_PER_VARIANT, faultsFor, saleCatalogue, saleOrders, saleStock } from './scenario';

export interface SaleRunOptions {
  strategy: InventoryStrategy;
  fault?: FaultName;
  seed?: number;
  timing?: Partial<InventoryTiming>;
  /** How long to simulate, ms (default RUN_MS): holds must have time to end before the checker judges. */
  runMs?: number;
}

export interface SaleRun {
  strategy: InventoryStrategy;
  fault: FaultName;
  seed: number;
  cluster: InventoryCluster;
  result: InventoryCheckResult;
  /** True when the run used the default timing and length (so saleMatrix may reuse it). */
  defaultTiming: boolean;
}

/** One sale: the scenario's catalogue, stock and buyers, one strategy, one fault. */
export function runSale(options: SaleRunOptions): SaleRun {
  const strategy = checkOneOf('runSale strategy', options.strategy, INVENTORY_STRATEGIES);
  const fault = checkOneOf('runSale fault', options.fault ?? 'none', FAULT_NAMES);
  const seed = options.seed ?? SEED;
  const catalogue = saleCatalogue();
  const sim = new Simulation({ seed });
  const cluster = inventoryCluster({ sim, strategy, catalogue, stock: saleStock(catalogue), timing: options.timing });
  cluster.place(saleOrders(seed, catalogue));
  scheduleFaults(sim, faultsFor(fault));
  sim.run(checkNumber('runSale runMs', options.runMs ?? RUN_MS, { min: SALE_DURATION_MS }));
  return { strategy, fault, seed, cluster, result: cluster.check(), defaultTiming: options.timing === undefined && options.runMs === undefined };
}

/** Every strategy under every fault (9 sales); runs already made (same seed, default timing) are reused, not repeated. */
export function saleMatrix(seed = SEED, reuse: readonly SaleRun[] = [], strategies: readonly InventoryStrategy[] = INVENTORY_STRATEGIES, faults: readonly FaultName[] = FAULT_NAMES): SaleRun[] {
  return strategies.flatMap((strategy) => faults.map((fault) => reuse.find((r) => r.strategy === strategy && r.fault === fault && r.seed === seed && r.defaultTiming) ?? runSale({ strategy, fault, seed })));
}

/** Time from the buyer's request to "reserved", ms, for accepted orders. */
export function reserveLatenciesMs(run: SaleRun, region?: string): number[] {
  return run.cluster.log.orders.filter((o) => o.reserve === 'reserved' && (region === undefined || o.region === region)).map((o) => o.answeredAtMs! - o.requestAtMs);
}

function p(values: number[], q: number): number {
  return values.length === 0 ? NaN : +percentileOfSorted(sortedCopy(values), q).toFixed(1);
}

/** Median sell-out time of the variants that sold out, s. */
export function medianSellOutSec(run: SaleRun): number | null {
  const times = run.result.sellOut.filter((s) => s.soldOutAtMs !== null).map((s) => s.soldOutAtMs!);
  return times.length === 0 ? null : +(p(times, 50) / 1000).toFixed(2);
}

/** The checker's verdict and the measures of each sale, one row per run. */
export function verdictRows(runs: readonly SaleRun[]) {
  return runs.map((run) => {
    const r = run.result;
    const lat = reserveLatenciesMs(run);
    return {
      strategy: run.strategy,
      fault: run.fault,
      verdict: r.verdict,
      'oversold units': r.oversoldUnits,
      'variants oversold': r.oversell.length,
      'carts not atomic': r.nonAtomicCarts.length,
      'holds unresolved': r.unresolvedHolds.length,
      'orders undersold': r.undersold.length,
      'units sold': r.unitsSold,
      'variants sold out': r.sellOut.filter((s) => s.soldOutAtMs !== null).length,
      'median sell-out (s)': medianSellOutSec(run),
      'reserve P50 (ms)': p(lat, 50),
      'reserve P95 (ms)': p(lat, 95),
      'rights transfers': run.cluster.log.transfers.length,
    };
  });
}

/** Cumulative units sold per buyer region, sampled every binMs (for "units sold over time"). */
export function unitsSoldSeries(run: SaleRun, binMs = 250) {
  const regionOf = new Map(run.cluster.log.orders.map((o) => [o.orderId, o.region]));
  const sells = run.cluster.log.stockEvents.filter((e) => e.kind === 'sell').sort((a, b) => a.timeMs - b.timeMs);
  const rows: Array<{ timeSec: number; region: string; unitsSold: number }> = [];
  const total = Object.fromEntries(REGIONS.map((r) => [r, 0]));
  let i = 0;
  for (let t = 0; t <= RUN_MS; t += binMs) {
    for (; i < sells.length && sells[i].timeMs <= t; i++) total[regionOf.get(sells[i].orderId)!] += sells[i].units;
    for (const region of REGIONS) rows.push({ timeSec: t / 1000, region, unitsSold: total[region] });
  }
  return rows;
}

/** P95 time to a reservation per buyer region and strategy. */
export function latencyByRegion(runs: readonly SaleRun[]) {
  return runs.flatMap((run) => REGIONS.map((region) => ({ strategy: `${run.strategy} (${run.fault})`, region, reserveMsP95: p(reserveLatenciesMs(run, region), 95) })));
}

/** Oversold units and undersold orders per strategy and fault, long form for a grouped bar chart. */
export function oversellUndersell(runs: readonly SaleRun[]) {
  return runs.flatMap((run) => [
    { run: `${run.strategy} · ${run.fault}`, measure: 'oversold units', count: run.result.oversoldUnits },
    { run: `${run.strategy} · ${run.fault}`, measure: 'undersold orders', count: run.result.undersold.length },
  ]);
}

/** Units of rights moved per binMs, by kind (on-demand, rebalance). */
export function transferSeries(run: SaleRun, binMs = 250, untilMs = 8000) {
  const rows: Array<{ timeSec: number; kind: string; units: number }> = [];
  for (const kind of ['on-demand', 'rebalance'] as const) {
    for (let t = 0; t < untilMs; t += binMs) {
      const units = run.cluster.log.transfers.filter((x) => x.kind === kind && x.timeMs >= t && x.timeMs < t + binMs).reduce((s, x) => s + x.units, 0);
      rows.push({ timeSec: t / 1000, kind, units });
    }
  }
  return rows;
}

/** Sell-out time of the hottest variants, one row per variant and run (for "time to sell out with and without a partition"). */
export function sellOutRows(runs: readonly SaleRun[], variants = 8) {
  const hottest = runs[0].result.sellOut.slice().sort((a, b) => (a.soldOutAtMs ?? Infinity) - (b.soldOutAtMs ?? Infinity)).slice(0, variants).map((s) => s.sku);
  return runs.flatMap((run) => hottest.map((sku) => {
    const s = run.result.sellOut.find((x) => x.sku === sku)!;
    return { sku, run: `${run.strategy} · ${run.fault}`, soldOutSec: s.soldOutAtMs === null ? (RUN_MS / 1000) : +(s.soldOutAtMs / 1000).toFixed(2), soldOut: s.soldOutAtMs !== null };
  }));
}

/** Orders arriving per second in each region, per binMs (the burst at T0 and its decay). */
export function arrivalSeries(seed = SEED, binMs = 250) {
  const orders = saleOrders(seed);
  const rows: Array<{ timeSec: number; region: string; ordersPerSec: number }> = [];
  for (let t = 0; t < SALE_DURATION_MS; t += binMs) {
    for (const region of REGIONS) {
      const n = orders.filter((o) => o.region === region && o.atMs >= t && o.atMs < t + binMs).length;
      rows.push({ timeSec: t / 1000, region, ordersPerSec: (n * 1000) / binMs });
    }
  }
  return rows;
}

/** The scenario in one line, with every number the notebook's prose quotes about it. */
export function scenarioLine(seed = SEED): string {
  const catalogue = saleCatalogue();
  const orders = saleOrders(seed, catalogue);
  const units = orders.reduce((s, o) => s + o.lines.reduce((a, l) => a + l.units, 0), 0);
  const stock = saleStock(catalogue);
  const perRegion = REGIONS.map((r) => `${r} ${Object.values(stock[r]).reduce((a, b) => a + b, 0)}`).join(', ');
  return `seed ${seed}: ${catalogue.length} variants × ${UNITS_PER_VARIANT} units = ${catalogue.length * UNITS_PER_VARIANT} units (${perRegion}); ${orders.length} orders asking for ${units} units in ${SALE_DURATION_MS / 1000} s, ${orders.filter((o) => o.atMs < 1000).length} of them in the first second; burst ${BURST.peakPerSec} orders/s decaying with a ${BURST.decayMs} ms time constant to ${BURST.basePerSec} orders/s (the episode's 50,000/s scaled down ${Math.round(50_000 / BURST.peakPerSec)}×); ${orders.filter((o) => o.intent === 'abandons').length} carts abandoned; hold TTL ${DEFAULT_TIMING.holdTtlMs} ms, escrow rights timeout ${DEFAULT_TIMING.rightsTimeoutMs} ms; runs last ${RUN_MS / 1000} s.`;
}
