import { PNCounter, PNCounterState } from '../../crdt';
import { OptionError, Rng, Simulation, checkNumber } from '../../sim';
import { poissonArrivalTimesMs } from '../../workload';
import { ANTI_ENTROPY_MESSAGE_TYPES } from './eventual-metrics';
import { EventualStore, EventualStoreOptions, eventualStore } from './eventual-store';
import { AntiEntropyMode } from './crdt-replica-node';
import { convergenceDelayMs, sampleEvery } from '../../sim';
import { percentile } from '../../stats';

/**
 * The experiments of notebook 03: Flipkart-style stock counters (one PN-Counter per SKU)
 * in five warehouses. Each function takes a seed, runs one or more simulations and
 * returns plain records.
 */
export const WAREHOUSE_REGIONS: readonly string[] = ['mumbai', 'delhi', 'bangalore', 'chennai', 'kolkata'];
/** The partition of the lessons: the north and east cut off from the west and south. */
export const NORTH_EAST: readonly string[] = ['delhi', 'kolkata'];
export const WEST_SOUTH: readonly string[] = ['mumbai', 'bangalore', 'chennai'];

export type StockStore = EventualStore<PNCounterState, number>;

/** One order as the warehouse saw it. */
export interface SaleRecord {
  timeMs: number;
  warehouse: string;
  sku: string;
  /** 'sold' (local stock was ≥ 1, decremented), 'out-of-stock' (local stock ≤ 0), 'unavailable' (warehouse down). */
  outcome: 'sold' | 'out-of-stock' | 'unavailable';
  /** The stock this warehouse believed it had before the order. */
  localStockBefore: number;
}

/**
 * An order for one unit at a warehouse: it checks its OWN replica's stock and sells if
 * it shows at least one unit. That local check is all an eventually consistent store can
 * offer — which is exactly how it oversells during a partition.
 */
export function sellOne(store: StockStore, warehouse: string, sku: string, sales: SaleRecord[]): SaleRecord['outcome'] {
  const before = store.localValue(warehouse, sku);
  let outcome: SaleRecord['outcome'];
  if (store.sim.node(warehouse).behaviour === null) outcome = 'unavailable';
  else if ((before ?? 0) >= 1) {
    store.update(warehouse, sku, (state, id) => PNCounter.decrement(state, id, 1));
    outcome = 'sold';
  } else outcome = 'out-of-stock';
  sales.push({ timeMs: store.sim.nowMs(), warehouse, sku, outcome, localStockBefore: before ?? 0 });
  return outcome;
}

/** The median of a non-empty list: lib/stats's nearest-rank P50 (one of the measured values). */
function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The store's own settings pass straight through to eventualStore (see its options for defaults). */
type StoreSettings = Pick<
  EventualStoreOptions<PNCounterState, number>,
  'gossipIntervalMs' | 'fanout' | 'antiEntropy' | 'merkleBranching' | 'merkleDepth' | 'pushOnWrite' | 'hintedHandoff'
>;

export interface StockPartitionOptions extends StoreSettings {
  seed: number;
  /** SKUs in the catalogue. Default 20. */
  skuCount?: number;
  /** Orders go to the first hotSkuCount SKUs only (a sale); default all SKUs. */
  hotSkuCount?: number;
  /** Units of each SKU stocked at the start. Default 20. */
  initialStock?: number;
  ordersPerSecondPerWarehouse?: number;
  /** When the country splits, ms. Default 1000. */
  partitionAtMs?: number;
  /** How long it stays split, ms. Default 5000; 0: no partition. */
  partitionMs?: number;
  /** Orders stop at the heal (default), so convergence time measures anti-entropy alone. */
  ordersUntilMs?: number;
  /** How long to run after the heal, ms. Default 5000. */
  settleMs?: number;
  /** Sample divergence every ... ms (0: do not sample). Default 50. */
  divergenceEveryMs?: number;
  /** Check convergence every ... ms. Default 5. */
  convergenceEveryMs?: number;
}

export interface StockPartitionResult {
  seed: number;
  healAtMs: number;
  /** ms after the heal until all five warehouses held identical stock states; null: not within the run. */
  convergenceMs: number | null;
  divergence: Array<{ timeMs: number; staleReplicaKeys: number; divergentKeys: number }>;
  sales: SaleRecord[];
  /** Per SKU that saw orders: stock at the start, units sold, final stock, units oversold. */
  stock: Array<{ sku: string; initialStock: number; unitsSold: number; finalStock: number; oversoldUnits: number }>;
  /** Bytes of anti-entropy messages, and of all replication messages. */
  antiEntropyBytes: number;
  totalBytes: number;
  store: StockStore;
  sim: Simulation;
}

