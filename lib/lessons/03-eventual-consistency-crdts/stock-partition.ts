/** Notebook 03, sections 2 and 6: the country splits, both sides keep selling (and oversell). */
import { PNCounter } from '../../crdt';
import { Rng, Simulation, checkNumber, convergenceDelayMs, sampleEvery } from '../../sim';
import { poissonArrivalTimesMs } from '../../workload';
import { ANTI_ENTROPY_MESSAGE_TYPES, eventualStore } from '../../strategies/eventual';
import { NORTH_EAST, SaleRecord, StockStore, StoreSettings, WAREHOUSE_REGIONS, WEST_SOUTH, sellOne } from './scenario';

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
