/**
 * The flash-sale inventory checker. It judges a sale from two records that any inventory
 * strategy can produce, without trusting any replica's counters:
 *
 * - what each buyer saw (InventoryOrderRecord): the cart, whether the reservation was accepted,
 *   refused or timed out, and what became of the payment;
 * - what the warehouses did to stock (StockEvent): a hold taking units for an order, a hold
 *   released (expired, cancelled, refused) giving them back, a hold sold.
 *
 * From these it finds: oversell per variant (units sold beyond the stock, via
 * checkStockInvariant), holds never resolved (a reservation lost: taken, neither sold nor
 * released), carts that were not all-or-nothing (some lines sold and others not, or a buyer told
 * "confirmed" while a line was never sold, or told "refused" while a line was sold), undersell (an
 * order refused while the whole system still had every unit it asked for) and time to sell out.
 */
import { OptionError } from '../util';
import { checkStockInvariant, StockInvariantViolation } from './stock-invariant';

export interface InventoryLine {
  sku: string;
  units: number;
}

export type ReserveOutcome = 'reserved' | 'refused' | 'timeout';
/** What the buyer was told about the payment; null when there was no reservation to pay for. */
export type PaymentOutcome = 'confirmed' | 'expired' | 'cancelled' | 'abandoned' | 'unknown';

export interface InventoryOrderRecord {
  orderId: string;
  /** The buyer's region. */
  region: string;
  lines: InventoryLine[];
  requestAtMs: number;
  reserve: ReserveOutcome;
  /** Why a reservation was refused, e.g. "sold-out", "home-unreachable". */
  reason?: string;
  /** When the buyer got the answer (null: timed out). */
  answeredAtMs: number | null;
  payment: PaymentOutcome | null;
  paymentAtMs: number | null;
}

export type StockEventKind = 'take' | 'release' | 'sell';

export interface StockEvent {
  timeMs: number;
  /** The warehouse (node or region) whose stock changed. */
  site: string;
  orderId: string;
  sku: string;
  units: number;
  kind: StockEventKind;
  /** For a release: expired, cancelled or refused (a cart that did not complete). */
  cause?: 'expired' | 'cancelled' | 'refused';
}

export interface InventoryCheckInput {
  /** Units of each variant at the start, summed over every warehouse. */
  initialStock: Readonly<Record<string, number>>;
  orders: readonly InventoryOrderRecord[];
  stockEvents: readonly StockEvent[];
}

export interface UnresolvedHold {
  orderId: string;
  site: string;
  sku: string;
  /** Units taken and neither sold nor released at the end (negative: released or sold more than taken). */
  openUnits: number;
}

export interface NonAtomicCart {
  orderId: string;
  detail: string;
}

export interface UndersoldOrder {
  orderId: string;
  region: string;
  timeMs: number;
  reason: string;
}

export interface SellOut {
  sku: string;
  stock: number;
  unitsSold: number;
  oversoldUnits: number;
  /** When the unit that emptied the stock was sold; null: never sold out. */
  soldOutAtMs: number | null;
}

export interface InventoryCheckResult {
  verdict: 'holds' | 'violated';
  /** Variants sold beyond their stock (the stock invariant). */
  oversell: StockInvariantViolation[];
  oversoldUnits: number;
  unresolvedHolds: UnresolvedHold[];
  nonAtomicCarts: NonAtomicCart[];
  /** Orders refused or timed out while every unit they asked for was still free somewhere. */
  undersold: UndersoldOrder[];
  sellOut: SellOut[];
  unitsSold: number;
  ordersReserved: number;
  ordersRefused: number;
  summary: string;
}

const KINDS: readonly StockEventKind[] = ['take', 'release', 'sell'];

