/**
 * Notebook 01, section 3b: when does a synchronous standby set protect acknowledged writes?
 *
 * A leader that waits for k standbys (sync ANY k) before acknowledging has every acknowledged
 * write on k + 1 nodes. An election needs a majority of the n nodes. If k + 1 > n / 2, every
 * possible election majority contains at least one of those k + 1 nodes, and the "most
 * up-to-date log wins" rule then elects a node that has the write. If k + 1 <= n / 2, a
 * majority can be formed entirely from nodes that never saw the write, and a failover can
 * throw it away. This sweep runs random fault schedules against clusters of several sizes and
 * counts the runs that lose an acknowledged write, with the checker's verdict on each history.
 */
import { checkLinearizable } from '../../check';
import { FaultSpec, Rng, Simulation, randomFaultSchedule, scheduleFaults } from '../../sim';
import { AckOption, leaderFollower } from '../../strategies/leader-follower';
import { driveClosedLoop, randomMix } from '../../workload';
import { OptionError } from '../../util';

/** Follower regions by cluster size; the leader is always in Mumbai. */
const FOLLOWERS_BY_CLUSTER_SIZE: Record<number, string[]> = {
  3: ['delhi', 'chennai'],
  5: ['delhi', 'chennai', 'kolkata', 'hyderabad'],
  7: ['delhi', 'chennai', 'kolkata', 'hyderabad', 'bangalore', 'pune'],
};

export interface SyncSetCase {
  /** Nodes in the cluster, leader included: 3, 5 or 7. */
  clusterSize: number;
  /** sync ANY k: the leader waits for k standbys to flush before acknowledging. */
  syncCount: number;
}

export interface SyncSetSweepOptions {
  cases: SyncSetCase[];
  /** Seeds firstSeed .. firstSeed + seedCount - 1, one random fault schedule each. */
  firstSeed?: number;
  seedCount: number;
  /** Random faults per run (crashes, partitions, clock jumps, slow disks and links). */
  faultsPerRun?: number;
  /** Also ask the linearizability checker about every history (slower). */
  checkHistories?: boolean;
}

export interface SyncSetRun {
  clusterSize: number;
  syncCount: number;
  seed: number;
  lostAcknowledgedWrites: number;
  failedOver: boolean;
  /** 'linearizable' | 'not linearizable' | 'unknown' | 'not checked' */
  verdict: string;
  faults: FaultSpec[];
}

export interface SyncSetRow {
  clusterSize: number;
  syncRule: string;
  /** k + 1 > n / 2: the leader plus its k standbys meet every election majority. */
  meetsEveryMajority: boolean;
  runs: number;
  runsWithFailover: number;
  runsLosingAcknowledgedWrites: number;
  acknowledgedWritesLost: number;
  runsCheckerRejects: number | string;
}

/**
 * One run, as in test/strategies/leader-follower/seed-sweep.test.ts: clients in every
 * region write and read three keys for 1.8 s while random faults hit the replicas between
 * 0.1 s and 1.6 s; the run goes on to 3.5 s so the cluster can recover.
 */
export function runSyncSetCase(testCase: SyncSetCase, seed: number, faultsPerRun = 6, checkHistory = false): SyncSetRun {
  const followerRegions = FOLLOWERS_BY_CLUSTER_SIZE[testCase.clusterSize];
  if (!followerRegions) {
    throw new OptionError(`runSyncSetCase clusterSize: got ${testCase.clusterSize}; allowed: ${Object.keys(FOLLOWERS_BY_CLUSTER_SIZE).join(', ')}`);
  }
  if (!Number.isInteger(testCase.syncCount) || testCase.syncCount < 1 || testCase.syncCount > followerRegions.length) {
    throw new OptionError(`runSyncSetCase syncCount: got ${testCase.syncCount}; allowed: an integer from 1 to ${followerRegions.length}`);
  }
  const sim = new Simulation({ seed });
  const ack: AckOption = { mode: 'sync', rule: 'ANY', count: testCase.syncCount };
  const cluster = leaderFollower({
    sim, leaderRegion: 'mumbai', followerRegions, ack, reads: 'leader',
    heartbeatMs: 20, failureTimeoutMs: 200, requestTimeoutMs: 300, maxAttempts: 3,
  });
  driveClosedLoop({ sim, clients: cluster.clients, startMs: 50, endMs: 1800, thinkTimeMs: 15, nextOperation: randomMix({ keys: { keyCount: 3 }, readShare: 0.5 }) });
  const faults = randomFaultSchedule(new Rng(seed * 31 + 7), { nodes: cluster.replicaIds, startMs: 100, endMs: 1600, count: faultsPerRun });
  scheduleFaults(sim, faults);
  sim.run(3500);
  const lost = cluster.lostWrites();
  const verdict = checkHistory ? checkLinearizable(cluster.history(), { timeoutMs: 10_000 }).verdict : 'not checked';
  return {
    clusterSize: testCase.clusterSize, syncCount: testCase.syncCount, seed,
    lostAcknowledgedWrites: lost.length, failedOver: cluster.roles().some((r) => r.epoch > 1), verdict, faults,
  };
}

/** Every case over the same seeds; one summary row per case. */
export function syncSetSweep(options: SyncSetSweepOptions): { rows: SyncSetRow[]; runs: SyncSetRun[] } {
  const firstSeed = options.firstSeed ?? 1;
  if (!Number.isInteger(options.seedCount) || options.seedCount < 1 || options.seedCount > 2000) {
    throw new OptionError(`syncSetSweep seedCount: got ${options.seedCount}; allowed: an integer from 1 to 2000`);
  }
  const runs: SyncSetRun[] = [];
  const rows = options.cases.map((testCase) => {
    const caseRuns: SyncSetRun[] = [];
    for (let seed = firstSeed; seed < firstSeed + options.seedCount; seed++) {
      caseRuns.push(runSyncSetCase(testCase, seed, options.faultsPerRun ?? 6, options.checkHistories ?? false));
    }
    runs.push(...caseRuns);
    return {
      clusterSize: testCase.clusterSize,
      syncRule: `ANY ${testCase.syncCount}`,
      meetsEveryMajority: testCase.syncCount + 1 > testCase.clusterSize / 2,
      runs: caseRuns.length,
      runsWithFailover: caseRuns.filter((r) => r.failedOver).length,
      runsLosingAcknowledgedWrites: caseRuns.filter((r) => r.lostAcknowledgedWrites > 0).length,
      acknowledgedWritesLost: caseRuns.reduce((sum, r) => sum + r.lostAcknowledgedWrites, 0),
      runsCheckerRejects: options.checkHistories ? caseRuns.filter((r) => r.verdict === 'not linearizable').length : 'not checked',
    };
  });
  return { rows, runs };
}
