/**
 * The input shared by the distribution figures (histogram, CDF): either a plain list of
 * values, or records plus the name of a numeric field, optionally split into series by
 * another field. Also the percentile markers both figures can draw.
 */
import { seriesColor, topLabel, verticalLine, Annotation, Shape, formatNumber } from './layout';
import { checkFiniteValues, optionError, unitOf } from './option-checks';
import { checkRecords, groupIndices, labelColumn, numericColumn } from './record-fields';
import { percentileOfSorted, sortedCopy } from '../stats/percentiles';

export interface DistributionInput<T extends object> {
  /** The samples, e.g. latencies in ms. Give either values, or records and field. */
  values?: readonly number[];
  records?: readonly T[];
  /** Numeric field of the records, e.g. 'latencyMs'. */
  field?: keyof T & string;
  /** Field of the records that splits them into series, e.g. 'strategy'. */
  series?: keyof T & string;
}

export interface SampleGroup {
  /** '' when there is a single unnamed series. */
  name: string;
  values: number[];
}

export function sampleGroups<T extends object>(builder: string, o: DistributionInput<T>): SampleGroup[] {
  if (o.values !== undefined) {
    if (o.records !== undefined || o.field !== undefined || o.series !== undefined) {
      throw optionError(builder, 'records', o.records === undefined ? o.field : o.records,
        'allowed: either values, or records with field (and optionally series), not both');
    }
    if (!Array.isArray(o.values) || o.values.length === 0) {
      throw optionError(builder, 'values', o.values, 'allowed: a non-empty array of finite numbers');
    }
    return [{ name: '', values: checkFiniteValues(builder, 'values', o.values).slice() }];
  }
  if (o.records === undefined) {
    throw optionError(builder, 'values', undefined, 'allowed: give values (an array of numbers), or records with field');
  }
  const records = checkRecords(builder, o.records);
  const column = numericColumn(builder, 'field', records, o.field);
  const labels = o.series === undefined ? null : labelColumn(builder, 'series', records, o.series);
  return groupIndices(labels, records.length).map((g) => ({ name: g.name, values: g.indices.map((i) => column[i]) }));
}

/** Percentiles to mark must lie in (0, 100]; checked once so both figures report the same way. */
export function checkPercentiles(builder: string, percentiles: unknown): number[] {
  if (percentiles === undefined) return [];
  if (!Array.isArray(percentiles)) {
    throw optionError(builder, 'percentiles', percentiles, 'allowed: an array of numbers in (0, 100], e.g. [50, 95, 99]');
  }
  percentiles.forEach((p, i) => {
    if (typeof p !== 'number' || !(p > 0 && p <= 100)) {
      throw optionError(builder, `percentiles[${i}]`, p, 'allowed: numbers in (0, 100], e.g. 95 for P95');
    }
  });
  return percentiles as number[];
}

/**
 * One dotted vertical line per (series, percentile), labelled "P95 = 123 ms" (with the
 * series name when there are several), in the colour of its series.
 */
export function percentileMarkers(groups: readonly SampleGroup[], percentiles: readonly number[], xTitle: string): { shapes: Shape[]; annotations: Annotation[] } {
  const shapes: Shape[] = [];
  const unit = unitOf(xTitle);
  let min = Infinity;
  let max = -Infinity;
  for (const g of groups) for (const v of g.values) { if (v < min) min = v; if (v > max) max = v; }
  const labels: Array<{ x: number; text: string; color: string }> = [];
  groups.forEach((g, gi) => {
    const sorted = sortedCopy(g.values);
    for (const p of percentiles) {
      const x = percentileOfSorted(sorted, p);
      const color = seriesColor(gi);
      const prefix = g.name === '' ? '' : `${g.name} `;
      shapes.push(verticalLine(x, color));
      labels.push({ x, text: `${prefix}P${p} = ${formatNumber(x)}${unit ? ' ' + unit : ''}`, color });
    }
  });
  return { shapes, annotations: placeLabels(labels, min, max) };
}

/** Width of the plot area assumed when placing labels (px); figures are 700–1000 px wide. */
const ASSUMED_PLOT_WIDTH_PX = 700;
/** Approximate width of one character of a 10 px label (px). */
const LABEL_CHAR_WIDTH_PX = 6;
const LABEL_GAP_PX = 6;

/**
 * Top labels for vertical lines, placed so that no two overlap: from left to right, each label
 * sits beside its line (right of it, or left of it past the middle, so it does not stretch the
 * axis) on the highest row where it clears every label already on that row. Widths are
 * estimated from the text length against an assumed plot width; the white background keeps a
 * label readable where it crosses another line.
 */
export function placeLabels(labels: ReadonlyArray<{ x: number; text: string; color: string }>, min: number, max: number): Annotation[] {
  const span = max > min ? max - min : 1;
  const pxPerUnit = ASSUMED_PLOT_WIDTH_PX / span;
  const rowsTaken: Array<Array<[number, number]>> = [];
  const ordered = labels.map((label, index) => ({ ...label, index })).sort((a, b) => a.x - b.x || a.index - b.index);
  const placed: Array<{ index: number; annotation: Annotation }> = [];
  for (const label of ordered) {
    const side: 'left' | 'right' = label.x > (min + max) / 2 ? 'left' : 'right';
    const start = (label.x - min) * pxPerUnit;
    const width = label.text.length * LABEL_CHAR_WIDTH_PX + 4;
    const extent: [number, number] = side === 'right' ? [start, start + width] : [start - width, start];
    let row = 0;
    while (row < rowsTaken.length && rowsTaken[row].some(([a, b]) => extent[0] < b + LABEL_GAP_PX && a < extent[1] + LABEL_GAP_PX)) row++;
    if (row === rowsTaken.length) rowsTaken.push([]);
    rowsTaken[row].push(extent);
    placed.push({ index: label.index, annotation: { ...topLabel(label.x, label.text, label.color, row, side), bgcolor: 'rgba(255,255,255,0.85)' } });
  }
  return placed.sort((a, b) => a.index - b.index).map((entry) => entry.annotation);
}