function validate(input: InventoryCheckInput): void {
  for (const [sku, units] of Object.entries(input.initialStock)) {
    if (!Number.isInteger(units) || units < 0) throw new OptionError(`checkInventory initialStock.${sku}: got ${units}; allowed: an integer ≥ 0`);
  }
  const ids = new Set<string>();
  for (const o of input.orders) {
    if (ids.has(o.orderId)) throw new OptionError(`checkInventory orders: order "${o.orderId}" appears twice; allowed: one record per order`);
    ids.add(o.orderId);
    if (o.lines.length === 0) throw new OptionError(`checkInventory orders: order "${o.orderId}" has no lines; allowed: a cart of one or more lines`);
    for (const l of o.lines) {
      if (!(l.sku in input.initialStock)) throw new OptionError(`checkInventory orders: order "${o.orderId}" asks for unknown sku "${l.sku}"; allowed: a sku of initialStock`);
      if (!Number.isInteger(l.units) || l.units < 1) throw new OptionError(`checkInventory orders: order "${o.orderId}" line ${l.sku} has ${l.units} units; allowed: an integer ≥ 1`);
    }
    if (o.reserve !== 'reserved' && o.payment !== null) throw new OptionError(`checkInventory orders: order "${o.orderId}" was ${o.reserve} but has payment "${o.payment}"; allowed: payment null unless reserved`);
  }
  for (const e of input.stockEvents) {
    if (!KINDS.includes(e.kind)) throw new OptionError(`checkInventory stockEvents: kind "${e.kind}"; allowed: ${KINDS.join(' | ')}`);
    if (!(e.sku in input.initialStock)) throw new OptionError(`checkInventory stockEvents: unknown sku "${e.sku}" (order ${e.orderId}); allowed: a sku of initialStock`);
    if (!ids.has(e.orderId)) throw new OptionError(`checkInventory stockEvents: a ${e.kind} of ${e.sku} at ${e.site} belongs to order "${e.orderId}", which no buyer placed`);
    if (!Number.isInteger(e.units) || e.units < 1) throw new OptionError(`checkInventory stockEvents: ${e.kind} of ${e.units} units for order ${e.orderId}; allowed: an integer ≥ 1`);
  }
}

