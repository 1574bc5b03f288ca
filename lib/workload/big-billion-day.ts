/**
 * A Big Billion Day read-traffic trace, minute by minute: a run of ordinary days, then the
 * announced sale that opens at 00:00 of the last day with 10–20× the traffic within minutes.
 *
 * Each region follows its own business day, from the episode's configuration: outside
 * BUSINESS_HOURS_START..BUSINESS_HOURS_END traffic is at a night floor, inside it at the
 * business level, and in the region's peak hours at PEAK_MULTIPLIER × the business level
 * (Mumbai peaks 9–11, 14–16, 19–21; Bangalore an hour later, 10–12, 15–17, 20–22). Between
 * levels the rate ramps linearly over `rampMin` minutes, as real traffic does not jump. The
 * shape is illustrative, not a measurement of any retailer.
 */
import { OptionError, Rng, checkKnownKeys, checkNumber } from '../sim';

/** The episode's configuration keys, with the episode's values. */
export const BUSINESS_HOURS_START = 9;
export const BUSINESS_HOURS_END = 22;
export const PEAK_MULTIPLIER = 2;

/** Peak hours per region as [start, end) hour pairs, from the episode (Delhi assumed like Mumbai). */
export const REGION_PEAK_HOURS: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>> = {
  mumbai: [[9, 11], [14, 16], [19, 21]],
  bangalore: [[10, 12], [15, 17], [20, 22]],
  delhi: [[9, 11], [14, 16], [19, 21]],
};

export interface SaleEvent {
  /** Day index (0-based) on whose 00:00 the sale opens. */
  day: number;
  /** Traffic multiplier at the top of the spike; the episode's range is 10–20. */
  multiplier: number;
  /** Minutes from 00:00 to the top of the spike. */
  rampMin: number;
  /** Minutes the spike holds at the top before it decays. */
  holdMin: number;
  /** Multiplier the rest of the sale day settles to (over the ordinary day's shape). */
  dayMultiplier: number;
  /** Minutes the decay from the top to dayMultiplier takes. */
  decayMin: number;
}

export interface BigBillionDayOptions {
  /** Number of days in the trace, the sale day last; default 8 (a week of history, then the sale). */
  days?: number;
  /** Read requests per second across all regions at an ordinary business-hour (non-peak) minute; default 12000. */
  businessReadsPerSec?: number;
  /** Share of traffic per region (sums to 1); default Mumbai 0.45, Delhi 0.3, Bangalore 0.25. */
  regionShares?: Readonly<Record<string, number>>;
  /** Peak hours per region; default REGION_PEAK_HOURS. */
  peakHours?: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>>;
  businessHoursStart?: number;
  businessHoursEnd?: number;
  peakMultiplier?: number;
  /** Night traffic as a fraction of the business level; default 0.2. */
  nightFraction?: number;
  /** Minutes a level change takes; default 30. */
  rampMin?: number;
  /** Relative minute-to-minute noise (uniform ±); default 0.05. */
  noise?: number;
  /** Ordinary writes per read; default 0.1 (writes drive WAL for new replicas to catch up on). */
  writesPerRead?: number;
  sale?: Partial<SaleEvent> | null;
  seed?: number;
}

export interface TrafficMinute {
  /** Minutes since 00:00 of day 0. */
  minute: number;
  day: number;
  /** Hour of the day as a fraction, e.g. 9.5 for 09:30. */
  hourOfDay: number;
  region: string;
  readsPerSec: number;
  writesPerSec: number;
}

export interface BigBillionDayTrace {
  seed: number;
  regions: string[];
  days: number;
  sale: SaleEvent | null;
  /** Minute at which the sale opens (null without a sale). */
  saleStartMinute: number | null;
  /** Reads and writes per second per region and minute: `rate(region, minute)`. */
  minutes: number;
  readsPerSec(region: string, minute: number): number;
  writesPerSec(region: string, minute: number): number;
  /** The whole trace as records, one per region and minute (every `everyMin`-th minute). */
  records(everyMin?: number): TrafficMinute[];
}

