// Proves the three inventory strategies behave as the lesson says, in scenarios small enough to
// reason about: CRDT stock oversells the last units when the country splits, escrow does not and
// keeps selling locally what it holds, rights move on demand, home region refuses a variant whose
// home is cut off, abandoned holds expire and their units sell again, a crashed warehouse comes
// back from its disk with every hold resolved and no unit created or lost, and a cart is
// all-or-nothing.
import { describe, expect, it } from 'vitest';
import { Simulation, scheduleFaults } from '../../../lib/sim';
import type { FaultSpec } from '../../../lib/sim';
import { FlashSaleOrder, flashSaleCatalogue, flashSaleOrders } from '../../../lib/workload';
import { InventoryStrategy, inventoryCluster, splitStock } from '../../../lib/strategies/inventory';
import type { InventoryTiming } from '../../../lib/strategies/inventory';

const catalogue = flashSaleCatalogue({ styles: 1, colours: ['black'], sizes: ['M', 'L'] });
const M = 'kurta-01/black/M';
const L = 'kurta-01/black/L';

function buy(orderId: string, atMs: number, region: string, lines: Array<[string, number]>, intent: FlashSaleOrder['intent'] = 'pays', decideAfterMs = 100): FlashSaleOrder {
  return { orderId, atMs, region, lines: lines.map(([sku, units]) => ({ sku, units })), intent, decideAfterMs };
}

function run(strategy: InventoryStrategy, stock: Record<string, Record<string, number>>, orders: FlashSaleOrder[], faults: FaultSpec[] = [], untilMs = 15_000, timing: Partial<InventoryTiming> = {}) {
  const sim = new Simulation({ seed: 7 });
  const cluster = inventoryCluster({ sim, strategy, catalogue, stock, timing });
  cluster.place(orders);
  scheduleFaults(sim, faults);
  sim.run(untilMs);
  return { sim, cluster, result: cluster.check() };
}

const split = { kind: 'partition' as const, sideA: ['wh-mumbai'], sideB: ['wh-delhi'], atMs: 100, healAtMs: 3000 };
/** Ten buyers on each side of the partition, all for M, spread over a second. */
const rush = (from: number) => ['mumbai', 'delhi'].flatMap((region) => Array.from({ length: 10 }, (_, i) => buy(`${region}-${from + i}`, 500 + i * 100, region, [[M, 1]])));

describe('inventory strategies under a partition', () => {
  it('CRDT stock: both sides sell the same units, and the checker counts the oversell', () => {
    const { result } = run('crdt', { mumbai: { [M]: 3, [L]: 0 }, delhi: { [M]: 2, [L]: 0 } }, rush(0), [split]);
    expect(result.verdict).toBe('violated');
    expect(result.oversell[0].sku).toBe(M);
    // Each side saw all 5 units and sold them: 10 sold of 5.
    expect(result.oversoldUnits).toBe(5);
  });

  it('escrow: each side sells only the rights it holds; nothing oversold, every hold resolved', () => {
    const { result, cluster } = run('escrow', { mumbai: { [M]: 3, [L]: 0 }, delhi: { [M]: 2, [L]: 0 } }, rush(0), [split]);
    expect(result.verdict).toBe('holds');
    expect(result.oversoldUnits).toBe(0);
    const soldIn = (region: string) => cluster.log.stockEvents.filter((e) => e.kind === 'sell' && e.site === region).length;
    expect(soldIn('mumbai')).toBe(3);
    expect(soldIn('delhi')).toBe(2);
  });

  it('escrow: rights move on demand to the region that has buyers and no stock', () => {
    const orders = Array.from({ length: 4 }, (_, i) => buy(`d${i}`, 200 + i * 300, 'delhi', [[M, 1]]));
    const { result, cluster } = run('escrow', { mumbai: { [M]: 4, [L]: 0 }, delhi: { [M]: 0, [L]: 0 } }, orders);
    expect(result.unitsSold).toBe(4);
    expect(cluster.log.transfers.length).toBeGreaterThan(0);
    expect(cluster.log.transfers.every((t) => t.from === 'mumbai' && t.to === 'wh-delhi')).toBe(true);
    // The first order waited for a round trip to Mumbai (28 ms); later ones sold from rights already moved.
    const latency = cluster.log.orders.map((o) => o.answeredAtMs! - o.requestAtMs);
    expect(latency[0]).toBeGreaterThan(28);
    expect(Math.min(...latency.slice(1))).toBeLessThan(5);
  });

  it('escrow: a cut-off region sells what it holds and refuses the rest (undersell, never oversell)', () => {
    const orders = Array.from({ length: 3 }, (_, i) => buy(`d${i}`, 500 + i * 100, 'delhi', [[M, 1]]));
    const { result } = run('escrow', { mumbai: { [M]: 5, [L]: 0 }, delhi: { [M]: 1, [L]: 0 } }, orders, [split]);
    expect(result.unitsSold).toBe(1);
    expect(result.undersold.length).toBe(2);
    expect(result.oversoldUnits).toBe(0);
  });

  it('home region: a variant whose home is cut off cannot be sold from the other side', () => {
    const orders = [buy('d1', 500, 'delhi', [[M, 1]]), buy('m1', 500, 'mumbai', [[M, 1]])];
    const { result, cluster } = run('home-region', { mumbai: { [M]: 3, [L]: 0 }, delhi: { [M]: 2, [L]: 0 } }, orders, [split], 15_000);
    expect(cluster.homeOf[M]).toBe('mumbai');
    const d1 = cluster.log.orders.find((o) => o.orderId === 'd1')!;
    expect(d1).toMatchObject({ reserve: 'refused', reason: 'home-unreachable' });
    expect(result.unitsSold).toBe(1);
    expect(result.undersold.map((u) => u.orderId)).toEqual(['d1']);
  });
});

