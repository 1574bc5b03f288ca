/**
 * An offered-load sweep and the saturation point it shows. Below saturation, a system
 * finishes what it is offered (throughput ≈ offered load) and latency stays near its
 * unloaded value; past it, throughput flattens at capacity and the queue, and with it the
 * latency measured from intended start, grows for as long as the run lasts. The knee is
 * where a single throughput figure hides the curve.
 */
import { OptionError, checkNumber } from '../sim';
import { BenchRunOptions, BenchRunResult, runOpenLoopBench } from './open-loop-bench';

export interface SaturationCriteria {
  /** A point keeps up when throughput ≥ this share of the offered load (or within 3 Poisson standard deviations of it); default 0.95. */
  keepUpShare?: number;
  /** …and its P95 is at most this multiple of the lightest point's P95; default 5. */
  p95GrowthMax?: number;
  /** …and at most this share of its requests failed or timed out; default 0.01. */
  errorShareMax?: number;
}

export interface Saturation {
  /** The highest offered load that kept up, ops/s (0 if none did). */
  sustainedOfferedPerSec: number;
  /** Throughput measured there: the saturation throughput. */
  saturationPerSec: number;
  /** The first offered load that did not keep up, or null if every point did (raise the sweep). */
  firstOverloadedPerSec: number | null;
  /** The most any point completed: capacity as the overloaded runs show it. */
  peakThroughputPerSec: number;
}

/** Finds saturation in sweep points sorted by offered load. */
export function findSaturation(points: readonly BenchRunResult[], criteria: SaturationCriteria = {}): Saturation {
  if (points.length === 0) throw new OptionError('findSaturation points: got none; allowed: at least one run of the sweep');
  const keepUp = checkNumber('findSaturation keepUpShare', criteria.keepUpShare ?? 0.95, { min: 0.1, max: 1 });
  const growth = checkNumber('findSaturation p95GrowthMax', criteria.p95GrowthMax ?? 5, { min: 1 });
  const errorShareMax = checkNumber('findSaturation errorShareMax', criteria.errorShareMax ?? 0.01, { min: 0, max: 1 });
  const sorted = [...points].sort((a, b) => a.offeredPerSec - b.offeredPerSec);
  const baseP95 = sorted[0].latency?.p95Ms ?? Infinity;
  let sustained: BenchRunResult | null = null;
  let firstOverloaded: BenchRunResult | null = null;
  for (const p of sorted) {
    // Poisson arrivals make a short run's count noisy (±√n): allow three standard deviations.
    const windowSec = p.windowMs / 1000;
    const shortfallAllowed = Math.max((1 - keepUp) * p.offeredPerSec, (3 * Math.sqrt(p.offeredPerSec * windowSec)) / windowSec);
    const keeps = p.latency !== null && p.throughputPerSec >= p.offeredPerSec - shortfallAllowed && p.latency.p95Ms <= growth * Math.max(baseP95, 1) && p.errors + p.timeouts <= errorShareMax * p.counted;
    if (keeps && firstOverloaded === null) sustained = p;
    else if (!keeps && firstOverloaded === null) firstOverloaded = p;
  }
  return {
    sustainedOfferedPerSec: sustained ? sustained.offeredPerSec : 0,
    saturationPerSec: sustained ? sustained.throughputPerSec : 0,
    firstOverloadedPerSec: firstOverloaded ? firstOverloaded.offeredPerSec : null,
    peakThroughputPerSec: Math.max(...sorted.map((p) => p.throughputPerSec)),
  };
}

export interface SweepResult {
  points: BenchRunResult[];
  saturation: Saturation;
  /** Runs at 50 % and 80 % of the saturation throughput (null when nothing kept up). */
  atHalf: BenchRunResult | null;
  atEightyPercent: BenchRunResult | null;
}

export interface SweepOptions extends SaturationCriteria {
  /**
   * Bisection steps between the last offered load that kept up and the first that did not,
   * each one more run; default 3 (the knee to within 1/8 of the gap between two sweep points).
   */
  refineSteps?: number;
  /**
   * Stop the sweep at the first offered load that does not keep up (every higher one would
   * not either, and overloaded runs are the slowest to simulate); default true.
   */
  stopAtFirstOverload?: boolean;
  /** Builds the run at 80 % of saturation differently (e.g. with the history checked). */
  atEightyPercent?: Partial<Omit<BenchRunOptions, 'ratePerSec'>>;
}

/**
 * Runs `base` at each offered load, bisects between the last load that kept up and the
 * first that did not, finds saturation, then measures at 50 % and 80 % of it.
 */
export function sweepOfferedLoad(base: Omit<BenchRunOptions, 'ratePerSec'>, ratesPerSec: readonly number[], options: SweepOptions = {}): SweepResult {
  const extra = options.atEightyPercent ?? {};
  return sweepWith((ratePerSec, atEighty) => runOpenLoopBench({ ...base, ...(atEighty ? extra : {}), ratePerSec }), ratesPerSec, options);
}

