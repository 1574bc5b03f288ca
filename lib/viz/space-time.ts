/**
 * The space-time (Lamport) diagram of a message trace: one horizontal lane per node,
 * time to the right, every message a line from its send to its delivery (or to an X where
 * it was dropped), with faults and node log lines on the lanes. It is how a learner sees
 * *why* a write was lost: the ack that never arrived, the crash in between.
 *
 * Lanes are drawn on a numeric y axis (lane i at y = i, labelled with the node name) so
 * that a dropped message can end between two lanes, visibly short of its destination.
 * All messages of one kind share a single plotly trace, segments separated by nulls, so
 * the figure stays small.
 */
import { Figure } from './figure';
import { TraceEvent, DropReason } from '../sim/trace';
import { baseLayout, formatNumber } from './layout';
import { checkFiniteNumber, checkIntegerInRange, checkSeed, checkTitle, describeValue, optionError } from './option-checks';
import { distinctInOrder } from './record-fields';

export interface SpaceTimeOptions {
  trace: readonly TraceEvent[];
  /** Lanes top to bottom; default every node in the trace, in first-appearance order. Messages to or from other nodes are left out. */
  nodes?: readonly string[];
  seed: number | null;
  title?: string;
  /** Window start; default the first event. */
  fromMs?: number;
  /** Window end; default the last event. */
  toMs?: number;
  /** Most messages (and, separately, most log lines) drawn; more is an error asking for a narrower window. Default 400. */
  maxMessages?: number;
  /**
   * Print each message's label (e.g. "append", "ack") at the middle of its arrow. Default:
   * on when at most MESSAGE_LABELS_MAX (30) messages are drawn, where labels stay readable.
   */
  messageLabels?: boolean;
}

/** Up to this many messages, each arrow carries its label by default. */
export const MESSAGE_LABELS_MAX = 30;
/** Longer labels are cut, so a label stays near its own arrow. */
const MESSAGE_LABEL_CHARS_MAX = 16;

const BUILDER = 'spaceTimeFigure';
const KINDS = ['send', 'deliver', 'drop', 'fault', 'log'];
export const DROP_COLORS: Record<DropReason, string> = { loss: '#ff7f0e', partition: '#d62728', 'node-down': '#9467bd' };
const DELIVER_COLOR = '#1f77b4';
const FAULT_COLOR = '#d62728';
const LOG_COLOR = '#7f7f7f';

type Send = Extract<TraceEvent, { kind: 'send' }>;
type Outcome = Extract<TraceEvent, { kind: 'deliver' | 'drop' }>;

/** Every node an event mentions, in the order of the trace. */
function nodesOf(event: TraceEvent): string[] {
  switch (event.kind) {
    case 'send': case 'deliver': case 'drop': return [event.from, event.to];
    case 'fault': return event.nodes;
    case 'log': return [event.node];
  }
}

function checkTrace(trace: unknown): TraceEvent[] {
  if (!Array.isArray(trace) || trace.length === 0) {
    throw optionError(BUILDER, 'trace', trace, 'allowed: a non-empty array of trace events (record the trace of a simulation run)');
  }
  trace.forEach((e, i) => {
    if (typeof e !== 'object' || e === null || KINDS.indexOf((e as TraceEvent).kind) < 0) {
      throw optionError(BUILDER, `trace[${i}]`, e, `allowed: trace events with kind ${KINDS.join(', ')}`);
    }
    if (typeof e.timeMs !== 'number' || !Number.isFinite(e.timeMs)) {
      throw optionError(BUILDER, `trace[${i}].timeMs`, e.timeMs, 'allowed: finite numbers');
    }
  });
  return trace as TraceEvent[];
}

