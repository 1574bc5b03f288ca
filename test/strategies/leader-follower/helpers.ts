/** Shared set-up for the leader-follower scenario tests. */
import { NodeContext, Simulation } from '../../../lib/sim';
import { leaderFollower, LeaderFollowerCluster, LeaderFollowerOptions } from '../../../lib/strategies/leader-follower';
import { constantProfile, driveOpenLoop } from '../../../lib/workload';

export type Extras = Omit<LeaderFollowerOptions, 'sim' | 'leaderRegion' | 'followerRegions'>;

/** HDFC's cluster: the leader in Mumbai, followers in Delhi and Chennai. */
export function hdfc(seed: number, extras: Extras = {}): { sim: Simulation; cluster: LeaderFollowerCluster } {
  const sim = new Simulation({ seed });
  const cluster = leaderFollower({ sim, leaderRegion: 'mumbai', followerRegions: ['delhi', 'chennai'], ...extras });
  return { sim, cluster };
}

/** Steady writes from every client between startMs and endMs. */
export function steadyWrites(sim: Simulation, cluster: LeaderFollowerCluster, startMs: number, endMs: number, writesPerSec: number, readsPerSec = 0): void {
  driveOpenLoop({ sim, profile: constantProfile({ startMs, durationMs: endMs - startMs, writesPerSec, readsPerSec }), clients: cluster.clients, keys: { keyCount: 50 } });
}

/**
 * A bare node that talks the client protocol to one chosen replica, so a test can ask a
 * specific node (say, an old leader that came back) to take a write.
 */
export function probe(sim: Simulation, region = 'mumbai') {
  const replies: Array<{ from: string; timeMs: number; message: Record<string, unknown> }> = [];
  let ctx: NodeContext | null = null;
  sim.addNode({
    id: `probe-${region}`,
    region,
    create: (c) => {
      ctx = c;
      return { onMessage: (from: string, message: unknown) => replies.push({ from, timeMs: sim.nowMs(), message: message as Record<string, unknown> }) };
    },
  });
  let requestId = 1_000_000;
  return {
    replies,
    write(to: string, key: string, value: string): number {
      const id = requestId++;
      ctx!.send(to, { type: 'client-write', requestId: id, writeId: `probe#${id}`, op: { f: 'put', key, value } });
      return id;
    },
    read(to: string, key: string, leaderOnly = true): number {
      const id = requestId++;
      ctx!.send(to, { type: 'client-read', requestId: id, key, minLsn: 0, leaderOnly });
      return id;
    },
    replyTo(id: number) {
      return replies.find((r) => r.message.requestId === id);
    },
  };
}

/** The writes a replica's log holds, in order (markers left out). */
export function writeIdsOf(cluster: LeaderFollowerCluster, id: string): string[] {
  const node = cluster.replica(id).behaviour!;
  const ids: string[] = [];
  for (let lsn = 1; lsn <= node.log.lastLsn; lsn++) {
    const entry = node.log.entry(lsn)!;
    if (entry.writeId !== null) ids.push(entry.writeId);
  }
  return ids;
}
