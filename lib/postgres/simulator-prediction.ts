import { OptionError, Simulation, checkNumber } from '../sim';
import { AckOption, leaderFollower } from '../strategies/leader-follower';
import { constantProfile, driveOpenLoop } from '../workload';
import { SynchronousCommit } from './local-cluster';
import { percentileOfSorted } from '../stats';

/**
 * What the simulator predicts for the commit latency that notebook 11 measures on real
 * PostgreSQL. The simulated leader–follower cluster has the same acknowledgement rules:
 *   local        ↔ async (acknowledged after the leader's own fsync)
 *   remote_write ↔ sync, waiting for the standby's write
 *   on           ↔ sync, waiting for the standby's flush (fsync)
 *   remote_apply ↔ sync, waiting for the standby's replay
 * ("off", which does not even wait for the local fsync, has no counterpart.) Calibrate the
 * simulated fsync with the measured "local" latency, then the other levels are predictions,
 * for a standby next to the leader (as on loopback) or in another region.
 */
export interface CommitPredictionRow {
  level: SynchronousCommit;
  standbyRegion: string;
  commitCount: number;
  latencyMsP50: number;
  latencyMsP99: number;
}

const ACK_FOR_LEVEL: Partial<Record<SynchronousCommit, AckOption>> = {
  local: 'async',
  remote_write: { mode: 'sync', rule: 'FIRST', count: 1, waitFor: 'write' },
  on: { mode: 'sync', rule: 'FIRST', count: 1, waitFor: 'flush' },
  remote_apply: { mode: 'sync', rule: 'FIRST', count: 1, waitFor: 'apply' },
};

const nearestRank = percentileOfSorted;

export function predictCommitLatency(options: {
  seed: number;
  /** Where the leader is. Default 'mumbai'. */
  leaderRegion?: string;
  /** Where the (synchronous) standby is; the leader's own region means "next to it". */
  standbyRegion: string;
  levels?: SynchronousCommit[];
  /** Simulated fsync time, ms: calibrate it with the measured "local" commit latency. Default 1. */
  fsyncMs?: number;
  /** Commits per level (one client, one at a time, a few ms apart). Default 200. */
  commitsPerLevel?: number;
}): CommitPredictionRow[] {
  const leaderRegion = options.leaderRegion ?? 'mumbai';
  const levels = options.levels ?? (['local', 'remote_write', 'on', 'remote_apply'] as SynchronousCommit[]);
  const fsyncMs = checkNumber('fsyncMs', options.fsyncMs ?? 1, { min: 0, max: 10_000 });
  const commits = checkNumber('commitsPerLevel', options.commitsPerLevel ?? 200, { integer: true, min: 1, max: 100_000 });
  return levels.map((level, i) => {
    const ack = ACK_FOR_LEVEL[level];
    if (!ack) throw new OptionError(`levels[${i}]: got ${JSON.stringify(level)}; allowed: local | remote_write | on | remote_apply (the simulator has no "off")`);
    const sim = new Simulation({ seed: options.seed });
    const cluster = leaderFollower({ sim, leaderRegion, followerRegions: [options.standbyRegion], clientRegions: [leaderRegion], sessionsPerClient: 16, ack, fsyncMs, recordHistory: false });
    // A light, steady load: each commit is measured alone, not behind a queue.
    const gapMs = Math.max(5, fsyncMs * 4);
    const profile = constantProfile({ startMs: 100, durationMs: commits * gapMs, writesPerSec: 1000 / gapMs, readsPerSec: 0 });
    driveOpenLoop({ sim, profile, clients: cluster.clients, keys: { keyCount: 100 } });
    sim.run(profile.endMs + 2000);
    const latencies = cluster.metrics.writeLatencies().map((w) => w.latencyMs).sort((a, b) => a - b);
    if (latencies.length === 0) throw new Error(`predictCommitLatency: no commit finished at level ${level}; ${sim.describe()}`);
    return { level, standbyRegion: options.standbyRegion, commitCount: latencies.length, latencyMsP50: nearestRank(latencies, 50), latencyMsP99: nearestRank(latencies, 99) };
  });
}
