/**
 * The timeline of a recorded history: one row per client, each operation a horizontal bar
 * from its call to its return. Operations that never returned run to the right edge,
 * hatched, because they may have taken effect at any point after their call. When a
 * linearizability result is given, the operations that could not be placed after the
 * longest linearizable prefix are drawn in red, and hovering any bar shows its input,
 * output and place in that prefix — the picture a learner needs to see *why* a history
 * is not linearizable.
 */
import type { CheckedOperation, History, HistoryLike } from '../check/history-types';
import type { LinearizabilityResult } from '../check/linearizability';
import { describeOperation } from '../check/sequential-models';
import { validateHistory } from '../check/validate-history';
import { Figure } from './figure';
import { baseLayout, formatNumber } from './layout';
import { checkAxisTitle, checkIntegerInRange, checkSeed, checkTitle, optionError } from './option-checks';

export interface HistoryTimelineOptions {
  /** `{model, operations}` or a bare array of operation records. */
  history: HistoryLike;
  /** A result of `checkLinearizable` on the same history: its offending operations are highlighted. */
  result?: LinearizabilityResult | null;
  /** Further operation indices to highlight, e.g. the pairs of a session-guarantee violation. */
  highlight?: readonly number[];
  /** Legend name for `highlight`; default "highlighted". */
  highlightLabel?: string;
  seed: number | null;
  /** Default: says how many operations and clients, and the verdict when `result` is given. */
  title?: string;
  /** Default "time (ms)"; a Jepsen or Porcupine log is timed in line numbers, e.g. "log line (line number)". */
  timeAxisTitle?: string;
  /** Most operations drawn; more is an error asking for a shorter window. Default 2000. */
  maxOperations?: number;
}

const BUILDER = 'historyTimelineFigure';
const COMPLETED_COLOR = '#1f77b4';
const OPEN_COLOR = '#9e9e9e';
const OFFENDING_COLOR = '#d62728';
const HIGHLIGHT_COLOR = '#ff7f0e';
/** A bar shorter than this share of the time span is widened so zero-length operations stay visible. */
const BAR_SHARE_MIN = 0.006;
/** Up to this many operations, each bar also carries its short description as text. */
const LABELLED_OPERATIONS_MAX = 40;
/** Offending operations named in a callout beside their red bar (the rest only on hover). */
const OFFENDING_CALLOUTS_MAX = 4;

type Style = 'completed' | 'open' | 'offending' | 'highlight';