describe('holds, carts and crashes', () => {
  it.each(['home-region', 'crdt', 'escrow'] as const)('%s: an abandoned hold expires and its unit sells to the next buyer', (strategy) => {
    const orders = [buy('gone', 100, 'mumbai', [[L, 1]], 'abandons'), buy('early', 1000, 'mumbai', [[L, 1]]), buy('late', 5500, 'mumbai', [[L, 1]])];
    const { result, cluster } = run(strategy, { mumbai: { [M]: 0, [L]: 1 }, delhi: { [M]: 0, [L]: 0 } }, orders);
    const byId = Object.fromEntries(cluster.log.orders.map((o) => [o.orderId, o]));
    expect(byId.early.reserve).toBe('refused');
    expect(byId.late).toMatchObject({ reserve: 'reserved', payment: 'confirmed' });
    expect(cluster.log.stockEvents.find((e) => e.orderId === 'gone' && e.kind === 'release')?.cause).toBe('expired');
    expect(result.verdict).toBe('holds');
  });

  it('escrow: a two-variant cart is refused whole when one line cannot get rights in time; nothing stays held', () => {
    const orders = [buy('cart', 500, 'delhi', [[M, 1], [L, 1]])];
    const { result, cluster } = run('escrow', { mumbai: { [M]: 0, [L]: 3 }, delhi: { [M]: 1, [L]: 0 } }, orders, [split]);
    expect(cluster.log.orders[0]).toMatchObject({ reserve: 'refused' });
    expect(cluster.log.stockEvents).toEqual([]);
    expect(result.verdict).toBe('holds');
  });

  it('escrow: after the heal the same cart waits for the rights and is reserved whole', () => {
    const orders = [buy('cart', 500, 'delhi', [[M, 1], [L, 1]])];
    const { result, cluster } = run('escrow', { mumbai: { [M]: 0, [L]: 3 }, delhi: { [M]: 1, [L]: 0 } }, orders);
    expect(cluster.log.orders[0]).toMatchObject({ reserve: 'reserved', payment: 'confirmed' });
    expect(result.sellOut.filter((s) => s.unitsSold === 1).map((s) => s.sku).sort()).toEqual([L, M].sort());
  });

  it.each(['home-region', 'crdt', 'escrow'] as const)('%s: a warehouse crash and restart loses no hold and creates no unit', (strategy) => {
    const regions = ['mumbai', 'delhi', 'bangalore'];
    const cat = flashSaleCatalogue({ styles: 2 });
    const orders = flashSaleOrders({ seed: 3, catalogue: cat, regions, durationMs: 3000, peakPerSec: 200 });
    const sim = new Simulation({ seed: 3 });
    const cluster = inventoryCluster({ sim, strategy, catalogue: cat, stock: splitStock(cat, regions, 6) });
    cluster.place(orders);
    scheduleFaults(sim, [{ kind: 'crash', node: 'wh-delhi', atMs: 700, restartAtMs: 2500 }]);
    sim.run(20_000);
    const result = cluster.check();
    expect(result.unresolvedHolds).toEqual([]);
    expect(result.nonAtomicCarts).toEqual([]);
    if (strategy !== 'crdt') {
      expect(result.oversoldUnits).toBe(0);
      // Conservation: what can still be sold plus what was sold is the opening stock, per variant.
      const sellable = cluster.sellable();
      for (const v of cat) {
        const left = Object.values(sellable).reduce((sum, perSku) => sum + perSku[v.sku], 0);
        expect(left + result.sellOut.find((s) => s.sku === v.sku)!.unitsSold, v.sku).toBe(cluster.initialStock[v.sku]);
      }
    }
    expect(cluster.log.orders.some((o) => o.region === 'delhi' && o.reserve === 'timeout')).toBe(true);
  });
});