function chooseLanes(trace: readonly TraceEvent[], nodes: unknown): string[] {
  const mentioned: string[] = [];
  for (const e of trace) for (const n of nodesOf(e)) mentioned.push(n);
  const present = distinctInOrder(mentioned);
  if (nodes === undefined) return present;
  if (!Array.isArray(nodes) || nodes.length === 0 || distinctInOrder(nodes).length !== nodes.length) {
    throw optionError(BUILDER, 'nodes', nodes, 'allowed: a non-empty array of distinct node names');
  }
  for (const n of nodes) {
    if (present.indexOf(n) < 0) {
      throw optionError(BUILDER, 'nodes', nodes, `${describeValue(n)} does not appear in the trace; nodes in the trace: ${present.join(', ')}`);
    }
  }
  return nodes.slice();
}

/** Segments (x, y pairs separated by nulls) plus per-point marker symbol, size and hover text. */
class Segments {
  x: Array<number | null> = [];
  y: Array<number | null> = [];
  symbol: string[] = [];
  size: number[] = [];
  text: string[] = [];
  add(x0: number, y0: number, x1: number, y1: number, endSymbol: string, text: string): void {
    this.x.push(x0, x1, null);
    this.y.push(y0, y1, null);
    this.symbol.push('circle', endSymbol, 'circle');
    this.size.push(4, 10, 0);
    this.text.push(text, text, '');
  }
  trace(name: string, color: string, dash: string): Record<string, unknown> {
    return {
      type: 'scatter', mode: 'lines+markers', name,
      x: this.x, y: this.y, text: this.text, hoverinfo: 'text',
      line: { color, width: 1.2, dash },
      // angleref 'previous' turns the arrow marker along its segment.
      marker: { color, symbol: this.symbol, size: this.size, angleref: 'previous' },
    };
  }
}

function ms(t: number): string {
  return `${formatNumber(t)} ms`;
}

/** A node's down time: from a 'crash' fault to the next 'restart' of the same node (or the end). */
function downSpans(trace: readonly TraceEvent[], endMs: number): Array<{ node: string; fromMs: number; toMs: number }> {
  const open = new Map<string, number>();
  const spans: Array<{ node: string; fromMs: number; toMs: number }> = [];
  for (const e of trace) {
    if (e.kind !== 'fault') continue;
    for (const n of e.nodes) {
      if (e.fault === 'crash' && !open.has(n)) open.set(n, e.timeMs);
      if (e.fault === 'restart' && open.has(n)) {
        spans.push({ node: n, fromMs: open.get(n) as number, toMs: e.timeMs });
        open.delete(n);
      }
    }
  }
  open.forEach((fromMs, node) => spans.push({ node, fromMs, toMs: endMs }));
  return spans;
}

