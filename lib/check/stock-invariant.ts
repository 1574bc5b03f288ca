/**
 * The stock invariant: units sold never exceed units in stock.
 *
 * A CRDT counter promises that replicas agree, not that the value they agree on respects an
 * invariant. This checker judges the invariant from the record of sales, independent of any
 * replica's counter: for each product, the acknowledged sales in time order must never
 * exceed the initial stock. The first sale that does is the counterexample: a customer was
 * promised a unit that did not exist.
 */
import { OptionError } from '../util';

export interface StockSale {
  timeMs: number;
  /** Where the sale was made (a warehouse, a region). */
  site: string;
  sku: string;
  /** Only sales that were confirmed to the customer count. */
  sold: boolean;
}

export interface StockInvariantViolation {
  sku: string;
  initialStock: number;
  unitsSold: number;
  oversoldUnits: number;
  /** The first confirmed sale beyond the stock: number stock + 1 in time order. */
  firstOversale: { timeMs: number; site: string; saleNumber: number };
}

export interface StockInvariantResult {
  verdict: 'holds' | 'violated';
  violations: StockInvariantViolation[];
  summary: string;
}

/** Check units sold ≤ initial stock for every product in `initialStock`. */
export function checkStockInvariant(sales: readonly StockSale[], initialStock: Readonly<Record<string, number>>): StockInvariantResult {
  for (const [sku, units] of Object.entries(initialStock)) {
    if (!Number.isInteger(units) || units < 0) throw new OptionError(`checkStockInvariant initialStock.${sku}: got ${units}; allowed: an integer ≥ 0`);
  }
  const violations: StockInvariantViolation[] = [];
  for (const [sku, stock] of Object.entries(initialStock)) {
    const sold = sales.filter((s) => s.sku === sku && s.sold).slice().sort((a, b) => a.timeMs - b.timeMs);
    if (sold.length <= stock) continue;
    const first = sold[stock];
    violations.push({
      sku, initialStock: stock, unitsSold: sold.length, oversoldUnits: sold.length - stock,
      firstOversale: { timeMs: first.timeMs, site: first.site, saleNumber: stock + 1 },
    });
  }
  const unknown = sales.find((s) => !(s.sku in initialStock));
  if (unknown) throw new OptionError(`checkStockInvariant sales: a sale of sku "${unknown.sku}" has no initial stock; allowed: ${Object.keys(initialStock).join(', ')}`);
  const summary = violations.length === 0
    ? `holds: no product sold more units than it had (${Object.keys(initialStock).length} products)`
    : `VIOLATED: ${violations.map((v) => `${v.sku} sold ${v.unitsSold} of ${v.initialStock} (first oversale: unit ${v.firstOversale.saleNumber} at ${v.firstOversale.site}, ${v.firstOversale.timeMs.toFixed(0)} ms)`).join('; ')}`;
  return { verdict: violations.length === 0 ? 'holds' : 'violated', violations, summary };
}
