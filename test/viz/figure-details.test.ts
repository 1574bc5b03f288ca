// Proves the figure details a learner asked for: percentile labels of nearby lines never
// overlap (P50/P95 of a skewed latency sample), a zero-height bar prints its 0, and a heatmap
// of discrete states gets one colour block per named state instead of a continuous colour bar.
import { describe, expect, it } from 'vitest';
import { barFigure, heatmapFigure, histogramFigure, historyTimelineFigure, spaceTimeFigure, timeSeriesFigure } from '../../lib/viz';
import { checkLinearizable } from '../../lib/check';
import { placeLabels } from '../../lib/viz/distribution-input';

/** A skewed sample like the Mumbai → Delhi latencies: P50 and P95 a few ms apart, a long tail. */
const skewed = Array.from({ length: 1000 }, (_, i) => ({ latencyMs: 14 + (i % 100 === 0 ? 30 : (i % 20) * 0.2) }));

interface Placed { x: number; text: string; xanchor: string; yshift: number }

/** Horizontal pixel extent of a label as placeLabels estimates it, for a 700 px wide plot. */
function extent(label: Placed, min: number, max: number): [number, number] {
  const start = ((label.x - min) / (max - min)) * 700;
  const width = label.text.length * 6 + 4;
  return label.xanchor === 'left' ? [start, start + width] : [start - width, start];
}

describe('percentile labels', () => {
  it('labels on the same row never overlap, and every label keeps its line colour and a background', () => {
    const fig = histogramFigure({ records: skewed, field: 'latencyMs', title: 'One-way latency', xTitle: 'one-way latency (ms)', seed: 41, percentiles: [50, 95, 99] });
    const labels = ((fig.layout as any).annotations as Placed[]).filter((a) => /^P\d+/.test(a.text));
    expect(labels.map((l) => l.text.split(' ')[0])).toEqual(['P50', 'P95', 'P99']);
    const values = skewed.map((r) => r.latencyMs);
    const [min, max] = [Math.min(...values), Math.max(...values)];
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (labels[i].yshift !== labels[j].yshift) continue;
        const [a, b] = [extent(labels[i], min, max), extent(labels[j], min, max)];
        expect(a[1] <= b[0] || b[1] <= a[0], `${labels[i].text} and ${labels[j].text} overlap on one row`).toBe(true);
      }
    }
    for (const label of (fig.layout as any).annotations.filter((a: any) => /^P\d+/.test(a.text))) expect(label.bgcolor).toBeDefined();
  });

  it('lines far apart share the top row; lines close together step down', () => {
    const far = placeLabels([{ x: 0, text: 'P50 = 0 ms', color: '#000' }, { x: 100, text: 'P99 = 100 ms', color: '#000' }], 0, 100);
    expect(far.map((a) => a.yshift)).toEqual([-0, -0]);
    const close = placeLabels([{ x: 10, text: 'P50 = 10 ms', color: '#000' }, { x: 11, text: 'P95 = 11 ms', color: '#000' }], 0, 100);
    expect(close.map((a) => a.yshift)).toEqual([-0, -14]);
  });
});

describe('bars of height zero', () => {
  it('print their 0 so they do not read as missing data; a missing pair stays blank', () => {
    const fig = barFigure({
      records: [{ ack: 'async', lost: 3 }, { ack: 'semi-sync', lost: 0 }, { ack: 'sync', lost: 0 }],
      x: 'ack', y: 'lost', title: 'Lost writes', xTitle: 'ack mode', yTitle: 'lost writes (count)', seed: 1,
    });
    expect(fig.data[0].text).toEqual(['', '0', '0']);
    expect(fig.data[0].textposition).toBe('outside');
  });
});

