// Proves the history timeline figure (lib/viz/history-timeline.ts): one bar per operation on its
// client's row, open operations to the right edge, offending ones highlighted, hover with I/O.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../lib/check';
import { historyTimelineFigure } from '../../lib/viz/history-timeline';

const history = {
  model: 'register' as const,
  operations: [
    { process: 0, call: 0, return: 3, input: { f: 'write', value: 1 }, output: {} },
    { process: 1, call: 4, return: 5, input: { f: 'read' }, output: { value: null } },
    { process: 2, call: 1, return: null, input: { f: 'write', value: 7 }, output: null },
  ],
};

type Trace = { name: string; base: number[]; x: number[]; y: string[]; hovertext: string[]; customdata: number[]; marker: Record<string, unknown> };

describe('historyTimelineFigure', () => {
  it('draws each operation from call to return on its client row, with the offending read in red', () => {
    const result = checkLinearizable(history);
    const figure = historyTimelineFigure({ history, result, seed: 42 });
    const traces = figure.data as unknown as Trace[];
    const byName = (part: string) => traces.find((t) => t.name.includes(part)) as Trace;
    const completed = byName('completed');
    expect(completed.customdata).toEqual([0]);
    expect(completed.base).toEqual([0]);
    expect(completed.x).toEqual([3]);
    expect(completed.y).toEqual(['client 0']);
    const offending = byName('cannot be placed');
    expect(offending.customdata).toEqual([1]);
    expect(offending.marker.color).toBe('#d62728');
    expect(offending.hovertext[0]).toContain('read() → null');
    expect(offending.hovertext[0]).toContain('the register holds 1');
    // The open write runs from its call past the last event, hatched.
    const open = byName('never returned');
    expect(open.base).toEqual([1]);
    expect(open.base[0] + open.x[0]).toBeGreaterThan(5);
    expect((open.marker.pattern as { shape: string[] }).shape).toEqual(['/']);
  });

  it('titles the figure with what it shows, the x axis in ms, and notes the seed', () => {
    const figure = historyTimelineFigure({ history, result: checkLinearizable(history), seed: 7 });
    const layout = figure.layout as { title: { text: string }; xaxis: { title: { text: string } }; annotations: Array<{ text: string }> };
    expect(layout.title.text).toContain('History of 3 register operations by 3 client(s): not linearizable');
    expect(layout.xaxis.title.text).toBe('time (ms)');
    expect(layout.annotations.map((a) => a.text)).toContain('seed 7');
    expect(figure.seed).toBe(7);
  });

  it('rejects a result from another history and an axis title without a unit', () => {
    const other = checkLinearizable({ model: 'register', operations: [history.operations[0]] });
    expect(() => historyTimelineFigure({ history, result: other, seed: null })).toThrow(/result = .*1 operations/);
    expect(() => historyTimelineFigure({ history, seed: null, timeAxisTitle: 'time' })).toThrow(/timeAxisTitle/);
  });
});
