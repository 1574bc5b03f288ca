/**
 * The measurement behind notebook 07 and `npm run bench:strategies`: every strategy on the
 * same placement and YCSB mix, an offered-load sweep per strategy (lib/bench's
 * sweepOfferedLoad), the consistency its checkers saw at 80 % of saturation, the P95 each
 * region's clients saw there, and why it saturated (the busiest modelled resource).
 */
import {
  BENCH_REGIONS,
  BenchRunResult,
  Capacity,
  ObservedConsistency,
  StrategyId,
  SweepResult,
  YcsbWorkload,
  geometricRates,
  runBankingBench,
  runTwoPhaseBench,
  strategyTarget,
  sweepOfferedLoad,
  sweepWith,
  ycsbMix,
} from '../../bench';
import type { Simulation } from '../../sim';
import type { KeyChoice } from '../../workload';
import { BenchRowId, ROW_OF_STRATEGY, claimFor, formatClaim } from './episode-table';

export interface StrategyBenchOptions {
  seed: number;
  strategies: readonly StrategyId[];
  workload?: YcsbWorkload;
  /** Offered loads of the sweep, ops/s; default 6 rates from 400 to 8000. */
  ratesPerSec?: readonly number[];
  /** Length of each run, ms of simulated time (the first 20 % is warm-up); default 1500. */
  durationMs?: number;
  keys?: KeyChoice;
  capacity?: Partial<Capacity>;
  /** Bisection steps at the knee; default 3. */
  refineSteps?: number;
}

export interface StrategyMeasurement {
  strategy: BenchRowId;
  name: string;
  episodeRow: string;
  sweep: SweepResult;
  /** Throughput / utilisation of the busiest resource at the heaviest point that kept up: the utilisation law's capacity estimate. */
  extrapolatedCapacityPerSec: number | null;
  why: string;
}

export const DEFAULT_KEYS: KeyChoice = { keyCount: 1000, zipfTheta: 0.99 };

/** Why a run saturated, from the busiest resource's name. */
export function whyOf(result: BenchRunResult, saturated: boolean): string {
  const busiest = result.busiestResource;
  if (!busiest) return 'no modelled resource';
  const pct = `${Math.round(busiest.utilisation * 100)} %`;
  const [kind] = busiest.name.split(' ');
  const where = busiest.name.replace(/^(CPU|fsync|connection pool|WAN) /, '');
  const lead = saturated ? `saturates on ${busiest.name} (${pct} busy)` : `did not saturate in the sweep; busiest: ${busiest.name} (${pct})`;
  if (kind === 'connection') return `${lead}: every request holds one of ${where}'s connections for its whole round trip, so throughput ≤ connections ÷ latency (Little's law); the farther the serving node, the lower the ceiling`;
  if (kind === 'CPU') return `${lead}: every node spends CPU on its own writes and applies every other region's`;
  if (kind === 'fsync') return `${lead}: the WAL fsync (group commit) on ${where}`;
  return `${lead}: the replication stream's share of the link`;
}

export function measureStrategies(options: StrategyBenchOptions): StrategyMeasurement[] {
  const mix = ycsbMix(options.workload ?? 'A');
  const rates = options.ratesPerSec ?? geometricRates(400, 8000, 6);
  const durationMs = options.durationMs ?? 1500;
  const keys = options.keys ?? DEFAULT_KEYS;
  return options.strategies.map((strategy) => {
    const build = (check: boolean) => (sim: Simulation) => strategyTarget(sim, strategy, { checkConsistency: check, capacity: options.capacity });
    const sweep = sweepOfferedLoad({ seed: options.seed, mix, durationMs, keys, build: build(false) }, rates, { atEightyPercent: { build: build(true) }, refineSteps: options.refineSteps });
    const { points, saturation } = sweep;
    const saturated = saturation.firstOverloadedPerSec !== null;
    const kept = points.filter((p) => p.offeredPerSec <= saturation.sustainedOfferedPerSec);
    const heaviestKept = kept.length ? kept[kept.length - 1] : null;
    const extrapolated = heaviestKept && heaviestKept.busiestResource && heaviestKept.busiestResource.utilisation > 0 ? heaviestKept.throughputPerSec / heaviestKept.busiestResource.utilisation : null;
    const whyFrom = saturated ? points.find((p) => p.offeredPerSec === saturation.firstOverloadedPerSec)! : points[points.length - 1];
    return {
      strategy,
      name: points[0].target,
      episodeRow: ROW_OF_STRATEGY[strategy],
      sweep,
      extrapolatedCapacityPerSec: extrapolated,
      why: whyOf(whyFrom, saturated),
    };
  });
}

