import { HistoryRecorder, OperationRecord, OptionError, Rng, Simulation, TraceEvent, checkNumber } from '../../sim';
import { poissonArrivalTimesMs } from '../../workload';
import { convergenceDelayMs, sampleEvery } from '../../sim';
import { BuiltInPolicyName } from './conflict-policy';
import { LostUpdate } from './register-store';
import { multiLeaderLedger } from './multi-leader-ledger';
import { multiLeaderRegisters } from './multi-leader-registers';

/**
 * The experiments of notebook 02 (UPI on leaders in Mumbai, Delhi and Bangalore). Each
 * takes a seed, runs one simulation and returns plain records.
 */
export const UPI_LEADER_REGIONS: readonly string[] = ['mumbai', 'delhi', 'bangalore'];

// ------------------------------------------------------------------ conflict rate

export interface ConflictRateRow {
  seed: number;
  writesPerSecondPerRegion: number;
  /** Mean one-way latency between the two writing regions, ms (base + added). */
  oneWayLatencyMs: number;
  writes: number;
  conflictingWrites: number;
  /** Share of writes concurrent with at least one other write. */
  conflictRate: number;
  /** 1 − e^(−2λd): the chance that the other region writes within one latency either side. */
  modelConflictRate: number;
}

export interface ConflictRateOptions {
  seed: number;
  writesPerSecondPerRegion: number;
  /** Latency added to every link between leaders, ms. Default 0. */
  extraLatencyMs?: number;
  durationMs?: number;
  /** Regions whose clients update the one account. Default Mumbai and Delhi. */
  writerRegions?: readonly string[];
}

/**
 * Clients in two regions update one account at a Poisson rate each; version vectors
 * count how many writes were concurrent with another. Conflicts grow with the write rate
 * and with the time a write needs to reach the other leader.
 */
export function conflictRateExperiment(options: ConflictRateOptions): ConflictRateRow {
  const rate = checkNumber('conflictRateExperiment writesPerSecondPerRegion', options.writesPerSecondPerRegion, { min: 0.01, max: 10_000 });
  const extraLatencyMs = checkNumber('conflictRateExperiment extraLatencyMs', options.extraLatencyMs ?? 0, { min: 0 });
  const durationMs = checkNumber('conflictRateExperiment durationMs', options.durationMs ?? 20_000, { min: 100, max: 600_000 });
  const writers = options.writerRegions ?? ['mumbai', 'delhi'];
  if (writers.length !== 2) throw new OptionError(`conflictRateExperiment writerRegions: got ${JSON.stringify(writers)}; allowed: exactly two regions`);
  const sim = new Simulation({ seed: options.seed });
  const store = multiLeaderRegisters<number>({ sim, regions: UPI_LEADER_REGIONS, policy: 'siblings' });
  if (extraLatencyMs > 0) {
    for (const a of UPI_LEADER_REGIONS) for (const b of UPI_LEADER_REGIONS) if (a < b) sim.setLink(a, b, { extraMs: extraLatencyMs });
  }
  const workload = new Rng(options.seed ^ 0x5a5a);
  const startMs = 100;
  writers.forEach((region, w) => {
    for (const t of poissonArrivalTimesMs(workload, [{ startMs, endMs: startMs + durationMs, perSec: rate }])) {
      sim.at(t, () => store.put(region, 'balance:priya', w));
    }
  });
  sim.run(startMs + durationMs + 2_000);
  const { writes, conflictingWrites, rate: conflictRate } = store.conflictRate();
  const oneWayLatencyMs = sim.baseLatencyMs(writers[0], writers[1]);
  return {
    seed: options.seed,
    writesPerSecondPerRegion: rate,
    oneWayLatencyMs,
    writes,
    conflictingWrites,
    conflictRate,
    modelConflictRate: 1 - Math.exp((-2 * rate * oneWayLatencyMs) / 1000),
  };
}

