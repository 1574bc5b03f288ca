/** Notebook 02, section 7: partition and heal — how long until every region agrees? */
import { Rng, Simulation, checkNumber, convergenceDelayMs, sampleEvery } from '../../sim';
import { poissonArrivalTimesMs } from '../../workload';
import { multiLeaderLedger } from '../../strategies/multi-leader';
import { UPI_LEADER_REGIONS } from './scenario';

export interface LedgerPartitionResult {
  seed: number;
  syncIntervalMs: number;
  healAtMs: number;
  /** ms after the heal until every leader held the same ledger (null: not within the run). */
  convergenceMs: number | null;
  /** Distinct ledgers across the leaders, sampled over time. */
  samples: Array<{ timeMs: number; distinctLedgers: number }>;
  /** Final balance per region per account, ₹. */
  balances: Array<{ region: string; account: string; balanceRupees: number }>;
  paymentsAccepted: number;
  converged: boolean;
}

/**
 * Delhi is cut off from Mumbai and Bangalore for `partitionMs`; all three regions keep
 * accepting payments (some retried through a second region); then the network heals and
 * anti-entropy, every syncIntervalMs, brings the leaders together.
 */
export function ledgerPartitionExperiment(options: {
  seed: number;
  syncIntervalMs?: number;
  partitionMs?: number;
  paymentsPerSecondPerRegion?: number;
  accounts?: readonly string[];
  sampleEveryMs?: number;
}): LedgerPartitionResult {
  const syncIntervalMs = checkNumber('ledgerPartitionExperiment syncIntervalMs', options.syncIntervalMs ?? 500, { min: 1 });
  const partitionMs = checkNumber('ledgerPartitionExperiment partitionMs', options.partitionMs ?? 5_000, { min: 1, max: 600_000 });
  const rate = checkNumber('ledgerPartitionExperiment paymentsPerSecondPerRegion', options.paymentsPerSecondPerRegion ?? 5, { min: 0.01, max: 1000 });
  const accounts = options.accounts ?? ['priya', 'rahul', 'anita'];
  const sampleEveryMs = checkNumber('ledgerPartitionExperiment sampleEveryMs', options.sampleEveryMs ?? 10, { min: 1 });
  const sim = new Simulation({ seed: options.seed });
  const ledger = multiLeaderLedger({ sim, regions: UPI_LEADER_REGIONS, idempotency: true, syncIntervalMs });
  const partitionAtMs = 1_000;
  const healAtMs = partitionAtMs + partitionMs;
  let partitionId = 0;
  sim.at(partitionAtMs, () => (partitionId = sim.partition(['delhi'], ['mumbai', 'bangalore'])));
  sim.at(healAtMs, () => sim.heal(partitionId));
  const workload = new Rng(options.seed ^ 0x0ba1);
  let txn = 0;
  for (const region of UPI_LEADER_REGIONS) {
    for (const t of poissonArrivalTimesMs(workload, [{ startMs: 200, endMs: healAtMs, perSec: rate }])) {
      const txnId = `UPI-${++txn}`;
      const payment = { txnId, account: workload.pick(accounts), amountPaise: workload.int(-2000, 2000) * 100 || 100 };
      sim.at(t, () => ledger.pay(region, payment));
      // One payment in ten is retried through another region, as a PSP does after a timeout.
      if (workload.chance(0.1)) {
        const other = workload.pick(UPI_LEADER_REGIONS.filter((r) => r !== region));
        sim.at(t + workload.int(5, 300), () => ledger.pay(other, payment));
      }
    }
  }
  const endMs = healAtMs + Math.max(3_000, 4 * syncIntervalMs);
  // Leaders that hold the same ops hold the same ledger (applying ops is deterministic and
  // order-independent), so comparing version vectors is enough while sampling; the full
  // ledgers are compared once at the end (converged).
  const samples = sampleEvery(sim, { everyMs: sampleEveryMs, fromMs: 0, untilMs: endMs }, (timeMs) => {
    const seen = new Set(UPI_LEADER_REGIONS.map((r) => JSON.stringify(ledger.leader(r)?.seen() ?? 'down')));
    return { timeMs, distinctLedgers: seen.size };
  });
  sim.run(endMs);
  const balances: LedgerPartitionResult['balances'] = [];
  for (const region of UPI_LEADER_REGIONS) {
    for (const account of accounts) balances.push({ region, account, balanceRupees: (ledger.balance(region, account) ?? NaN) / 100 });
  }
  return {
    seed: options.seed,
    syncIntervalMs,
    healAtMs,
    convergenceMs: convergenceDelayMs(samples, healAtMs, (s) => s.distinctLedgers === 1),
    samples,
    balances,
    paymentsAccepted: ledger.payments.filter((p) => p.outcome === 'accepted').length,
    converged: ledger.converged(),
  };
}

export interface LedgerConvergenceRow {
  syncIntervalMs: number;
  runs: number;
  /** Median over the runs of the time from heal to identical ledgers, ms. */
  convergenceMsMedian: number;
  convergenceMsMax: number;
  /** The seeds used: seed, seed + 1, ... */
  seeds: string;
}

/** ledgerPartitionExperiment for each anti-entropy interval over `runs` seeds: the median time from heal to agreement. */
export function ledgerConvergenceSweep(options: { seed: number; syncIntervalsMs: readonly number[]; runs?: number; partitionMs?: number }): LedgerConvergenceRow[] {
  const runs = checkNumber('ledgerConvergenceSweep runs', options.runs ?? 5, { integer: true, min: 1, max: 1000 });
  return options.syncIntervalsMs.map((syncIntervalMs) => {
    const delays: number[] = [];
    for (let r = 0; r < runs; r++) {
      const result = ledgerPartitionExperiment({ seed: options.seed + r, syncIntervalMs, partitionMs: options.partitionMs, sampleEveryMs: Math.max(1, syncIntervalMs / 50) });
      if (result.convergenceMs === null || !result.converged) throw new Error(`ledgerConvergenceSweep: no convergence (seed ${options.seed + r}, interval ${syncIntervalMs} ms)`);
      delays.push(result.convergenceMs);
    }
    const sorted = [...delays].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return {
      syncIntervalMs,
      runs,
      convergenceMsMedian: sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
      convergenceMsMax: sorted[sorted.length - 1],
      seeds: `${options.seed}…${options.seed + runs - 1}`,
    };
  });
}
