// Proves spaceTimeFigure draws each message from (send time, sender lane) to its delivery or drop, shows faults and logs, and refuses windows with too many messages.
import { describe, expect, it } from 'vitest';
import { spaceTimeFigure } from '../../lib/viz/space-time';
import type { TraceEvent } from '../../lib/sim/trace';

const trace: TraceEvent[] = [
  { kind: 'send', timeMs: 0, msgId: 1, from: 'mumbai', to: 'delhi', label: 'append(x=1)', sizeBytes: 64 },
  { kind: 'send', timeMs: 2, msgId: 2, from: 'mumbai', to: 'chennai', label: 'append(x=1)', sizeBytes: 64 },
  { kind: 'deliver', timeMs: 14, msgId: 1, from: 'mumbai', to: 'delhi', label: 'append(x=1)' },
  { kind: 'send', timeMs: 15, msgId: 3, from: 'delhi', to: 'mumbai', label: 'ack', sizeBytes: 16 },
  { kind: 'drop', timeMs: 20, msgId: 2, from: 'mumbai', to: 'chennai', label: 'append(x=1)', reason: 'partition' },
  { kind: 'fault', timeMs: 25, fault: 'crash', nodes: ['mumbai'], detail: 'leader crashes' },
  { kind: 'drop', timeMs: 29, msgId: 3, from: 'delhi', to: 'mumbai', label: 'ack', reason: 'node-down' },
  { kind: 'log', timeMs: 40, node: 'delhi', text: 'promoted to <leader> in epoch 2' },
  { kind: 'fault', timeMs: 60, fault: 'restart', nodes: ['mumbai'], detail: '' },
];

const byName = (fig: { data: Array<Record<string, unknown>> }, name: string) => fig.data.find((t) => t.name === name) as any;

describe('spaceTimeFigure', () => {
  it('puts nodes on lanes in first-appearance order, time in ms on x, and notes the seed', () => {
    const fig = spaceTimeFigure({ trace, seed: 42 });
    const layout = fig.layout as any;
    expect(layout.yaxis.ticktext).toEqual(['mumbai', 'delhi', 'chennai']);
    expect(layout.yaxis.tickvals).toEqual([0, 1, 2]);
    expect(layout.xaxis.title.text).toBe('time (ms)');
    expect(layout.annotations.map((a: any) => a.text)).toContain('seed 42');
  });

  it('draws a delivered message from (send, sender lane) to (delivery, receiver lane) with an arrow', () => {
    const delivered = byName(spaceTimeFigure({ trace, seed: 1 }), 'delivered');
    expect(delivered.x).toEqual([0, 14, null]);
    expect(delivered.y).toEqual([0, 1, null]);
    expect(delivered.marker.symbol[1]).toBe('arrow');
    expect(delivered.text[0]).toContain('append(x=1) #1');
  });

  it('ends a dropped message half-way at the drop time with an X, one trace per reason', () => {
    const fig = spaceTimeFigure({ trace, seed: 1 });
    const partition = byName(fig, 'dropped (partition)');
    expect(partition.x).toEqual([2, 20, null]);
    expect(partition.y).toEqual([0, 1, null]); // mumbai (0) towards chennai (2)
    expect(partition.marker.symbol[1]).toBe('x');
    const nodeDown = byName(fig, 'dropped (node-down)');
    expect(nodeDown.x).toEqual([15, 29, null]);
    expect(nodeDown.y).toEqual([1, 0.5, null]);
    expect(fig.data).toHaveLength(6); // delivered, message labels, 2 drop reasons, faults, logs
  });

  it('marks faults on their lanes, shades the down time, and shows log lines with their text', () => {
    const fig = spaceTimeFigure({ trace, seed: 1 });
    const faults = byName(fig, 'faults');
    expect(faults.x).toEqual([25, 60]);
    expect(faults.y).toEqual([0, 0]);
    expect(faults.text).toEqual(['crash', 'restart']);
    const down = (fig.layout as any).shapes.find((s: any) => s.type === 'rect');
    expect([down.x0, down.x1, down.y0, down.y1]).toEqual([25, 60, -0.3, 0.3]);
    expect(byName(fig, 'log lines').text[0]).toContain('promoted to <leader>');
  });

  it('keeps only the chosen lanes and the messages within the window', () => {
    const fig = spaceTimeFigure({ trace, seed: 1, nodes: ['delhi', 'mumbai'], fromMs: 10, toMs: 30 });
    expect((fig.layout as any).yaxis.ticktext).toEqual(['delhi', 'mumbai']);
    expect(byName(fig, 'delivered').y).toEqual([1, 0, null]); // lanes follow the given order
    expect(byName(fig, 'dropped (partition)')).toBeUndefined(); // chennai is not a lane
    expect(byName(fig, 'log lines')).toBeUndefined(); // t = 40 is outside the window
  });

  it('throws, asking to narrow the window, when there are more messages than maxMessages', () => {
    const many: TraceEvent[] = [];
    for (let i = 0; i < 500; i++) {
      many.push({ kind: 'send', timeMs: i, msgId: i, from: 'a', to: 'b', label: 'm', sizeBytes: 1 });
      many.push({ kind: 'deliver', timeMs: i + 5, msgId: i, from: 'a', to: 'b', label: 'm' });
    }
    expect(() => spaceTimeFigure({ trace: many, seed: 1 })).toThrow(
      'spaceTimeFigure: 500 messages fall in the window 0–504 ms, more than maxMessages = 400; narrow fromMs/toMs');
    expect(byName(spaceTimeFigure({ trace: many, seed: 1, fromMs: 100, toMs: 199 }), 'delivered').x).toHaveLength(105 * 3);
  });

  it('names an unknown node and a delivery without its send', () => {
    expect(() => spaceTimeFigure({ trace, seed: 1, nodes: ['mumabi'] })).toThrow(/"mumabi" does not appear in the trace; nodes in the trace: mumbai, delhi, chennai/);
    expect(() => spaceTimeFigure({ trace: [trace[2]], seed: 1 })).toThrow(/trace\[0\] = "deliver of msgId 1"/);
    expect(() => spaceTimeFigure({ trace, seed: 1, fromMs: 50, toMs: 10 })).toThrow(/toMs = 10 .*at or after fromMs = 50/);
  });
});
