/**
 * Where a read goes. Followers exist to take reads off the leader, but a follower is
 * behind the leader by its replication lag, so every routing rule is a choice of which
 * staleness to accept:
 *
 * - 'leader': every read goes to the leader (with a valid lease): linearizable, no scaling.
 * - 'nearest': the nearest follower, whatever its lag: fastest, may be arbitrarily stale,
 *   and a user may not see the write they just made.
 * - 'bounded-staleness': the nearest follower whose replay lag (as last reported by the
 *   leader's pg_stat_replication) is at most maxStalenessMs, else the leader — how
 *   ProxySQL's max_replication_lag or MongoDB's maxStalenessSeconds route.
 * - 'read-your-writes': the nearest follower, but it must have replayed the LSN of this
 *   session's last write (the session token); otherwise it waits a little or the read
 *   goes to the leader.
 * - 'monotonic-reads': as above with the LSN of the newest state this session has read,
 *   so a session never sees time go backwards when it switches replicas.
 */
import { OptionError } from '../../sim';

export type ReadRouting =
  | { mode: 'leader' }
  | { mode: 'nearest' }
  | { mode: 'read-your-writes' }
  | { mode: 'monotonic-reads' }
  | { mode: 'bounded-staleness'; maxStalenessMs: number };

export const READ_MODES = ['leader', 'nearest', 'bounded-staleness', 'read-your-writes', 'monotonic-reads'] as const;

/** What a session remembers between operations: the newest LSNs it wrote and read. */
export interface SessionToken {
  lastWriteLsn: number;
  lastReadLsn: number;
}

export interface RoutingInput {
  routing: ReadRouting;
  leaderId: string | null;
  /** Every replica, nearest to the client first. */
  replicasByDistance: readonly string[];
  session: SessionToken;
  /** Replay lag per follower from the last status poll, and how old that poll is. */
  status: { replayLagMsById: Readonly<Record<string, number>>; ageMs: number } | null;
  /** Replicas that timed out during this operation. */
  avoid: ReadonlySet<string>;
  /** A follower said it is behind the session: ask the leader. */
  forceLeader: boolean;
}

export interface RoutingDecision {
  /** null: no leader known; the client asks some replica and gets redirected. */
  target: string | null;
  minLsn: number;
  leaderOnly: boolean;
  reason: string;
}

export function chooseReadTarget(input: RoutingInput): RoutingDecision {
  const { routing, leaderId, session } = input;
  const toLeader = (reason: string, minLsn = 0): RoutingDecision => ({ target: leaderId, minLsn, leaderOnly: true, reason });
  if (routing.mode === 'leader') return toLeader('reads go to the leader');
  const minLsn = routing.mode === 'read-your-writes' ? session.lastWriteLsn : routing.mode === 'monotonic-reads' ? session.lastReadLsn : 0;
  if (input.forceLeader) return toLeader('the follower was behind this session', minLsn);
  const followers = input.replicasByDistance.filter((id) => id !== leaderId && !input.avoid.has(id));
  if (routing.mode === 'bounded-staleness') {
    const status = input.status;
    if (status === null || status.ageMs > routing.maxStalenessMs) return toLeader('no fresh lag report');
    for (const id of followers) {
      const lag = status.replayLagMsById[id];
      if (lag !== undefined && lag <= routing.maxStalenessMs) {
        return { target: id, minLsn: 0, leaderOnly: false, reason: `replay lag ${lag.toFixed(0)} ms ≤ ${routing.maxStalenessMs} ms` };
      }
    }
    return toLeader(`every follower lags more than ${routing.maxStalenessMs} ms`);
  }
  if (followers.length === 0) return toLeader('no follower available', minLsn);
  return { target: followers[0], minLsn, leaderOnly: false, reason: 'nearest follower' };
}

/** Turns the builder's `reads` option into a ReadRouting, with a precise error for typos. */
export function parseReadRouting(value: unknown): ReadRouting {
  if (typeof value === 'string') {
    if (value === 'bounded-staleness') {
      throw new OptionError(`reads: got "bounded-staleness" without a bound; allowed: { mode: 'bounded-staleness', maxStalenessMs: number }`);
    }
    if ((READ_MODES as readonly string[]).includes(value)) return { mode: value } as ReadRouting;
  }
  if (typeof value === 'object' && value !== null && (value as { mode?: unknown }).mode === 'bounded-staleness') {
    const keys = Object.keys(value);
    for (const key of keys) {
      if (key !== 'mode' && key !== 'maxStalenessMs') throw new OptionError(`reads: unknown option ${JSON.stringify(key)}; allowed: mode, maxStalenessMs`);
    }
    const max = (value as { maxStalenessMs?: unknown }).maxStalenessMs;
    if (typeof max !== 'number' || !Number.isFinite(max) || max < 0) {
      throw new OptionError(`reads.maxStalenessMs: got ${JSON.stringify(max)}; allowed: a number of ms ≥ 0`);
    }
    return { mode: 'bounded-staleness', maxStalenessMs: max };
  }
  throw new OptionError(
    `reads: got ${JSON.stringify(value)}; allowed: 'leader' | 'nearest' | 'read-your-writes' | 'monotonic-reads' | { mode: 'bounded-staleness', maxStalenessMs }`,
  );
}

export function describeReadRouting(routing: ReadRouting): string {
  return routing.mode === 'bounded-staleness' ? `bounded-staleness ≤ ${routing.maxStalenessMs} ms` : routing.mode;
}
