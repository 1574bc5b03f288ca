// Proves Poisson arrivals are deterministic per seed, follow the rate of each period, and respect their limit.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/sim';
import { keyChooser, poissonArrivalTimesMs } from '../../lib/workload';

describe('poissonArrivalTimesMs', () => {
  it('is the same for the same seed and ascending inside each period', () => {
    const periods = [{ startMs: 0, endMs: 1000, perSec: 500 }];
    const a = poissonArrivalTimesMs(new Rng(7), periods);
    const b = poissonArrivalTimesMs(new Rng(7), periods);
    expect(a).toEqual(b);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
  });

  it('produces about rate × duration arrivals per period (within 5 standard deviations)', () => {
    const periods = [
      { startMs: 0, endMs: 10_000, perSec: 1000 },
      { startMs: 10_000, endMs: 20_000, perSec: 100 },
    ];
    const times = poissonArrivalTimesMs(new Rng(41), periods);
    const first = times.filter((t) => t < 10_000).length;
    const second = times.length - first;
    expect(Math.abs(first - 10_000)).toBeLessThan(5 * Math.sqrt(10_000));
    expect(Math.abs(second - 1000)).toBeLessThan(5 * Math.sqrt(1000));
  });

  it('gaps are exponential: their mean is 1/rate and their coefficient of variation near 1', () => {
    const times = poissonArrivalTimesMs(new Rng(3), [{ startMs: 0, endMs: 100_000, perSec: 200 }]);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(mean).toBeGreaterThan(4.8);
    expect(mean).toBeLessThan(5.2);
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
  });

  it('throws when the limit is reached', () => {
    expect(() => poissonArrivalTimesMs(new Rng(1), [{ startMs: 0, endMs: 1000, perSec: 1000 }], 10)).toThrow(/more than 10 arrivals/);
  });
});

describe('keyChooser', () => {
  it('sends the hot share of operations to the hot keys', () => {
    const choose = keyChooser({ keyCount: 1000, hotShare: 0.5, hotKeyCount: 2 });
    const rng = new Rng(5);
    let hot = 0;
    for (let i = 0; i < 10_000; i++) if (['k0', 'k1'].includes(choose(rng))) hot++;
    expect(hot / 10_000).toBeGreaterThan(0.45);
    expect(hot / 10_000).toBeLessThan(0.55);
  });

  it('rejects more hot keys than keys', () => {
    expect(() => keyChooser({ keyCount: 2, hotKeyCount: 3 })).toThrow(/hotKeyCount: got 3; allowed: at most keyCount/);
  });
});
