import { describe, expect, it } from 'vitest';
import { LatencyHistogram, percentile } from '../../lib/stats';

describe('LatencyHistogram', () => {
  it('agrees with the exact nearest-rank percentile within its 3-digit precision', () => {
    const values: number[] = [];
    for (let i = 1; i <= 10_000; i++) values.push((i * 7919) % 10_007 / 10); // 0.1 … 1000 ms, scrambled
    const h = new LatencyHistogram();
    for (const v of values) h.record(v);
    for (const p of [50, 95, 99, 99.9]) {
      const exact = percentile(values, p);
      expect(Math.abs(h.percentileMs(p) - exact)).toBeLessThanOrEqual(exact * 0.001 + 0.001);
    }
    expect(h.count).toBe(10_000);
  });

  it('clamps and counts values above its range, and refuses bad input precisely', () => {
    const h = new LatencyHistogram({ highestMs: 100 });
    h.record(50);
    h.record(5000);
    expect(h.summary().clampedCount).toBe(1);
    expect(h.summary().maxMs).toBeCloseTo(100, 0);
    expect(() => h.record(-1)).toThrow(/latencyMs = -1 is not allowed/);
    expect(() => new LatencyHistogram().summary()).toThrow(/no latencies recorded/);
    expect(() => new LatencyHistogram({ significantDigits: 9 })).toThrow(/significantDigits = 9/);
  });
});