/** Share of transfers the banking row may lose to lock conflicts and still count as keeping up. */
export const BANKING_CONFLICT_SHARE_MAX = 0.05;

/**
 * The banking engine (snapshot isolation by default, or serializable: strict two-phase locking;
 * synchronous standby in Delhi, tellers in Mumbai) on its own transfer workload, over the same
 * kind of sweep. It keeps up while at most BANKING_CONFLICT_SHARE_MAX of the transfers are
 * refused (lock conflicts and serialization failures, counted apart in errorsByReason).
 */
export function measureBanking(options: { seed: number; isolation?: 'snapshot' | 'serializable'; ratesPerSec?: readonly number[]; durationMs?: number; refineSteps?: number }): StrategyMeasurement {
  const durationMs = options.durationMs ?? 1500;
  const isolation = options.isolation ?? 'snapshot';
  const rates = options.ratesPerSec ?? geometricRates(100, 3200, 6);
  const sweep = sweepWith((ratePerSec) => runBankingBench({ seed: options.seed, ratePerSec, durationMs, isolation }), rates, { errorShareMax: BANKING_CONFLICT_SHARE_MAX, refineSteps: options.refineSteps });
  const s = sweep.saturation;
  const over = s.firstOverloadedPerSec === null ? null : sweep.points.find((p) => p.offeredPerSec === s.firstOverloadedPerSec)!;
  const share = over ? ((100 * over.errors) / Math.max(1, over.counted)).toFixed(1) : '0';
  const reasons = over ? refusalsText(over) : '';
  const why = over
    ? `saturates on lock contention: at ${over.offeredPerSec} transfers/s, ${share} % were refused (${reasons}), because each transfer holds its two account rows until the synchronous standby in Delhi has flushed its commit` +
      (isolation === 'serializable' ? '; under strict 2PL a transfer takes its locks as it reads, and it writes both rows it reads, so a concurrent transfer meets a lock either way' : '')
    : 'did not saturate in the sweep';
  const strategy: BenchRowId = isolation === 'serializable' ? 'banking-sync-serializable' : 'banking-sync';
  return { strategy, name: sweep.points[0].target, episodeRow: ROW_OF_STRATEGY[strategy], sweep, extrapolatedCapacityPerSec: null, why };
}

/** "24 lock conflicts, 0 serialization failures": a run's refusals by reason (empty when the run gives none). */
export function refusalsText(result: BenchRunResult): string {
  const by = result.errorsByReason;
  if (!by) return '';
  return Object.entries(by)
    .map(([reason, n]) => `${n} ${reason.replace(/-/g, ' ')}${n === 1 ? '' : 's'}`)
    .join(', ');
}

/**
 * Two-phase commit across the five regions' banks on its own inter-bank transfer workload,
 * over the same kind of sweep; it keeps up while at most BANKING_CONFLICT_SHARE_MAX of the
 * transfers abort (a participant voted no on a locked row).
 */
export function measureTwoPhaseCommit(options: { seed: number; ratesPerSec?: readonly number[]; durationMs?: number; refineSteps?: number }): StrategyMeasurement {
  const durationMs = options.durationMs ?? 1500;
  const rates = options.ratesPerSec ?? geometricRates(50, 1600, 6);
  const sweep = sweepWith((ratePerSec) => runTwoPhaseBench({ seed: options.seed, ratePerSec, durationMs }), rates, { errorShareMax: BANKING_CONFLICT_SHARE_MAX, refineSteps: options.refineSteps });
  const s = sweep.saturation;
  const over = s.firstOverloadedPerSec === null ? null : sweep.points.find((p) => p.offeredPerSec === s.firstOverloadedPerSec)!;
  const share = over ? ((100 * over.errors) / Math.max(1, over.counted)).toFixed(1) : '0';
  const why = over
    ? `saturates on lock contention: at ${over.offeredPerSec} transfers/s, ${share} % aborted, because a participant keeps its rows locked from PREPARE until the decision has crossed the WAN`
    : 'did not saturate in the sweep';
  return { strategy: 'two-phase-commit', name: sweep.points[0].target, episodeRow: ROW_OF_STRATEGY['two-phase-commit'], sweep, extrapolatedCapacityPerSec: null, why };
}

