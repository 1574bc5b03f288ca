// Proves the stock checker accepts sales within stock, names the first oversale when there
// are more, and rejects bad input in one line.
import { describe, expect, it } from 'vitest';
import { checkStockInvariant } from '../../lib/check';
import { OptionError } from '../../lib/util';

const sale = (timeMs: number, site: string, sold = true) => ({ timeMs, site, sku: 'phone', sold });

describe('checkStockInvariant', () => {
  it('holds when confirmed sales stay within stock (refused orders do not count)', () => {
    const result = checkStockInvariant([sale(1, 'mumbai'), sale(2, 'delhi'), sale(3, 'delhi', false)], { phone: 2 });
    expect(result.verdict).toBe('holds');
  });
  it('is violated by the sale beyond the stock, in time order, whatever order the records come in', () => {
    const result = checkStockInvariant([sale(30, 'kolkata'), sale(10, 'mumbai'), sale(20, 'delhi')], { phone: 2 });
    expect(result.verdict).toBe('violated');
    expect(result.violations[0]).toMatchObject({ oversoldUnits: 1, unitsSold: 3, firstOversale: { site: 'kolkata', saleNumber: 3, timeMs: 30 } });
    expect(result.summary).toContain('phone sold 3 of 2');
  });
  it('rejects a negative stock and a sale of an unknown product', () => {
    expect(() => checkStockInvariant([], { phone: -1 })).toThrow(OptionError);
    expect(() => checkStockInvariant([{ ...sale(1, 'x'), sku: 'tv' }], { phone: 1 })).toThrow(/sku "tv" has no initial stock/);
  });
});
