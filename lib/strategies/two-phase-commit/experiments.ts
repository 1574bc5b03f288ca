/**
 * The experiments of notebook 04 (NEFT/RTGS over two-phase commit), each a plain
 * function of a seed returning records for tables and plots. Times are simulated ms.
 */
import { Simulation, checkNumber, checkOneOf } from '../../sim';
import { ledgerCluster } from '../../storage/banking';
import { twoPhaseCommit, ProtocolOptions, SiteOptions, TwoPhaseCommitCluster } from './cluster';
import { CoordinatorEvent, InDoubtInterval } from './metrics';
import type { AtomicityCheckResult } from './atomicity-check';
import { walTable } from '../../storage';
import { percentileOfSorted } from '../../stats';

// ---------------------------------------------------------------- latency: 2PC versus a local commit

export interface LatencyComparisonOptions {
  seed: number;
  /** How long clients send transfers, ms. Default 5000. */
  durationMs?: number;
  /** Transfers per second, all clients together. Default 40 (light load: latency, not queueing). */
  ratePerSec?: number;
}

export interface LatencySample {
  path: string;
  latencyMs: number;
}

/**
 * The same light transfer load three ways: a local commit on one ledger in Mumbai; 2PC
 * with every participant in Mumbai (the protocol's own cost: two rounds and two forced
 * writes); and 2PC between HDFC in Mumbai and SBI in Delhi with the clearing house in
 * Mumbai (the protocol's cost plus distance). Clients are in Mumbai.
 */
export function latencyComparison(options: LatencyComparisonOptions): LatencySample[] {
  const durationMs = checkNumber('durationMs', options.durationMs ?? 5000, { min: 500 });
  const ratePerSec = checkNumber('ratePerSec', options.ratePerSec ?? 40, { min: 1 });
  const clients = 4;
  const samples: LatencySample[] = [];

  const localSim = new Simulation({ seed: options.seed });
  const local = ledgerCluster({ sim: localSim, accounts: 200, load: { clients, ratePerSecPerClient: ratePerSec / clients, stopMs: durationMs } });
  localSim.run(durationMs + 1000);
  for (const op of local.history) {
    if (op.result && op.result.status === 'committed') samples.push({ path: 'local commit (one ledger, Mumbai)', latencyMs: (op.returnMs as number) - op.callMs });
  }

  const variants: Array<{ path: string; banks: SiteOptions[] }> = [
    { path: '2PC, all in Mumbai', banks: [{ id: 'hdfc', region: 'mumbai' }, { id: 'sbi', region: 'mumbai' }] },
    { path: '2PC, HDFC Mumbai + SBI Delhi', banks: [{ id: 'hdfc', region: 'mumbai' }, { id: 'sbi', region: 'delhi' }] },
  ];
  for (const variant of variants) {
    const sim = new Simulation({ seed: options.seed });
    const cluster = twoPhaseCommit({ sim, banks: variant.banks, accountsPerBank: 100, load: { clients, ratePerSecPerClient: ratePerSec / clients, stopMs: durationMs } });
    sim.run(durationMs + 1000);
    for (const op of cluster.history) if (op.decision === 'commit') samples.push({ path: variant.path, latencyMs: (op.returnMs as number) - op.callMs });
  }
  return samples;
}

// ---------------------------------------------------------------- the blocking window

export type CoordinatorCrashPoint = 'after-prepare' | 'after-decision-logged' | 'mid-decision';
export const COORDINATOR_CRASH_POINTS: readonly CoordinatorCrashPoint[] = ['after-prepare', 'after-decision-logged', 'mid-decision'];

export interface CoordinatorCrashOptions {
  seed: number;
  /**
   * - 'after-prepare': the coordinator dies right after sending PREPARE (before any vote).
   * - 'after-decision-logged': its decision to commit is durable, but it dies before sending it.
   * - 'mid-decision': it dies after sending the decision to commit to the first participant only.
   */
  crashPoint: CoordinatorCrashPoint;
  /** The first matching moment after this time triggers the crash. Default 1000 ms. */
  crashAfterMs?: number;
  downtimeMs?: number;
  cooperativeTermination?: boolean;
  /** Other protocol timeouts (in-doubt query delay and interval, vote timeout, decision retry). */
  protocol?: Omit<ProtocolOptions, 'cooperativeTermination'>;
  /** Run length, ms. Default crash time + downtime + 2500. */
  runMs?: number;
}

export interface InDoubtRow extends InDoubtInterval {
  /** How long the participant held its row locks not knowing the outcome, ms. */
  heldMs: number;
}

