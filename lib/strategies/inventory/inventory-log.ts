/**
 * The observer's record of a sale, kept outside the nodes (the way a test harness records a
 * history): what each buyer saw, every durable stock change, and every escrow rights transfer.
 * The checker (lib/check/inventory-check.ts) reads the first two; the lesson plots the third.
 */
import type { InventoryOrderRecord, StockEvent } from '../../check/inventory-check';

export interface RightsTransfer {
  timeMs: number;
  from: string;
  to: string;
  sku: string;
  units: number;
  /** on-demand: asked for by an order waiting for rights; rebalance: the demand-driven policy. */
  kind: 'on-demand' | 'rebalance';
}

export interface InventoryLog {
  orders: InventoryOrderRecord[];
  stockEvents: StockEvent[];
  transfers: RightsTransfer[];
}

export function emptyInventoryLog(): InventoryLog {
  return { orders: [], stockEvents: [], transfers: [] };
}