/**
 * Five warehouses hold the stock of `skuCount` SKUs. At partitionAtMs the country splits
 * into north-east (Delhi, Kolkata) and west-south (Mumbai, Bangalore, Chennai); both
 * sides keep selling from their local replicas; at the heal the orders stop and
 * anti-entropy (and pushes, hints) bring the replicas together.
 */
export function stockPartitionExperiment(options: StockPartitionOptions): StockPartitionResult {
  const skuCount = checkNumber('stockPartitionExperiment skuCount', options.skuCount ?? 20, { integer: true, min: 1, max: 100_000 });
  const hotSkuCount = checkNumber('stockPartitionExperiment hotSkuCount', options.hotSkuCount ?? skuCount, { integer: true, min: 1, max: skuCount });
  const initialStock = checkNumber('stockPartitionExperiment initialStock', options.initialStock ?? 20, { integer: true, min: 1 });
  const rate = checkNumber('stockPartitionExperiment ordersPerSecondPerWarehouse', options.ordersPerSecondPerWarehouse ?? 4, { min: 0, max: 10_000 });
  const partitionAtMs = checkNumber('stockPartitionExperiment partitionAtMs', options.partitionAtMs ?? 1000, { min: 200 });
  const partitionMs = checkNumber('stockPartitionExperiment partitionMs', options.partitionMs ?? 5000, { min: 0 });
  const healAtMs = partitionAtMs + partitionMs;
  const ordersUntilMs = checkNumber('stockPartitionExperiment ordersUntilMs', options.ordersUntilMs ?? healAtMs, { min: partitionAtMs });
  const settleMs = checkNumber('stockPartitionExperiment settleMs', options.settleMs ?? 5000, { min: 0 });
  const divergenceEveryMs = checkNumber('stockPartitionExperiment divergenceEveryMs', options.divergenceEveryMs ?? 50, { min: 0 });
  const convergenceEveryMs = checkNumber('stockPartitionExperiment convergenceEveryMs', options.convergenceEveryMs ?? 5, { min: 0.1 });
  const endMs = Math.max(healAtMs, ordersUntilMs) + settleMs;

  const sim = new Simulation({ seed: options.seed });
  const store = eventualStore({
    sim,
    regions: WAREHOUSE_REGIONS,
    type: PNCounter,
    gossipIntervalMs: options.gossipIntervalMs,
    fanout: options.fanout,
    antiEntropy: options.antiEntropy,
    merkleBranching: options.merkleBranching,
    merkleDepth: options.merkleDepth,
    pushOnWrite: options.pushOnWrite,
    hintedHandoff: options.hintedHandoff,
  });
  const skus = Array.from({ length: skuCount }, (_, i) => `sku:${String(i + 1).padStart(5, '0')}`);
  // Stock arrives at the Mumbai warehouse's system first and replicates from there.
  sim.at(10, () => {
    for (const sku of skus) store.update('mumbai', sku, (state, id) => PNCounter.increment(state, id, initialStock));
  });
  if (partitionMs > 0) {
    let partitionId = 0;
    sim.at(partitionAtMs, () => (partitionId = sim.partition([...NORTH_EAST], [...WEST_SOUTH])));
    sim.at(healAtMs, () => sim.heal(partitionId));
  }
  const sales: SaleRecord[] = [];
  const workload = new Rng(options.seed ^ 0x570c);
  for (const warehouse of WAREHOUSE_REGIONS) {
    for (const t of poissonArrivalTimesMs(workload, [{ startMs: partitionAtMs - 500, endMs: ordersUntilMs, perSec: rate }])) {
      const sku = skus[workload.int(0, hotSkuCount - 1)];
      sim.at(t, () => sellOne(store, warehouse, sku, sales));
    }
  }
  const divergence = divergenceEveryMs > 0 ? sampleEvery(sim, { everyMs: divergenceEveryMs, fromMs: 0, untilMs: endMs }, (t) => store.divergence(t)) : [];
  const convergence = sampleEvery(sim, { everyMs: convergenceEveryMs, fromMs: healAtMs, untilMs: endMs }, (timeMs) => ({ timeMs, converged: store.converged() }));
  sim.run(endMs);

  const stock: StockPartitionResult['stock'] = [];
  for (const sku of skus.slice(0, hotSkuCount)) {
    const unitsSold = sales.filter((s) => s.sku === sku && s.outcome === 'sold').length;
    const finalStock = store.localValue('mumbai', sku) ?? NaN;
    stock.push({ sku, initialStock, unitsSold, finalStock, oversoldUnits: Math.max(0, unitsSold - initialStock) });
  }
  return {
    seed: options.seed,
    healAtMs,
    convergenceMs: convergenceDelayMs(convergence, healAtMs, (s) => s.converged),
    divergence: divergence.map((d) => ({ timeMs: d.timeMs, staleReplicaKeys: d.staleReplicaKeys, divergentKeys: d.divergentKeys })),
    sales,
    stock,
    antiEntropyBytes: store.metrics.bytes(ANTI_ENTROPY_MESSAGE_TYPES),
    totalBytes: store.metrics.bytes(),
    store,
    sim,
  };
}

