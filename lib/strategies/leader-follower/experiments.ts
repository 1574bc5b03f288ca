/**
 * The experiments of notebook 01, as functions, so that each notebook cell is a few lines
 * and the same runs are tested. Every experiment takes a seed and returns plain records.
 *
 * The cluster is HDFC Bank's of the episode: the leader in Mumbai, followers in Delhi and
 * Chennai, application servers (clients) in all three cities.
 */
import { Simulation, checkKnownKeys } from '../../sim';
import {
  businessDayProfile,
  constantProfile,
  driveClosedLoop,
  driveOpenLoop,
  hourOfDay,
  LoadProfile,
  OpenLoopPlan,
  writeThenRead,
} from '../../workload';
import { checkLinearizable, checkSessionGuarantees, LinearizabilityResult } from '../../check';
import { describeAckPolicy } from './ack-policy';
import { describeReadRouting } from './read-routing';
import { leaderFollower, LeaderFollowerCluster } from './cluster';
import { KvOutput } from './client';
import { LagSample, LeaderWindow, LostWrite, TimelineEvent } from './metrics';
import { AckOption, LeaderFollowerOptions, ReadOption } from './options';
import type { OperationRecord } from '../../sim';
import type { KvOperation } from '../../workload';
import { percentileOfSorted } from '../../stats';

export const HDFC_LEADER_REGION = 'mumbai';
export const HDFC_FOLLOWER_REGIONS = ['delhi', 'chennai'];

/** The lag objectives of the episode: replicas serving Mumbai within 100 ms, other regions within 200 ms. */
export const LAG_SLA_MS = { mumbai: 100, otherRegions: 200 } as const;

/**
 * The speeds of the HDFC cluster in these experiments. The DR links were sized for the
 * average day, not the peak: Chennai's replication stream carries 1.8 records/ms, Delhi's
 * 2.2, while the morning peak writes 2 per ms. Replay (one process applying what many
 * writers produced) runs at 1.9 records/ms in Delhi and 1.6 in Chennai.
 */
export const HDFC_LINK_RECORDS_PER_MS: Readonly<Record<string, number>> = { delhi: 2.2, chennai: 1.8 };
export const HDFC_APPLY_RECORDS_PER_MS: Readonly<Record<string, number>> = { mumbai: 2.5, delhi: 1.9, chennai: 1.6 };

type ClusterExtras = Omit<LeaderFollowerOptions, 'sim' | 'leaderRegion' | 'followerRegions'> & { followerRegions?: string[] };

function hdfcCluster(sim: Simulation, extras: ClusterExtras): LeaderFollowerCluster {
  const { followerRegions, ...rest } = extras;
  return leaderFollower({
    sim,
    leaderRegion: HDFC_LEADER_REGION,
    followerRegions: followerRegions ?? HDFC_FOLLOWER_REGIONS,
    linkRecordsPerMs: { ...HDFC_LINK_RECORDS_PER_MS },
    applyRecordsPerMs: { ...HDFC_APPLY_RECORDS_PER_MS },
    ...rest,
  });
}

function percentileOf(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : percentileOfSorted(sorted, p);
}

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

// ---------------------------------------------------------------- 2. stale reads

export interface HistoryRun {
  seed: number;
  cluster: LeaderFollowerCluster;
  history: { model: 'kv'; operations: OperationRecord<KvOperation, KvOutput>[] };
}

/**
 * Users in Mumbai, Delhi and Chennai each write a key and read it straight back, two
 * sessions per city, for durationMs, with reads routed as `reads` says.
 */
export function runWriteThenRead(options: { seed: number; reads: ReadOption; durationMs?: number; keyCount?: number; ack?: AckOption }): HistoryRun {
  checkKnownKeys('runWriteThenRead', options, ['seed', 'reads', 'durationMs', 'keyCount', 'ack']);
  const sim = new Simulation({ seed: options.seed });
  const cluster = hdfcCluster(sim, { reads: options.reads, ack: options.ack, sessionsPerClient: 2 });
  const startMs = 200;
  driveClosedLoop({
    sim,
    clients: cluster.clients,
    startMs,
    endMs: startMs + (options.durationMs ?? 1500),
    thinkTimeMs: 5,
    nextOperation: writeThenRead({ keyCount: options.keyCount ?? 3 }),
  });
  sim.run(startMs + (options.durationMs ?? 1500) + 3000);
  return { seed: options.seed, cluster, history: cluster.history() };
}

