// Proves barFigure aligns every series on the same categories, supports stacking, and refuses repeated bars instead of silently merging them.
import { describe, expect, it } from 'vitest';
import { barFigure } from '../../lib/viz/bar';

const lost = [
  { scenario: 'leader crash', ack: 'async', lostWrites: 12 },
  { scenario: 'leader crash', ack: 'sync', lostWrites: 0 },
  { scenario: 'partition', ack: 'async', lostWrites: 5 },
];
const base = { records: lost, x: 'scenario' as const, y: 'lostWrites' as const, series: 'ack' as const, title: 'Lost writes per failover scenario', xTitle: 'scenario', yTitle: 'lost writes (count)', seed: 11 };

describe('barFigure', () => {
  it('draws one trace per series over shared categories, gaps as null', () => {
    const fig = barFigure(base);
    expect(fig.data.map((t) => t.name)).toEqual(['async', 'sync']);
    expect(fig.data[0].x).toEqual(['leader crash', 'partition']);
    expect(fig.data[0].y).toEqual([12, 5]);
    expect(fig.data[1].y).toEqual([0, null]);
    expect((fig.layout as any).barmode).toBe('group');
    expect((fig.layout as any).yaxis.title.text).toBe('lost writes (count)');
  });

  it('stacks on request and rejects unknown bar modes', () => {
    expect((barFigure({ ...base, barmode: 'stack' }).layout as any).barmode).toBe('stack');
    expect(() => barFigure({ ...base, barmode: 'overlay' as any })).toThrow('barFigure: barmode = "overlay" is not allowed; allowed: "group", "stack"');
  });

  it('refuses two records for the same bar', () => {
    expect(() => barFigure({ ...base, records: [...lost, { scenario: 'partition', ack: 'async', lostWrites: 1 }] })).toThrow(
      /records\[3\] repeats x = "partition" in series "async"/);
  });
});
