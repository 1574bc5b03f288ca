/**
 * Layout pieces every figure shares: the title, axes with units, the seed note and
 * reference lines. Builders compose these so that all figures look and read alike.
 */

/**
 * Series colours, assigned in series order. Builders set colours explicitly (rather than
 * leaving them to plotly) so that percentile markers can match the colour of their series.
 */
export const SERIES_COLORS: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length];
}

export type Annotation = Record<string, unknown>;
export type Shape = Record<string, unknown>;

/**
 * The small grey "seed N" note at the top-right, just above the plot area. (Below the plot it
 * collided with rotated tick labels and long axis titles, whose height plotly decides.)
 */
export function seedAnnotation(seed: number): Annotation {
  return {
    text: `seed ${seed}`,
    name: 'seed',
    xref: 'paper', yref: 'paper', x: 1, y: 1,
    xanchor: 'right', yanchor: 'bottom', yshift: 4,
    showarrow: false,
    font: { size: 10, color: '#888888' },
  };
}

export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { text: title }, automargin: true, ...extra };
}

export interface BaseLayoutOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  seed: number | null;
  xaxis?: Record<string, unknown>;
  yaxis?: Record<string, unknown>;
  shapes?: Shape[];
  annotations?: Annotation[];
  /** Any further plotly layout keys (barmode, height, ...). */
  extra?: Record<string, unknown>;
}

/** The layout of every builder: title, two titled axes, shapes, annotations and the seed note. */
export function baseLayout(o: BaseLayoutOptions): Record<string, unknown> {
  const annotations = (o.annotations || []).slice();
  if (o.seed !== null) annotations.push(seedAnnotation(o.seed));
  return {
    title: { text: o.title },
    xaxis: axis(o.xTitle, o.xaxis),
    yaxis: axis(o.yTitle, o.yaxis),
    shapes: o.shapes || [],
    annotations,
    hovermode: 'closest',
    ...(o.extra || {}),
  };
}

/** A horizontal reference line across the whole plot width, e.g. an SLA. */
export function horizontalLine(y: number, color: string): Shape {
  return {
    type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: y, y1: y,
    line: { color, width: 1.5, dash: 'dash' },
  };
}

/** A vertical reference line across the whole plot height, e.g. a percentile. */
export function verticalLine(x: number, color: string, dash = 'dot'): Shape {
  return {
    type: 'line', yref: 'paper', y0: 0, y1: 1, xref: 'x', x0: x, x1: x,
    line: { color, width: 1.5, dash },
  };
}

/**
 * A text label pinned to a data x position near the top of the plot; successive rows step
 * downwards so that labels of nearby lines do not print over each other. `side` says on
 * which side of the line the text sits; labels near the right edge go on the left so they
 * do not stretch the x axis.
 */
export function topLabel(x: number, text: string, color: string, row = 0, side: 'left' | 'right' = 'left'): Annotation {
  return {
    text, xref: 'x', x, yref: 'paper', y: 1, yanchor: 'top', xanchor: side === 'left' ? 'right' : 'left',
    yshift: -row * 14, showarrow: false, font: { size: 10, color },
  };
}

/** Formats a number for a label: few digits, no trailing noise. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(1).replace(/\.0$/, '');
  if (abs >= 1) return value.toFixed(2).replace(/\.?0+$/, '');
  if (abs === 0) return '0';
  return Number(value.toPrecision(3)).toString();
}