// ---------------------------------------------------------------- 3. failover

export interface FailoverRun {
  seed: number;
  ack: string;
  cluster: LeaderFollowerCluster;
  crashAtMs: number;
  restartAtMs: number;
  /** Writes the old leader acknowledged in total, and the ones the cluster no longer has. */
  acknowledgedCount: number;
  lost: LostWrite[];
  /** The failover's events, with times relative to the crash. */
  timeline: Array<TimelineEvent & { msAfterCrash: number }>;
  /** Where every replica stood just before the crash. */
  beforeCrash: ReturnType<LeaderFollowerCluster['roles']>;
}

export interface FailoverOptions {
  seed: number;
  ack: AckOption;
  /** The hour of the business day at which the leader dies; default 10 (the morning peak). */
  crashAtHour?: number;
  /** How long the old leader stays down; default 2500 ms. */
  downForMs?: number;
  /** ms per simulated hour; default 500. */
  hourMs?: number;
  fencing?: boolean;
}

/**
 * The business morning (8:00–12:00) with the application servers of all three cities
 * writing; at crashAtHour the Mumbai leader dies (power cut: page cache and send buffers
 * gone). The followers detect it, elect a new leader, the clients find it; downForMs
 * later the old leader comes back and rejoins as a follower.
 */
export function runFailover(options: FailoverOptions): FailoverRun {
  checkKnownKeys('runFailover', options, ['seed', 'ack', 'crashAtHour', 'downForMs', 'hourMs', 'fencing']);
  const hourMs = options.hourMs ?? 500;
  const fromHour = 8;
  const profile = businessDayProfile({ hourMs, fromHour, toHour: 12, startMs: 100, peakWritesPerSec: 2000, peakReadsPerSec: 0 });
  const crashAtMs = profile.startMs + ((options.crashAtHour ?? 10) - fromHour) * hourMs;
  const restartAtMs = crashAtMs + (options.downForMs ?? 2500);
  const sim = new Simulation({ seed: options.seed });
  const cluster = hdfcCluster(sim, { ack: options.ack, fencing: options.fencing, sessionsPerClient: 128, recordHistory: false });
  driveOpenLoop({ sim, profile, clients: cluster.clients, keys: { keyCount: 10_000 } });
  let beforeCrash: FailoverRun['beforeCrash'] = [];
  sim.at(crashAtMs, () => {
    beforeCrash = cluster.roles();
    sim.crash(HDFC_LEADER_REGION);
  });
  sim.at(restartAtMs, () => sim.restart(HDFC_LEADER_REGION));
  sim.run(Math.max(profile.endMs, restartAtMs + 1500));
  return {
    seed: options.seed,
    ack: describeAckPolicy(cluster.options.ack),
    cluster,
    crashAtMs,
    restartAtMs,
    acknowledgedCount: cluster.metrics.acknowledgedWrites.filter((w) => w.leader === HDFC_LEADER_REGION).length,
    lost: cluster.lostWrites(),
    timeline: cluster.metrics.timeline
      .filter((e) => e.timeMs >= crashAtMs)
      .map((e) => ({ ...e, msAfterCrash: e.timeMs - crashAtMs })),
    beforeCrash,
  };
}

// ---------------------------------------------------------------- 4. the price of safety

export interface LatencyRow {
  ack: string;
  writes: number;
  latencyMsP50: number;
  latencyMsP95: number;
  latencyMsP99: number;
}

/**
 * Write latency seen by the Mumbai application servers under each acknowledgement mode,
 * same seed, same load, no faults: what each guarantee costs.
 */
