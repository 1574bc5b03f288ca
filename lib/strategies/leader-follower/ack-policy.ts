/**
 * When may a leader tell a client "your write is committed"? That is the acknowledgement
 * policy, and it is the whole trade-off between latency and losing writes in a failover:
 *
 * - 'async' (PostgreSQL synchronous_commit = local, MySQL's default): as soon as the
 *   leader's own disk has it. Fast; a leader that dies takes its unreplicated tail with it.
 * - 'semi-sync' (MySQL semi-synchronous replication): once at least one follower has
 *   received and written it. If no follower answers within semiSyncTimeoutMs the leader
 *   falls back to async, as MySQL does (rpl_semi_sync_master_timeout).
 * - 'sync' (PostgreSQL synchronous_standby_names): FIRST k (s1, s2, ...) waits for the k
 *   highest-priority connected standbys; ANY k (s1, s2, ...) waits for any k of them (quorum
 *   commit). waitFor picks which position counts: 'write' (remote_write), 'flush' (on) or
 *   'apply' (remote_apply, which also makes the write visible to reads on that standby).
 *
 * The standby list is read by whichever node leads, and a leader never waits on itself: after
 * a failover to Delhi, FIRST 1 (delhi, chennai) means Chennai. A list that names only the
 * new leader leaves nothing to wait on, and writes then wait forever, as they would on a
 * PostgreSQL primary whose synchronous_standby_names names only itself; list every standby
 * so the setting still works after a failover.
 *
 * The functions here are pure: positions in, highest committable LSN out.
 */

export type WaitFor = 'write' | 'flush' | 'apply';

export interface SyncAck {
  mode: 'sync';
  rule: 'FIRST' | 'ANY';
  count: number;
  /** Standby node ids in priority order; null means every other node. */
  standbys: string[] | null;
  waitFor: WaitFor;
}

export type AckPolicy = { mode: 'async' } | { mode: 'semi-sync' } | SyncAck;

/** What the leader knows about one follower. */
export interface StandbyPosition {
  id: string;
  /** Attached in this epoch and heard from within the failure timeout. */
  connected: boolean;
  writeLsn: number;
  flushLsn: number;
  replayLsn: number;
}

function positionOf(standby: StandbyPosition, waitFor: WaitFor): number {
  return waitFor === 'write' ? standby.writeLsn : waitFor === 'flush' ? standby.flushLsn : standby.replayLsn;
}

/** The standbys a sync leader may wait on: the configured list in priority order, never itself. */
export function candidateStandbys(policy: SyncAck, leaderId: string, followers: readonly StandbyPosition[]): StandbyPosition[] {
  if (policy.standbys === null) return followers.filter((f) => f.id !== leaderId);
  const byId = new Map(followers.map((f) => [f.id, f]));
  const result: StandbyPosition[] = [];
  for (const id of policy.standbys) {
    const standby = byId.get(id);
    if (id !== leaderId && standby) result.push(standby);
  }
  return result;
}

/**
 * The standbys a FIRST k leader waits on right now: the first k connected ones in
 * priority order (pg_stat_replication shows them as sync_state = 'sync'). For ANY k, every
 * candidate counts (sync_state = 'quorum').
 */
export function syncStandbyIds(policy: SyncAck, leaderId: string, followers: readonly StandbyPosition[]): string[] {
  const candidates = candidateStandbys(policy, leaderId, followers);
  if (policy.rule === 'ANY') return candidates.map((c) => c.id);
  return candidates.filter((c) => c.connected).slice(0, policy.count).map((c) => c.id);
}

/**
 * The highest LSN the policy lets the leader acknowledge, given its own flushed LSN and the
 * followers' positions. -1 means "nothing can be acknowledged now" (a sync leader without
 * enough standbys waits, as PostgreSQL does, rather than silently going async).
 */
export function committableLsn(
  policy: AckPolicy,
  leaderId: string,
  leaderFlushLsn: number,
  followers: readonly StandbyPosition[],
  semiSyncFallenBack: boolean,
): number {
  switch (policy.mode) {
    case 'async':
      return leaderFlushLsn;
    case 'semi-sync': {
      if (semiSyncFallenBack) return leaderFlushLsn;
      let best = -1;
      // Stryker disable next-line EqualityOperator: >= instead of > keeps the same maximum
      for (const f of followers) if (f.id !== leaderId && f.writeLsn > best) best = f.writeLsn;
      // Stryker disable next-line EqualityOperator,ConditionalExpression: a best of 0 acknowledges LSN 0, i.e. nothing, the same as -1 (LSNs start at 1); with best -1, Math.min(leaderFlushLsn >= 0, -1) is -1 anyway
      return best < 0 ? -1 : Math.min(leaderFlushLsn, best);
    }
    case 'sync': {
      const candidates = candidateStandbys(policy, leaderId, followers);
      if (policy.rule === 'FIRST') {
        const chosen = candidates.filter((c) => c.connected).slice(0, policy.count);
        if (chosen.length < policy.count) return -1;
        let lowest = leaderFlushLsn;
        for (const c of chosen) lowest = Math.min(lowest, positionOf(c, policy.waitFor));
        return lowest;
      }
      if (candidates.length < policy.count) return -1;
      const positions = candidates.map((c) => positionOf(c, policy.waitFor)).sort((a, b) => b - a);
      return Math.min(leaderFlushLsn, positions[policy.count - 1]);
    }
  }
}

/** "ANY 1 (delhi, chennai) waiting for flush", the way a learner would say it. */
export function describeAckPolicy(policy: AckPolicy): string {
  if (policy.mode !== 'sync') return policy.mode;
  const names = policy.standbys === null ? '*' : policy.standbys.join(', ');
  return `sync ${policy.rule} ${policy.count} (${names}) waiting for ${policy.waitFor}`;
}