export interface CoordinatorCrashResult {
  crashPoint: CoordinatorCrashPoint;
  cooperativeTermination: boolean;
  crashedAtMs: number | null;
  restartedAtMs: number | null;
  /** The global transaction the coordinator was working on when it died. */
  crashGid: string | null;
  /** Transactions in doubt at some moment of the outage, per participant, with how long each stayed in doubt. */
  caughtInDoubt: InDoubtRow[];
  /** Step series: rows locked by in-doubt transactions per participant over time. */
  lockedRowsOverTime: Array<{ timeMs: number; participant: string; lockedRows: number }>;
  /**
   * ATM withdrawals refused because their row was locked by a prepared transaction, per
   * 100 ms bucket, split by cause: a transaction the outage left in doubt (held ≥ 500 ms),
   * or the ordinary milliseconds between any prepare and its decision.
   */
  refusedLocalOverTime: Array<{ timeMs: number; refused: number; cause: string }>;
  check: AtomicityCheckResult;
}

/** Step series of "rows locked in doubt" per participant, from in-doubt intervals. */
export function lockedRowsSeries(intervals: readonly InDoubtInterval[], participants: readonly string[], endMs: number): Array<{ timeMs: number; participant: string; lockedRows: number }> {
  const out: Array<{ timeMs: number; participant: string; lockedRows: number }> = [];
  for (const p of participants) {
    const changes: Array<[number, number]> = [];
    for (const i of intervals) {
      if (i.participant !== p) continue;
      changes.push([i.preparedAtMs, i.lockedRows]);
      changes.push([i.resolvedAtMs === null ? endMs : i.resolvedAtMs, -i.lockedRows]);
    }
    changes.sort((a, b) => a[0] - b[0]);
    let level = 0;
    out.push({ timeMs: 0, participant: p, lockedRows: 0 });
    for (const [t, delta] of changes) {
      out.push({ timeMs: t, participant: p, lockedRows: level });
      level += delta;
      out.push({ timeMs: t, participant: p, lockedRows: level });
    }
    out.push({ timeMs: endMs, participant: p, lockedRows: level });
  }
  return out;
}

const STUCK_MS = 500;
const STUCK_CAUSE = 'row held by a transaction stuck in doubt';
const ORDINARY_CAUSE = 'row held during an ordinary prepare';

export function coordinatorCrashScenario(options: CoordinatorCrashOptions): CoordinatorCrashResult {
  const crashPoint = checkOneOf<CoordinatorCrashPoint>('crashPoint', options.crashPoint, COORDINATOR_CRASH_POINTS);
  const crashAfterMs = checkNumber('crashAfterMs', options.crashAfterMs ?? 1000, { min: 150 });
  const downtimeMs = checkNumber('downtimeMs', options.downtimeMs ?? 3000, { min: 1 });
  const cooperative = options.cooperativeTermination ?? true;
  const runMs = options.runMs ?? crashAfterMs + downtimeMs + 2500;
  const sim = new Simulation({ seed: options.seed });
  let crashedAtMs: number | null = null;
  let restartedAtMs: number | null = null;
  let crashGid: string | null = null;
  const wanted: CoordinatorEvent['kind'] = crashPoint === 'after-prepare' ? 'prepare-sent' : crashPoint === 'after-decision-logged' ? 'decision-logged' : 'decision-sent';
  let cluster: TwoPhaseCommitCluster | null = null;
  cluster = twoPhaseCommit({
    sim,
    accountsPerBank: 8,
    protocol: { ...(options.protocol ?? {}), cooperativeTermination: cooperative },
    localLoad: { ratePerSec: 40, stopMs: runMs },
    load: { clients: 2, ratePerSecPerClient: 15, stopMs: runMs - 1500 },
    onCoordinatorEvent: (e) => {
      if (crashedAtMs !== null || e.kind !== wanted || e.atMs < crashAfterMs) return;
      crashedAtMs = e.atMs;
      crashGid = e.gid;
      // Crashing inside the coordinator's handler stops the rest of its sends, exactly at this point.
      sim.crash((cluster as TwoPhaseCommitCluster).coordinatorId);
      sim.after(downtimeMs, () => {
        restartedAtMs = sim.nowMs();
        sim.restart((cluster as TwoPhaseCommitCluster).coordinatorId);
      });
    },
  });
  sim.run(runMs);
  const c = cluster;
  const crash = crashedAtMs as number | null;
  // Everything in doubt at some moment of the outage: prepared before the restart, not resolved before the crash.
  const restart = restartedAtMs as number | null;
  const caught: InDoubtRow[] = c.metrics.inDoubt
    .filter((i) => crash !== null && i.preparedAtMs <= (restart ?? runMs) && (i.resolvedAtMs === null || i.resolvedAtMs > crash))
    .map((i) => ({ ...i, heldMs: (i.resolvedAtMs === null ? runMs : i.resolvedAtMs) - i.preparedAtMs }))
    .filter((i) => i.heldMs > 0);
  // Refusals caused by transactions stuck in doubt by the outage, apart from those caused by
  // the ordinary few milliseconds every prepared transaction holds its rows.
  const stuck = new Set(caught.filter((i) => i.heldMs >= STUCK_MS).map((i) => i.gid));
  const buckets = new Map<string, { timeMs: number; refused: number; cause: string }>();
  for (const cause of [STUCK_CAUSE, ORDINARY_CAUSE]) for (let t = 0; t < runMs; t += 100) buckets.set(`${cause}|${t}`, { timeMs: t, refused: 0, cause });
  for (const l of c.metrics.localTransactions) {
    if (!l.lockedInDoubtBy) continue;
    const cause = stuck.has(l.lockedInDoubtBy) ? STUCK_CAUSE : ORDINARY_CAUSE;
    const bucket = buckets.get(`${cause}|${Math.floor(l.atMs / 100) * 100}`);
    if (bucket) bucket.refused++;
  }
  return {
    crashPoint,
    cooperativeTermination: cooperative,
    crashedAtMs: crash,
    restartedAtMs,
    crashGid,
    caughtInDoubt: caught,
    lockedRowsOverTime: lockedRowsSeries(c.metrics.inDoubt, c.participantIds, runMs),
    refusedLocalOverTime: [...buckets.values()],
    check: c.check({ requireResolved: true }),
  };
}