const KEYS = [
  'days', 'businessReadsPerSec', 'regionShares', 'peakHours', 'businessHoursStart', 'businessHoursEnd',
  'peakMultiplier', 'nightFraction', 'rampMin', 'noise', 'writesPerRead', 'sale', 'seed',
];
const MINUTES_PER_DAY = 1440;

/** The relative level (1 = business, PEAK_MULTIPLIER = peak, nightFraction = night) at a minute of the day. */
export function businessLevel(
  minuteOfDay: number,
  peaks: ReadonlyArray<readonly [number, number]>,
  o: { businessHoursStart: number; businessHoursEnd: number; peakMultiplier: number; nightFraction: number; rampMin: number },
): number {
  // Each level is a plateau with linear ramps of rampMin centred on its edges: the sum of
  // "business on" and "peak on" trapezoids, so overlapping edges add up smoothly.
  const trapezoid = (startMin: number, endMin: number): number => {
    const half = o.rampMin / 2;
    const up = half === 0 ? (minuteOfDay >= startMin ? 1 : 0) : clamp01((minuteOfDay - (startMin - half)) / o.rampMin);
    const down = half === 0 ? (minuteOfDay < endMin ? 1 : 0) : clamp01(((endMin + half) - minuteOfDay) / o.rampMin);
    return Math.min(up, down);
  };
  const business = trapezoid(o.businessHoursStart * 60, o.businessHoursEnd * 60);
  let peak = 0;
  for (const [s, e] of peaks) peak = Math.max(peak, trapezoid(s * 60, e * 60));
  return o.nightFraction + (1 - o.nightFraction) * business + (o.peakMultiplier - 1) * peak;
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

/** The sale's multiplier at a minute since the sale opened (1 before it). */
export function saleMultiplier(sale: SaleEvent, minutesSinceOpen: number): number {
  const t = minutesSinceOpen;
  if (t < 0 || t >= MINUTES_PER_DAY) return 1;
  if (t < sale.rampMin) return 1 + (sale.multiplier - 1) * (t / sale.rampMin);
  if (t < sale.rampMin + sale.holdMin) return sale.multiplier;
  const d = t - sale.rampMin - sale.holdMin;
  if (d < sale.decayMin) return sale.multiplier + (sale.dayMultiplier - sale.multiplier) * (d / sale.decayMin);
  return sale.dayMultiplier;
}

export function bigBillionDayTrace(options: BigBillionDayOptions = {}): BigBillionDayTrace {
  const name = 'bigBillionDayTrace';
  checkKnownKeys(name, options, KEYS);
  const days = checkNumber(`${name} days`, options.days ?? 8, { integer: true, min: 1, max: 60 });
  const businessReadsPerSec = checkNumber(`${name} businessReadsPerSec`, options.businessReadsPerSec ?? 12000, { min: 0 });
  const shares = options.regionShares ?? { mumbai: 0.45, delhi: 0.3, bangalore: 0.25 };
  const regions = Object.keys(shares);
  if (regions.length === 0) throw new OptionError(`${name} regionShares: got {}; allowed: at least one region with a share > 0`);
  const shareSum = regions.reduce((s, r) => s + checkNumber(`${name} regionShares.${r}`, shares[r], { min: 0, max: 1 }), 0);
  if (Math.abs(shareSum - 1) > 1e-6) throw new OptionError(`${name} regionShares: got shares summing to ${shareSum}; allowed: shares summing to 1`);
  const peakHours = options.peakHours ?? REGION_PEAK_HOURS;
  for (const r of regions) {
    if (!peakHours[r]) throw new OptionError(`${name} peakHours: got no entry for region "${r}"; allowed: an entry for every region in regionShares (${regions.join(', ')})`);
  }
  const level = {
    businessHoursStart: checkNumber(`${name} businessHoursStart`, options.businessHoursStart ?? BUSINESS_HOURS_START, { min: 0, max: 24 }),
    businessHoursEnd: 0,
    peakMultiplier: checkNumber(`${name} peakMultiplier`, options.peakMultiplier ?? PEAK_MULTIPLIER, { min: 1 }),
    nightFraction: checkNumber(`${name} nightFraction`, options.nightFraction ?? 0.2, { min: 0, max: 1 }),
    rampMin: checkNumber(`${name} rampMin`, options.rampMin ?? 30, { min: 0, max: 120 }),
  };
  level.businessHoursEnd = checkNumber(`${name} businessHoursEnd`, options.businessHoursEnd ?? BUSINESS_HOURS_END, { min: level.businessHoursStart, max: 24 });
  const noise = checkNumber(`${name} noise`, options.noise ?? 0.05, { min: 0, max: 0.5 });
  const writesPerRead = checkNumber(`${name} writesPerRead`, options.writesPerRead ?? 0.1, { min: 0 });
  const seed = checkNumber(`${name} seed`, options.seed ?? 41, { integer: true });
  let sale: SaleEvent | null = null;
  if (options.sale !== null) {
    const s = options.sale ?? {};
    sale = {
      day: checkNumber(`${name} sale.day`, s.day ?? days - 1, { integer: true, min: 0, max: days - 1 }),
      multiplier: checkNumber(`${name} sale.multiplier`, s.multiplier ?? 15, { min: 1, max: 100 }),
      rampMin: checkNumber(`${name} sale.rampMin`, s.rampMin ?? 10, { min: 1, max: 600 }),
      holdMin: checkNumber(`${name} sale.holdMin`, s.holdMin ?? 90, { min: 0, max: 1440 }),
      dayMultiplier: checkNumber(`${name} sale.dayMultiplier`, s.dayMultiplier ?? 3, { min: 1, max: 100 }),
      decayMin: checkNumber(`${name} sale.decayMin`, s.decayMin ?? 180, { min: 1, max: 1440 }),
    };
  }
  const minutes = days * MINUTES_PER_DAY;
  // Every rate is computed once up front from one seeded stream, so a trace is a pure function of its options.
  const rng = new Rng(seed);
  const reads = new Map<string, Float64Array>();
  for (const r of regions) {
    const arr = new Float64Array(minutes);
    for (let m = 0; m < minutes; m++) {
      const minuteOfDay = m % MINUTES_PER_DAY;
      const base = businessReadsPerSec * shares[r] * businessLevel(minuteOfDay, peakHours[r], level);
      const saleX = sale ? saleMultiplier(sale, m - sale.day * MINUTES_PER_DAY) : 1;
      arr[m] = base * saleX * (1 + noise * (2 * rng.float() - 1));
    }
    reads.set(r, arr);
  }
  const lookup = (region: string, minute: number): Float64Array => {
    const arr = reads.get(region);
    if (!arr) throw new OptionError(`${name}: unknown region "${region}"; allowed: ${regions.join(', ')}`);
    if (!Number.isInteger(minute) || minute < 0 || minute >= minutes) {
      throw new OptionError(`${name} minute: got ${minute}; allowed: an integer between 0 and ${minutes - 1}`);
    }
    return arr;
  };
  return {
    seed, regions, days, sale, minutes,
    saleStartMinute: sale ? sale.day * MINUTES_PER_DAY : null,
    readsPerSec: (region, minute) => lookup(region, minute)[minute],
    writesPerSec: (region, minute) => lookup(region, minute)[minute] * writesPerRead,
    records(everyMin = 1) {
      const out: TrafficMinute[] = [];
      for (let m = 0; m < minutes; m += everyMin) {
        for (const r of regions) {
          const rps = reads.get(r)![m];
          out.push({ minute: m, day: Math.floor(m / MINUTES_PER_DAY), hourOfDay: (m % MINUTES_PER_DAY) / 60, region: r, readsPerSec: rps, writesPerSec: rps * writesPerRead });
        }
      }
      return out;
    },
  };
}
