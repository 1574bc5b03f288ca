/**
 * The leader lease, the "fencing" half of failover that needs no new hardware: a leader
 * may accept writes (and serve linearizable reads) only while a majority of the cluster
 * has acknowledged one of its heartbeats sent less than leaseMs ago. Followers refuse to
 * elect anybody until they have not heard from the leader for failureTimeoutMs, which is
 * longer than leaseMs, so an old leader's lease has always run out before a new leader
 * can exist.
 *
 * The lease is measured with timers only, never by comparing wall-clock readings: the
 * simulated clocks can jump (an NTP step), and a lease computed from a jumping clock is no
 * lease at all (real systems use the monotonic clock for this). Each heartbeat round arms a
 * timer of leaseMs when it is sent; the lease is valid while the newest round that a
 * majority acknowledged has not yet expired.
 */
export class LeaderLease {
  private nextRound = 1;
  private newestMajorityRound = 0;
  private newestExpiredRound = 0;
  private readonly acks = new Map<number, Set<string>>();

  constructor(
    private readonly selfId: string,
    private readonly clusterSize: number,
  ) {}

  /** Starts a heartbeat round; the caller must call expire(round) leaseMs later. */
  startRound(): number {
    const round = this.nextRound++;
    this.acks.set(round, new Set([this.selfId]));
    this.checkMajority(round);
    return round;
  }

  acknowledge(round: number, from: string): void {
    const acks = this.acks.get(round);
    if (!acks) return; // already expired
    acks.add(from);
    this.checkMajority(round);
  }

  expire(round: number): void {
    this.acks.delete(round);
    // Stryker disable next-line EqualityOperator: >= assigns the value it already holds
    if (round > this.newestExpiredRound) this.newestExpiredRound = round;
  }

  get isValid(): boolean {
    return this.newestMajorityRound > this.newestExpiredRound;
  }

  /** The newest round sent so far (used to judge whether a follower is still connected). */
  get currentRound(): number {
    return this.nextRound - 1;
  }

  private checkMajority(round: number): void {
    const acks = this.acks.get(round);
    // Stryker disable next-line EqualityOperator: round >= newestMajorityRound assigns the value it already holds
    if (acks && acks.size >= majorityOf(this.clusterSize) && round > this.newestMajorityRound) this.newestMajorityRound = round;
  }
}

/** More than half: 2 of 3, 3 of 5. */
export function majorityOf(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
}
