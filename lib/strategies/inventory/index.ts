/**
 * lib/strategies/inventory: flash-sale stock across regional warehouses (notebook 06). Holds
 * with a time to live, payment confirm or cancel, and three ways to decide a reservation: a home
 * region per SKU (forward and wait), CRDT stock (a PN-Counter per variant, sells locally and
 * oversells), and escrow rights (the bounded counter: sells locally while it holds rights, moves
 * rights on demand, never oversells). Multi-variant carts are all-or-nothing: under escrow they
 * are reserved at one warehouse once its rights cover every line (waiting up to rightsTimeoutMs),
 * under home region by the homes' votes.
 */
export { inventoryCluster, splitStock, INVENTORY_STRATEGIES } from './cluster';
export type { InventoryCluster, InventoryClusterOptions, InventoryStrategy } from './cluster';
export { DEFAULT_TIMING, resolveTiming } from './timing';
export type { InventoryTiming } from './timing';
export { emptyInventoryLog } from './inventory-log';
export type { InventoryLog, RightsTransfer } from './inventory-log';
export { Warehouse } from './warehouse';
export type { Hold, HoldEnd, WarehouseConfig } from './warehouse';
export { HomeRegionWarehouse } from './home-warehouse';
export { CrdtWarehouse } from './crdt-warehouse';
export { EscrowWarehouse } from './escrow-warehouse';
export { BuyerClient } from './buyer-client';
export type { InventoryMessage } from './messages';
