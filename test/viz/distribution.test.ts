// Proves histogramFigure counts every sample into shared bins and cdfFigure draws a monotone CDF ending at 1, with percentile markers at the nearest-rank values.
import { describe, expect, it } from 'vitest';
import { histogramFigure, binCounts, equalWidthBins } from '../../lib/viz/histogram';
import { cdfFigure, empiricalCdf } from '../../lib/viz/cdf';

const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms
const records = [
  ...values.map((v) => ({ strategy: 'async', latencyMs: v })),
  ...values.slice(0, 50).map((v) => ({ strategy: 'sync', latencyMs: v * 3 })),
];

describe('histogramFigure', () => {
  it('counts every value into equal-width bins, the maximum into the last bin', () => {
    const bins = equalWidthBins(0, 10, 5);
    expect(bins).toEqual({ start: 0, size: 2, count: 5 });
    expect(binCounts([0, 1.9, 2, 9.99, 10], bins)).toEqual([2, 1, 0, 0, 2]);
    expect(binCounts([4, 4], equalWidthBins(4, 4, 10))).toEqual([2]);
  });

  it('draws one bar trace per series on shared bins, counts summing to the sample count', () => {
    const fig = histogramFigure({ records, field: 'latencyMs', series: 'strategy', bins: 10, title: 'Write latency', xTitle: 'write latency (ms)', seed: 7 });
    expect(fig.data.map((t) => t.name)).toEqual(['async', 'sync']);
    expect(fig.data[0].x).toEqual(fig.data[1].x);
    expect((fig.data[0].x as number[]).length).toBe(10);
    const sum = (t: Record<string, unknown>) => (t.y as number[]).reduce((a, b) => a + b, 0);
    expect(sum(fig.data[0])).toBe(100);
    expect(sum(fig.data[1])).toBe(50);
    expect((fig.layout as any).yaxis.title.text).toBe('count (samples)');
    expect((fig.layout as any).annotations.map((a: any) => a.text)).toContain('seed 7');
  });

  it('marks requested percentiles with vertical lines labelled with value and unit', () => {
    const fig = histogramFigure({ values, title: 'Lag', xTitle: 'lag (ms)', seed: 1, percentiles: [50, 99] });
    const layout = fig.layout as any;
    expect(layout.shapes.map((s: any) => s.x0)).toEqual([50, 99]);
    expect(layout.annotations.map((a: any) => a.text)).toEqual(['P50 = 50 ms', 'P99 = 99 ms', 'seed 1']);
  });

  it('rejects bad input naming the option', () => {
    expect(() => histogramFigure({ values: [], title: 't', xTitle: 'lag (ms)', seed: 1 })).toThrow(/values = an array of 0/);
    expect(() => histogramFigure({ values: [1, NaN], title: 't', xTitle: 'lag (ms)', seed: 1 })).toThrow(/values\[1\] = NaN/);
    expect(() => histogramFigure({ records, field: 'latency' as any, title: 't', xTitle: 'lag (ms)', seed: 1 })).toThrow(
      /field = "latency" is not allowed; allowed: a field of the records: strategy, latencyMs/);
    expect(() => histogramFigure({ values, bins: 0, title: 't', xTitle: 'lag (ms)', seed: 1 })).toThrow(/bins = 0 .*1 to 1000/);
    expect(() => histogramFigure({ values, title: 't', xTitle: 'lag (ms)', seed: 1, percentiles: [0] })).toThrow(/percentiles\[0\] = 0/);
  });
});

describe('cdfFigure', () => {
  it('is non-decreasing, starts at 0 and ends at (max, 1)', () => {
    const fig = cdfFigure({ values: [5, 1, 3, 3, 2], title: 'Lag CDF', xTitle: 'lag (ms)', seed: 3 });
    const { x, y } = fig.data[0] as { x: number[]; y: number[] };
    expect(x).toEqual([1, 1, 2, 3, 5]);
    expect(y).toEqual([0, 0.2, 0.4, 0.8, 1]);
    for (let i = 1; i < y.length; i++) expect(y[i]).toBeGreaterThanOrEqual(y[i - 1]);
    expect((fig.layout as any).yaxis.title.text).toBe('fraction of samples ≤ x');
  });

  it('thins large samples to maxPoints while staying exact and ending at 1', () => {
    const big = Array.from({ length: 10000 }, (_, i) => (i * 7919) % 10000);
    const cdf = empiricalCdf(big, 101);
    expect(cdf.x.length).toBeLessThanOrEqual(102);
    expect(cdf.x[cdf.x.length - 1]).toBe(9999);
    expect(cdf.y[cdf.y.length - 1]).toBe(1);
    // Each drawn point is exact: the fraction of values ≤ x.
    cdf.x.slice(1).forEach((x, i) => expect(cdf.y[i + 1]).toBe((x + 1) / 10000));
  });

  it('draws one line per series and per-series percentile markers in the series colour', () => {
    const fig = cdfFigure({ records, field: 'latencyMs', series: 'strategy', title: 'Write latency CDF', xTitle: 'write latency (ms)', seed: 9, percentiles: [95] });
    expect(fig.data.map((t) => t.name)).toEqual(['async', 'sync']);
    const layout = fig.layout as any;
    expect(layout.shapes.map((s: any) => s.x0)).toEqual([95, 144]);
    expect(layout.shapes[1].line.color).toBe((fig.data[1].line as any).color);
    expect(layout.annotations[1].text).toBe('sync P95 = 144 ms');
  });

  it('refuses values together with records', () => {
    expect(() => cdfFigure({ values, records, field: 'latencyMs', title: 't', xTitle: 'x (ms)', seed: 1 })).toThrow(/either values, or records/);
  });
});