/** One run the sweep asks for: an offered load, and whether it is the run at 80 % of saturation. */
export interface SweepStep {
  ratePerSec: number;
  atEightyPercent: boolean;
}

/**
 * The sweep as a plan that asks for one run at a time: the offered loads in order (stopping at
 * the first that does not keep up), the bisection steps between the last load that kept up and
 * the first that did not, then the runs at 50 % and 80 % of saturation. Written once so the
 * simulator (sweepWith) and a real engine measured on the real clock (sweepWithAsync) find
 * saturation by exactly the same rules.
 */
export function* sweepSteps(ratesPerSec: readonly number[], options: SweepOptions = {}): Generator<SweepStep, SweepResult, BenchRunResult> {
  if (!Array.isArray(ratesPerSec) || ratesPerSec.length === 0) throw new OptionError('sweepOfferedLoad ratesPerSec: got none; allowed: at least one rate > 0');
  ratesPerSec.forEach((r, i) => checkNumber(`sweepOfferedLoad ratesPerSec[${i}]`, r, { min: 0.001 }));
  const refineSteps = checkNumber('sweepOfferedLoad refineSteps', options.refineSteps ?? 3, { integer: true, min: 0, max: 10 });
  const points: BenchRunResult[] = [];
  for (const ratePerSec of [...ratesPerSec].sort((a, b) => a - b)) {
    points.push(yield { ratePerSec, atEightyPercent: false });
    if ((options.stopAtFirstOverload ?? true) && findSaturation(points, options).firstOverloadedPerSec !== null) break;
  }
  for (let step = 0; step < refineSteps; step++) {
    const s = findSaturation(points, options);
    if (s.firstOverloadedPerSec === null || s.sustainedOfferedPerSec === 0) break;
    const mid = Math.round((s.sustainedOfferedPerSec + s.firstOverloadedPerSec) / 2);
    if (mid <= s.sustainedOfferedPerSec || mid >= s.firstOverloadedPerSec) break;
    points.push(yield { ratePerSec: mid, atEightyPercent: false });
    points.sort((a, b) => a.offeredPerSec - b.offeredPerSec);
  }
  const saturation = findSaturation(points, options);
  if (saturation.saturationPerSec <= 0) return { points, saturation, atHalf: null, atEightyPercent: null };
  const atHalf = yield { ratePerSec: 0.5 * saturation.saturationPerSec, atEightyPercent: false };
  const atEightyPercent = yield { ratePerSec: 0.8 * saturation.saturationPerSec, atEightyPercent: true };
  return { points, saturation, atHalf, atEightyPercent };
}

/**
 * The sweep for any run function (a system with its own load generator, such as the banking
 * engine's tellers): `run(rate, atEightyPercent)` measures one offered load.
 */
export function sweepWith(run: (ratePerSec: number, atEightyPercent: boolean) => BenchRunResult, ratesPerSec: readonly number[], options: SweepOptions = {}): SweepResult {
  const plan = sweepSteps(ratesPerSec, options);
  // Explicit casts: tslab's compiler does not narrow an IteratorResult by `done`.
  let next = plan.next();
  while (next.done !== true) {
    const step = next.value as SweepStep;
    next = plan.next(run(step.ratePerSec, step.atEightyPercent));
  }
  return next.value as SweepResult;
}

/**
 * The same sweep for a run that takes real time (a real engine on loopback): one run at a
 * time, never overlapping, since two runs at once would each see the other's load.
 */
export async function sweepWithAsync(run: (ratePerSec: number, atEightyPercent: boolean) => Promise<BenchRunResult>, ratesPerSec: readonly number[], options: SweepOptions = {}): Promise<SweepResult> {
  const plan = sweepSteps(ratesPerSec, options);
  let next = plan.next();
  while (next.done !== true) {
    const step = next.value as SweepStep;
    next = plan.next(await run(step.ratePerSec, step.atEightyPercent));
  }
  return next.value as SweepResult;
}

/** `count` offered loads spaced geometrically from `lowPerSec` to `highPerSec`. */
export function geometricRates(lowPerSec: number, highPerSec: number, count: number): number[] {
  checkNumber('geometricRates lowPerSec', lowPerSec, { min: 0.001 });
  checkNumber('geometricRates highPerSec', highPerSec, { min: lowPerSec });
  checkNumber('geometricRates count', count, { integer: true, min: 2, max: 100 });
  const ratio = Math.pow(highPerSec / lowPerSec, 1 / (count - 1));
  return Array.from({ length: count }, (_, i) => Math.round(lowPerSec * Math.pow(ratio, i)));
}
