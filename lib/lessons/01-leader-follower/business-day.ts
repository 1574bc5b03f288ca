/** Notebook 01, section 1: replication lag over a business day (a seed in, plain records out). */
import { Simulation, checkKnownKeys } from '../../sim';
import { businessDayProfile, driveOpenLoop, hourOfDay, LoadProfile, OpenLoopPlan } from '../../workload';
import { LeaderFollowerCluster, LagSample, AckOption, ReadOption } from '../../strategies/leader-follower';
import { HDFC_APPLY_RECORDS_PER_MS, HDFC_LINK_RECORDS_PER_MS, LAG_SLA_MS, hdfcCluster, percentileOf } from './scenario';

// ---------------------------------------------------------------- 1. lag over a business day

export interface BusinessDayOptions {
  seed: number;
  /** ms per simulated hour; default 400 (the day takes 9.6 s of simulated time). */
  hourMs?: number;
  peakWritesPerSec?: number;
  peakReadsPerSec?: number;
  /** Replay speed (records per ms); default HDFC_APPLY_RECORDS_PER_MS. */
  applyRecordsPerMs?: number | Record<string, number>;
  /** Replication link speed (records per ms); default HDFC_LINK_RECORDS_PER_MS. */
  linkRecordsPerMs?: number | Record<string, number>;
  followerRegions?: string[];
  ack?: AckOption;
  reads?: ReadOption;
}

export interface LagRow extends LagSample {
  /** Hour of the simulated day, e.g. 9.5. */
  hour: number;
}

export interface BusinessDayRun {
  seed: number;
  cluster: LeaderFollowerCluster;
  profile: LoadProfile;
  plan: OpenLoopPlan;
  lag: LagRow[];
}

const BUSINESS_DAY_KEYS = ['seed', 'hourMs', 'peakWritesPerSec', 'peakReadsPerSec', 'applyRecordsPerMs', 'linkRecordsPerMs', 'followerRegions', 'ack', 'reads'];

/**
 * One compressed business day of Poisson traffic against the cluster. Chennai's link and
 * both followers' replay speed sit just under the peak write rate, so lag grows in each
 * peak and drains after it — as a standby's write_lag does when its network cannot carry
 * the primary's WAL, and its replay_lag when its single replay process cannot keep up
 * with the primary's many writers.
 */
export function runBusinessDay(options: BusinessDayOptions): BusinessDayRun {
  checkKnownKeys('runBusinessDay', options, BUSINESS_DAY_KEYS);
  const sim = new Simulation({ seed: options.seed });
  const cluster = hdfcCluster(sim, {
    followerRegions: options.followerRegions,
    ack: options.ack,
    reads: options.reads ?? 'nearest',
    sessionsPerClient: 128,
    applyRecordsPerMs: options.applyRecordsPerMs ?? { ...HDFC_APPLY_RECORDS_PER_MS },
    linkRecordsPerMs: options.linkRecordsPerMs ?? { ...HDFC_LINK_RECORDS_PER_MS },
    recordHistory: false,
  });
  const profile = businessDayProfile({
    hourMs: options.hourMs ?? 400,
    peakWritesPerSec: options.peakWritesPerSec ?? 2000,
    peakReadsPerSec: options.peakReadsPerSec ?? 4000,
    startMs: 100,
  });
  const plan = driveOpenLoop({ sim, profile, clients: cluster.clients, keys: { keyCount: 10_000, hotShare: 0.2, hotKeyCount: 20 } });
  sim.run(profile.endMs);
  const lag = cluster.metrics.lagSamples
    .filter((s) => s.timeMs >= profile.startMs && s.timeMs <= profile.endMs)
    .map((s) => ({ ...s, hour: hourOfDay(profile, s.timeMs) }));
  return { seed: options.seed, cluster, profile, plan, lag };
}

export interface LagSummaryRow {
  follower: string;
  region: string;
  replayLagMsP50: number;
  replayLagMsP99: number;
  replayLagMsMax: number;
  /** The hour of the day at which the maximum was sampled. */
  worstHour: number;
  lsnLagMax: number;
  /** Share of samples above 100 ms and above 200 ms, in percent. */
  percentOver100Ms: number;
  percentOver200Ms: number;
}

/** Per follower: how bad the lag got, when, and how often it broke each objective. */
export function lagSummary(rows: readonly LagRow[]): LagSummaryRow[] {
  const followers = [...new Set(rows.map((r) => r.follower))];
  return followers.map((follower) => {
    const mine = rows.filter((r) => r.follower === follower);
    const sorted = mine.map((r) => r.replayLagMs).sort((a, b) => a - b);
    let worst = mine[0];
    for (const r of mine) if (r.replayLagMs > worst.replayLagMs) worst = r;
    const over = (ms: number) => (100 * mine.filter((r) => r.replayLagMs > ms).length) / Math.max(1, mine.length);
    return {
      follower,
      region: mine[0].region,
      replayLagMsP50: percentileOf(sorted, 50),
      replayLagMsP99: percentileOf(sorted, 99),
      replayLagMsMax: sorted[sorted.length - 1],
      worstHour: Math.floor(worst.hour * 10) / 10,
      lsnLagMax: Math.max(...mine.map((r) => r.lsnLag)),
      percentOver100Ms: over(LAG_SLA_MS.mumbai),
      percentOver200Ms: over(LAG_SLA_MS.otherRegions),
    };
  });
}
// ---------------------------------------------------------------- helpers for the notebook's tables and figures

/** One follower's three lags as rows { hour, lag, lagMs }, to plot write vs flush vs replay lag. */
export function lagKinds(rows: readonly LagRow[], follower: string): Array<{ hour: number; lag: string; lagMs: number }> {
  const out: Array<{ hour: number; lag: string; lagMs: number }> = [];
  for (const r of rows) {
    if (r.follower !== follower) continue;
    out.push({ hour: r.hour, lag: 'write_lag', lagMs: r.writeLagMs });
    out.push({ hour: r.hour, lag: 'flush_lag', lagMs: r.flushLagMs });
    out.push({ hour: r.hour, lag: 'replay_lag', lagMs: r.replayLagMs });
  }
  return out;
}
