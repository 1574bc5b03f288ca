/**
 * Counts a finished simulated run's operations inside the measurement window, the same way for
 * every target that brings its own clients (the banking engine, two-phase commit): an operation
 * is counted when it was *called* inside the window (so warm-up and the drain after the run
 * are left out); one that never answered is a timeout, recorded at the timeout as its latency
 * (a stalled system cannot hide its queue); an engine refusal is an error, with no latency;
 * throughput counts the successes that *returned* inside the window.
 */
import { checkNumber } from '../sim';
import { LatencyHistogram } from '../stats';
import type { BenchRunResult } from './open-loop-bench';

export type WindowOutcome = 'completed' | 'error' | 'timeout';

export interface WindowOperation {
  callMs: number;
  returnMs: number | null;
  outcome: WindowOutcome;
  /** Counts towards throughput when it returned inside the window (e.g. committed, not refused). */
  succeeded: boolean;
}

/** The counting fields of a benchmark result, and the histogram they came from. */
export type WindowTally = Pick<BenchRunResult, 'windowMs' | 'throughputPerSec' | 'counted' | 'completed' | 'errors' | 'timeouts' | 'latency'> & {
  histogram: LatencyHistogram;
};

export function tallyWindow(operations: Iterable<WindowOperation>, window: { startMs: number; endMs: number }, timeoutMs: number, highestMs: number): WindowTally {
  const histogram = new LatencyHistogram({ highestMs });
  let counted = 0;
  let completed = 0;
  let errors = 0;
  let timeouts = 0;
  let succeededInWindow = 0;
  for (const op of operations) {
    if (op.succeeded && op.returnMs !== null && op.returnMs >= window.startMs && op.returnMs < window.endMs) succeededInWindow++;
    if (op.callMs < window.startMs || op.callMs >= window.endMs) continue;
    counted++;
    if (op.outcome === 'timeout') {
      timeouts++;
      histogram.record(timeoutMs);
    } else if (op.outcome === 'error') {
      errors++;
    } else {
      completed++;
      histogram.record((op.returnMs ?? op.callMs) - op.callMs);
    }
  }
  const windowMs = window.endMs - window.startMs;
  return {
    windowMs,
    throughputPerSec: succeededInWindow / (windowMs / 1000),
    counted,
    completed,
    errors,
    timeouts,
    histogram,
    latency: histogram.count > 0 ? histogram.summary() : null,
  };
}

/** The run options every target with its own clients takes, checked alike. */
export interface OwnClientsRunOptions {
  ratePerSec: number;
  durationMs: number;
  warmupMs?: number;
  timeoutMs?: number;
}

/** Checks those options (the builder's name in every message) and fills the defaults: warm-up 20 % of the run, timeout 2 s. */
export function checkOwnClientsRun(builder: string, options: OwnClientsRunOptions): Required<OwnClientsRunOptions> {
  const ratePerSec = checkNumber(`${builder} ratePerSec`, options.ratePerSec, { min: 0.001 });
  const durationMs = checkNumber(`${builder} durationMs`, options.durationMs, { min: 10 });
  const warmupMs = checkNumber(`${builder} warmupMs`, options.warmupMs ?? durationMs * 0.2, { min: 0, max: durationMs - 1 });
  const timeoutMs = checkNumber(`${builder} timeoutMs`, options.timeoutMs ?? 2000, { min: 1 });
  return { ratePerSec, durationMs, warmupMs, timeoutMs };
}
