// Proves the flash-sale workload has the shape the lesson relies on: the same seed gives the same
// sale, the burst at T0 decays, M and L are asked for more than XS, hot styles more than cold,
// regional shares and abandoned carts come out near their settings, and bad options are refused.
import { describe, expect, it } from 'vitest';
import { flashSaleCatalogue, flashSaleOrders, flashSaleRatePerSec } from '../../lib/workload';

const regions = ['mumbai', 'delhi', 'bangalore', 'kolkata'];
const catalogue = flashSaleCatalogue({ styles: 4 });

describe('flashSaleOrders', () => {
  const orders = flashSaleOrders({ seed: 5, catalogue, regions, regionShares: [4, 3, 2, 1], peakPerSec: 600 });

  it('is a pure function of its seed', () => {
    expect(flashSaleOrders({ seed: 5, catalogue, regions, regionShares: [4, 3, 2, 1], peakPerSec: 600 })).toEqual(orders);
    expect(flashSaleOrders({ seed: 6, catalogue, regions, regionShares: [4, 3, 2, 1], peakPerSec: 600 })).not.toEqual(orders);
  });

  it('opens with a burst that decays', () => {
    const inSecond = (s: number) => orders.filter((o) => o.atMs >= s * 1000 && o.atMs < (s + 1) * 1000).length;
    expect(inSecond(0)).toBeGreaterThan(2 * inSecond(2));
    expect(inSecond(2)).toBeGreaterThan(inSecond(8));
    expect(flashSaleRatePerSec(0, 600, 2000, 20)).toBe(620);
  });

  it('skews demand to M and L, to the first style, and to the regions with the larger share', () => {
    const units = (pred: (sku: string) => boolean) => orders.flatMap((o) => o.lines).filter((l) => pred(l.sku)).length;
    expect(units((s) => s.endsWith('/M'))).toBeGreaterThan(3 * units((s) => s.endsWith('/XS')));
    expect(units((s) => s.startsWith('kurta-01'))).toBeGreaterThan(2 * units((s) => s.startsWith('kurta-04')));
    const share = (r: string) => orders.filter((o) => o.region === r).length / orders.length;
    expect(share('mumbai')).toBeGreaterThan(0.33);
    expect(share('kolkata')).toBeLessThan(0.15);
  });

  it('gives carts of distinct variants and abandons about a quarter', () => {
    expect(orders.every((o) => new Set(o.lines.map((l) => l.sku)).size === o.lines.length)).toBe(true);
    expect(orders.some((o) => o.lines.length === 3)).toBe(true);
    const abandoned = orders.filter((o) => o.intent === 'abandons').length / orders.length;
    expect(abandoned).toBeGreaterThan(0.2);
    expect(abandoned).toBeLessThan(0.3);
  });

  it('refuses bad options precisely', () => {
    expect(() => flashSaleOrders({ seed: 1, catalogue, regions, regionShares: [1] })).toThrow(/regionShares: got 1 shares for 4 regions/);
    expect(() => flashSaleOrders({ seed: 1, catalogue, regions, peakPerSec: -1 })).toThrow(/peakPerSec/);
    expect(() => flashSaleOrders({ seed: 1, catalogue, regions, maxOrders: 10 })).toThrow(/maxOrders/);
    expect(() => flashSaleOrders({ seed: 1, catalogue, regions, sizeWeights: { M: 1 } })).toThrow(/size "XS" has no weight/);
    expect(() => flashSaleCatalogue({ sizes: [] })).toThrow(/sizes/);
  });
});
