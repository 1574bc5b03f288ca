import * as hdr from 'hdr-histogram-js';
import { OptionError } from '../util/option-error';

/**
 * A latency recorder for bulk measurements (benchmarks, long runs), on HdrHistogram
 * (hdr-histogram-js, the JavaScript port of Gil Tene's HdrHistogram). Recording is O(1)
 * and memory is fixed by the range and precision, not by the number of samples, so a
 * million latencies cost the same few kilobytes as a thousand. Values are recorded in
 * microseconds (integers) and reported back in milliseconds.
 *
 * Its percentiles are HdrHistogram's: the value at or below which p % of samples fall,
 * within the histogram's precision (3 significant digits by default), which is the same
 * nearest-rank statement `percentile()` makes exactly.
 */
export interface LatencyHistogramOptions {
  /** Largest latency that can be recorded, in ms; larger values are clamped and counted. */
  highestMs?: number;
  /** Significant decimal digits kept, 1–5 (3 = 0.1 % resolution). */
  significantDigits?: number;
}

export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Samples above `highestMs`, recorded as `highestMs`. */
  clampedCount: number;
}

export class LatencyHistogram {
  private readonly histogram: hdr.Histogram;
  private readonly highestUs: number;
  private clamped = 0;

  constructor(options: LatencyHistogramOptions = {}) {
    const highestMs = options.highestMs ?? 3_600_000;
    const digits = options.significantDigits ?? 3;
    if (typeof highestMs !== 'number' || !Number.isFinite(highestMs) || highestMs < 1) {
      throw new OptionError(`LatencyHistogram: highestMs = ${String(highestMs)} is not allowed; allowed: a number ≥ 1`);
    }
    if (!Number.isInteger(digits) || digits < 1 || digits > 5) {
      throw new OptionError(`LatencyHistogram: significantDigits = ${String(digits)} is not allowed; allowed: an integer from 1 to 5`);
    }
    this.highestUs = Math.ceil(highestMs * 1000);
    this.histogram = hdr.build({
      bitBucketSize: 'packed',
      lowestDiscernibleValue: 1,
      highestTrackableValue: this.highestUs,
      numberOfSignificantValueDigits: digits as 1 | 2 | 3 | 4 | 5,
      useWebAssembly: false,
    });
  }

  /** Records one latency in ms (≥ 0). */
  record(latencyMs: number): void {
    if (typeof latencyMs !== 'number' || !(latencyMs >= 0)) {
      throw new OptionError(`LatencyHistogram.record: latencyMs = ${String(latencyMs)} is not allowed; allowed: a finite number ≥ 0`);
    }
    let us = Math.round(latencyMs * 1000);
    if (us > this.highestUs) {
      us = this.highestUs;
      this.clamped += 1;
    }
    this.histogram.recordValue(us);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The p-th percentile (0–100) in ms; throws on an empty histogram. */
  percentileMs(p: number): number {
    if (typeof p !== 'number' || !(p >= 0 && p <= 100)) {
      throw new OptionError(`LatencyHistogram.percentileMs: p = ${String(p)} is not allowed; allowed: a number from 0 to 100`);
    }
    this.requireSamples('percentileMs');
    return this.histogram.getValueAtPercentile(p) / 1000;
  }

  summary(): LatencySummary {
    this.requireSamples('summary');
    const h = this.histogram;
    return {
      count: h.totalCount,
      minMs: h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : Math.min(h.minNonZeroValue, h.getValueAtPercentile(0)) / 1000,
      meanMs: h.mean / 1000,
      p50Ms: h.getValueAtPercentile(50) / 1000,
      p95Ms: h.getValueAtPercentile(95) / 1000,
      p99Ms: h.getValueAtPercentile(99) / 1000,
      p999Ms: h.getValueAtPercentile(99.9) / 1000,
      maxMs: h.maxValue / 1000,
      clampedCount: this.clamped,
    };
  }

  private requireSamples(method: string): void {
    if (this.histogram.totalCount === 0) {
      throw new OptionError(`LatencyHistogram.${method}: no latencies recorded yet; record at least one first`);
    }
  }
}
