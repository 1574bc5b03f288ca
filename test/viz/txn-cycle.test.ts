// Proves txnCycleFigure draws every transaction of a checker's cycle and one labelled arrow per
// dependency, rw edges in red, and refuses something that is not a cycle.
import { describe, expect, it } from 'vitest';
import { checkTransactions } from '../../lib/check';
import type { CycleExplanation } from '../../lib/check';
import { txnCycleFigure } from '../../lib/viz';

const skew = checkTransactions([
  { index: 0, process: 0, type: 'ok', value: [['r', 'x', null], ['append', 'y', 1]] },
  { index: 1, process: 1, type: 'ok', value: [['r', 'y', null], ['append', 'x', 1]] },
  { index: 2, process: 2, type: 'ok', value: [['r', 'x', [1]], ['r', 'y', [1]]] },
], { workload: 'list-append', consistencyModels: ['serializable'] });
const cycle = (skew.anomalies['G2-item'] as CycleExplanation[])[0];

describe('txnCycleFigure', () => {
  it('places each transaction once and labels each dependency with its kind and key', () => {
    const fig = txnCycleFigure({ cycle, seed: 5, labels: { 0: 'Asha' } });
    const nodes = fig.data[0] as { text: string[] };
    expect([...nodes.text].sort()).toEqual(['Asha', 'T1']);
    const labels = (fig.layout.annotations as Array<{ text: string }>).map((a) => a.text).filter((t) => t.startsWith('<b>'));
    expect(labels.sort()).toEqual(['<b>rw</b> "x"<br>initial → 1', '<b>rw</b> "y"<br>initial → 1']);
    const arrows = (fig.layout.annotations as Array<{ showarrow: boolean; arrowcolor?: string }>).filter((a) => a.showarrow);
    expect(arrows.map((a) => a.arrowcolor)).toEqual(['#d62728', '#d62728']);
    expect((fig.layout.annotations as Array<{ text: string }>).map((a) => a.text)).toContain('seed 5');
  });

  it('refuses a value that is not one cycle of a result', () => {
    expect(() => txnCycleFigure({ cycle: skew as never, seed: 1 })).toThrow(/txnCycleFigure: cycle = .* is not allowed; allowed: one cycle/);
  });
});
