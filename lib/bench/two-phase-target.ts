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
import { twoPhaseCommit } from '../strategies';
import type { BenchRunResult } from './open-loop-bench';
import { checkOwnClientsRun, tallyWindow } from './window-tally';

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
  const { ratePerSec, durationMs, warmupMs, timeoutMs } = checkOwnClientsRun('runTwoPhaseBench', options);
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

  const tally = tallyWindow(
    cluster.history.map((op) => ({
      callMs: op.callMs,
      returnMs: op.returnMs,
      outcome: op.returnMs === null || op.decision === null ? 'timeout' : op.decision === 'abort' ? 'error' : 'completed',
      succeeded: op.decision === 'commit',
    })),
    { startMs: startMs + warmupMs, endMs: startMs + durationMs },
    timeoutMs,
    2 * (durationMs + timeoutMs) + 1000,
  );
  const { windowMs, counted, completed, errors, timeouts, latency } = tally;
  const check = cluster.check();
  return {
    seed: options.seed,
    target: 'two-phase commit across five data centres',
    workload: 'inter-bank transfers',
    shape: 'constant',
    offeredPerSec: ratePerSec,
    windowMs,
    throughputPerSec: tally.throughputPerSec,
    counted,
    completed,
    errors,
    timeouts,
    latency,
    regions: latency ? [{ region: 'mumbai', count: tally.histogram.count, p50Ms: latency.p50Ms, p95Ms: latency.p95Ms, p99Ms: latency.p99Ms }] : [],
    busiestResource: null,
    resources: [],
    consistency: {
      verdict: check.ok ? 'atomic (every transfer committed everywhere or nowhere)' : 'atomicity broken',
      anomalies: { 'atomicity violations': check.violations.length, 'still in doubt': check.stillInDoubt, aborted: errors },
      method: `lib/check checkAtomicity over ${check.globalTransactions} global transactions on every bank's state after the run`,
    },
  };
}
