/**
 * A bank's business day, compressed. Indian retail banking traffic (UPI, net banking, card
 * swipes) climbs from early morning, peaks when offices and shops open (9–11), again after
 * lunch (14–16) and in the evening shopping and bill-payment hour (19–21), and is quiet at
 * night. The shape below is relative load per hour (1 = the peak); the profile multiplies
 * it by peak rates. It is an illustrative shape, not a measurement of any bank.
 */
import { OptionError, checkKnownKeys, checkNumber } from '../sim';
import { LoadProfile, RateSegment } from './load-profile';

/** Relative load for hours 0..23; the three peaks (9–11, 14–16, 19–21) are at 1.0. */
export const BUSINESS_DAY_SHAPE: readonly number[] = [
  0.12, 0.08, 0.06, 0.06, 0.08, 0.15, // 00–05: night
  0.3, 0.5, 0.75, //                     06–08: the morning ramp
  1.0, 1.0, //                           09–11: first peak
  0.7, 0.6, 0.65, //                     11–14: late morning, lunch
  1.0, 1.0, //                           14–16: second peak
  0.7, 0.6, 0.7, //                      16–19
  1.0, 1.0, //                           19–21: evening peak
  0.6, 0.35, 0.2, //                     21–24: winding down
];

/** The hours the shape marks as peaks, as [start, end) pairs. */
export const BUSINESS_DAY_PEAKS: ReadonlyArray<readonly [number, number]> = [
  [9, 11],
  [14, 16],
  [19, 21],
];

export interface BusinessDayOptions {
  /** ms of simulated time per hour of the day; default 250 (a day in 6 s). */
  hourMs?: number;
  /** Writes per second at the peak; default 2000. */
  peakWritesPerSec?: number;
  /** Reads per second at the peak; default 6000. */
  peakReadsPerSec?: number;
  /** When hour `fromHour` starts, in simulation ms; default 0. */
  startMs?: number;
  /** First and last (exclusive) hour to run; default 0 and 24. */
  fromHour?: number;
  toHour?: number;
  /** Relative load per hour, 24 numbers ≥ 0; default BUSINESS_DAY_SHAPE. */
  shape?: readonly number[];
}

const KEYS = ['hourMs', 'peakWritesPerSec', 'peakReadsPerSec', 'startMs', 'fromHour', 'toHour', 'shape'];

export function businessDayProfile(options: BusinessDayOptions = {}): LoadProfile {
  checkKnownKeys('businessDayProfile', options, KEYS);
  const hourMs = checkNumber('businessDayProfile hourMs', options.hourMs ?? 250, { min: 1 });
  const peakWritesPerSec = checkNumber('businessDayProfile peakWritesPerSec', options.peakWritesPerSec ?? 2000, { min: 0 });
  const peakReadsPerSec = checkNumber('businessDayProfile peakReadsPerSec', options.peakReadsPerSec ?? 6000, { min: 0 });
  const startMs = checkNumber('businessDayProfile startMs', options.startMs ?? 0, { min: 0 });
  const fromHour = checkNumber('businessDayProfile fromHour', options.fromHour ?? 0, { integer: true, min: 0, max: 23 });
  const toHour = checkNumber('businessDayProfile toHour', options.toHour ?? 24, { integer: true, min: fromHour + 1, max: 24 });
  const shape = options.shape ?? BUSINESS_DAY_SHAPE;
  if (!Array.isArray(shape) || shape.length !== 24) {
    throw new OptionError(`businessDayProfile shape: got ${Array.isArray(shape) ? `${shape.length} numbers` : typeof shape}; allowed: 24 numbers ≥ 0, one per hour`);
  }
  shape.forEach((v, hour) => checkNumber(`businessDayProfile shape[${hour}]`, v, { min: 0 }));
  const segments: RateSegment[] = [];
  for (let hour = fromHour; hour < toHour; hour++) {
    const begin = startMs + (hour - fromHour) * hourMs;
    segments.push({
      startMs: begin,
      endMs: begin + hourMs,
      writesPerSec: peakWritesPerSec * shape[hour],
      readsPerSec: peakReadsPerSec * shape[hour],
      hour,
    });
  }
  return {
    name: `business day, peak ${peakWritesPerSec} writes/s and ${peakReadsPerSec} reads/s, 1 h = ${hourMs} ms`,
    hourMs,
    startMs,
    endMs: startMs + (toHour - fromHour) * hourMs,
    segments,
  };
}
