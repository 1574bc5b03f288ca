// Proves the flash-sale inventory checker finds each thing it claims to find, from hand-written
// histories: a clean sale holds; an oversold variant, a hold never resolved, a half-sold cart, a
// buyer told "confirmed" for nothing or "refused" for a sale, and an order refused while stock was
// free elsewhere are each reported; sell-out time is the sale of the last unit; bad input is
// rejected with a precise message.
import { describe, expect, it } from 'vitest';
import { checkInventory, InventoryOrderRecord, StockEvent } from '../../lib/check';
import { OptionError } from '../../lib/util';

const order = (orderId: string, lines: Array<[string, number]>, o: Partial<InventoryOrderRecord> = {}): InventoryOrderRecord => ({
  orderId, region: 'mumbai', lines: lines.map(([sku, units]) => ({ sku, units })), requestAtMs: 0,
  reserve: 'reserved', answeredAtMs: 1, payment: 'confirmed', paymentAtMs: 2, ...o,
});
const ev = (timeMs: number, orderId: string, sku: string, kind: StockEvent['kind'], units = 1, site = 'mumbai'): StockEvent => ({ timeMs, site, orderId, sku, units, kind });
const stock = { 'kurta/M': 2, 'kurta/L': 1 };

describe('checkInventory', () => {
  it('holds for a clean sale: sold within stock, every hold ended, carts whole, nothing refused', () => {
    const r = checkInventory({
      initialStock: stock,
      orders: [order('a', [['kurta/M', 1], ['kurta/L', 1]]), order('b', [['kurta/M', 1]], { payment: 'abandoned' })],
      stockEvents: [ev(1, 'a', 'kurta/M', 'take'), ev(1, 'a', 'kurta/L', 'take'), ev(1, 'b', 'kurta/M', 'take'), ev(5, 'a', 'kurta/M', 'sell'), ev(5, 'a', 'kurta/L', 'sell'), ev(9, 'b', 'kurta/M', 'release')],
    });
    expect(r.verdict).toBe('holds');
    expect(r.summary).toBe('holds: no oversell; every hold resolved; carts all-or-nothing; 0 orders undersold');
    expect(r.unitsSold).toBe(2);
    expect(r.sellOut.find((s) => s.sku === 'kurta/L')).toMatchObject({ unitsSold: 1, soldOutAtMs: 5 });
    expect(r.sellOut.find((s) => s.sku === 'kurta/M')!.soldOutAtMs).toBeNull();
  });

  it('counts oversold units per variant (two regions sold the last L)', () => {
    const r = checkInventory({
      initialStock: stock,
      orders: [order('a', [['kurta/L', 1]]), order('b', [['kurta/L', 1]], { region: 'delhi' })],
      stockEvents: [ev(1, 'a', 'kurta/L', 'take'), ev(1, 'b', 'kurta/L', 'take', 1, 'delhi'), ev(3, 'a', 'kurta/L', 'sell'), ev(4, 'b', 'kurta/L', 'sell', 1, 'delhi')],
    });
    expect(r.verdict).toBe('violated');
    expect(r.oversoldUnits).toBe(1);
    expect(r.oversell[0]).toMatchObject({ sku: 'kurta/L', unitsSold: 2, firstOversale: { site: 'delhi', timeMs: 4 } });
    expect(r.sellOut.find((s) => s.sku === 'kurta/L')).toMatchObject({ soldOutAtMs: 3, oversoldUnits: 1 });
  });

  it('reports a hold that was taken and never sold or released (a lost reservation)', () => {
    const r = checkInventory({ initialStock: stock, orders: [order('a', [['kurta/M', 1]], { payment: 'abandoned' })], stockEvents: [ev(1, 'a', 'kurta/M', 'take')] });
    expect(r.verdict).toBe('violated');
    expect(r.unresolvedHolds).toEqual([{ orderId: 'a', site: 'mumbai', sku: 'kurta/M', openUnits: 1 }]);
  });

  it('reports a hold released twice (units created from nothing)', () => {
    const r = checkInventory({ initialStock: stock, orders: [order('a', [['kurta/M', 1]], { payment: 'cancelled' })], stockEvents: [ev(1, 'a', 'kurta/M', 'take'), ev(2, 'a', 'kurta/M', 'release'), ev(3, 'a', 'kurta/M', 'release')] });
    expect(r.unresolvedHolds[0].openUnits).toBe(-1);
  });

  it('reports a cart sold in part, a buyer told confirmed with nothing sold, and a refused buyer whose unit was sold', () => {
    const r = checkInventory({
      initialStock: stock,
      orders: [
        order('half', [['kurta/M', 1], ['kurta/L', 1]], { payment: 'expired' }),
        order('empty', [['kurta/M', 1]]),
        order('phantom', [['kurta/M', 1]], { reserve: 'refused', reason: 'sold-out', payment: null, paymentAtMs: null }),
      ],
      stockEvents: [ev(1, 'half', 'kurta/M', 'take'), ev(1, 'half', 'kurta/L', 'take', 1, 'delhi'), ev(2, 'half', 'kurta/M', 'sell'), ev(6, 'half', 'kurta/L', 'release', 1, 'delhi'),
        ev(1, 'phantom', 'kurta/M', 'take'), ev(2, 'phantom', 'kurta/M', 'sell')],
    });
    expect(r.nonAtomicCarts.map((c) => c.orderId)).toEqual(['half', 'empty', 'phantom']);
    expect(r.nonAtomicCarts[0].detail).toBe('partly sold: kurta/M 1/1, kurta/L 0/1');
    expect(r.nonAtomicCarts[1].detail).toMatch(/^buyer told confirmed, nothing sold/);
    expect(r.nonAtomicCarts[2].detail).toMatch(/^buyer told refused, yet sold/);
  });

  it('accepts either whole outcome when the buyer never heard how the payment went', () => {
    const r = checkInventory({ initialStock: stock, orders: [order('a', [['kurta/M', 1]], { payment: 'unknown' })], stockEvents: [ev(1, 'a', 'kurta/M', 'take'), ev(2, 'a', 'kurta/M', 'sell')] });
    expect(r.verdict).toBe('holds');
  });

  it('counts undersell: refused while every asked unit was free somewhere, not when the units were held', () => {
    const r = checkInventory({
      initialStock: { 'kurta/L': 1 },
      orders: [
        order('early', [['kurta/L', 1]], { reserve: 'refused', reason: 'home-unreachable', answeredAtMs: 1, payment: null, paymentAtMs: null }),
        order('holder', [['kurta/L', 1]], { payment: 'abandoned' }),
        order('while-held', [['kurta/L', 1]], { reserve: 'refused', reason: 'sold-out', answeredAtMs: 3, payment: null, paymentAtMs: null }),
        order('after-release', [['kurta/L', 1]], { reserve: 'timeout', answeredAtMs: null, requestAtMs: 9, payment: null, paymentAtMs: null }),
      ],
      stockEvents: [ev(2, 'holder', 'kurta/L', 'take'), ev(8, 'holder', 'kurta/L', 'release')],
    });
    expect(r.undersold.map((u) => [u.orderId, u.reason])).toEqual([['early', 'home-unreachable'], ['after-release', 'timeout']]);
    expect(r.ordersRefused).toBe(3);
  });

  it('rejects bad input precisely', () => {
    expect(() => checkInventory({ initialStock: { x: -1 }, orders: [], stockEvents: [] })).toThrow(/initialStock.x: got -1/);
    expect(() => checkInventory({ initialStock: stock, orders: [order('a', [['tv', 1]])], stockEvents: [] })).toThrow(/unknown sku "tv"/);
    expect(() => checkInventory({ initialStock: stock, orders: [order('a', [['kurta/M', 1]]), order('a', [['kurta/M', 1]])], stockEvents: [] })).toThrow(/appears twice/);
    expect(() => checkInventory({ initialStock: stock, orders: [], stockEvents: [ev(1, 'ghost', 'kurta/M', 'take')] })).toThrow(/order "ghost", which no buyer placed/);
    expect(() => checkInventory({ initialStock: stock, orders: [order('a', [['kurta/M', 1]], { reserve: 'refused' })], stockEvents: [] })).toThrow(OptionError);
  });
});
