/** Notebook 01, section 5: split brain — two leaders at once, with and without fencing. */
import { Simulation, checkKnownKeys } from '../../sim';
import { driveClosedLoop, writeThenRead } from '../../workload';
import { LeaderFollowerCluster, LeaderWindow, LostWrite, AckOption } from '../../strategies/leader-follower';
import { hdfcCluster } from './scenario';
import { HistoryRun } from './stale-reads';

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
