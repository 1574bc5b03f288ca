/**
 * Builds a flash-sale inventory deployment on the simulator: one warehouse node per region (the
 * strategy decides how it sells) and one buyer client per region beside it.
 *
 *   const cluster = inventoryCluster({ sim, strategy: 'escrow', catalogue, stock });
 *   cluster.place(flashSaleOrders({ seed, catalogue, regions }));
 *   sim.run(20_000);
 *   cluster.check()   // oversell, unresolved holds, atomic carts, undersell, time to sell out
 */
import { NodeHandle, OptionError, Simulation, checkOneOf } from '../../sim';
import type { NodeContext } from '../../sim';
import type { FlashSaleOrder, Variant } from '../../workload/flash-sale';
import { checkInventory, InventoryCheckResult } from '../../check/inventory-check';
import { BuyerClient } from './buyer-client';
import { CrdtWarehouse } from './crdt-warehouse';
import { EscrowWarehouse } from './escrow-warehouse';
import { HomeRegionWarehouse } from './home-warehouse';
import { InventoryLog, emptyInventoryLog } from './inventory-log';
import { InventoryTiming, resolveTiming } from './timing';
import { Warehouse, WarehouseConfig } from './warehouse';

export const INVENTORY_STRATEGIES = ['home-region', 'crdt', 'escrow'] as const;
export type InventoryStrategy = (typeof INVENTORY_STRATEGIES)[number];

export interface InventoryClusterOptions {
  sim: Simulation;
  strategy: InventoryStrategy;
  catalogue: readonly Variant[];
  /** Opening stock: region → sku → units in that region's warehouse. Its keys are the regions. */
  stock: Record<string, Record<string, number>>;
  timing?: Partial<InventoryTiming>;
  /** home-region only: sku → home region. Default: the catalogue's variants dealt round the regions. */
  homeOf?: Record<string, string>;
  /** fsync latency of a warehouse's stock database, ms. Default 1. */
  fsyncMs?: number;
}

export interface InventoryCluster {
  strategy: InventoryStrategy;
  regions: string[];
  warehouseIds: string[];
  buyerIds: string[];
  timing: InventoryTiming;
  /** Units of each variant at the start, over all warehouses. */
  initialStock: Record<string, number>;
  /** home-region only: sku → home region. */
  homeOf: Record<string, string>;
  log: InventoryLog;
  warehouseId(region: string): string;
  /** Schedules the buyers of a workload at their arrival times. */
  place(orders: readonly FlashSaleOrder[]): void;
  /** Units each live warehouse may sell now (stock, rights, or its CRDT view), region → sku → units. */
  sellable(): Record<string, Record<string, number>>;
  check(): InventoryCheckResult;
}

/** Splits unitsPerVariant of every variant across regions in proportion to weights (largest remainder). */
export function splitStock(catalogue: readonly Variant[], regions: readonly string[], unitsPerVariant: number, weights: readonly number[] = regions.map(() => 1)): Record<string, Record<string, number>> {
  if (weights.length !== regions.length) throw new OptionError(`splitStock weights: got ${weights.length} weights for ${regions.length} regions; allowed: one weight per region`);
  if (!Number.isInteger(unitsPerVariant) || unitsPerVariant < 0) throw new OptionError(`splitStock unitsPerVariant: got ${unitsPerVariant}; allowed: an integer ≥ 0`);
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0) || weights.some((w) => w < 0)) throw new OptionError(`splitStock weights: got [${weights.join(', ')}]; allowed: non-negative weights with a positive sum`);
  const stock: Record<string, Record<string, number>> = Object.fromEntries(regions.map((r) => [r, {}]));
  for (const v of catalogue) {
    const exact = weights.map((w) => (unitsPerVariant * w) / total);
    const units = exact.map(Math.floor);
    const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
    for (let k = 0; k < unitsPerVariant - units.reduce((a, b) => a + b, 0); k++) units[order[k].i]++;
    regions.forEach((r, i) => (stock[r][v.sku] = units[i]));
  }
  return stock;
}

