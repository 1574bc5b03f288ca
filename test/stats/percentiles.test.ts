// Proves the nearest-rank percentile and summary helpers return the documented values on known inputs.
import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../lib/stats/percentiles';

describe('percentile (nearest rank)', () => {
  it('returns the value at rank ceil(p/100 * n) of 1..100', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted on purpose
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('always returns a measured value, never an interpolation', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([7], 99)).toBe(7);
  });

  it('does not reorder the caller array', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects empty input, non-finite values and p outside 0..100 with the offending value', () => {
    expect(() => percentile([], 50)).toThrow(/values = an empty array.*non-empty/);
    expect(() => percentile([1, NaN], 50)).toThrow(/values\[1\] = NaN/);
    expect(() => percentile([1, 2], 101)).toThrow(/p = 101 .*0 to 100/);
  });
});

describe('summarize', () => {
  it('gives count, min, mean, P50/P95/P99 and max', () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1); // 1..200
    expect(summarize(values)).toEqual({ count: 200, min: 1, mean: 100.5, p50: 100, p95: 190, p99: 198, max: 200 });
  });

  it('rejects Infinity', () => {
    expect(() => summarize([1, Infinity])).toThrow(/values\[1\] = Infinity/);
  });
});
