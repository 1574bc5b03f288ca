/**
 * The banking engine (lib/strategies/banking) as a benchmark row. Its teller clients are
 * already an open-loop load (Poisson arrivals, each transfer timed from the moment its timer
 * fired, whatever earlier transfers are doing), so the run uses them directly instead of the
 * key-value driver: a transfer is its own workload (two accounts, one transaction), not a
 * YCSB mix. Capacity comes from the engine itself: its WAL fsyncs (with or without group
 * commit), the synchronous standby's round trip, and lock conflicts on the accounts, which
 * reject a transfer (counted as an error) rather than queue it. Consistency is lib/check's
 * ledger check (money conserved, every acknowledged transfer present, none refused present)
 * on the primary after the run.
 */
import { Simulation, checkKnownKeys, checkNumber } from '../sim';
import { ledgerCluster } from '../strategies';
import type { BenchRunResult } from './open-loop-bench';
import { checkOwnClientsRun, tallyWindow } from './window-tally';

export interface BankingBenchOptions {
  seed: number;
  ratePerSec: number;
  durationMs: number;
  warmupMs?: number;
  /** Accounts transfers choose from (uniformly); default 1000. */
  accounts?: number;
  replication?: 'async' | 'sync';
  isolation?: 'snapshot' | 'serializable';
  /** Where the primary, the standby and the tellers are; default Mumbai, Delhi, Mumbai. */
  primaryRegion?: string;
  standbyRegion?: string;
  tellerRegion?: string;
  tellers?: number;
  groupCommit?: boolean;
  timeoutMs?: number;
}

const KEYS = ['seed', 'ratePerSec', 'durationMs', 'warmupMs', 'accounts', 'replication', 'isolation', 'primaryRegion', 'standbyRegion', 'tellerRegion', 'tellers', 'groupCommit', 'timeoutMs'];

/** Rejections that mean the engine could not serve the transfer (not a business answer such as insufficient funds). */
const ENGINE_REJECTIONS = new Set(['lock-conflict', 'serialization-failure', 'not-ready', 'standby']);

export function runBankingBench(options: BankingBenchOptions): BenchRunResult {
  checkKnownKeys('runBankingBench', options, KEYS);
  const { ratePerSec, durationMs, warmupMs, timeoutMs } = checkOwnClientsRun('runBankingBench', options);
  const tellers = checkNumber('runBankingBench tellers', options.tellers ?? 8, { integer: true, min: 1, max: 1000 });
  const sim = new Simulation({ seed: options.seed });
  const startMs = 200;
  const cluster = ledgerCluster({
    sim,
    accounts: options.accounts ?? 1000,
    isolation: options.isolation ?? 'snapshot',
    primary: { region: options.primaryRegion ?? 'mumbai' },
    standby: { region: options.standbyRegion ?? 'delhi' },
    replication: options.replication ?? 'sync',
    database: { wal: { groupCommit: options.groupCommit ?? true } },
    load: { clients: tellers, region: options.tellerRegion ?? 'mumbai', ratePerSecPerClient: ratePerSec / tellers, startMs, stopMs: startMs + durationMs, timeoutMs },
  });
  sim.run(startMs + durationMs + timeoutMs + 100);

  const timedOut = (op: (typeof cluster.history)[number]) => op.returnMs === null || !op.result;
  const tally = tallyWindow(
    cluster.history.map((op) => ({
      callMs: op.callMs,
      returnMs: op.returnMs,
      outcome: timedOut(op) ? 'timeout' : op.result?.status === 'rejected' && ENGINE_REJECTIONS.has(op.result.reason) ? 'error' : 'completed',
      succeeded: op.result?.status === 'committed',
    })),
    { startMs: startMs + warmupMs, endMs: startMs + durationMs },
    timeoutMs,
    2 * (durationMs + timeoutMs) + 1000,
  );
  const { windowMs, counted, completed, errors, timeouts, latency } = tally;
  // Refusals by reason, counted over the same window as the errors.
  const errorsByReason: Record<string, number> = { 'lock-conflict': 0, 'serialization-failure': 0 };
  for (const op of cluster.history) {
    if (op.callMs < startMs + warmupMs || op.callMs >= startMs + durationMs || timedOut(op)) continue;
    if (op.result?.status === 'rejected' && ENGINE_REJECTIONS.has(op.result.reason)) errorsByReason[op.result.reason] = (errorsByReason[op.result.reason] ?? 0) + 1;
  }
  const check = cluster.check();
  const lost = cluster.standbyId ? cluster.lostAcknowledged(cluster.standbyId).length : 0;
  return {
    seed: options.seed,
    target: `banking engine, ${options.isolation ?? 'snapshot'} isolation, ${options.replication ?? 'sync'} standby`,
    workload: 'transfers',
    shape: 'constant',
    offeredPerSec: ratePerSec,
    windowMs,
    throughputPerSec: tally.throughputPerSec,
    counted,
    completed,
    errors,
    errorsByReason,
    timeouts,
    latency,
    regions: latency ? [{ region: options.tellerRegion ?? 'mumbai', count: tally.histogram.count, p50Ms: latency.p50Ms, p95Ms: latency.p95Ms, p99Ms: latency.p99Ms }] : [],
    busiestResource: null,
    resources: [],
    consistency: {
      verdict: check.ok ? 'ledger invariants hold (ACID)' : 'ledger invariants broken',
      anomalies: { 'ledger violations': check.violations.length, 'acknowledged transfers missing on the standby': lost, 'lock conflicts': errorsByReason['lock-conflict'], 'serialization failures': errorsByReason['serialization-failure'] },
      method: `lib/check checkLedger on the primary's committed rows (${check.transfersPresent} transfers present), and acknowledged transfers looked up on the standby`,
    },
  };
}