export interface TableRow {
  strategy: string;
  episodeRow: string;
  claimedOpsPerSec: string;
  claimedP95: string;
  claimedConsistency: string;
  saturationOpsPerSec: string;
  p95MsAt50: number | null;
  p95MsAt80: number | null;
  observedConsistency: string;
  /** Failed and timed-out requests in the 80 % run. */
  errorsAt80: number | null;
  /** The 80 % run's refusals by reason ("24 lock conflicts, 0 serialization failures"), or "" when it gives none. */
  refusalsAt80: string;
  timeoutsAt80: number | null;
  why: string;
}

const round = (x: number): number => Math.round(x);

/** An observed consistency as the tables print it: the verdict, then its non-zero anomaly counts. */
export function consistencyText(c: ObservedConsistency | null | undefined): string {
  if (!c) return 'not measured';
  const anomalies = Object.entries(c.anomalies).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  return `${c.verdict}${anomalies ? ` (${anomalies})` : ''}`;
}

/** The side-by-side table: the episode's claim, then what this run measured. */
export function tableRows(measurements: readonly StrategyMeasurement[]): TableRow[] {
  return measurements.map((m) => {
    const claim = formatClaim(claimFor(m.episodeRow));
    const s = m.sweep.saturation;
    const saturated = s.firstOverloadedPerSec !== null;
    const c = m.sweep.atEightyPercent?.consistency ?? null;
    return {
      strategy: m.name,
      episodeRow: m.episodeRow,
      claimedOpsPerSec: claim.throughput,
      claimedP95: claim.p95,
      claimedConsistency: claim.consistency,
      saturationOpsPerSec: saturated
        ? `${round(s.saturationPerSec)}`
        : `> ${round(s.saturationPerSec)} (≈ ${round(m.extrapolatedCapacityPerSec ?? 0)} by utilisation)`,
      p95MsAt50: m.sweep.atHalf?.latency?.p95Ms ?? null,
      p95MsAt80: m.sweep.atEightyPercent?.latency?.p95Ms ?? null,
      observedConsistency: consistencyText(c),
      errorsAt80: m.sweep.atEightyPercent?.errors ?? null,
      refusalsAt80: m.sweep.atEightyPercent ? refusalsText(m.sweep.atEightyPercent) : '',
      timeoutsAt80: m.sweep.atEightyPercent?.timeouts ?? null,
      why: m.why,
    };
  });
}

/** P95 (ms) per strategy and client region at 80 % of saturation: the heatmap's cells. */
export function regionalP95(measurements: readonly StrategyMeasurement[]): { strategies: string[]; regions: string[]; p95Ms: Array<Array<number | null>> } {
  const regions = [...BENCH_REGIONS];
  return {
    strategies: measurements.map((m) => m.name),
    regions,
    p95Ms: measurements.map((m) => regions.map((r) => m.sweep.atEightyPercent?.regions.find((x) => x.region === r)?.p95Ms ?? null)),
  };
}

/** One point per sweep run: offered load, throughput, P50/P95/P99 — the latency–throughput curves. */
export function curvePoints(measurements: readonly StrategyMeasurement[]): Array<{ strategy: string; offeredPerSec: number; throughputPerSec: number; p50Ms: number; p95Ms: number; p99Ms: number; timeouts: number }> {
  return measurements.flatMap((m) =>
    m.sweep.points
      .filter((p) => p.latency !== null)
      .map((p) => ({
        strategy: m.name,
        offeredPerSec: p.offeredPerSec,
        throughputPerSec: round(p.throughputPerSec),
        p50Ms: p.latency!.p50Ms,
        p95Ms: p.latency!.p95Ms,
        p99Ms: p.latency!.p99Ms,
        timeouts: p.timeouts,
      })),
  );
}
