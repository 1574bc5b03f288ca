/**
 * Notebook 01's scenario: HDFC Bank's cluster of the episode — the leader in Mumbai, followers
 * in Delhi and Chennai, application servers (clients) in all three cities — its link and replay
 * speeds and its lag objectives. Every experiment of the lesson builds its cluster here.
 */
import { Simulation } from '../../sim';
import { leaderFollower, LeaderFollowerCluster, LeaderFollowerOptions } from '../../strategies/leader-follower';
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

export type ClusterExtras = Omit<LeaderFollowerOptions, 'sim' | 'leaderRegion' | 'followerRegions'> & { followerRegions?: string[] };

/** The HDFC cluster of the episode (leader in Mumbai, followers in Delhi and Chennai) at the speeds above. */
export function hdfcCluster(sim: Simulation, extras: ClusterExtras): LeaderFollowerCluster {
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

/** A percentile of sorted values (lib/stats's definition), NaN when there are none. */
export function percentileOf(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : percentileOfSorted(sorted, p);
}
