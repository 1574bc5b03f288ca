/**
 * Empirical cumulative distribution (CDF) of samples, one step line per series: for each
 * x, the fraction of samples at most x. It shows a whole latency distribution, tail
 * included, in one line; percentiles can be read off (or marked) directly.
 */
import { Figure } from './figure';
import { baseLayout, seriesColor } from './layout';
import { checkAxisTitle, checkIntegerInRange, checkSeed, checkTitle } from './option-checks';
import { checkPercentiles, DistributionInput, percentileMarkers, sampleGroups } from './distribution-input';
import { sortedCopy } from '../stats/percentiles';

export interface CdfOptions<T extends object> extends DistributionInput<T> {
  title: string;
  /** With unit, e.g. "replication lag (ms)". */
  xTitle: string;
  /** Default "fraction of samples ≤ x"; e.g. "fraction of messages ≤ x". */
  yTitle?: string;
  seed: number | null;
  /** Percentiles to mark with vertical lines, e.g. [50, 95, 99]. */
  percentiles?: readonly number[];
  /**
   * Most points drawn per series (default 2000, at most 100000). Larger samples are drawn at
   * evenly spaced ranks, always including the smallest and largest value, so the line
   * stays exact at every drawn point while the figure stays small.
   */
  maxPoints?: number;
}

const BUILDER = 'cdfFigure';

/**
 * Points (x, fraction ≤ x) of the empirical CDF at up to maxPoints ranks, starting at
 * (min, 0) so the first step is drawn and ending at (max, 1).
 */
export function empiricalCdf(values: readonly number[], maxPoints: number): { x: number[]; y: number[] } {
  const sorted = sortedCopy(values);
  const n = sorted.length;
  const x: number[] = [sorted[0]];
  const y: number[] = [0];
  const push = (rank: number) => {
    // With ties, the fraction ≤ x counts every copy of x, so step to the last copy.
    let last = rank;
    while (last + 1 < n && sorted[last + 1] === sorted[rank]) last++;
    if (x.length > 1 && x[x.length - 1] === sorted[last]) return;
    x.push(sorted[last]);
    y.push((last + 1) / n);
  };
  if (n <= maxPoints) {
    for (let r = 0; r < n; r++) push(r);
  } else {
    for (let k = 0; k < maxPoints; k++) push(Math.round((k * (n - 1)) / (maxPoints - 1)));
  }
  return { x, y };
}

export function cdfFigure<T extends object>(o: CdfOptions<T>): Figure {
  const groups = sampleGroups(BUILDER, o);
  const title = checkTitle(BUILDER, 'title', o.title);
  const xTitle = checkAxisTitle(BUILDER, 'xTitle', o.xTitle);
  // A fraction is its own unit, so the y title is only required to be text.
  const yTitle = checkTitle(BUILDER, 'yTitle', o.yTitle === undefined ? 'fraction of samples ≤ x' : o.yTitle);
  const seed = checkSeed(BUILDER, o.seed);
  const percentiles = checkPercentiles(BUILDER, o.percentiles);
  const maxPoints = checkIntegerInRange(BUILDER, 'maxPoints', o.maxPoints === undefined ? 2000 : o.maxPoints, 2, 100000);

  const data = groups.map((g, i) => {
    const cdf = empiricalCdf(g.values, maxPoints);
    return {
      type: 'scatter',
      mode: 'lines',
      name: g.name,
      showlegend: groups.length > 1,
      x: cdf.x,
      y: cdf.y,
      line: { shape: 'hv', color: seriesColor(i), width: 1.5 },
      hovertemplate: `${g.name ? g.name + ': ' : ''}%{y:.1%} ≤ %{x}<extra></extra>`,
    };
  });

  const markers = percentileMarkers(groups, percentiles, xTitle);
  return {
    data,
    layout: baseLayout({
      title, xTitle, yTitle, seed,
      yaxis: { range: [0, 1.02], tickformat: '.0%' },
      shapes: markers.shapes, annotations: markers.annotations,
    }),
    seed,
  };
}
