/**
 * Poisson arrivals: requests from many independent users arrive at random moments, with
 * exponentially distributed gaps whose mean is 1 / rate. When the rate changes between
 * segments, the memorylessness of the exponential lets us simply restart the draw at the
 * segment boundary with the new rate; that is exact, not an approximation.
 */
import { LimitExceededError, Rng, checkNumber } from '../sim';

export interface RatePeriod {
  startMs: number;
  endMs: number;
  perSec: number;
}

/** Arrival times (ms, ascending) of a Poisson process whose rate is piecewise constant. */
export function poissonArrivalTimesMs(rng: Rng, periods: readonly RatePeriod[], maxArrivals = 1_000_000): number[] {
  const times: number[] = [];
  periods.forEach((p, i) => {
    checkNumber(`periods[${i}].perSec`, p.perSec, { min: 0 });
    checkNumber(`periods[${i}].endMs`, p.endMs, { min: p.startMs });
    if (p.perSec === 0) return;
    const meanGapMs = 1000 / p.perSec;
    let t = p.startMs + rng.exponential(meanGapMs);
    while (t < p.endMs) {
      if (times.length >= maxArrivals) {
        throw new LimitExceededError(`poissonArrivalTimesMs: more than ${maxArrivals} arrivals (maxArrivals); lower the rates or shorten the run`);
      }
      times.push(t);
      t += rng.exponential(meanGapMs);
    }
  });
  return times;
}