export function inventoryCluster(options: InventoryClusterOptions): InventoryCluster {
  const { sim, catalogue } = options;
  const strategy = checkOneOf('inventoryCluster strategy', options.strategy, INVENTORY_STRATEGIES);
  const regions = Object.keys(options.stock);
  if (regions.length < 2) throw new OptionError(`inventoryCluster stock: got ${regions.length} regions; allowed: at least 2`);
  const timing = resolveTiming('inventoryCluster timing', options.timing);
  const skus = catalogue.map((v) => v.sku);
  if (new Set(skus).size !== skus.length) throw new OptionError('inventoryCluster catalogue: a sku appears twice; allowed: distinct skus');
  const initialStock: Record<string, number> = Object.fromEntries(skus.map((s) => [s, 0]));
  for (const [region, perSku] of Object.entries(options.stock)) {
    for (const [sku, units] of Object.entries(perSku)) {
      if (!(sku in initialStock)) throw new OptionError(`inventoryCluster stock.${region}: unknown sku "${sku}"; allowed: a sku of the catalogue`);
      if (!Number.isInteger(units) || units < 0) throw new OptionError(`inventoryCluster stock.${region}.${sku}: got ${units}; allowed: an integer ≥ 0`);
      initialStock[sku] += units;
    }
  }
  const warehouseId = (region: string) => `wh-${region}`;
  const homeOf: Record<string, string> = options.homeOf ? { ...options.homeOf } : Object.fromEntries(skus.map((s, i) => [s, regions[i % regions.length]]));
  for (const sku of skus) if (!regions.includes(homeOf[sku])) throw new OptionError(`inventoryCluster homeOf.${sku}: got ${JSON.stringify(homeOf[sku])}; allowed: ${regions.join(', ')}`);

  const log = emptyInventoryLog();
  const warehouses = new Map<string, NodeHandle<Warehouse>>();
  for (const region of regions) {
    const id = warehouseId(region);
    const peers = regions.filter((r) => r !== region).map(warehouseId);
    const base = { peers, log, timing, skus };
    let create: (ctx: NodeContext) => Warehouse;
    if (strategy === 'home-region') {
      // The home's stock system owns every unit of its variants, whichever warehouse holds them.
      const initialUnits: Record<string, number> = Object.fromEntries(skus.filter((s) => homeOf[s] === region).map((s) => [s, initialStock[s]]));
      const config = { ...base, initialUnits, homeOf: Object.fromEntries(skus.map((s) => [s, warehouseId(homeOf[s])])) };
      create = (ctx) => new HomeRegionWarehouse(ctx, config);
    } else if (strategy === 'crdt') {
      const config = { ...base, initialUnits: {}, stockByRegion: options.stock };
      create = (ctx) => new CrdtWarehouse(ctx, config);
    } else {
      const openingRights = Object.fromEntries(regions.map((r) => [warehouseId(r), { ...options.stock[r] }]));
      const config = { ...base, initialUnits: { ...options.stock[region] }, openingRights } satisfies WarehouseConfig & { openingRights: unknown };
      create = (ctx) => new EscrowWarehouse(ctx, config);
    }
    warehouses.set(region, sim.addNode({ id, region, create, fsyncMs: options.fsyncMs }));
  }
  const buyers = new Map<string, NodeHandle<BuyerClient>>();
  for (const region of regions) {
    buyers.set(region, sim.addNode({ id: `buyers-${region}`, region, create: (ctx) => new BuyerClient(ctx, warehouseId(region), log, timing) }));
  }

  return {
    strategy, regions, timing, initialStock, homeOf, log,
    warehouseIds: regions.map(warehouseId),
    buyerIds: regions.map((r) => `buyers-${r}`),
    warehouseId,
    place(orders) {
      for (const order of orders) {
        const handle = buyers.get(order.region);
        if (!handle) throw new OptionError(`inventoryCluster place: order ${order.orderId} comes from region "${order.region}"; allowed: ${regions.join(', ')}`);
        for (const l of order.lines) if (!(l.sku in initialStock)) throw new OptionError(`inventoryCluster place: order ${order.orderId} asks for unknown sku "${l.sku}"`);
        sim.at(order.atMs, () => handle.behaviour?.place(order));
      }
    },
    sellable() {
      const out: Record<string, Record<string, number>> = {};
      for (const [region, handle] of warehouses) {
        const w = handle.behaviour;
        if (w) out[region] = Object.fromEntries(skus.map((s) => [s, w.sellableUnits(s)]));
      }
      return out;
    },
    check: () => checkInventory({ initialStock, orders: log.orders, stockEvents: log.stockEvents }),
  };
}
