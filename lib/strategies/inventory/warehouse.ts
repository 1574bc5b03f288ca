/**
 * What every regional warehouse does, whatever the strategy: it keeps holds (reservations with a
 * time to live) that expire and give their units back, sells a hold when the buyer pays, and makes
 * every change durable before anyone hears of it. A crash loses only what was not yet fsynced;
 * restart() rebuilds the warehouse from its disk: a snapshot of its units (or counters) plus a
 * journal of holds, their ends and the strategy's own records (rights transfers, carts it
 * coordinates), replayed in order.
 *
 * The strategies differ in how a reservation is decided (subclasses: HomeRegionWarehouse,
 * CrdtWarehouse, EscrowWarehouse). Stock events go to the observer's log only once durable, so the
 * checker sees what the warehouse would still know after a crash.
 */
import type { NodeBehaviour, NodeContext } from '../../sim';
import { LimitExceededError } from '../../sim';
import type { InventoryLine, StockEvent } from '../../check/inventory-check';
import type { InventoryLog } from './inventory-log';
import type { BuyerMessage, InventoryMessage, WarehouseReply } from './messages';
import type { InventoryTiming } from './timing';

export interface Hold {
  orderId: string;
  lines: InventoryLine[];
  /** On this warehouse's own clock. */
  expiresAtMs: number;
}

export type HoldEnd = 'sold' | 'expired' | 'cancelled' | 'refused';

/** A journal record; strategies add their own kinds. */
export type JournalRecord =
  | { op: 'hold'; hold: Hold }
  | { op: 'end'; orderId: string; end: HoldEnd }
  | { op: string; [field: string]: unknown };

export interface WarehouseConfig {
  /** The other warehouses' node ids. */
  peers: string[];
  log: InventoryLog;
  timing: InventoryTiming;
  /** Units this warehouse owns at the start of the sale, per sku. */
  initialUnits: Record<string, number>;
  /** Every sku of the catalogue, in catalogue order. */
  skus: string[];
}

const SNAPSHOT = 'snapshot';
const JOURNAL = 'journal';
const RELEASE_CAUSE: Record<Exclude<HoldEnd, 'sold'>, StockEvent['cause']> = { expired: 'expired', cancelled: 'cancelled', refused: 'refused' };

export abstract class Warehouse implements NodeBehaviour {
  /** Units this warehouse may sell, per sku (stock at home, or escrow rights). */
  protected units: Record<string, number>;
  protected readonly holds = new Map<string, Hold>();
  /** How each finished hold ended, so a repeated confirm gets the same answer. */
  protected readonly ended = new Map<string, HoldEnd>();
  private readonly expiryTimers = new Map<string, number>();

  constructor(protected readonly ctx: NodeContext, protected readonly config: WarehouseConfig) {
    const snapshot = ctx.disk.get<Record<string, unknown>>(SNAPSHOT);
    this.units = { ...config.initialUnits };
    if (snapshot) this.restoreSnapshot(snapshot);
    for (const record of ctx.disk.read(JOURNAL) as JournalRecord[]) this.replay(record);
  }

  onStart(): void {
    if (!this.ctx.disk.get(SNAPSHOT)) this.commit([]); // the opening stock is durable before the sale
    for (const hold of this.holds.values()) this.armExpiry(hold);
    this.start();
  }

  /** Strategy start-up: gossip timers, resumed transfers. */
  protected start(): void {}

  onMessage(from: string, message: unknown): void {
    const m = message as InventoryMessage;
    switch (m.type) {
      case 'reserve':
        // A duplicated request (the network may deliver one twice) must not take a second hold.
        if (this.holds.has(m.orderId) || this.ended.has(m.orderId) || this.isDeciding(m.orderId)) return;
        return this.onReserve(from, m.orderId, m.lines);
      case 'confirm':
        return this.onConfirm(from, m.orderId);
      case 'cancel':
        return this.onCancel(from, m.orderId);
      default:
        return this.onPeerMessage(from, m);
    }
  }

  /** True while a reservation for orderId is being decided (waiting for votes or rights). */
  protected isDeciding(_orderId: string): boolean {
    return false;
  }

  protected abstract onReserve(buyer: string, orderId: string, lines: InventoryLine[]): void;
  protected abstract onPeerMessage(from: string, message: InventoryMessage): void;

  /** The buyer pays: sell the hold if it is still there. */
  protected onConfirm(buyer: string, orderId: string): void {
    if (this.holds.has(orderId)) {
      const events = this.endHold(orderId, 'sold');
      this.commit(events, () => this.reply(buyer, { type: 'payment', orderId, outcome: 'confirmed' }));
      return;
    }
    this.reply(buyer, { type: 'payment', orderId, outcome: this.ended.get(orderId) === 'sold' ? 'confirmed' : 'expired' });
  }

  protected onCancel(buyer: string, orderId: string): void {
    if (this.holds.has(orderId)) {
      const events = this.endHold(orderId, 'cancelled');
      this.commit(events, () => this.reply(buyer, { type: 'payment', orderId, outcome: 'cancelled' }));
      return;
    }
    const end = this.ended.get(orderId);
    this.reply(buyer, { type: 'payment', orderId, outcome: end === 'sold' ? 'confirmed' : end === 'cancelled' ? 'cancelled' : 'expired' });
  }

