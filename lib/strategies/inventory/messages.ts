/** Every message of the inventory strategies: buyer ↔ warehouse, home-region votes, CRDT gossip, escrow rights. */
import type { PNCounterState } from '../../crdt/pn-counter';
import type { InventoryLine } from '../../check/inventory-check';

export type BuyerMessage =
  | { type: 'reserve'; orderId: string; lines: InventoryLine[] }
  | { type: 'confirm'; orderId: string }
  | { type: 'cancel'; orderId: string };

export type WarehouseReply =
  | { type: 'reserved'; orderId: string }
  | { type: 'refused'; orderId: string; reason: string }
  | { type: 'payment'; orderId: string; outcome: 'confirmed' | 'expired' | 'cancelled' };

/** Home region: the buyer's warehouse coordinates the homes of the cart's variants. */
export type HomeMessage =
  | { type: 'home-reserve'; orderId: string; lines: InventoryLine[] }
  | { type: 'home-vote'; orderId: string; ok: boolean }
  | { type: 'home-confirm'; orderId: string }
  | { type: 'home-confirmed'; orderId: string; sold: boolean }
  | { type: 'home-release'; orderId: string; cause: 'refused' | 'cancelled' | 'expired' };

export type CrdtMessage = { type: 'crdt-state'; counters: Record<string, PNCounterState> };

/** Escrow: rights to sell units move between warehouses, exactly once (id, retransmit, ack). */
export type EscrowMessage =
  | { type: 'rights-advert'; rights: Record<string, number>; demand: Record<string, number> }
  | { type: 'rights-request'; sku: string; units: number; demandPerSec: number; kind: 'on-demand' | 'rebalance' }
  | { type: 'rights-grant'; transferId: string; sku: string; units: number; kind: 'on-demand' | 'rebalance' }
  | { type: 'rights-none'; sku: string; rights: number }
  | { type: 'rights-ack'; transferId: string };

export type InventoryMessage = BuyerMessage | WarehouseReply | HomeMessage | CrdtMessage | EscrowMessage;
