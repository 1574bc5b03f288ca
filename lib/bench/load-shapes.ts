/**
 * The three load shapes of a benchmark run, all at real per-second rates: constant, a
 * compressed business day (lib/workload's BUSINESS_DAY_SHAPE, peaks at the target rate) and a
 * sale spike (a quiet floor, then 10× within a short ramp, held, then settling at 4×, the
 * shape of a Big Billion Day opening at midnight; lib/workload/big-billion-day.ts has the full
 * minute-by-minute trace, this is its shape compressed into one run).
 */
import { OptionError, checkNumber, checkOneOf } from '../sim';
import { LoadProfile, RateSegment, businessDayProfile, constantProfile } from '../workload';

export type LoadShape = 'constant' | 'business-day' | 'sale-spike';
export const LOAD_SHAPES: readonly LoadShape[] = ['constant', 'business-day', 'sale-spike'];

/** The sale spike as (share of the run, share of the peak rate); the top is the target rate. */
export const SALE_SPIKE_SHAPE: ReadonlyArray<readonly [number, number]> = [
  [0.3, 0.1], // before midnight: the quiet floor
  [0.05, 0.55], // the ramp: the app opens, the first wave
  [0.25, 1.0], // the top: 10× the floor
  [0.4, 0.4], // the rest of the sale night: 4× the floor
];

export function loadProfile(options: { shape: LoadShape; startMs: number; durationMs: number; peakOpsPerSec: number; readShare: number }): LoadProfile {
  const shape = checkOneOf('load shape', options.shape, LOAD_SHAPES);
  const startMs = checkNumber('load startMs', options.startMs, { min: 0 });
  const durationMs = checkNumber('load durationMs', options.durationMs, { min: 1 });
  const peak = checkNumber('load peakOpsPerSec', options.peakOpsPerSec, { min: 0 });
  const readShare = checkNumber('load readShare', options.readShare, { min: 0, max: 1 });
  if (peak === 0) throw new OptionError('load peakOpsPerSec: got 0; allowed: a rate > 0');
  const writes = peak * (1 - readShare);
  const reads = peak * readShare;
  if (shape === 'constant') return constantProfile({ startMs, durationMs, writesPerSec: writes, readsPerSec: reads });
  if (shape === 'business-day') return businessDayProfile({ startMs, hourMs: durationMs / 24, peakWritesPerSec: writes, peakReadsPerSec: reads });
  const segments: RateSegment[] = [];
  let at = startMs;
  SALE_SPIKE_SHAPE.forEach(([share, level], hour) => {
    const end = hour === SALE_SPIKE_SHAPE.length - 1 ? startMs + durationMs : at + share * durationMs;
    segments.push({ startMs: at, endMs: end, writesPerSec: writes * level, readsPerSec: reads * level, hour });
    at = end;
  });
  return { name: `sale spike to ${peak} ops/s`, hourMs: durationMs / SALE_SPIKE_SHAPE.length, startMs, endMs: startMs + durationMs, segments };
}

/**
 * The shape's time-weighted mean rate as a share of its peak (constant 1, the sale spike about
 * 0.47): a run at peak = mean ÷ this offers the same number of requests whatever the shape.
 */
export function meanShareOf(shape: LoadShape): number {
  const profile = loadProfile({ shape, startMs: 0, durationMs: 24_000, peakOpsPerSec: 1, readShare: 0.5 });
  const total = profile.segments.reduce((sum, s) => sum + (s.writesPerSec + s.readsPerSec) * (s.endMs - s.startMs), 0);
  return total / (profile.endMs - profile.startMs);
}