// ---------------------------------------------------------------- throughput

export const BANK_SITES: SiteOptions[] = [
  { id: 'hdfc', region: 'mumbai' },
  { id: 'sbi', region: 'delhi' },
  { id: 'canara', region: 'bangalore' },
  { id: 'indian-bank', region: 'chennai' },
  { id: 'uco', region: 'kolkata' },
  { id: 'axis', region: 'hyderabad' },
];

export interface ThroughputRow {
  variant: string;
  /** Participants per transfer, the clearing house included. */
  participants: number;
  farthestRegion: string;
  /** Largest round trip from the coordinator (Mumbai) to a participant, ms. */
  farthestRttMs: number;
  decidedCommitPerSec: number;
  abortPct: number;
  latencyMsP50: number;
  latencyMsP99: number;
}

export interface ThroughputOptions {
  seed: number;
  /** Closed-loop clients, each with one transfer outstanding. Default 16. */
  clients?: number;
  durationMs?: number;
  accountsPerBank?: number;
}

function measure(variant: string, sim: Simulation, cluster: TwoPhaseCommitCluster, startMs: number, stopMs: number, banks: SiteOptions[]): ThroughputRow {
  const window = cluster.history.filter((h) => h.callMs >= startMs && h.returnMs !== null && h.returnMs <= stopMs);
  const committed = window.filter((h) => h.decision === 'commit').map((h) => (h.returnMs as number) - h.callMs).sort((a, b) => a - b);
  const pick = (p: number) => (committed.length === 0 ? NaN : percentileOfSorted(committed, p));
  let farthest = banks[0];
  for (const b of banks) if (sim.topology.rttMs('mumbai', b.region) > sim.topology.rttMs('mumbai', farthest.region)) farthest = b;
  return {
    variant,
    participants: banks.length + 1,
    farthestRegion: farthest.region,
    farthestRttMs: sim.topology.rttMs('mumbai', farthest.region),
    decidedCommitPerSec: committed.length / ((stopMs - startMs) / 1000),
    abortPct: window.length === 0 ? 0 : (100 * (window.length - committed.length)) / window.length,
    latencyMsP50: pick(50),
    latencyMsP99: pick(99),
  };
}

function runThroughput(seed: number, banks: SiteOptions[], banksPerTransfer: number, clients: number, durationMs: number, accountsPerBank: number, variant: string): ThroughputRow {
  const sim = new Simulation({ seed });
  const cluster = twoPhaseCommit({
    sim,
    banks,
    accountsPerBank,
    openingBalancePaise: 100_000_000,
    load: { clients, mode: 'closed', stopMs: 200 + durationMs, banksPerTransfer, maxAmountPaise: 10_000 },
  });
  sim.run(200 + durationMs + 2000);
  // Measure after a short warm-up, over the steady part of the run.
  return measure(variant, sim, cluster, 500, 200 + durationMs, banks.slice(0, banksPerTransfer));
}

/** Decisions to commit per second as each transfer touches more banks (a bulk payout from one bank to several). */
export function throughputByParticipants(options: ThroughputOptions & { bankCounts?: number[] }): ThroughputRow[] {
  const counts = options.bankCounts ?? [2, 3, 4, 5, 6];
  return counts.map((k) => {
    checkNumber('bankCounts[]', k, { integer: true, min: 2, max: BANK_SITES.length });
    const banks = BANK_SITES.slice(0, k);
    return runThroughput(options.seed, banks, k, options.clients ?? 16, options.durationMs ?? 2000, options.accountsPerBank ?? 1000, `${k} banks + clearing`);
  });
}

