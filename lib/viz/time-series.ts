/**
 * Line charts of a measurement over time, one line per series (e.g. replication lag per
 * replica), with optional horizontal thresholds such as an SLA.
 */
import { Figure } from './figure';
import { baseLayout, horizontalLine, seriesColor } from './layout';
import { checkAxisTitle, checkFiniteNumber, checkOneOf, checkSeed, checkTitle, optionError } from './option-checks';
import { checkRecords, groupIndices, labelColumn, numericColumn } from './record-fields';

export interface Threshold {
  /** Where the line is drawn, in the units of the y axis. */
  y: number;
  /** Shown on the line, e.g. "Mumbai SLA 100 ms". */
  label: string;
  color?: string;
}

export type LineMode = 'lines' | 'lines+markers' | 'markers';

export interface TimeSeriesOptions<T extends object> {
  records: readonly T[];
  /** Numeric time field, e.g. 'timeMs'. */
  x: keyof T & string;
  /** Numeric measurement field, e.g. 'lagMs'. */
  y: keyof T & string;
  /** Field whose values name the lines, e.g. 'replica'; one line when absent. */
  series?: keyof T & string;
  title: string;
  /** With unit, e.g. "time (ms)". */
  xTitle: string;
  /** With unit, e.g. "replication lag (ms)". */
  yTitle: string;
  seed: number | null;
  thresholds?: readonly Threshold[];
  mode?: LineMode;
  /**
   * Field printed beside each point, e.g. 'forMs' when every point of a trade-off curve is one
   * setting: the reader sees which setting each point is without hovering. Implies markers.
   */
  pointLabel?: keyof T & string;
  /** Unit appended to each point label, e.g. 'ms'. */
  pointLabelUnit?: string;
}

const BUILDER = 'timeSeriesFigure';
const THRESHOLD_COLOR = '#d62728';

export function timeSeriesFigure<T extends object>(o: TimeSeriesOptions<T>): Figure {
  const records = checkRecords(BUILDER, o.records);
  const title = checkTitle(BUILDER, 'title', o.title);
  const xTitle = checkAxisTitle(BUILDER, 'xTitle', o.xTitle);
  const yTitle = checkAxisTitle(BUILDER, 'yTitle', o.yTitle);
  const seed = checkSeed(BUILDER, o.seed);
  const mode = checkOneOf<LineMode>(BUILDER, 'mode', o.mode === undefined ? 'lines' : o.mode, ['lines', 'lines+markers', 'markers']);
  const xs = numericColumn(BUILDER, 'x', records, o.x);
  const ys = numericColumn(BUILDER, 'y', records, o.y);
  const labels = o.series === undefined ? null : labelColumn(BUILDER, 'series', records, o.series);
  const pointLabels = o.pointLabel === undefined ? null : labelColumn(BUILDER, 'pointLabel', records, o.pointLabel);
  if (o.pointLabelUnit !== undefined && typeof o.pointLabelUnit !== 'string') {
    throw optionError(BUILDER, 'pointLabelUnit', o.pointLabelUnit, 'allowed: a unit such as "ms"');
  }
  const unitSuffix = o.pointLabelUnit ? ` ${o.pointLabelUnit}` : '';

  const data = groupIndices(labels, records.length).map((group, i) => {
    // Lines are drawn in x order whatever order the records came in; the sort is stable.
    const order = group.indices.slice().sort((a, b) => xs[a] - xs[b]);
    const trace: Record<string, unknown> = {
      type: 'scatter',
      mode,
      name: group.name,
      showlegend: labels !== null,
      x: order.map((k) => xs[k]),
      y: order.map((k) => ys[k]),
      line: { color: seriesColor(i), width: 1.5 },
      marker: { color: seriesColor(i), size: 5 },
    };
    if (pointLabels !== null) {
      trace.mode = `${mode === 'lines' ? 'lines+markers' : mode}+text`;
      trace.text = order.map((k) => `${pointLabels[k]}${unitSuffix}`);
      trace.textposition = 'top right';
      trace.textfont = { size: 10, color: seriesColor(i) };
    }
    return trace;
  });

  const shapes: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  if (o.thresholds !== undefined && !Array.isArray(o.thresholds)) {
    throw optionError(BUILDER, 'thresholds', o.thresholds, 'allowed: an array of { y, label, color? }');
  }
  (o.thresholds || []).forEach((t, i) => {
    const y = checkFiniteNumber(BUILDER, `thresholds[${i}].y`, t && t.y);
    if (typeof t.label !== 'string' || t.label.trim() === '') {
      throw optionError(BUILDER, `thresholds[${i}].label`, t.label, 'allowed: a non-empty string such as "Mumbai SLA 100 ms"');
    }
    const color = t.color || THRESHOLD_COLOR;
    shapes.push(horizontalLine(y, color));
    annotations.push({
      text: t.label, xref: 'paper', x: 1, xanchor: 'right', yref: 'y', y, yanchor: 'bottom',
      showarrow: false, font: { size: 11, color },
    });
  });

  return { data, layout: baseLayout({ title, xTitle, yTitle, seed, shapes, annotations }), seed };
}