/** The conflict-rate experiment for several write rates (latency fixed) or latencies (rate fixed). */
export function conflictRateSweep(options: {
  seed: number;
  writesPerSecondPerRegion: readonly number[] | number;
  extraLatencyMs: readonly number[] | number;
  durationMs?: number;
}): ConflictRateRow[] {
  const rates = typeof options.writesPerSecondPerRegion === 'number' ? [options.writesPerSecondPerRegion] : options.writesPerSecondPerRegion;
  const extras = typeof options.extraLatencyMs === 'number' ? [options.extraLatencyMs] : options.extraLatencyMs;
  const rows: ConflictRateRow[] = [];
  for (const writesPerSecondPerRegion of rates) {
    for (const extraLatencyMs of extras) rows.push(conflictRateExperiment({ seed: options.seed, writesPerSecondPerRegion, extraLatencyMs, durationMs: options.durationMs }));
  }
  return rows;
}

// ------------------------------------------------------------------ clock skew and LWW

export interface SkewScenarioRow {
  policy: string;
  /** What a read in each region returns once the leaders have converged. */
  mumbai: string;
  delhi: string;
  bangalore: string;
  conflictsDetected: number;
  lostUpdates: number;
}

export interface SkewScenarioResult {
  seed: number;
  skewMs: number;
  rows: SkewScenarioRow[];
  /** The two writes with their timestamps (from the last policy run). */
  writes: Array<{ region: string; trueTimeMs: number; value: number; dot: string | null; physicalMs: number | null; hlc: string | null }>;
  lost: Array<LostUpdate<number> & { policy: string }>;
  /** The message trace of the 'lww-physical' run, for a space-time diagram. */
  trace: TraceEvent[];
}

/**
 * The lesson's failure: Delhi's clock runs `skewMs` behind. A client in Mumbai sets
 * Priya's balance to ₹5,000 at t = 1000 ms; 30 ms later — after that write has reached
 * Delhi — a client in Delhi, having seen ₹5,000, records a ₹500 debit by writing ₹4,500.
 * The Delhi write is the newer one and causally follows the Mumbai write (no conflict
 * at all), yet its wall-clock timestamp is smaller.
 */
export function clockSkewScenario(options: { seed: number; skewMs?: number; policies?: readonly BuiltInPolicyName[] }): SkewScenarioResult {
  const skewMs = checkNumber('clockSkewScenario skewMs', options.skewMs ?? 50, { min: 0, max: 10_000 });
  const policies = options.policies ?? ['lww-physical', 'lww-hlc', 'siblings'];
  const rows: SkewScenarioRow[] = [];
  const lost: Array<LostUpdate<number> & { policy: string }> = [];
  let writes: SkewScenarioResult['writes'] = [];
  let trace: TraceEvent[] = [];
  for (const policy of policies) {
    const sim = new Simulation({ seed: options.seed, trace: policy === 'lww-physical' });
    const store = multiLeaderRegisters<number>({ sim, regions: UPI_LEADER_REGIONS, policy, clockSkewMs: { delhi: -skewMs } });
    sim.at(1000, () => store.put('mumbai', 'balance:priya', 5000));
    sim.at(1030, () => store.put('delhi', 'balance:priya', 4500));
    sim.run(3000);
    if (!store.converged()) throw new Error(`clockSkewScenario: leaders did not converge (seed ${options.seed}, policy ${policy})`);
    const show = (region: string) => (store.read(region, 'balance:priya') ?? []).map((v) => `₹${v}`).join(' | ');
    const lostHere = store.lostUpdates();
    rows.push({ policy, mumbai: show('mumbai'), delhi: show('delhi'), bangalore: show('bangalore'), conflictsDetected: store.conflicts.length, lostUpdates: lostHere.length });
    for (const l of lostHere) lost.push({ policy, ...l });
    writes = store.puts.map((p) => ({ region: p.region, trueTimeMs: p.timeMs, value: p.value, dot: p.dot, physicalMs: p.physicalMs, hlc: p.hlc }));
    if (policy === 'lww-physical') trace = sim.trace;
  }
  return { seed: options.seed, skewMs, rows, writes, lost, trace };
}