export function compareWriteLatency(options: { seed: number; modes: AckOption[]; writesPerSec?: number; durationMs?: number }): {
  summary: LatencyRow[];
  samples: Array<{ ack: string; latencyMs: number }>;
} {
  checkKnownKeys('compareWriteLatency', options, ['seed', 'modes', 'writesPerSec', 'durationMs']);
  const summary: LatencyRow[] = [];
  const samples: Array<{ ack: string; latencyMs: number }> = [];
  for (const mode of options.modes) {
    const sim = new Simulation({ seed: options.seed });
    const cluster = hdfcCluster(sim, { ack: mode, clientRegions: ['mumbai'], sessionsPerClient: 64, recordHistory: false });
    const profile = constantProfile({ startMs: 200, durationMs: options.durationMs ?? 2000, writesPerSec: options.writesPerSec ?? 1000, readsPerSec: 0 });
    driveOpenLoop({ sim, profile, clients: cluster.clients, keys: { keyCount: 1000 } });
    sim.run(profile.endMs + 1000);
    const ack = describeAckPolicy(cluster.options.ack);
    const latencies = cluster.metrics.writeLatencies().map((w) => w.latencyMs).sort((a, b) => a - b);
    for (const latencyMs of latencies) samples.push({ ack, latencyMs });
    summary.push({
      ack,
      writes: latencies.length,
      latencyMsP50: percentileOf(latencies, 50),
      latencyMsP95: percentileOf(latencies, 95),
      latencyMsP99: percentileOf(latencies, 99),
    });
  }
  return { summary, samples };
}

// ---------------------------------------------------------------- 5. split brain

export interface SplitBrainRun extends HistoryRun {
  fencing: boolean;
  partitionAtMs: number;
  healAtMs: number;
  windows: LeaderWindow[];
  overlaps: Array<{ a: LeaderWindow; b: LeaderWindow; overlapMs: number }>;
  lost: LostWrite[];
}

/**
 * The network between Mumbai and the rest of India breaks for `partitionMs`. Mumbai's
 * application server can still reach the Mumbai leader; Delhi and Chennai elect a new one.
 * Everybody keeps writing and reading the same few keys (reads from the leader). With
 * MySQL-style semi-sync the cut-off leader falls back to async after semiSyncTimeoutMs —
 * unless fencing makes it step down first.
 */
