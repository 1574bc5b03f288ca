/**
 * The figures of notebook 07: latency against throughput for every strategy in one figure
 * (log-scaled latency, one point per offered load of the sweep), and the P95 each client
 * region sees at 80 % of saturation as a heatmap.
 */
import { Figure, heatmapFigure, timeSeriesFigure } from '../../viz';
import { StrategyMeasurement, curvePoints, regionalP95 } from './strategy-table';

export function latencyThroughputFigure(measurements: readonly StrategyMeasurement[], seed: number, percentile: 'p95Ms' | 'p99Ms' = 'p95Ms'): Figure {
  const fig = timeSeriesFigure({
    records: curvePoints(measurements).sort((a, b) => a.strategy.localeCompare(b.strategy) || a.offeredPerSec - b.offeredPerSec),
    x: 'throughputPerSec',
    y: percentile,
    series: 'strategy',
    mode: 'lines+markers',
    seed,
    title: `${percentile === 'p95Ms' ? 'P95' : 'P99'} latency (from intended start) against completed throughput, one point per offered load`,
    xTitle: 'completed throughput (ops/s)',
    yTitle: `${percentile === 'p95Ms' ? 'P95' : 'P99'} latency (ms, log scale)`,
  });
  const yaxis = (fig.layout.yaxis ?? {}) as Record<string, unknown>;
  fig.layout.yaxis = { ...yaxis, type: 'log' };
  return fig;
}

export function regionalHeatmap(measurements: readonly StrategyMeasurement[], seed: number): Figure {
  const r = regionalP95(measurements);
  const fig = heatmapFigure({
    rows: r.strategies,
    columns: r.regions,
    z: r.p95Ms,
    title: 'P95 latency by client region at 80 % of each strategy’s saturation',
    colorTitle: 'P95 (ms)',
    xTitle: 'client region',
    yTitle: 'strategy',
    seed,
  });
  // The rows are long strategy names: plotly's automargin makes room for them but then draws the
  // axis title over them, so the row axis goes untitled (the hover still says "strategy").
  fig.layout.yaxis = { ...((fig.layout.yaxis ?? {}) as Record<string, unknown>), title: { text: '' } };
  return fig;
}