/** Decisions to commit per second between HDFC (Mumbai) and one partner bank placed ever farther away. */
export function throughputByDistance(options: ThroughputOptions & { partnerRegions?: string[] }): ThroughputRow[] {
  const regions = options.partnerRegions ?? ['mumbai', 'pune', 'hyderabad', 'bangalore', 'delhi', 'kolkata'];
  return regions.map((region) => {
    const banks = [{ id: 'hdfc', region: 'mumbai' }, { id: 'partner', region }];
    return runThroughput(options.seed, banks, 2, options.clients ?? 16, options.durationMs ?? 2000, options.accountsPerBank ?? 1000, `partner in ${region}`);
  });
}

// ---------------------------------------------------------------- what each log holds

export interface TransferWalRow {
  node: string;
  lsn: number;
  record: string;
}

/**
 * Every WAL record that one global transaction left: the coordinator's decision (and end)
 * records, and on each participant its writes, prepare and local commit or abort.
 */
export function transferWalRecords(cluster: TwoPhaseCommitCluster, gid: string): TransferWalRow[] {
  const rows: TransferWalRow[] = [];
  const coordinator = cluster.coordinator();
  if (coordinator) {
    const wal = coordinator.wal;
    for (let lsn = wal.firstRetainedLsn; lsn <= wal.lastLsn; lsn++) {
      const e = wal.entry(lsn);
      if (!e || e.payload.gid !== gid) continue;
      rows.push({ node: cluster.coordinatorId, lsn, record: e.payload.t === 'decide' ? `decision to commit ${gid} (participants ${e.payload.participants.join(', ')})` : `end of ${gid}: every participant acknowledged` });
    }
  }
  for (const id of cluster.participantIds) {
    const db = cluster.db(id);
    let txId: number | null = null;
    for (let lsn = db.wal.firstRetainedLsn; lsn <= db.wal.lastLsn && txId === null; lsn++) {
      const e = db.wal.entry(lsn);
      if (e && e.payload.t === 'p' && e.payload.gid === gid) txId = e.payload.tx;
    }
    if (txId === null) continue;
    for (const row of walTable(db, { txIds: [txId], limit: 100 })) {
      const record = row.kind === 'c' ? `tx ${txId} local commit (COMMIT PREPARED)` : row.kind === 'a' ? `tx ${txId} local abort` : row.record;
      rows.push({ node: id, lsn: row.lsn, record });
    }
  }
  return rows;
}

// ---------------------------------------------------------------- blocking window against downtime

export interface DowntimeRow {
  downtimeMs: number;
  /** Longest time a participant held a transaction in doubt during the outage, ms. */
  longestInDoubtMs: number;
  /** Global transactions the outage left in doubt for 500 ms or more. */
  inDoubtTransactions: number;
  /** ATM withdrawals refused because a transaction stuck in doubt held their row. */
  refusedAtmWithdrawals: number;
}

/** The after-prepare crash for several coordinator downtimes: the blocking window follows the downtime. */
export function blockingWindowByDowntime(options: { seed: number; downtimesMs?: number[] }): DowntimeRow[] {
  return (options.downtimesMs ?? [250, 500, 1000, 2000, 4000]).map((downtimeMs) => {
    const r = coordinatorCrashScenario({ seed: options.seed, crashPoint: 'after-prepare', downtimeMs });
    return {
      downtimeMs,
      longestInDoubtMs: Math.max(0, ...r.caughtInDoubt.map((i) => i.heldMs)),
      inDoubtTransactions: new Set(r.caughtInDoubt.filter((i) => i.heldMs >= STUCK_MS).map((i) => i.gid)).size,
      refusedAtmWithdrawals: r.refusedLocalOverTime.filter((b) => b.cause === STUCK_CAUSE).reduce((sum, b) => sum + b.refused, 0),
    };
  });
}

/** P50/P95/P99 per path of latency samples (nearest-rank, as lib/viz's summarize). */
export function latencyTable(samples: readonly LatencySample[]): Array<{ path: string; transfers: number; latencyMsP50: number; latencyMsP95: number; latencyMsP99: number; latencyMsMax: number }> {
  const paths: string[] = [];
  for (const s of samples) if (!paths.includes(s.path)) paths.push(s.path);
  return paths.map((path) => {
    const sorted = samples.filter((s) => s.path === path).map((s) => s.latencyMs).sort((a, b) => a - b);
    const at = (p: number) => percentileOfSorted(sorted, p);
    return { path, transfers: sorted.length, latencyMsP50: at(50), latencyMsP95: at(95), latencyMsP99: at(99), latencyMsMax: sorted[sorted.length - 1] };
  });
}
