/**
 * lib/stats — the one definition of percentiles and summaries in the workbook, below
 * every layer that measures (simulated strategies, real-engine drivers, the monitor,
 * figures). `percentile`/`summarize` are exact nearest-rank over an array (one of the
 * measured values, never an interpolation); `LatencyHistogram` records latencies in bulk
 * on HdrHistogram with fixed memory, for benchmarks and long runs.
 */
export * from './percentiles';
export * from './latency-histogram';
