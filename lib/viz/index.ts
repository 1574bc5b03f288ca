/**
 * lib/viz: plotly figures and HTML tables built from plain records, and their display in
 * the notebook. Builders are pure functions returning a `Figure`; display is separate.
 */
export * from './figure';
export * from './display';
export * from './history-timeline';
export { timeSeriesFigure } from './time-series';
export type { Threshold, LineMode, TimeSeriesOptions } from './time-series';
export { histogramFigure, equalWidthBins, binCounts } from './histogram';
export type { HistogramOptions, Bins } from './histogram';
export { cdfFigure, empiricalCdf } from './cdf';
export type { CdfOptions } from './cdf';
export type { DistributionInput } from './distribution-input';
export { heatmapFigure } from './heatmap';
export type { HeatmapOptions } from './heatmap';
export { barFigure } from './bar';
export type { BarOptions, BarMode } from './bar';
export { spaceTimeFigure } from './space-time';
export type { SpaceTimeOptions } from './space-time';
export { tableHtml, escapeHtml } from './table-html';
export type { TableHtmlOptions, NumberFormat } from './table-html';
export { percentile, summarize } from '../stats/percentiles';
export type { Summary } from '../stats/percentiles';
export { unitOf } from './option-checks';
export * from './txn-cycle';
export { plotlyLibrary } from './plotly-bundle';
export type { PlotlyLibrary } from './plotly-bundle';
