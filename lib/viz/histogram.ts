/**
 * Histograms of samples (latency, lag), one per series, on shared bins. Bin counts are
 * computed here rather than by plotly, so the figure is small whatever the sample count
 * and the counts can be tested.
 */
import { Figure } from './figure';
import { baseLayout, seriesColor, formatNumber } from './layout';
import { checkAxisTitle, checkIntegerInRange, checkSeed, checkTitle } from './option-checks';
import { checkPercentiles, DistributionInput, percentileMarkers, sampleGroups } from './distribution-input';

export interface HistogramOptions<T extends object> extends DistributionInput<T> {
  /** Number of equal-width bins over the range of all values; default 30, at most 1000. */
  bins?: number;
  title: string;
  /** With unit, e.g. "write latency (ms)". */
  xTitle: string;
  /** With unit; default "count (samples)". */
  yTitle?: string;
  seed: number | null;
  /** Percentiles to mark with vertical lines, e.g. [50, 95, 99]. */
  percentiles?: readonly number[];
}

const BUILDER = 'histogramFigure';
const BINS_MAX = 1000;

export interface Bins {
  start: number;
  size: number;
  count: number;
}

/** Equal-width bins covering [min, max]; a single value gets one bin of width 1 centred on it. */
export function equalWidthBins(min: number, max: number, count: number): Bins {
  if (max === min) return { start: min - 0.5, size: 1, count: 1 };
  return { start: min, size: (max - min) / count, count };
}

/** Counts per bin; the maximum falls into the last bin, as in numpy. */
export function binCounts(values: readonly number[], bins: Bins): number[] {
  const counts = new Array<number>(bins.count).fill(0);
  for (const v of values) {
    const k = Math.min(Math.floor((v - bins.start) / bins.size), bins.count - 1);
    counts[Math.max(k, 0)]++;
  }
  return counts;
}

export function histogramFigure<T extends object>(o: HistogramOptions<T>): Figure {
  const groups = sampleGroups(BUILDER, o);
  const title = checkTitle(BUILDER, 'title', o.title);
  const xTitle = checkAxisTitle(BUILDER, 'xTitle', o.xTitle);
  const yTitle = checkAxisTitle(BUILDER, 'yTitle', o.yTitle === undefined ? 'count (samples)' : o.yTitle);
  const seed = checkSeed(BUILDER, o.seed);
  const binCount = checkIntegerInRange(BUILDER, 'bins', o.bins === undefined ? 30 : o.bins, 1, BINS_MAX);
  const percentiles = checkPercentiles(BUILDER, o.percentiles);

  let min = Infinity;
  let max = -Infinity;
  for (const g of groups) for (const v of g.values) { if (v < min) min = v; if (v > max) max = v; }
  const bins = equalWidthBins(min, max, binCount);
  const centers = Array.from({ length: bins.count }, (_, k) => bins.start + (k + 0.5) * bins.size);
  const ranges = centers.map((_, k) => `${formatNumber(bins.start + k * bins.size)} – ${formatNumber(bins.start + (k + 1) * bins.size)}`);
  const several = groups.length > 1;

  const data = groups.map((g, i) => ({
    type: 'bar',
    name: g.name,
    showlegend: several,
    x: centers,
    y: binCounts(g.values, bins),
    width: bins.size,
    text: ranges,
    hovertemplate: `${g.name ? g.name + ': ' : ''}%{text}: %{y}<extra></extra>`,
    textposition: 'none',
    marker: { color: seriesColor(i), line: { width: 0 } },
    opacity: several ? 0.6 : 0.9,
  }));

  const markers = percentileMarkers(groups, percentiles, xTitle);
  return {
    data,
    layout: baseLayout({
      title, xTitle, yTitle, seed,
      shapes: markers.shapes, annotations: markers.annotations,
      extra: { barmode: 'overlay', bargap: 0 },
    }),
    seed,
  };
}
