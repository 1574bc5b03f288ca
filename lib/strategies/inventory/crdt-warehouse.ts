/**
 * CRDT stock: a PN-Counter per variant at every warehouse, the design notebook 03 ends on. A
 * warehouse sells when its local counter shows enough units, decrements it at once and gossips the
 * counters; replicas converge, and nothing stops two warehouses from selling the same last unit
 * before they hear of each other. That is the oversell this lesson starts from.
 */
import { PNCounter, PNCounterState } from '../../crdt/pn-counter';
import type { NodeContext } from '../../sim';
import type { InventoryLine } from '../../check/inventory-check';
import type { InventoryMessage } from './messages';
import { Warehouse, WarehouseConfig } from './warehouse';

export interface CrdtWarehouseConfig extends WarehouseConfig {
  /** Opening stock per region per sku: every warehouse starts from the same merged counters. */
  stockByRegion: Record<string, Record<string, number>>;
}

const FULL_SYNC_ROUNDS = 10;

export class CrdtWarehouse extends Warehouse {
  // Declared, not initialised: the base constructor restores it from disk before a field
  // initialiser would run (and overwrite it).
  private declare counters: Record<string, PNCounterState>;
  /** Variants whose counter changed here since the last gossip round. */
  private readonly dirty = new Set<string>();

  constructor(ctx: NodeContext, config: CrdtWarehouseConfig) {
    super(ctx, config);
    if (!this.counters) {
      this.counters = {};
      for (const sku of config.skus) {
        let state = PNCounter.empty();
        for (const [region, stock] of Object.entries(config.stockByRegion)) if ((stock[sku] ?? 0) > 0) state = PNCounter.increment(state, region, stock[sku]);
        this.counters[sku] = state;
      }
    }
  }

  /**
   * Gossip, all to all: every gossipIntervalMs the counters changed here since the last round, and
   * every FULL_SYNC_ROUNDS-th round all of them (anti-entropy: repairs whatever a partition, a
   * loss or a crash kept from a peer).
   */
  protected override start(): void {
    let round = 0;
    const gossip = () => {
      const full = ++round % FULL_SYNC_ROUNDS === 0;
      const skus = full ? this.config.skus : [...this.dirty];
      this.dirty.clear();
      if (skus.length > 0) {
        const counters = Object.fromEntries(skus.map((sku) => [sku, this.counters[sku]]));
        for (const peer of this.config.peers) this.ctx.send(peer, { type: 'crdt-state', counters }, 32 * skus.length);
      }
      this.ctx.setTimer(this.config.timing.gossipIntervalMs, gossip);
    };
    this.ctx.setTimer(this.config.timing.gossipIntervalMs, gossip);
  }

  protected override available(sku: string): number {
    const state = this.counters[sku];
    return state ? PNCounter.value(state) : 0;
  }

  protected override takeUnits(sku: string, units: number): void {
    this.dirty.add(sku);
    this.counters[sku] = PNCounter.decrement(this.counters[sku], this.ctx.region, units);
  }

  protected override returnUnits(sku: string, units: number): void {
    this.dirty.add(sku);
    this.counters[sku] = PNCounter.increment(this.counters[sku], this.ctx.region, units);
  }

  protected onReserve(buyer: string, orderId: string, lines: InventoryLine[]): void {
    if (!this.canTake(lines)) {
      this.reply(buyer, { type: 'refused', orderId, reason: 'sold-out' });
      return;
    }
    const events = this.hold(orderId, lines, this.config.timing.holdTtlMs);
    this.commit(events, () => this.reply(buyer, { type: 'reserved', orderId }));
  }

  protected onPeerMessage(from: string, message: InventoryMessage): void {
    if (message.type !== 'crdt-state') return this.unexpected(from, message);
    for (const [sku, state] of Object.entries(message.counters)) this.counters[sku] = this.counters[sku] ? PNCounter.merge(this.counters[sku], state) : state;
    // Merged state reaches the disk with this warehouse's next commit; losing it in a crash only
    // delays convergence (the peers gossip it again).
  }

  protected override snapshot(): Record<string, unknown> {
    return { units: this.units, counters: this.counters };
  }

  protected override restoreSnapshot(snapshot: Record<string, unknown>): void {
    super.restoreSnapshot(snapshot);
    this.counters = { ...(snapshot.counters as Record<string, PNCounterState>) };
  }
}