  protected reply(buyer: string, message: WarehouseReply): void {
    this.ctx.send(buyer, message, 64);
  }

  // ------------------------------------------------------------------ stock

  /** Units this warehouse would sell now without asking anyone (for figures and tests). */
  sellableUnits(sku: string): number {
    return this.available(sku);
  }

  protected available(sku: string): number {
    return this.units[sku] ?? 0;
  }

  protected canTake(lines: readonly InventoryLine[]): boolean {
    return lines.every((l) => this.available(l.sku) >= l.units);
  }

  protected takeUnits(sku: string, units: number): void {
    this.units[sku] = (this.units[sku] ?? 0) - units;
    if (this.units[sku] < 0) throw new Error(`${this.ctx.id}: ${sku} would go to ${this.units[sku]} units (a strategy took more than it had)`);
  }

  protected returnUnits(sku: string, units: number): void {
    this.units[sku] = (this.units[sku] ?? 0) + units;
  }

  /** Takes the lines' units into a hold that expires after ttlMs. The caller checked canTake (or, for CRDT stock, believed it). */
  protected hold(orderId: string, lines: InventoryLine[], ttlMs: number): StockEvent[] {
    if (this.holds.size >= this.config.timing.maxHolds) throw new LimitExceededError(`${this.ctx.id}: more than ${this.config.timing.maxHolds} open holds (timing.maxHolds)`);
    for (const l of lines) this.takeUnits(l.sku, l.units);
    const hold: Hold = { orderId, lines: lines.map((l) => ({ ...l })), expiresAtMs: this.ctx.nowMs() + ttlMs };
    this.holds.set(orderId, hold);
    this.journal({ op: 'hold', hold });
    this.armExpiry(hold);
    return lines.map((l) => this.event(orderId, l, 'take'));
  }

  /** Ends a hold: a sale keeps the units gone; any other end gives them back. */
  protected endHold(orderId: string, end: HoldEnd): StockEvent[] {
    const hold = this.holds.get(orderId);
    if (!hold) return [];
    this.holds.delete(orderId);
    this.ended.set(orderId, end);
    const timer = this.expiryTimers.get(orderId);
    if (timer !== undefined) this.ctx.cancelTimer(timer);
    this.expiryTimers.delete(orderId);
    if (end !== 'sold') for (const l of hold.lines) this.returnUnits(l.sku, l.units);
    this.journal({ op: 'end', orderId, end });
    return hold.lines.map((l) => this.event(orderId, l, end === 'sold' ? 'sell' : 'release', end === 'sold' ? undefined : RELEASE_CAUSE[end]));
  }

  private event(orderId: string, line: InventoryLine, kind: StockEvent['kind'], cause?: StockEvent['cause']): StockEvent {
    const e: StockEvent = { timeMs: 0, site: this.ctx.region, orderId, sku: line.sku, units: line.units, kind };
    if (cause) e.cause = cause;
    return e;
  }

  private armExpiry(hold: Hold): void {
    const delay = Math.max(0, hold.expiresAtMs - this.ctx.nowMs());
    this.expiryTimers.set(hold.orderId, this.ctx.setTimer(delay, () => {
      this.expiryTimers.delete(hold.orderId);
      if (this.holds.get(hold.orderId) !== hold) return;
      this.commit(this.endHold(hold.orderId, 'expired'));
    }));
  }

  // ------------------------------------------------------------ durability

  protected journal(record: JournalRecord): void {
    this.ctx.disk.append(JOURNAL, record);
  }

  /** What the snapshot file holds; CRDT stock adds its counters. */
  protected snapshot(): Record<string, unknown> {
    return { units: this.units };
  }

  protected restoreSnapshot(snapshot: Record<string, unknown>): void {
    this.units = { ...(snapshot.units as Record<string, number>) };
  }

  /** Rebuilds state from one journal record; strategies handle their own kinds. */
  protected replay(record: JournalRecord): void {
    if (record.op === 'hold') {
      const hold = (record as { hold: Hold }).hold;
      this.holds.set(hold.orderId, hold);
    } else if (record.op === 'end') {
      const { orderId, end } = record as { orderId: string; end: HoldEnd };
      this.holds.delete(orderId);
      this.ended.set(orderId, end);
    }
  }

  /**
   * Writes the snapshot, fsyncs (covering the journal records appended so far), and only then
   * logs the stock events and runs `then` (the reply, the message that may not go out before the
   * change is durable). A crash before the fsync completes loses both, together.
   */
  protected commit(events: StockEvent[], then?: () => void): void {
    this.ctx.disk.put(SNAPSHOT, this.snapshot());
    this.ctx.fsync(() => {
      const now = this.ctx.simTimeMs();
      for (const e of events) this.config.log.stockEvents.push({ ...e, timeMs: now });
      then?.();
    });
  }

  /** Buyer messages are answered by the strategy; anything unknown is a bug worth a loud error. */
  protected unexpected(from: string, message: InventoryMessage | BuyerMessage): never {
    throw new Error(`${this.ctx.id}: unexpected message ${JSON.stringify(message.type)} from ${from}`);
  }
}
