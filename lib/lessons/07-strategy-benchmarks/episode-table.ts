/**
 * The episode's performance table, as its README prints it, and which of our strategies
 * stands for each row. The episode never says how it measured these (no workload, no
 * placement, no percentile definition); notebook 07 measures each row on one placement.
 */
import type { StrategyId } from '../../bench';

export interface EpisodeClaim {
  pattern: string;
  throughputOpsPerSec: [number, number] | null;
  latencyMsP95: number | null;
  consistency: string;
}

export const EPISODE_TABLE: readonly EpisodeClaim[] = [
  { pattern: 'Master-Slave', throughputOpsPerSec: [1000, 5000], latencyMsP95: 50, consistency: 'Eventual' },
  { pattern: 'Master-Master', throughputOpsPerSec: [500, 2000], latencyMsP95: 100, consistency: 'Strong' },
  { pattern: 'Async Replication', throughputOpsPerSec: [2000, 10000], latencyMsP95: 25, consistency: 'Eventual' },
  { pattern: 'Sync Replication', throughputOpsPerSec: [200, 1000], latencyMsP95: 200, consistency: 'Strong' },
  { pattern: 'ACID Banking', throughputOpsPerSec: [100, 500], latencyMsP95: 500, consistency: 'ACID' },
];

/** A row of the measured table: a key-value strategy, or the banking engine on its transfer workload. */
export type BenchRowId = StrategyId | 'banking-sync' | 'banking-sync-serializable' | 'two-phase-commit';

/** Our strategy for each row (and the rows the episode does not have). */
export const ROW_OF_STRATEGY: Readonly<Record<BenchRowId, string>> = {
  'banking-sync': 'ACID Banking',
  'banking-sync-serializable': 'ACID Banking',
  'two-phase-commit': '(not in the episode)',
  'lf-async-follower-reads': 'Master-Slave',
  'lf-async-leader-reads': 'Async Replication',
  'lf-semi-sync': '(not in the episode)',
  'lf-sync-first-1': 'Sync Replication',
  'lf-sync-any-1': 'Sync Replication',
  'multi-leader-lww': 'Master-Master',
  'multi-leader-hlc': 'Master-Master',
  'multi-leader-siblings': 'Master-Master',
  'eventual-crdt': '(not in the episode)',
};

export function claimFor(pattern: string): EpisodeClaim | null {
  return EPISODE_TABLE.find((c) => c.pattern === pattern) ?? null;
}

export function formatClaim(claim: EpisodeClaim | null): { throughput: string; p95: string; consistency: string } {
  if (!claim) return { throughput: '—', p95: '—', consistency: '—' };
  const [lo, hi] = claim.throughputOpsPerSec ?? [0, 0];
  return {
    throughput: claim.throughputOpsPerSec ? `${lo.toLocaleString('en-IN')}–${hi.toLocaleString('en-IN')}` : '—',
    p95: claim.latencyMsP95 === null ? '—' : `${claim.latencyMsP95} ms`,
    consistency: claim.consistency,
  };
}