describe('heatmap of discrete states', () => {
  const grid = [
    { alert: 'lag/kolkata', bin: '10.00', state: 0 },
    { alert: 'lag/kolkata', bin: '10.25', state: 1 },
    { alert: 'lag/kolkata', bin: '10.50', state: 2 },
  ];
  const options = { records: grid, row: 'alert' as const, column: 'bin' as const, value: 'state' as const, seed: 41, title: 'Alert timeline', colorTitle: 'alert state', xTitle: 'hour (h)', yTitle: 'alert' };

  it('shows one colour block per named state, hover and cells name the state', () => {
    const trace = heatmapFigure({ ...options, categories: ['inactive', 'pending', 'firing'] }).data[0] as any;
    expect(trace.colorbar.tickvals).toEqual([0, 1, 2]);
    expect(trace.colorbar.ticktext).toEqual(['inactive', 'pending', 'firing']);
    expect([trace.zmin, trace.zmax]).toEqual([-0.5, 2.5]);
    // Each state's band is flat: the same colour at both of its ends.
    const scale = trace.colorscale as Array<[number, string]>;
    expect(scale).toHaveLength(6);
    for (let k = 0; k < 3; k++) expect(scale[2 * k][1]).toBe(scale[2 * k + 1][1]);
    expect(new Set(scale.map(([, color]) => color)).size).toBe(3);
    expect(trace.customdata).toEqual([['inactive', 'pending', 'firing']]);
    expect(trace.hovertemplate).toContain('%{customdata}');
  });

  it('rejects a value that is not a state index, and a colorscale beside categories', () => {
    expect(() => heatmapFigure({ ...options, records: [{ ...grid[0], state: 3 }], categories: ['inactive', 'pending', 'firing'] })).toThrow(/allowed: an integer 0 … 2/);
    expect(() => heatmapFigure({ ...options, categories: ['a', 'b', 'c'], colorscale: 'Reds' })).toThrow(/colorscale/);
  });
});

describe('space-time message labels', () => {
  const trace = [
    { kind: 'send', timeMs: 0, msgId: 1, from: 'mumbai', to: 'delhi', label: 'append(x=1)' },
    { kind: 'deliver', timeMs: 14, msgId: 1, from: 'mumbai', to: 'delhi' },
    { kind: 'send', timeMs: 15, msgId: 2, from: 'delhi', to: 'mumbai', label: 'ack' },
    { kind: 'deliver', timeMs: 29, msgId: 2, from: 'delhi', to: 'mumbai' },
  ] as any;

  it('prints each message label at the middle of its arrow, and can be turned off', () => {
    const labels = spaceTimeFigure({ trace, seed: 1 }).data.find((t) => t.name === 'message labels') as any;
    expect(labels.text).toEqual(['append(x=1)', 'ack']);
    expect(labels.x).toEqual([7, 22]);
    expect(labels.y).toEqual([0.5, 0.5]);
    expect(spaceTimeFigure({ trace, seed: 1, messageLabels: false }).data.some((t) => t.name === 'message labels')).toBe(false);
  });
});

describe('history timeline counterexample', () => {
  it('names the red (offending) operation in a callout beside its bar', () => {
    const history = [
      { process: 0, call: 0, return: 10, input: { f: 'write', value: 1 }, output: {} },
      { process: 1, call: 20, return: 30, input: { f: 'read' }, output: { value: null } },
    ] as any;
    const result = checkLinearizable(history);
    expect(result.verdict).toBe('not-linearizable');
    const fig = historyTimelineFigure({ history, result, seed: 7 });
    const callouts = ((fig.layout as any).annotations as any[]).filter((a) => typeof a.text === 'string' && a.text.startsWith('✗'));
    expect(callouts).toHaveLength(1);
    expect(callouts[0].text).toMatch(/^✗ op 1: read\(\)/);
    expect(callouts[0]).toMatchObject({ xref: 'x', yref: 'y', y: 'client 1', showarrow: true });
  });
});

describe('trade-off curves', () => {
  it('label each point with the setting it stands for', () => {
    const records = [
      { forMs: 0, delayMs: 100, falseAlarms: 9 },
      { forMs: 4000, delayMs: 4100, falseAlarms: 0 },
      { forMs: 1000, delayMs: 1100, falseAlarms: 3 },
    ];
    const fig = timeSeriesFigure({ records, x: 'delayMs', y: 'falseAlarms', pointLabel: 'forMs', pointLabelUnit: 'ms', title: 'Trade-off', xTitle: 'detection delay (ms)', yTitle: 'false alarms (count)', seed: 41 });
    const trace = fig.data[0] as any;
    expect(trace.mode).toBe('lines+markers+text');
    expect(trace.text).toEqual(['0 ms', '1000 ms', '4000 ms']); // in x order, like the line
  });
});

describe('stacked bars of height zero', () => {
  it('print nothing: a 0 above a stack could not say which series it belongs to', () => {
    const fig = barFigure({
      records: [{ t: '0', kind: 'delivered', n: 10 }, { t: '0', kind: 'dropped', n: 0 }],
      x: 't', y: 'n', series: 'kind', barmode: 'stack', title: 'Messages', xTitle: 'send time (ms)', yTitle: 'messages (count)', seed: 1,
    });
    expect(fig.data.map((trace) => trace.text)).toEqual([[''], ['']]);
  });
});