export interface LostUpdatesRow {
  policy: string;
  reason: 'concurrent write discarded' | 'newer write discarded';
  lostUpdates: number;
  writes: number;
}

/**
 * The same random workload under each policy: clients in all three regions update a few
 * accounts, each reading the local value first (so a write follows what its leader has
 * seen); Delhi's clock is `skewMs` behind. Counts the accepted writes that vanished, by
 * reason.
 */
export function lostUpdatesByPolicy(options: {
  seed: number;
  skewMs?: number;
  writesPerSecondPerRegion?: number;
  accounts?: number;
  durationMs?: number;
  policies?: readonly BuiltInPolicyName[];
}): LostUpdatesRow[] {
  const skewMs = checkNumber('lostUpdatesByPolicy skewMs', options.skewMs ?? 50, { min: 0 });
  const rate = checkNumber('lostUpdatesByPolicy writesPerSecondPerRegion', options.writesPerSecondPerRegion ?? 5, { min: 0.01, max: 1000 });
  const accounts = checkNumber('lostUpdatesByPolicy accounts', options.accounts ?? 5, { integer: true, min: 1, max: 10_000 });
  const durationMs = checkNumber('lostUpdatesByPolicy durationMs', options.durationMs ?? 20_000, { min: 100, max: 600_000 });
  const policies = options.policies ?? ['lww-physical', 'lww-hlc', 'siblings'];
  const rows: LostUpdatesRow[] = [];
  for (const policy of policies) {
    const sim = new Simulation({ seed: options.seed });
    const store = multiLeaderRegisters<string>({ sim, regions: UPI_LEADER_REGIONS, policy, clockSkewMs: { delhi: -skewMs } });
    // The same workload for every policy: its own generator, seeded from the seed.
    const workload = new Rng(options.seed ^ 0x10057);
    for (const region of UPI_LEADER_REGIONS) {
      for (const t of poissonArrivalTimesMs(workload, [{ startMs: 100, endMs: 100 + durationMs, perSec: rate }])) {
        const key = `account:${workload.int(1, accounts)}`;
        sim.at(t, () => store.put(region, key, `${region}@${Math.round(t)}`));
      }
    }
    sim.run(100 + durationMs + 3_000);
    if (!store.converged()) throw new Error(`lostUpdatesByPolicy: leaders did not converge (seed ${options.seed}, policy ${policy})`);
    const lost = store.lostUpdates();
    const writes = store.conflictRate().writes;
    for (const reason of ['newer write discarded', 'concurrent write discarded'] as const) {
      rows.push({ policy, reason, lostUpdates: lost.filter((l) => l.reason === reason).length, writes });
    }
  }
  return rows;
}

// ------------------------------------------------------------------ UPI payments

export interface RetriedPaymentResult {
  seed: number;
  idempotency: boolean;
  /** Priya's balance in each region after the dust settles, ₹. */
  balances: Array<{ region: string; balanceRupees: number }>;
  payments: Array<{ timeMs: number; region: string; txnId: string; amountRupees: number; outcome: string }>;
  /** How many times the retried transaction id moved money, per leader. */
  applicationsOfRetriedTxn: number;
  converged: boolean;
}

/**
 * Priya (balance ₹10,000) pays ₹500 at a shop. The request reaches the Mumbai leader; the
 * response is lost, so after `retryAfterMs` the PSP retries the same UPI transaction id
 * through Delhi — before Mumbai's op has reached Delhi when retryAfterMs is short.
 */