export function runSplitBrain(options: { seed: number; fencing: boolean; ack?: AckOption; partitionAtMs?: number; partitionMs?: number }): SplitBrainRun {
  checkKnownKeys('runSplitBrain', options, ['seed', 'fencing', 'ack', 'partitionAtMs', 'partitionMs']);
  const partitionAtMs = options.partitionAtMs ?? 1000;
  const healAtMs = partitionAtMs + (options.partitionMs ?? 4000);
  const sim = new Simulation({ seed: options.seed });
  // A patient client (2 s per attempt): the Mumbai app server keeps waiting on the Mumbai
  // leader, which is what lets the semi-sync fallback acknowledge its writes.
  const cluster = hdfcCluster(sim, {
    ack: options.ack ?? 'semi-sync',
    fencing: options.fencing,
    reads: 'leader',
    sessionsPerClient: 2,
    requestTimeoutMs: 2000,
    maxAttempts: 3,
  });
  driveClosedLoop({
    sim,
    clients: cluster.clients,
    startMs: 200,
    endMs: healAtMs + 1500,
    thinkTimeMs: 20,
    nextOperation: writeThenRead({ keyCount: 3 }),
  });
  sim.at(partitionAtMs, () => sim.partition(['mumbai', 'client-mumbai'], ['delhi', 'chennai', 'client-delhi', 'client-chennai']));
  sim.at(healAtMs, () => sim.heal());
  sim.run(healAtMs + 8000);
  return {
    seed: options.seed,
    fencing: options.fencing,
    cluster,
    history: cluster.history(),
    partitionAtMs,
    healAtMs,
    windows: cluster.metrics.leaderWindows(),
    overlaps: cluster.metrics.splitBrainOverlaps(),
    lost: cluster.lostWrites(),
  };
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

export interface ReadRoutingRow {
  reads: string;
  readCount: number;
  percentFromFollowers: number;
  /** Median read latency of the Delhi and Chennai users (Mumbai's sit next to the leader). */
  remoteReadLatencyMsP50: number;
  staleReads: number;
  readYourWritesViolations: number;
  monotonicReadViolations: number;
  linearizable: string;
}

/** The same write-then-read sessions under each routing rule, judged by lib/check. */
export function compareReadRouting(options: { seed: number; modes: ReadOption[] }): ReadRoutingRow[] {
  checkKnownKeys('compareReadRouting', options, ['seed', 'modes']);
  return options.modes.map((reads) => {
    const run = runWriteThenRead({ seed: options.seed, reads });
    const sessions = checkSessionGuarantees(run.history);
    const linearizability = checkLinearizable(run.history);
    const readOps = run.cluster.metrics.operations.filter((o) => o.kind === 'read' && o.ok);
    const latencies = readOps.filter((o) => o.region !== HDFC_LEADER_REGION).map((o) => o.latencyMs as number).sort((a, b) => a - b);
    return {
      reads: describeReadRouting(run.cluster.options.reads),
      readCount: readOps.length,
      percentFromFollowers: Math.round((1000 * readOps.filter((o) => o.servedAs === 'follower').length) / Math.max(1, readOps.length)) / 10,
      remoteReadLatencyMsP50: percentileOf(latencies, 50),
      staleReads: run.cluster.metrics.staleReads.length,
      readYourWritesViolations: sessions.readYourWrites.violationCount,
      monotonicReadViolations: sessions.monotonicReads.violationCount,
      linearizable: linearizability.verdict,
    };
  });
}

/**
 * The part of a history a learner needs to see a counterexample: the operations on its
 * key called before the blocked operation returned. Cutting later operations off keeps
 * the violation (the checker had already failed by then), and the figure stays readable.
 */
export function counterexampleWindow<T extends { model: 'kv'; operations: OperationRecord<KvOperation, KvOutput>[] }>(
  history: T,
  result: LinearizabilityResult,
  maxOperations = 40,
): { model: 'kv'; operations: OperationRecord<KvOperation, KvOutput>[] } {
  const example = result.counterexamples[0];
  if (!example) throw new Error(`counterexampleWindow: the result has no counterexample (verdict ${result.verdict})`);
  const blocked = history.operations[example.mustPrecedeIndex];
  const cutoffMs = blocked.return === null ? Infinity : blocked.return;
  const onKey = history.operations.filter((op) => op.input.key === example.key && op.call <= cutoffMs);
  return { model: 'kv', operations: onKey.slice(-maxOperations) };
}

export interface FailoverRow {
  ack: string;
  acknowledgedByOldLeader: number;
  lostAcknowledgedWrites: number;
  newLeader: string;
  msToDetect: number;
  msToPromote: number;
  msToFirstRedirectedClient: number;
}

/** The same crash in the same peak under each acknowledgement mode. */
export function compareFailover(options: { seed: number; modes: AckOption[] }): FailoverRow[] {
  checkKnownKeys('compareFailover', options, ['seed', 'modes']);
  return options.modes.map((ack) => {
    const run = runFailover({ seed: options.seed, ack });
    const first = (event: string) => run.timeline.find((e) => e.event === event);
    return {
      ack: run.ack,
      acknowledgedByOldLeader: run.acknowledgedCount,
      lostAcknowledgedWrites: run.lost.length,
      newLeader: first('promoted') ? first('promoted')!.node : 'none',
      msToDetect: first('leader-failure-detected') ? first('leader-failure-detected')!.msAfterCrash : NaN,
      msToPromote: first('promoted') ? first('promoted')!.msAfterCrash : NaN,
      msToFirstRedirectedClient: first('client-redirected') ? first('client-redirected')!.msAfterCrash : NaN,
    };
  });
}

/**
 * Writes accepted per interval by each leader (and epoch), with empty intervals as 0 from
 * a leader's first write to its last: two lines at once is split brain.
 */
export function acceptedWritesPerInterval(cluster: LeaderFollowerCluster, intervalMs = 250): Array<{ timeMs: number; leader: string; writes: number }> {
  const byLeader = new Map<string, Map<number, number>>();
  for (const w of cluster.metrics.acceptedWrites) {
    const leader = `${w.leader} (epoch ${w.epoch})`;
    const buckets = byLeader.get(leader) ?? new Map<number, number>();
    const bucket = Math.floor(w.timeMs / intervalMs) * intervalMs;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    byLeader.set(leader, buckets);
  }
  const rows: Array<{ timeMs: number; leader: string; writes: number }> = [];
  for (const [leader, buckets] of byLeader) {
    const times = [...buckets.keys()];
    const first = Math.min(...times);
    const last = Math.max(...times);
    for (let t = first; t <= last; t += intervalMs) rows.push({ timeMs: t, leader, writes: buckets.get(t) ?? 0 });
  }
  return rows.sort((a, b) => a.timeMs - b.timeMs || (a.leader < b.leader ? -1 : 1));
}
