// Proves timeSeriesFigure draws one sorted line per series, threshold lines at the given y, units and seed note, and names bad options precisely.
import { describe, expect, it } from 'vitest';
import { timeSeriesFigure } from '../../lib/viz/time-series';

const lag = [
  { timeMs: 200, replica: 'delhi', lagMs: 12 },
  { timeMs: 0, replica: 'delhi', lagMs: 5 },
  { timeMs: 100, replica: 'chennai', lagMs: 40 },
  { timeMs: 100, replica: 'delhi', lagMs: 9 },
  { timeMs: 0, replica: 'chennai', lagMs: 30 },
];

const base = {
  records: lag, x: 'timeMs' as const, y: 'lagMs' as const, series: 'replica' as const,
  title: 'Replication lag per replica', xTitle: 'time (ms)', yTitle: 'replication lag (ms)', seed: 42,
};

describe('timeSeriesFigure', () => {
  it('draws one line per series in first-appearance order, with x sorted', () => {
    const fig = timeSeriesFigure(base);
    expect(fig.data.map((t) => t.name)).toEqual(['delhi', 'chennai']);
    expect(fig.data[0].x).toEqual([0, 100, 200]);
    expect(fig.data[0].y).toEqual([5, 9, 12]);
    expect(fig.data[1].x).toEqual([0, 100]);
    expect(fig.data[1].y).toEqual([30, 40]);
  });

  it('puts units in both axis titles and notes the seed at the top-right, above the plot (clear of rotated tick labels)', () => {
    const fig = timeSeriesFigure(base);
    const layout = fig.layout as any;
    expect(layout.xaxis.title.text).toMatch(/\(ms\)$/);
    expect(layout.yaxis.title.text).toMatch(/\(ms\)$/);
    expect(fig.seed).toBe(42);
    const note = layout.annotations.find((a: any) => a.text === 'seed 42');
    expect(note).toMatchObject({ x: 1, xanchor: 'right', xref: 'paper', yref: 'paper' });
    expect(note.y).toBe(1);
    expect(note.yanchor).toBe('bottom');
  });

  it('leaves the seed note out when seed is null', () => {
    const fig = timeSeriesFigure({ ...base, seed: null });
    expect((fig.layout as any).annotations.some((a: any) => /seed/.test(a.text))).toBe(false);
  });

  it('draws each threshold as a horizontal line at its y with its label', () => {
    const fig = timeSeriesFigure({ ...base, thresholds: [{ y: 100, label: 'Mumbai SLA 100 ms' }, { y: 250, label: 'alert', color: '#000' }] });
    const layout = fig.layout as any;
    expect(layout.shapes.map((s: any) => [s.y0, s.y1])).toEqual([[100, 100], [250, 250]]);
    expect(layout.shapes[1].line.color).toBe('#000');
    expect(layout.annotations.map((a: any) => a.text)).toContain('Mumbai SLA 100 ms');
  });

  it('names a misspelt field and lists the fields that exist', () => {
    expect(() => timeSeriesFigure({ ...base, y: 'lagMS' as any })).toThrow(
      'timeSeriesFigure: y = "lagMS" is not allowed; allowed: a field of the records: timeMs, replica, lagMs');
  });

  it('rejects non-finite values, empty records and axis titles without a unit', () => {
    expect(() => timeSeriesFigure({ ...base, records: [{ timeMs: 0, replica: 'a', lagMs: NaN }] })).toThrow(/records\[0\]\.lagMs = NaN.*finite/);
    expect(() => timeSeriesFigure({ ...base, records: [] })).toThrow(/records = an array of 0.*non-empty/);
    expect(() => timeSeriesFigure({ ...base, yTitle: 'lag' })).toThrow(/yTitle = "lag" .*unit in parentheses/);
    expect(() => timeSeriesFigure({ ...base, thresholds: [{ y: Infinity, label: 'x' }] })).toThrow(/thresholds\[0\]\.y = Infinity/);
    expect(() => timeSeriesFigure({ ...base, seed: undefined as any })).toThrow(/seed = undefined/);
  });
});