export function historyTimelineFigure(o: HistoryTimelineOptions): Figure {
  const seed = checkSeed(BUILDER, o.seed);
  const timeAxisTitle = checkAxisTitle(BUILDER, 'timeAxisTitle', o.timeAxisTitle === undefined ? 'time (ms)' : o.timeAxisTitle);
  const maxOperations = checkIntegerInRange(BUILDER, 'maxOperations', o.maxOperations === undefined ? 2000 : o.maxOperations, 1, 100_000);
  let history: History;
  try {
    history = validateHistory(o.history);
  } catch (error) {
    throw optionError(BUILDER, 'history', o.history, (error as Error).message);
  }
  const ops = history.operations;
  if (ops.length === 0) throw optionError(BUILDER, 'history', o.history, 'allowed: a history with at least one operation');
  if (ops.length > maxOperations) {
    throw optionError(BUILDER, 'history', `${ops.length} operations`,
      `allowed: at most ${maxOperations} (option maxOperations); draw a window of the history instead`);
  }
  const result = o.result === undefined ? null : o.result;
  if (result !== null && result.operationCount !== ops.length) {
    throw optionError(BUILDER, 'result', `a result for ${result.operationCount} operations`,
      `allowed: the result of checkLinearizable on this same history of ${ops.length} operations`);
  }
  const offending = new Set<number>(result !== null ? result.offendingOperations : []);
  const highlight = new Set<number>();
  for (const i of o.highlight || []) {
    if (!Number.isInteger(i) || i < 0 || i >= ops.length) {
      throw optionError(BUILDER, 'highlight', i, `allowed: operation indices from 0 to ${ops.length - 1}`);
    }
    highlight.add(i);
  }
  const highlightLabel = o.highlightLabel === undefined ? 'highlighted' : checkTitle(BUILDER, 'highlightLabel', o.highlightLabel);

  // Where each operation sits in its key's longest linearizable prefix, for the hover text.
  const prefixPlace = new Map<number, string>();
  if (result !== null) {
    for (const c of result.counterexamples) {
      c.prefix.forEach((step, k) => prefixPlace.set(step.index, `#${k + 1} of ${c.prefix.length} in the longest linearizable prefix`));
      for (const b of c.blocked) prefixPlace.set(b.index, `cannot be placed after that prefix: ${b.reason}`);
    }
  }

  let firstMs = Infinity;
  let lastMs = -Infinity;
  for (const op of ops) {
    firstMs = Math.min(firstMs, op.call);
    lastMs = Math.max(lastMs, op.return === null ? op.call : op.return);
  }
  const spanMs = Math.max(lastMs - firstMs, 1);
  // Open operations run past the last event, to show they never ended.
  const endMs = lastMs + spanMs * 0.05;
  const minWidthMs = spanMs * BAR_SHARE_MIN;

  const processes = Array.from(new Set(ops.map((op) => op.process))).sort((a, b) => a - b);
  const rowOf = (op: CheckedOperation): string => `client ${op.process}`;
  const groups: Record<Style, number[]> = { completed: [], open: [], highlight: [], offending: [] };
  ops.forEach((op, i) => {
    if (offending.has(i)) groups.offending.push(i);
    else if (highlight.has(i)) groups.highlight.push(i);
    else if (op.return === null) groups.open.push(i);
    else groups.completed.push(i);
  });
  const labelled = ops.length <= LABELLED_OPERATIONS_MAX;

  const names: Record<Style, string> = {
    completed: 'completed',
    open: 'never returned (may or may not have taken effect)',
    highlight: highlightLabel,
    offending: 'cannot be placed after the longest linearizable prefix',
  };
  const colors: Record<Style, string> = {
    completed: COMPLETED_COLOR,
    open: OPEN_COLOR,
    highlight: HIGHLIGHT_COLOR,
    offending: OFFENDING_COLOR,
  };
  const order: Style[] = ['completed', 'open', 'highlight', 'offending'];
  const data: Array<Record<string, unknown>> = [];
  for (const style of order) {
    const indices = groups[style];
    if (indices.length === 0) continue;
    const base = indices.map((i) => ops[i].call);
    const widths = indices.map((i) => {
      const op = ops[i];
      const end = op.return === null ? endMs : op.return;
      return Math.max(end - op.call, minWidthMs);
    });
    const hover = indices.map((i) => hoverText(ops[i], i, prefixPlace.get(i)));
    const openPattern = indices.map((i) => (ops[i].return === null ? '/' : ''));
    const trace: Record<string, unknown> = {
      type: 'bar',
      orientation: 'h',
      name: names[style],
      y: indices.map((i) => rowOf(ops[i])),
      x: widths,
      base,
      hovertext: hover,
      hoverinfo: 'text',
      customdata: indices,
      marker: {
        color: colors[style],
        opacity: style === 'open' ? 0.55 : 0.9,
        line: { color: style === 'offending' ? '#7f0000' : '#ffffff', width: style === 'offending' ? 2 : 1 },
        pattern: { shape: openPattern, fillmode: 'overlay', fgcolor: '#ffffff' },
      },
      width: 0.6,
    };
    if (labelled) {
      trace.text = indices.map((i) => shortLabel(ops[i]));
      trace.textposition = 'inside';
      trace.insidetextanchor = 'start';
      trace.textfont = { size: 10, color: style === 'open' ? '#333333' : '#ffffff' };
    }
    data.push(trace);
  }

  const title = o.title !== undefined ? checkTitle(BUILDER, 'title', o.title) : defaultTitle(history, processes.length, result);
  // A red bar is often too short for its text inside: name each offending operation in a
  // callout with an arrow (the first few; hovering still describes every bar).
  const callouts = groups.offending.slice(0, OFFENDING_CALLOUTS_MAX).map((i, k) => {
    const op = ops[i];
    const end = op.return === null ? endMs : op.return;
    return {
      text: `✗ op ${i}: ${escapeHover(shortLabel(op))}`,
      xref: 'x', yref: 'y', x: op.call + Math.max(end - op.call, minWidthMs) / 2, y: rowOf(op),
      showarrow: true, arrowhead: 2, arrowcolor: OFFENDING_COLOR, ax: -50, ay: -26 - 14 * (k % 2),
      font: { size: 11, color: '#7f0000' }, bgcolor: 'rgba(255,255,255,0.9)', bordercolor: OFFENDING_COLOR, borderwidth: 1,
    };
  });
  const layout = baseLayout({
    title,
    xTitle: timeAxisTitle,
    yTitle: 'client (process)',
    seed,
    annotations: callouts,
    xaxis: { range: [firstMs - spanMs * 0.02, endMs], zeroline: false },
    yaxis: { type: 'category', categoryorder: 'array', categoryarray: processes.map((p) => `client ${p}`), autorange: 'reversed' },
    extra: {
      barmode: 'overlay',
      height: Math.min(200 + 34 * processes.length, 1200),
      // The legend sits between the title and the plot, where it cannot cover the axis title.
      legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1, yanchor: 'bottom' },
      margin: { t: 110, b: 80 },
    },
  });
  return { data, layout, seed };
}

function hoverText(op: CheckedOperation, index: number, place: string | undefined): string {
  const lines = [
    `op ${index} · client ${op.process}`,
    escapeHover(describeOperation(op)),
    `input ${escapeHover(JSON.stringify(op.input))}`,
    `output ${escapeHover(op.output === null ? 'unknown' : JSON.stringify(op.output))}`,
    op.return === null
      ? `called ${formatNumber(op.call)}, never returned`
      : `called ${formatNumber(op.call)}, returned ${formatNumber(op.return)}`,
  ];
  if (place !== undefined) lines.push(escapeHover(place));
  return lines.join('<br>');
}

/** Plotly hover text is HTML-ish: keep user strings from opening tags, and keep lines short. */
function escapeHover(text: string): string {
  const short = text.length > 120 ? text.slice(0, 117) + '...' : text;
  return short.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function shortLabel(op: CheckedOperation): string {
  const text = describeOperation(op).replace(' (never returned)', '');
  return text.length > 28 ? text.slice(0, 27) + '…' : text;
}

function defaultTitle(history: History, clientCount: number, result: LinearizabilityResult | null): string {
  const head = `History of ${history.operations.length} ${history.model} operations by ${clientCount} client(s)`;
  if (result === null) return head;
  if (result.verdict === 'linearizable') return `${head}: linearizable`;
  if (result.verdict === 'unknown') return `${head}: verdict unknown (search limit reached)`;
  return `${head}: not linearizable (red: ${result.offendingOperations.length} operation(s) that cannot be placed)`;
}
