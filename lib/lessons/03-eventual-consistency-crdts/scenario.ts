/**
 * Notebook 03's scenario: Flipkart-style stock counters (one PN-Counter per SKU) in five
 * warehouses, the partition of the lesson, and an order as a warehouse sees it. Each experiment
 * takes a seed, runs one or more simulations and returns plain records.
 */
import { PNCounter, PNCounterState } from '../../crdt';
import { EventualStore, EventualStoreOptions } from '../../strategies/eventual';
import { percentile } from '../../stats';

/** The five warehouses. */
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
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The store's own settings pass straight through to eventualStore (see its options for defaults). */
export type StoreSettings = Pick<
  EventualStoreOptions<PNCounterState, number>,
  'gossipIntervalMs' | 'fanout' | 'antiEntropy' | 'merkleBranching' | 'merkleDepth' | 'pushOnWrite' | 'hintedHandoff'
>;
