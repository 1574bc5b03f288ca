// Proves the leader lease is valid exactly while a majority has acknowledged a heartbeat round that has not yet expired.
import { describe, expect, it } from 'vitest';
import { LeaderLease, majorityOf } from '../../../lib/strategies/leader-follower';

describe('LeaderLease', () => {
  it('needs a majority of the cluster, the leader counting itself', () => {
    expect(majorityOf(3)).toBe(2);
    expect(majorityOf(4)).toBe(3);
    const lease = new LeaderLease('mumbai', 3);
    const round = lease.startRound();
    expect(lease.isValid).toBe(false);
    lease.acknowledge(round, 'delhi');
    expect(lease.isValid).toBe(true);
  });

  it('runs out when the acknowledged round expires and no newer round got a majority', () => {
    const lease = new LeaderLease('mumbai', 3);
    const r1 = lease.startRound();
    lease.acknowledge(r1, 'chennai');
    const r2 = lease.startRound(); // nobody answers this one: the leader is cut off
    lease.expire(r1);
    expect(lease.isValid).toBe(false);
    lease.acknowledge(r2, 'delhi'); // a late answer to a round still running renews it
    expect(lease.isValid).toBe(true);
    lease.expire(r2);
    expect(lease.isValid).toBe(false);
  });

  it('ignores acknowledgements of expired rounds', () => {
    const lease = new LeaderLease('mumbai', 3);
    const r1 = lease.startRound();
    lease.expire(r1);
    lease.acknowledge(r1, 'delhi');
    expect(lease.isValid).toBe(false);
  });
});
