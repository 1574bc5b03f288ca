/**
 * Two-phase commit across data centres (lib/strategies/two-phase-commit) as a benchmark row:
 * inter-bank transfers between banks in Mumbai, Delhi, Bangalore, Chennai and Kolkata, the
 * coordinator and the clients in Mumbai. Like the banking row it uses the strategy's own
 * open-loop clients (Poisson arrivals, each transfer timed from its send) because a global
 * transfer is its own workload. Capacity comes from the protocol: two forced writes per
 * participant and two WAN round trips while the rows stay locked, so transfers that touch a
 * locked row vote no and abort (counted as errors). Consistency is lib/check's atomicity
 * check over every bank's state after the run.
 */
import { Simulation, checkKnownKeys, checkNumber } from '../sim';
import { LatencyHistogram } from '../stats';
import { twoPhaseCommit } from '../strategies';
import type { BenchRunResult } from './open-loop-bench';

export interface TwoPhaseBenchOptions {
  seed: number;
  ratePerSec: number;
  durationMs: number;
  warmupMs?: number;
  accountsPerBank?: number;
  clients?: number;
  timeoutMs?: number;
}

export const TWO_PHASE_BANKS = [
  { id: 'hdfc', region: 'mumbai' },
  { id: 'sbi', region: 'delhi' },
  { id: 'canara', region: 'bangalore' },
  { id: 'iob', region: 'chennai' },
  { id: 'uco', region: 'kolkata' },
];

export function runTwoPhaseBench(options: TwoPhaseBenchOptions): BenchRunResult {
  checkKnownKeys('runTwoPhaseBench', options, ['seed', 'ratePerSec', 'durationMs', 'warmupMs', 'accountsPerBank', 'clients', 'timeoutMs']);
  const ratePerSec = checkNumber('runTwoPhaseBench ratePerSec', options.ratePerSec, { min: 0.001 });
  const durationMs = checkNumber('runTwoPhaseBench durationMs', options.durationMs, { min: 10 });
  const warmupMs = checkNumber('runTwoPhaseBench warmupMs', options.warmupMs ?? durationMs * 0.2, { min: 0, max: durationMs - 1 });
  const timeoutMs = checkNumber('runTwoPhaseBench timeoutMs', options.timeoutMs ?? 2000, { min: 1 });
  const clients = checkNumber('runTwoPhaseBench clients', options.clients ?? 8, { integer: true, min: 1, max: 1000 });
  const sim = new Simulation({ seed: options.seed });
  const startMs = 200;
  const cluster = twoPhaseCommit({
    sim,
    banks: TWO_PHASE_BANKS,
    clearing: null,
    accountsPerBank: options.accountsPerBank ?? 200,
    load: { clients, mode: 'open', ratePerSecPerClient: ratePerSec / clients, startMs, stopMs: startMs + durationMs, timeoutMs },
  });
  sim.run(startMs + durationMs + timeoutMs + 3000);

  const windowStartMs = startMs + warmupMs;
  const windowEndMs = startMs + durationMs;
  const histogram = new LatencyHistogram({ highestMs: 2 * (durationMs + timeoutMs) + 1000 });
  let counted = 0;
  let completed = 0;
  let errors = 0;
  let timeouts = 0;
  let completedInWindow = 0;
  for (const op of cluster.history) {
    if (op.returnMs !== null && op.decision === 'commit' && op.returnMs >= windowStartMs && op.returnMs < windowEndMs) completedInWindow++;
    if (op.callMs < windowStartMs || op.callMs >= windowEndMs) continue;
    counted++;
    if (op.returnMs === null || op.decision === null) {
      timeouts++;
      histogram.record(timeoutMs);
    } else if (op.decision === 'abort') errors++;
    else {
      completed++;
      histogram.record(op.returnMs - op.callMs);
    }
  }
  const check = cluster.check();
  const windowMs = windowEndMs - windowStartMs;
  const latency = histogram.count > 0 ? histogram.summary() : null;
  return {
    seed: options.seed,
    target: 'two-phase commit across five data centres',
    workload: 'inter-bank transfers',
    shape: 'constant',
    offeredPerSec: ratePerSec,
    windowMs,
    throughputPerSec: completedInWindow / (windowMs / 1000),
    counted,
    completed,
    errors,
    timeouts,
    latency,
    regions: latency ? [{ region: 'mumbai', count: histogram.count, p50Ms: latency.p50Ms, p95Ms: latency.p95Ms, p99Ms: latency.p99Ms }] : [],
    busiestResource: null,
    resources: [],
    consistency: {
      verdict: check.ok ? 'atomic (every transfer committed everywhere or nowhere)' : 'atomicity broken',
      anomalies: { 'atomicity violations': check.violations.length, 'still in doubt': check.stillInDoubt, aborted: errors },
      method: `lib/check checkAtomicity over ${check.globalTransactions} global transactions on every bank's state after the run`,
    },
  };
}