describe('home region across two homes', () => {
  it('a partition between the payment and one home breaks the cart, and the checker says so', () => {
    // M's home is Mumbai, L's is Delhi. The cart is reserved at 100 ms, paid at ~500 ms; Delhi is
    // cut off from 300 ms until after its hold expires (4 s TTL + 1 s grace).
    const orders = [buy('cart', 100, 'mumbai', [[M, 1], [L, 1]], 'pays', 400)];
    const cut = { kind: 'partition' as const, sideA: ['wh-mumbai'], sideB: ['wh-delhi'], atMs: 300, healAtMs: 6000 };
    const { result, cluster } = run('home-region', { mumbai: { [M]: 1, [L]: 1 }, delhi: { [M]: 0, [L]: 0 } }, orders, [cut]);
    expect([cluster.homeOf[M], cluster.homeOf[L]]).toEqual(['mumbai', 'delhi']);
    // The buyer's three payment attempts (1.5 s apart) all end before the heal: it never hears.
    expect(cluster.log.orders[0]).toMatchObject({ reserve: 'reserved', payment: 'unknown' });
    expect(result.nonAtomicCarts).toEqual([{ orderId: 'cart', detail: `partly sold: ${M} 1/1, ${L} 0/1` }]);
    expect(result.verdict).toBe('violated');
  });

  it('without the partition the same cart is sold whole', () => {
    const orders = [buy('cart', 100, 'mumbai', [[M, 1], [L, 1]], 'pays', 400)];
    const { result, cluster } = run('home-region', { mumbai: { [M]: 1, [L]: 1 }, delhi: { [M]: 0, [L]: 0 } }, orders);
    expect(cluster.log.orders[0]).toMatchObject({ reserve: 'reserved', payment: 'confirmed' });
    expect(result.verdict).toBe('holds');
    expect(result.unitsSold).toBe(2);
  });
});

describe('determinism', () => {
  it.each(['home-region', 'crdt', 'escrow'] as const)('%s: the same seed gives the same sale, event for event', (strategy) => {
    const regions = ['mumbai', 'delhi', 'bangalore'];
    const cat = flashSaleCatalogue({ styles: 2 });
    const once = () => {
      const sim = new Simulation({ seed: 11 });
      const cluster = inventoryCluster({ sim, strategy, catalogue: cat, stock: splitStock(cat, regions, 5) });
      cluster.place(flashSaleOrders({ seed: 11, catalogue: cat, regions, durationMs: 2000, peakPerSec: 150 }));
      scheduleFaults(sim, [{ kind: 'partition', sideA: ['wh-mumbai'], sideB: ['wh-delhi', 'wh-bangalore'], atMs: 200, healAtMs: 1500 }]);
      sim.run(9000);
      return cluster.log;
    };
    const a = once();
    expect(a.stockEvents.length).toBeGreaterThan(20);
    expect(once()).toEqual(a);
  });
});

describe('options', () => {
  it('rejects a bad strategy, unknown skus, a single region and bad timing precisely', () => {
    const sim = new Simulation({ seed: 1 });
    const stock = { mumbai: { [M]: 1 }, delhi: { [M]: 1 } };
    expect(() => inventoryCluster({ sim, strategy: 'paxos' as InventoryStrategy, catalogue, stock })).toThrow(/strategy.*paxos/);
    expect(() => inventoryCluster({ sim, strategy: 'escrow', catalogue, stock: { mumbai: { tv: 1 }, delhi: {} } })).toThrow(/unknown sku "tv"/);
    expect(() => inventoryCluster({ sim, strategy: 'escrow', catalogue, stock: { mumbai: {} } })).toThrow(/at least 2/);
    expect(() => inventoryCluster({ sim, strategy: 'escrow', catalogue, stock, timing: { holdTtlMs: -1 } })).toThrow(/timing.holdTtlMs/);
    expect(() => inventoryCluster({ sim, strategy: 'escrow', catalogue, stock, timing: { ttl: 1 } as never })).toThrow(/ttl/);
    expect(() => splitStock(catalogue, ['a', 'b'], 3, [1])).toThrow(/one weight per region/);
  });

  it('splits stock by weight with largest remainders, preserving the total', () => {
    const s = splitStock(catalogue, ['a', 'b', 'c'], 10, [4, 3, 2]);
    expect([s.a[M], s.b[M], s.c[M]]).toEqual([5, 3, 2]);
  });
});