export interface GossipSweepRow {
  gossipIntervalMs: number;
  fanout: number;
  runs: number;
  /** Median over the runs of the time from heal to identical replicas, ms. */
  convergenceMsMedian: number;
  convergenceMsMax: number;
  /** The seeds used: seed, seed + 1, ... */
  seeds: string;
}

/**
 * Convergence time after the heal for each gossip interval × fan-out, with pure
 * anti-entropy (no pushes, no hints: what gossip alone does), over `runs` seeds each.
 */
export function gossipConvergenceSweep(options: {
  seed: number;
  gossipIntervalsMs: readonly number[];
  fanouts: readonly number[];
  runs?: number;
  antiEntropy?: Exclude<AntiEntropyMode, 'off'>;
  partitionMs?: number;
}): GossipSweepRow[] {
  const runs = checkNumber('gossipConvergenceSweep runs', options.runs ?? 5, { integer: true, min: 1, max: 1000 });
  if (!Array.isArray(options.gossipIntervalsMs) || !Array.isArray(options.fanouts) || options.gossipIntervalsMs.length === 0 || options.fanouts.length === 0) {
    throw new OptionError('gossipConvergenceSweep: gossipIntervalsMs and fanouts must be non-empty arrays of numbers');
  }
  const rows: GossipSweepRow[] = [];
  for (const gossipIntervalMs of options.gossipIntervalsMs) {
    for (const fanout of options.fanouts) {
      const delays: number[] = [];
      for (let r = 0; r < runs; r++) {
        const result = stockPartitionExperiment({
          seed: options.seed + r,
          gossipIntervalMs,
          fanout,
          antiEntropy: options.antiEntropy ?? 'merkle',
          pushOnWrite: false,
          hintedHandoff: false,
          partitionMs: options.partitionMs ?? 3000,
          settleMs: Math.max(3000, 30 * gossipIntervalMs),
          divergenceEveryMs: 0,
          convergenceEveryMs: Math.max(1, gossipIntervalMs / 50),
          skuCount: 10,
        });
        if (result.convergenceMs === null) throw new Error(`gossipConvergenceSweep: no convergence (seed ${options.seed + r}, interval ${gossipIntervalMs} ms, fan-out ${fanout})`);
        delays.push(result.convergenceMs);
      }
      rows.push({
        gossipIntervalMs,
        fanout,
        runs,
        convergenceMsMedian: median(delays),
        convergenceMsMax: Math.max(...delays),
        seeds: `${options.seed}…${options.seed + runs - 1}`,
      });
    }
  }
  return rows;
}

export interface MerkleBytesRow {
  skuCount: number;
  antiEntropy: 'merkle' | 'full-state';
  /** Bytes of anti-entropy messages over the whole run. */
  antiEntropyKiB: number;
  /** Key states shipped by anti-entropy. */
  keyStatesSent: number;
  convergenceMs: number | null;
}

/**
 * Anti-entropy traffic over one partition-and-heal run, with and without Merkle digests,
 * as the catalogue grows. Sales hit only `hotSkuCount` SKUs, so most keys never differ:
 * full-state gossip ships all of them every round anyway; Merkle gossip compares hashes
 * and ships the few that differ.
 */
