// Proves heatmapFigure builds a rows × columns matrix (from z or from records) with cell text and a colour bar with units, and rejects ragged or duplicated input.
import { describe, expect, it } from 'vitest';
import { heatmapFigure } from '../../lib/viz/heatmap';

const regions = ['mumbai', 'delhi', 'chennai'];
const rtt = [
  [0, 28.4, 31],
  [28.4, 0, 42],
  [31, 42, null],
];

describe('heatmapFigure', () => {
  it('keeps the given dimensions and prints each value in its cell', () => {
    const fig = heatmapFigure({ rows: regions, columns: regions, z: rtt, title: 'RTT between regions', colorTitle: 'RTT (ms)', xTitle: 'to region', yTitle: 'from region', seed: null });
    const t = fig.data[0] as any;
    expect(fig.data).toHaveLength(1);
    expect(t.z).toHaveLength(3);
    expect(t.z.every((row: unknown[]) => row.length === 3)).toBe(true);
    expect(t.text[0][1]).toBe('28.4');
    expect(t.text[2][2]).toBe('');
    expect(t.colorbar.title.text).toBe('RTT (ms)');
    expect((fig.layout as any).yaxis.autorange).toBe('reversed');
    expect((fig.layout as any).annotations).toEqual([]);
  });

  it('builds the matrix from records, leaving missing cells null', () => {
    const records = [
      { from: 'mumbai', to: 'delhi', rttMs: 28 },
      { from: 'delhi', to: 'mumbai', rttMs: 29 },
      { from: 'mumbai', to: 'chennai', rttMs: 31 },
    ];
    const fig = heatmapFigure({ records, row: 'from', column: 'to', value: 'rttMs', title: 'RTT', colorTitle: 'RTT (ms)', seed: 5 });
    const t = fig.data[0] as any;
    expect(t.y).toEqual(['mumbai', 'delhi']);
    expect(t.x).toEqual(['delhi', 'mumbai', 'chennai']);
    expect(t.z).toEqual([[28, null, 31], [null, 29, null]]);
    expect((fig.layout as any).xaxis.title.text).toBe('to');
  });

  it('rejects ragged z, non-finite cells, duplicate cells and a colour title without unit', () => {
    const o = { rows: regions, columns: regions, title: 'RTT', colorTitle: 'RTT (ms)', xTitle: 'to', yTitle: 'from', seed: 1 };
    expect(() => heatmapFigure({ ...o, z: [[1, 2, 3], [1, 2], [1, 2, 3]] })).toThrow(/z\[1\] = an array of 2 .*3 values/);
    expect(() => heatmapFigure({ ...o, z: [[1, 2, 3], [1, NaN, 3], [1, 2, 3]] })).toThrow(/z\[1\]\[1\] = NaN/);
    expect(() => heatmapFigure({ ...o, z: rtt, colorTitle: 'RTT' })).toThrow(/colorTitle = "RTT"/);
    const dup = [{ a: 'x', b: 'y', v: 1 }, { a: 'x', b: 'y', v: 2 }];
    expect(() => heatmapFigure({ records: dup, row: 'a', column: 'b', value: 'v', title: 't', colorTitle: 'v (ms)', seed: 1 })).toThrow(/records\[1\] is a second record for cell/);
    expect(() => heatmapFigure({ records: dup, row: 'a', column: 'c' as any, value: 'v', title: 't', colorTitle: 'v (ms)', seed: 1 })).toThrow(/column = "c" is not allowed; allowed: a field of the records: a, b, v/);
  });
});
