/**
 * Bar charts of a measurement per category (region, strategy ...), grouped or stacked by
 * a series field, e.g. lost writes per failover scenario for each ack mode.
 */
import { Figure } from './figure';
import { baseLayout, seriesColor } from './layout';
import { checkAxisTitle, checkOneOf, checkSeed, checkTitle, describeValue } from './option-checks';
import { checkRecords, distinctInOrder, groupIndices, labelColumn, numericColumn } from './record-fields';

export type BarMode = 'group' | 'stack';

export interface BarOptions<T extends object> {
  records: readonly T[];
  /** Categorical field along x, e.g. 'region'; categories keep first-appearance order. */
  x: keyof T & string;
  /** Numeric field, e.g. 'lostWriteCount'. */
  y: keyof T & string;
  /** Field splitting the bars into series, e.g. 'ack'. */
  series?: keyof T & string;
  title: string;
  /** Category axis title, e.g. "region" (no unit needed). */
  xTitle: string;
  /** With unit, e.g. "lost writes (count)". */
  yTitle: string;
  seed: number | null;
  /** 'group' (default): series side by side; 'stack': series on top of each other. */
  barmode?: BarMode;
}

const BUILDER = 'barFigure';

export function barFigure<T extends object>(o: BarOptions<T>): Figure {
  const records = checkRecords(BUILDER, o.records);
  const title = checkTitle(BUILDER, 'title', o.title);
  const xTitle = checkTitle(BUILDER, 'xTitle', o.xTitle);
  const yTitle = checkAxisTitle(BUILDER, 'yTitle', o.yTitle);
  const seed = checkSeed(BUILDER, o.seed);
  const barmode = checkOneOf<BarMode>(BUILDER, 'barmode', o.barmode === undefined ? 'group' : o.barmode, ['group', 'stack']);
  const categories = labelColumn(BUILDER, 'x', records, o.x);
  const ys = numericColumn(BUILDER, 'y', records, o.y);
  const labels = o.series === undefined ? null : labelColumn(BUILDER, 'series', records, o.series);
  const order = distinctInOrder(categories);

  const data = groupIndices(labels, records.length).map((group, i) => {
    // One bar per category and series; a missing pair is a gap, a repeated pair an error,
    // since silently summing or overwriting would misreport the measurement.
    const y: Array<number | null> = order.map(() => null);
    for (const k of group.indices) {
      const c = order.indexOf(categories[k]);
      if (y[c] !== null) {
        throw new Error(`${BUILDER}: records[${k}] repeats x = ${describeValue(categories[k])}${labels ? ` in series ${describeValue(group.name)}` : ''}; allowed: one record per bar (aggregate first)`);
      }
      y[c] = ys[k];
    }
    return {
      type: 'bar',
      name: group.name,
      showlegend: labels !== null,
      x: order,
      y,
      // Side by side, a bar of height 0 is invisible and reads as missing data: print its 0
      // (a missing pair, null, stays blank). Stacked, the other segments show the category
      // exists, and a 0 above the stack could not say which series it belongs to.
      text: y.map((v) => (v === 0 && barmode === 'group' ? '0' : '')),
      textposition: 'outside',
      cliponaxis: false,
      marker: { color: seriesColor(i) },
    };
  });

  return {
    data,
    layout: baseLayout({ title, xTitle, yTitle, seed, xaxis: { type: 'category' }, extra: { barmode } }),
    seed,
  };
}