/** Checks a finished sale. The stock events need not be sorted. */
export function checkInventory(input: InventoryCheckInput): InventoryCheckResult {
  validate(input);
  const events = input.stockEvents.slice().sort((a, b) => a.timeMs - b.timeMs);

  // Oversell: the stock invariant over every unit sold (a sale of n units is n sales).
  const sales = events.filter((e) => e.kind === 'sell').flatMap((e) => Array.from({ length: e.units }, () => ({ timeMs: e.timeMs, site: e.site, sku: e.sku, sold: true })));
  const stockResult = checkStockInvariant(sales, input.initialStock);
  const oversoldUnits = stockResult.violations.reduce((s, v) => s + v.oversoldUnits, 0);

  // Holds: per (order, site, sku), taken − sold − released must end at 0.
  const open = new Map<string, UnresolvedHold>();
  const soldByOrderSku = new Map<string, number>();
  for (const e of events) {
    const key = `${e.orderId}\u0000${e.site}\u0000${e.sku}`;
    const hold = open.get(key) ?? { orderId: e.orderId, site: e.site, sku: e.sku, openUnits: 0 };
    hold.openUnits += e.kind === 'take' ? e.units : -e.units;
    open.set(key, hold);
    if (e.kind === 'sell') soldByOrderSku.set(`${e.orderId}\u0000${e.sku}`, (soldByOrderSku.get(`${e.orderId}\u0000${e.sku}`) ?? 0) + e.units);
  }
  const unresolvedHolds = [...open.values()].filter((h) => h.openUnits !== 0);

  // Carts: every line fully sold, or none; and what the buyer was told must match.
  const nonAtomicCarts: NonAtomicCart[] = [];
  for (const o of input.orders) {
    const sold = o.lines.map((l) => soldByOrderSku.get(`${o.orderId}\u0000${l.sku}`) ?? 0);
    const full = o.lines.map((l, i) => sold[i] === l.units);
    const none = sold.every((s) => s === 0);
    const described = o.lines.map((l, i) => `${l.sku} ${sold[i]}/${l.units}`).join(', ');
    if (!none && !full.every(Boolean)) nonAtomicCarts.push({ orderId: o.orderId, detail: `partly sold: ${described}` });
    else if (o.payment === 'confirmed' && none) nonAtomicCarts.push({ orderId: o.orderId, detail: `buyer told confirmed, nothing sold: ${described}` });
    else if (!none && o.payment !== 'confirmed' && o.payment !== 'unknown') nonAtomicCarts.push({ orderId: o.orderId, detail: `buyer told ${o.payment ?? o.reserve}, yet sold: ${described}` });
  }

  // Undersell: replay the system-wide free units (stock − taken + released) and look at each refusal.
  const free = new Map(Object.entries(input.initialStock));
  const refusals = input.orders
    .filter((o) => o.reserve !== 'reserved')
    .map((o) => ({ o, timeMs: o.answeredAtMs ?? o.requestAtMs }))
    .sort((a, b) => a.timeMs - b.timeMs);
  const undersold: UndersoldOrder[] = [];
  let i = 0;
  for (const { o, timeMs } of refusals) {
    for (; i < events.length && events[i].timeMs <= timeMs; i++) {
      const e = events[i];
      if (e.kind === 'take') free.set(e.sku, free.get(e.sku)! - e.units);
      else if (e.kind === 'release') free.set(e.sku, free.get(e.sku)! + e.units);
    }
    if (o.lines.every((l) => free.get(l.sku)! >= l.units)) undersold.push({ orderId: o.orderId, region: o.region, timeMs, reason: o.reserve === 'timeout' ? 'timeout' : o.reason ?? 'refused' });
  }

  // Time to sell out: when the cumulative units sold of a variant reached its stock.
  const sellOut: SellOut[] = Object.entries(input.initialStock).map(([sku, stock]) => ({ sku, stock, unitsSold: 0, oversoldUnits: 0, soldOutAtMs: stock === 0 ? 0 : null }));
  const bySku = new Map(sellOut.map((s) => [s.sku, s]));
  for (const e of events) {
    if (e.kind !== 'sell') continue;
    const s = bySku.get(e.sku)!;
    s.unitsSold += e.units;
    if (s.soldOutAtMs === null && s.unitsSold >= s.stock) s.soldOutAtMs = e.timeMs;
  }
  for (const s of sellOut) s.oversoldUnits = Math.max(0, s.unitsSold - s.stock);

  const unitsSold = sellOut.reduce((sum, s) => sum + s.unitsSold, 0);
  const ordersReserved = input.orders.filter((o) => o.reserve === 'reserved').length;
  const violated = oversoldUnits > 0 || unresolvedHolds.length > 0 || nonAtomicCarts.length > 0;
  const parts = [
    oversoldUnits > 0 ? `OVERSOLD ${oversoldUnits} units over ${stockResult.violations.length} variants` : 'no oversell',
    unresolvedHolds.length > 0 ? `${unresolvedHolds.length} holds never resolved (first: order ${unresolvedHolds[0].orderId}, ${unresolvedHolds[0].sku} at ${unresolvedHolds[0].site})` : 'every hold resolved',
    nonAtomicCarts.length > 0 ? `${nonAtomicCarts.length} carts not all-or-nothing (first: ${nonAtomicCarts[0].orderId}: ${nonAtomicCarts[0].detail})` : 'carts all-or-nothing',
    `${undersold.length} orders undersold`,
  ];
  return {
    verdict: violated ? 'violated' : 'holds',
    oversell: stockResult.violations,
    oversoldUnits,
    unresolvedHolds,
    nonAtomicCarts,
    undersold,
    sellOut,
    unitsSold,
    ordersReserved,
    ordersRefused: input.orders.length - ordersReserved,
    summary: `${violated ? 'VIOLATED' : 'holds'}: ${parts.join('; ')}`,
  };
}
