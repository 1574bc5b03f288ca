import { LimitExceededError, OptionError, checkNumber } from '../util/option-error';
import { Simulation } from './simulation';

/**
 * Observer-side measurement: sample something about a running simulation at a fixed
 * interval of true time. Samples are taken by the simulation's own event queue, so they
 * interleave deterministically with messages and timers; the measured nodes never see
 * the sampler.
 */
export interface SamplingOptions {
  /** Interval between samples, in true simulation ms. */
  everyMs: number;
  /** First sample time; default: now. */
  fromMs?: number;
  /** Last sample time (inclusive). */
  untilMs: number;
  /** Most samples this sampler may take; more is an error. Default 100 000. */
  maxSamples?: number;
}

/**
 * Schedules `measure` every `everyMs` from `fromMs` to `untilMs` and returns the array
 * its results are pushed into as the simulation runs.
 */
export function sampleEvery<R>(sim: Simulation, options: SamplingOptions, measure: (timeMs: number) => R): R[] {
  const everyMs = checkNumber('sampleEvery everyMs', options.everyMs, { min: 0.001 });
  const fromMs = checkNumber('sampleEvery fromMs', options.fromMs ?? sim.nowMs(), { min: sim.nowMs() });
  const untilMs = checkNumber('sampleEvery untilMs', options.untilMs, { min: fromMs });
  const maxSamples = checkNumber('sampleEvery maxSamples', options.maxSamples ?? 100_000, { integer: true, min: 1 });
  const count = Math.floor((untilMs - fromMs) / everyMs) + 1;
  if (count > maxSamples) {
    throw new LimitExceededError(`sampleEvery would take ${count} samples, more than maxSamples = ${maxSamples}; sample less often or over a shorter window`);
  }
  const samples: R[] = [];
  for (let i = 0; i < count; i++) {
    const timeMs = fromMs + i * everyMs;
    sim.at(timeMs, () => samples.push(measure(timeMs)));
  }
  return samples;
}

/**
 * The first time at or after `fromMs` from which every later sample is converged, minus
 * `fromMs`: "how long after the heal did the replicas agree, for good". Null when the
 * last sample is still not converged.
 */
export function convergenceDelayMs<R extends { timeMs: number }>(
  samples: readonly R[],
  fromMs: number,
  isConverged: (sample: R) => boolean,
): number | null {
  if (!Array.isArray(samples)) throw new OptionError(`convergenceDelayMs samples: got ${typeof samples}; allowed: an array of samples`);
  let firstGoodMs: number | null = null;
  for (const sample of samples) {
    if (sample.timeMs < fromMs) continue;
    if (isConverged(sample)) {
      if (firstGoodMs === null) firstGoodMs = sample.timeMs;
    } else {
      firstGoodMs = null;
    }
  }
  return firstGoodMs === null ? null : firstGoodMs - fromMs;
}
