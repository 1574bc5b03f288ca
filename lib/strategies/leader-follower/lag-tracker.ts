/**
 * Replication lag in milliseconds, measured the way PostgreSQL's walsender does it for
 * pg_stat_replication (write_lag, flush_lag, replay_lag): the leader remembers when it
 * flushed each LSN, and when a follower reports a position it subtracts. Everything is
 * read on the leader's clock, so no two clocks are ever compared.
 *
 * The leader records one point per local fsync (group commit), so the buffer grows with
 * the number of fsyncs, not of writes. Points every follower has replayed are pruned; if a
 * follower stays away so long that the buffer reaches its limit, the oldest points are
 * dropped and that follower's lag reads lower than it is (PostgreSQL's LagTracker has the
 * same fixed-size compromise). That is a measurement limit, not a correctness one.
 */

export type PositionKind = 'write' | 'flush' | 'replay';

interface FollowerLag {
  position: Record<PositionKind, number>;
  lastLagMs: Record<PositionKind, number>;
}

export class LagTracker {
  private lsns: number[] = [];
  private timesMs: number[] = [];
  private readonly followers = new Map<string, FollowerLag>();

  constructor(private readonly maxPoints = 100_000) {}

  /** The leader's fsync made everything up to lsn durable at local time timeMs. */
  recordFlush(lsn: number, timeMs: number): void {
    if (this.lsns.length > 0 && lsn <= this.lsns[this.lsns.length - 1]) return;
    if (this.lsns.length >= this.maxPoints) {
      const keep = Math.floor(this.maxPoints / 2);
      this.lsns = this.lsns.slice(-keep);
      this.timesMs = this.timesMs.slice(-keep);
    }
    this.lsns.push(lsn);
    this.timesMs.push(timeMs);
  }

  /** A follower reported its positions at local time nowMs. */
  report(followerId: string, write: number, flush: number, replay: number, nowMs: number): void {
    const f = this.follower(followerId);
    const next: Record<PositionKind, number> = { write, flush, replay };
    for (const kind of ['write', 'flush', 'replay'] as const) {
      const before = f.position[kind];
      const now = next[kind];
      f.position[kind] = now;
      if (now <= before) continue;
      // The newest flush point the follower has now passed, and only if it is a new one.
      const index = this.lastPointAtOrBelow(now);
      if (index >= 0 && this.lsns[index] > before) f.lastLagMs[kind] = Math.max(0, nowMs - this.timesMs[index]);
    }
    this.prune();
  }

  /** A follower starts over (attached again, maybe after truncating its log). */
  reset(followerId: string, lsn: number): void {
    this.followers.set(followerId, {
      position: { write: lsn, flush: lsn, replay: lsn },
      lastLagMs: { write: 0, flush: 0, replay: 0 },
    });
  }

  /**
   * The lag of one position as of nowMs: if the follower is behind the leader's flushed
   * LSN, the age of the oldest flushed entry it has not reached (it keeps growing while the
   * follower is stuck); if it has caught up, the lag measured when it got there.
   */
  lagMs(followerId: string, kind: PositionKind, leaderFlushLsn: number, nowMs: number): number {
    const f = this.follower(followerId);
    const position = f.position[kind];
    if (position >= leaderFlushLsn) return f.lastLagMs[kind];
    const index = this.firstPointAbove(position);
    if (index < 0) return f.lastLagMs[kind];
    return Math.max(f.lastLagMs[kind], nowMs - this.timesMs[index]);
  }

  private follower(id: string): FollowerLag {
    let f = this.followers.get(id);
    if (!f) {
      f = { position: { write: 0, flush: 0, replay: 0 }, lastLagMs: { write: 0, flush: 0, replay: 0 } };
      this.followers.set(id, f);
    }
    return f;
  }

  private lastPointAtOrBelow(lsn: number): number {
    let lo = 0;
    let hi = this.lsns.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.lsns[mid] <= lsn) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private firstPointAbove(lsn: number): number {
    const index = this.lastPointAtOrBelow(lsn) + 1;
    return index < this.lsns.length ? index : -1;
  }

  /** Drops points every follower has replayed, keeping the newest one for measuring. */
  private prune(): void {
    if (this.lsns.length < 1024) return;
    let slowest = Infinity;
    for (const f of this.followers.values()) slowest = Math.min(slowest, f.position.replay);
    const index = this.lastPointAtOrBelow(slowest);
    if (index > 512) {
      this.lsns = this.lsns.slice(index);
      this.timesMs = this.timesMs.slice(index);
    }
  }
}