export function spaceTimeFigure(o: SpaceTimeOptions): Figure {
  const trace = checkTrace(o.trace);
  const seed = checkSeed(BUILDER, o.seed);
  const title = checkTitle(BUILDER, 'title', o.title === undefined ? 'Messages between nodes over time (space-time diagram)' : o.title);
  const maxMessages = checkIntegerInRange(BUILDER, 'maxMessages', o.maxMessages === undefined ? 400 : o.maxMessages, 1, 100000);
  const lanes = chooseLanes(trace, o.nodes);
  const lane = (n: string) => lanes.indexOf(n);
  let firstMs = Infinity;
  let lastMs = -Infinity;
  for (const e of trace) { firstMs = Math.min(firstMs, e.timeMs); lastMs = Math.max(lastMs, e.timeMs); }
  const fromMs = o.fromMs === undefined ? firstMs : checkFiniteNumber(BUILDER, 'fromMs', o.fromMs);
  const toMs = o.toMs === undefined ? lastMs : checkFiniteNumber(BUILDER, 'toMs', o.toMs);
  if (toMs < fromMs) throw optionError(BUILDER, 'toMs', toMs, `allowed: a time at or after fromMs = ${fromMs}`);
  const inWindow = (t: number) => t >= fromMs && t <= toMs;

  // Pair each delivery or drop with its send. A duplicated message has several outcomes.
  const sends = new Map<number, Send>();
  const outcomes: Array<{ send: Send; end: Outcome }> = [];
  const ended = new Set<number>();
  trace.forEach((e, i) => {
    if (e.kind === 'send') sends.set(e.msgId, e);
    if (e.kind === 'deliver' || e.kind === 'drop') {
      const send = sends.get(e.msgId);
      if (send === undefined) {
        throw optionError(BUILDER, `trace[${i}]`, `${e.kind} of msgId ${e.msgId}`, 'allowed: deliver and drop events after the send of the same msgId');
      }
      outcomes.push({ send, end: e });
      ended.add(e.msgId);
    }
  });
  const shown = (from: string, to: string) => lane(from) >= 0 && lane(to) >= 0;
  const drawnOutcomes = outcomes.filter((m) => shown(m.send.from, m.send.to) && m.send.timeMs <= toMs && m.end.timeMs >= fromMs);
  const inFlight = Array.from(sends.values()).filter((s) => !ended.has(s.msgId) && shown(s.from, s.to) && inWindow(s.timeMs));
  const messageCount = new Set(drawnOutcomes.map((m) => m.send.msgId).concat(inFlight.map((s) => s.msgId))).size;
  if (messageCount > maxMessages) {
    throw new Error(`${BUILDER}: ${messageCount} messages fall in the window ${fromMs}–${toMs} ms, more than maxMessages = ${maxMessages}; narrow fromMs/toMs (or choose fewer nodes) so the diagram stays readable`);
  }
  const logs = trace.filter((e): e is Extract<TraceEvent, { kind: 'log' }> => e.kind === 'log' && inWindow(e.timeMs) && lane(e.node) >= 0);
  if (logs.length > maxMessages) {
    throw new Error(`${BUILDER}: ${logs.length} log lines fall in the window ${fromMs}–${toMs} ms, more than maxMessages = ${maxMessages}; narrow fromMs/toMs (or choose fewer nodes)`);
  }

  const delivered = new Segments();
  const dropped = new Map<DropReason, Segments>();
  for (const { send, end } of drawnOutcomes) {
    const y0 = lane(send.from);
    const y1 = lane(send.to);
    const head = `${send.label} #${send.msgId}<br>${send.from} → ${send.to}<br>sent ${ms(send.timeMs)}`;
    if (end.kind === 'deliver') {
      delivered.add(send.timeMs, y0, end.timeMs, y1, 'arrow', `${head}, delivered ${ms(end.timeMs)} (took ${ms(end.timeMs - send.timeMs)})`);
    } else {
      if (!dropped.has(end.reason)) dropped.set(end.reason, new Segments());
      // A dropped message ends half-way to its destination: it never arrived.
      (dropped.get(end.reason) as Segments).add(send.timeMs, y0, end.timeMs, y0 + (y1 - y0) / 2, 'x', `${head}, dropped ${ms(end.timeMs)} (${end.reason})`);
    }
  }

  const data: Array<Record<string, unknown>> = [];
  if (delivered.x.length > 0) data.push(delivered.trace('delivered', DELIVER_COLOR, 'solid'));
  const labelMessages = o.messageLabels === undefined ? drawnOutcomes.length <= MESSAGE_LABELS_MAX : o.messageLabels === true;
  if (labelMessages && drawnOutcomes.length > 0) {
    // One text-only trace at the middle of every arrow (a dropped one ends half-way, so its
    // middle is a quarter of the way), hover left to the arrows themselves.
    const middles = drawnOutcomes.map(({ send, end }) => {
      const y0 = lane(send.from);
      const y1 = end.kind === 'deliver' ? lane(send.to) : lane(send.from) + (lane(send.to) - lane(send.from)) / 2;
      return { x: (send.timeMs + end.timeMs) / 2, y: (y0 + y1) / 2, color: end.kind === 'deliver' ? DELIVER_COLOR : DROP_COLORS[end.reason] || FAULT_COLOR };
    });
    data.push({
      type: 'scatter', mode: 'text', name: 'message labels', showlegend: false, hoverinfo: 'skip',
      x: middles.map((m) => m.x), y: middles.map((m) => m.y),
      text: drawnOutcomes.map(({ send }) => (send.label.length > MESSAGE_LABEL_CHARS_MAX ? send.label.slice(0, MESSAGE_LABEL_CHARS_MAX - 1) + '…' : send.label)),
      textposition: 'top center', textfont: { size: 9, color: middles.map((m) => m.color) },
    });
  }
  dropped.forEach((segments, reason) => data.push(segments.trace(`dropped (${reason})`, DROP_COLORS[reason] || FAULT_COLOR, 'dot')));
  if (inFlight.length > 0) {
    data.push({
      type: 'scatter', mode: 'markers', name: 'in flight at end of trace',
      x: inFlight.map((s) => s.timeMs), y: inFlight.map((s) => lane(s.from)),
      text: inFlight.map((s) => `${s.label} #${s.msgId}<br>${s.from} → ${s.to}<br>sent ${ms(s.timeMs)}, no delivery or drop in the trace`),
      hoverinfo: 'text', marker: { color: DELIVER_COLOR, symbol: 'circle-open', size: 8 },
    });
  }

  const faultX: number[] = [];
  const faultY: number[] = [];
  const faultLabel: string[] = [];
  const faultText: string[] = [];
  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  for (const e of trace) {
    if (e.kind !== 'fault' || !inWindow(e.timeMs)) continue;
    const hover = `${e.fault} at ${ms(e.timeMs)}${e.nodes.length ? ' on ' + e.nodes.join(', ') : ''}${e.detail ? '<br>' + e.detail : ''}`;
    if (e.nodes.length === 0) {
      // A fault of no particular node (e.g. a whole-network change) spans every lane.
      shapes.push({ type: 'line', xref: 'x', x0: e.timeMs, x1: e.timeMs, yref: 'paper', y0: 0, y1: 1, line: { color: FAULT_COLOR, width: 1, dash: 'dot' } });
      annotations.push({ text: e.fault, xref: 'x', x: e.timeMs, yref: 'paper', y: 1, yanchor: 'bottom', showarrow: false, font: { size: 10, color: FAULT_COLOR } });
    }
    for (const n of e.nodes) {
      if (lane(n) < 0) continue;
      faultX.push(e.timeMs); faultY.push(lane(n)); faultLabel.push(e.fault); faultText.push(hover);
    }
  }
  if (faultX.length > 0) {
    data.push({
      type: 'scatter', mode: 'markers+text', name: 'faults',
      x: faultX, y: faultY, text: faultLabel, hovertext: faultText, hoverinfo: 'text',
      textposition: 'top center', textfont: { size: 10, color: FAULT_COLOR },
      marker: { color: FAULT_COLOR, symbol: 'star', size: 11 },
    });
  }
  if (logs.length > 0) {
    data.push({
      type: 'scatter', mode: 'markers', name: 'log lines',
      x: logs.map((e) => e.timeMs), y: logs.map((e) => lane(e.node)),
      text: logs.map((e) => `${e.node} at ${ms(e.timeMs)}:<br>${e.text}`), hoverinfo: 'text',
      marker: { color: LOG_COLOR, symbol: 'diamond', size: 6 },
    });
  }
  // Shade each lane while its node is down, behind the messages.
  for (const span of downSpans(trace, lastMs)) {
    const y = lane(span.node);
    if (y < 0 || span.toMs < fromMs || span.fromMs > toMs) continue;
    shapes.push({
      type: 'rect', layer: 'below', xref: 'x', yref: 'y',
      x0: Math.max(span.fromMs, fromMs), x1: Math.min(span.toMs, toMs), y0: y - 0.3, y1: y + 0.3,
      fillcolor: 'rgba(214, 39, 40, 0.12)', line: { width: 0 },
    });
  }

  const padMs = Math.max((toMs - fromMs) * 0.02, 1);
  return {
    data,
    layout: baseLayout({
      title, xTitle: 'time (ms)', yTitle: 'node', seed, shapes, annotations,
      xaxis: { range: [fromMs - padMs, toMs + padMs], zeroline: false },
      yaxis: {
        tickmode: 'array', tickvals: lanes.map((_, i) => i), ticktext: lanes,
        range: [lanes.length - 0.5, -0.5], zeroline: false, showgrid: true,
      },
      extra: { height: 160 + 70 * lanes.length },
    }),
    seed,
  };
}
