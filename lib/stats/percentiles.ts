/**
 * Percentiles and summaries of plain numbers (latencies, lags), used by the
 * distribution figures and directly by notebooks.
 *
 * Percentiles use the nearest-rank definition: with the n values sorted ascending, the
 * p-th percentile is the value at 1-based rank ceil(p/100 * n), and P0 is the minimum.
 * It always returns one of the measured values (never an interpolation), which is what
 * an SLA statement such as "P99 lag ≤ 100 ms" means: 99% of the samples were at most that.
 */

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function checkValues(fn: string, values: readonly number[]): void {
  if (!Array.isArray(values) || values.length === 0) {
    throw new Error(`${fn}: values = ${Array.isArray(values) ? 'an empty array' : String(values)} is not allowed; allowed: a non-empty array of finite numbers`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${fn}: values[${i}] = ${String(v)} is not allowed; allowed: finite numbers only`);
    }
  }
}

function checkP(fn: string, p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 100)) {
    throw new Error(`${fn}: p = ${String(p)} is not allowed; allowed: a number from 0 to 100, e.g. 95 for P95`);
  }
}

/** Nearest-rank percentile of values already sorted ascending (no checks; for callers that sort once). */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(rank, 1) - 1];
}

/** A sorted copy; the caller's array is left untouched. */
export function sortedCopy(values: readonly number[]): number[] {
  return values.slice().sort((a, b) => a - b);
}

/** Nearest-rank percentile, p from 0 to 100: `percentile([1,2,3,4], 50)` is 2, `percentile(xs, 100)` the maximum. */
export function percentile(values: readonly number[], p: number): number {
  checkValues('percentile', values);
  checkP('percentile', p);
  return percentileOfSorted(sortedCopy(values), p);
}

/** Count, min, mean, nearest-rank P50/P95/P99 and max of a non-empty list of finite numbers. */
export function summarize(values: readonly number[]): Summary {
  checkValues('summarize', values);
  const sorted = sortedCopy(values);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    min: sorted[0],
    mean: sum / sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}
