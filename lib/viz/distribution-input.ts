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
  const annotations: Annotation[] = [];
  const unit = unitOf(xTitle);
  let row = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const g of groups) for (const v of g.values) { if (v < min) min = v; if (v > max) max = v; }
  groups.forEach((g, gi) => {
    const sorted = sortedCopy(g.values);
    for (const p of percentiles) {
      const x = percentileOfSorted(sorted, p);
      const color = seriesColor(gi);
      const prefix = g.name === '' ? '' : `${g.name} `;
      shapes.push(verticalLine(x, color));
      const side = x > (min + max) / 2 ? 'left' : 'right';
      annotations.push(topLabel(x, `${prefix}P${p} = ${formatNumber(x)}${unit ? ' ' + unit : ''}`, color, row++, side));
    }
  });
  return { shapes, annotations };
}