export function retriedPaymentScenario(options: { seed: number; idempotency: boolean; retryAfterMs?: number }): RetriedPaymentResult {
  const retryAfterMs = checkNumber('retriedPaymentScenario retryAfterMs', options.retryAfterMs ?? 5, { min: 0 });
  const sim = new Simulation({ seed: options.seed });
  const ledger = multiLeaderLedger({ sim, regions: UPI_LEADER_REGIONS, idempotency: options.idempotency });
  sim.at(100, () => ledger.pay('mumbai', { txnId: 'UPI-OPEN-1', account: 'priya', amountPaise: 10_000_00 }));
  sim.at(1000, () => ledger.pay('mumbai', { txnId: 'UPI-7731', account: 'priya', amountPaise: -500_00 }));
  sim.at(1000 + retryAfterMs, () => ledger.pay('delhi', { txnId: 'UPI-7731', account: 'priya', amountPaise: -500_00 }));
  sim.run(3000);
  const balances = UPI_LEADER_REGIONS.map((region) => ({ region, balanceRupees: (ledger.balance(region, 'priya') ?? NaN) / 100 }));
  const journal = ledger.leader('mumbai')?.data.journal ?? [];
  const applicationsOfRetriedTxn = journal.filter((e) => e.txnId === 'UPI-7731').reduce((n, e) => n + (e.kind === 'apply' ? 1 : -1), 0);
  return {
    seed: options.seed,
    idempotency: options.idempotency,
    balances,
    payments: ledger.payments.map((p) => ({ timeMs: p.timeMs, region: p.region, txnId: p.txnId, amountRupees: p.amountPaise / 100, outcome: p.outcome })),
    applicationsOfRetriedTxn,
    converged: ledger.converged(),
  };
}

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

// ------------------------------------------------------------------ is it linearizable?

/** A register operation as lib/check reads it. */
export type RegisterOperation = OperationRecord<{ f: 'read' } | { f: 'write'; value: string }, { value?: string | null }>;

/**
 * Clients in Mumbai and Delhi read and write one register at their local leader
 * (a read answers at once from the local copy; a write answers after fsync). It opens
 * with the lesson's case — Delhi writes at t = 1000 ms, Mumbai reads 5 ms later, while
 * Delhi's op is still on the wire — and continues with random reads and writes. Returns
 * the history in the shape lib/check's linearizability checker reads.
 */
export function localReadWriteHistory(options: { seed: number; policy?: 'lww-physical' | 'lww-hlc'; operationsPerClient?: number }): {
  seed: number;
  history: RegisterOperation[];
} {
  const perClient = checkNumber('localReadWriteHistory operationsPerClient', options.operationsPerClient ?? 6, { integer: true, min: 1, max: 1000 });
  const sim = new Simulation({ seed: options.seed });
  const store = multiLeaderRegisters<string>({ sim, regions: UPI_LEADER_REGIONS, policy: options.policy ?? 'lww-hlc' });
  const recorder = new HistoryRecorder<RegisterOperation['input'], NonNullable<RegisterOperation['output']>>(10_000);
  const workload = new Rng(options.seed ^ 0x11ea);
  const key = 'upi-limit:priya';
  ['mumbai', 'delhi'].forEach((region, process) => {
    let t = region === 'delhi' ? 1000 : 1005;
    for (let i = 0; i < perClient; i++) {
      const write = i === 0 ? region === 'delhi' : workload.chance(0.5);
      const value = `${region}-${i}`;
      // One operation at a time per client: the next starts after this one surely returned.
      sim.at(t, () => {
        if (write) {
          const index = recorder.invoke(process, { f: 'write', value }, sim.nowMs());
          store.put(region, key, value, () => recorder.complete(index, {}, sim.nowMs()));
        } else {
          const index = recorder.invoke(process, { f: 'read' }, sim.nowMs());
          const values = store.read(region, key) ?? [];
          recorder.complete(index, { value: values.length === 0 ? null : values[0] }, sim.nowMs());
        }
      });
      t += 5 + workload.int(0, 20);
    }
  });
  sim.run(3000);
  return { seed: options.seed, history: recorder.operations() };
}
