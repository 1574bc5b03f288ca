/**
 * A transactional anomaly as a picture: the transactions of one dependency cycle placed on a
 * circle, each dependency an arrow labelled with its kind (ww / wr / rw, process, real time) and
 * the key and values behind it. Anti-dependencies (rw: "read a version the other then replaced")
 * are red and dashed, because they are the edges snapshot isolation lets through and the ones a
 * learner must look at to see write skew.
 */
import type { CycleExplanation } from '../check/txn-check';
import { Figure } from './figure';
import { baseLayout } from './layout';
import { checkSeed, checkTitle, optionError } from './option-checks';

export interface TxnCycleFigureOptions {
  /** One cycle as the checker reports it (`result.anomalies['G2-item'][0]`). */
  cycle: CycleExplanation;
  seed: number | null;
  title?: string;
  /** Labels for transactions, e.g. { 3: 'Asha withdraws ₹700' }; default "T<id>". */
  labels?: Record<number, string>;
}

const BUILDER = 'txnCycleFigure';
const COLORS: Record<string, string> = { ww: '#1f77b4', wr: '#2ca02c', rw: '#d62728', process: '#7f7f7f', realtime: '#9467bd' };

function value(v: unknown): string {
  return v === null || v === undefined ? 'initial' : JSON.stringify(v);
}

export function txnCycleFigure(options: TxnCycleFigureOptions): Figure {
  const { cycle } = options;
  if (!cycle || !Array.isArray(cycle.cycle) || cycle.cycle.length < 3 || !Array.isArray(cycle.steps) || cycle.steps.length !== cycle.cycle.length - 1) {
    throw optionError(BUILDER, 'cycle', cycle, "allowed: one cycle from a checkTransactions result, e.g. result.anomalies['G2-item'][0]");
  }
  const seed = checkSeed(BUILDER, options.seed);
  const title = options.title === undefined ? `${cycle.type}: a dependency cycle no serial order can satisfy` : checkTitle(BUILDER, 'title', options.title);
  const ids = cycle.cycle.slice(0, -1);
  const n = ids.length;
  // Clockwise from the top, so the cycle reads like a clock.
  const at = (i: number) => ({ x: Math.sin((2 * Math.PI * i) / n), y: Math.cos((2 * Math.PI * i) / n) });
  const label = (id: number) => options.labels?.[id] ?? `T${id}`;
  const nodes = {
    type: 'scatter', mode: 'markers+text', name: 'transactions',
    x: ids.map((_, i) => at(i).x), y: ids.map((_, i) => at(i).y),
    text: ids.map(label), textposition: ids.map((_, i) => (at(i).y >= 0 ? 'top center' : 'bottom center')),
    marker: { size: 26, color: '#ffffff', line: { color: '#333333', width: 2 } },
    hoverinfo: 'text', showlegend: false,
  };
  const annotations: Array<Record<string, unknown>> = [];
  cycle.steps.forEach((step, i) => {
    const a = at(i);
    const b = at((i + 1) % n);
    const color = COLORS[step.type] ?? '#333333';
    // Shorten the arrow so it stops at the circle's edge, not its centre.
    const shrink = 0.16;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    annotations.push({
      x: b.x - dx * shrink, y: b.y - dy * shrink, ax: a.x + dx * shrink, ay: a.y + dy * shrink,
      xref: 'x', yref: 'y', axref: 'x', ayref: 'y',
      showarrow: true, arrowhead: 3, arrowsize: 1.4, arrowwidth: step.type === 'rw' ? 2.5 : 2, arrowcolor: color, text: '',
    });
    const key = step.key === undefined ? '' : ` ${JSON.stringify(step.key)}`;
    const detail = step.key === undefined ? '' : step.type === 'wr'
      ? `<br>read ${value(step.value)}`
      : `<br>${value(step.value)} → ${value(step["value'"])}`;
    // The label sits outside the circle, beyond the chord's midpoint, clear of the nodes.
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const norm = Math.hypot(mx, my);
    const [ux, uy] = norm > 1e-9 ? [mx / norm, my / norm] : [-dy / Math.hypot(dx, dy), dx / Math.hypot(dx, dy)];
    annotations.push({
      x: mx + ux * 0.55, y: my + uy * 0.55, xref: 'x', yref: 'y', showarrow: false,
      text: `<b>${step.type}</b>${key}${detail}`, font: { color, size: 12 }, bgcolor: 'rgba(255,255,255,0.9)',
    });
  });
  // Equal scales keep the circle round; constrain: 'domain' shrinks the plot instead of clipping it.
  const hidden = { visible: false, range: [-2.1, 2.1], zeroline: false };
  return {
    data: [nodes],
    layout: baseLayout({
      title, xTitle: '', yTitle: '', seed,
      xaxis: { ...hidden, constrain: 'domain' }, yaxis: { ...hidden, scaleanchor: 'x', constrain: 'domain' },
      annotations,
      extra: { height: 560, showlegend: false },
    }),
    seed,
  };
}