export function merkleBytesExperiment(options: {
  seed: number;
  skuCounts: readonly number[];
  hotSkuCount?: number;
  gossipIntervalMs?: number;
  /** Merkle tree depth (16-way branching): 2 gives 256 leaf buckets, 3 gives 4096. Default 2. */
  merkleDepth?: number;
}): MerkleBytesRow[] {
  const rows: MerkleBytesRow[] = [];
  for (const skuCount of options.skuCounts) {
    for (const antiEntropy of ['full-state', 'merkle'] as const) {
      const result = stockPartitionExperiment({
        seed: options.seed,
        skuCount,
        hotSkuCount: Math.min(skuCount, options.hotSkuCount ?? 10),
        antiEntropy,
        merkleDepth: options.merkleDepth,
        gossipIntervalMs: options.gossipIntervalMs ?? 200,
        partitionMs: 3000,
        settleMs: 3000,
        divergenceEveryMs: 0,
      });
      rows.push({
        skuCount,
        antiEntropy,
        antiEntropyKiB: result.antiEntropyBytes / 1024,
        keyStatesSent: result.store.metrics.keyStatesSentByAntiEntropy,
        convergenceMs: result.convergenceMs,
      });
    }
  }
  return rows;
}

export interface CatchUpRow {
  mechanism: string;
  /** ms after Chennai restarted until it held the same stock as everyone (null: not within 5 s). */
  catchUpMs: number | null;
  hintsStored: number;
  hintsDelivered: number;
}

/**
 * Chennai's warehouse system is down for 3 s while the others keep selling. How soon
 * after its restart does it hold the right stock, with pushes only, with hinted handoff,
 * and with gossip?
 */
export function crashCatchUpExperiment(options: { seed: number }): CatchUpRow[] {
  const configs: Array<{ mechanism: string; hintedHandoff: boolean; antiEntropy: AntiEntropyMode }> = [
    { mechanism: 'push only', hintedHandoff: false, antiEntropy: 'off' },
    { mechanism: 'push + hinted handoff', hintedHandoff: true, antiEntropy: 'off' },
    { mechanism: 'push + Merkle gossip (1 s)', hintedHandoff: false, antiEntropy: 'merkle' },
  ];
  return configs.map(({ mechanism, hintedHandoff, antiEntropy }) => {
    const run = crashAndRestart({ seed: options.seed, hintedHandoff, antiEntropy, gossipIntervalMs: 1000 });
    return { mechanism, catchUpMs: run.catchUpMs, hintsStored: run.store.metrics.hintsStored, hintsDelivered: run.store.metrics.hintsDelivered };
  });
}

/** The run behind crashCatchUpExperiment; returns the store for read-repair demonstrations. */
export function crashAndRestart(options: { seed: number; hintedHandoff: boolean; antiEntropy: AntiEntropyMode; gossipIntervalMs?: number }): {
  store: StockStore;
  sim: Simulation;
  restartAtMs: number;
  catchUpMs: number | null;
  sales: SaleRecord[];
} {
  const sim = new Simulation({ seed: options.seed });
  const store = eventualStore({
    sim,
    regions: WAREHOUSE_REGIONS,
    type: PNCounter,
    antiEntropy: options.antiEntropy,
    gossipIntervalMs: options.gossipIntervalMs ?? 1000,
    hintedHandoff: options.hintedHandoff,
  });
  const skus = ['sku:phone', 'sku:earbuds', 'sku:charger'];
  sim.at(10, () => {
    for (const sku of skus) store.update('mumbai', sku, (state, id) => PNCounter.increment(state, id, 50));
  });
  const crashAtMs = 1000;
  const restartAtMs = 4000;
  sim.at(crashAtMs, () => sim.crash('chennai'));
  sim.at(restartAtMs, () => sim.restart('chennai'));
  const sales: SaleRecord[] = [];
  const workload = new Rng(options.seed ^ 0xc4a5);
  for (const warehouse of WAREHOUSE_REGIONS) {
    for (const t of poissonArrivalTimesMs(workload, [{ startMs: 500, endMs: restartAtMs, perSec: 2 }])) {
      const sku = workload.pick(skus);
      sim.at(t, () => sellOne(store, warehouse, sku, sales));
    }
  }
  const endMs = restartAtMs + 5000;
  const samples = sampleEvery(sim, { everyMs: 5, fromMs: restartAtMs, untilMs: endMs }, (timeMs) => ({ timeMs, converged: store.converged() }));
  sim.run(endMs);
  return { store, sim, restartAtMs, catchUpMs: convergenceDelayMs(samples, restartAtMs, (s) => s.converged), sales };
}
