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

// Mutation testing (npm run test:mutation -- leader-lease) showed these properties unchecked.
describe('LeaderLease: rounds that complete or expire out of order', () => {
  it('an older round expiring after a newer one does not bring the lease back', () => {
    const lease = new LeaderLease('mumbai', 3);
    const r1 = lease.startRound();
    const r2 = lease.startRound();
    lease.acknowledge(r1, 'delhi');
    lease.acknowledge(r2, 'delhi');
    lease.expire(r2);
    expect(lease.isValid).toBe(false);
    lease.expire(r1);
    expect(lease.isValid).toBe(false);
  });

  it('a late majority for an older round does not shorten the lease a newer round gave', () => {
    const lease = new LeaderLease('mumbai', 3);
    const r1 = lease.startRound();
    const r2 = lease.startRound();
    lease.acknowledge(r2, 'chennai');
    lease.acknowledge(r1, 'delhi'); // arrives late
    lease.expire(r1);
    expect(lease.isValid).toBe(true); // r2 still runs
    lease.expire(r2);
    expect(lease.isValid).toBe(false);
  });

  it('an acknowledgement for an expired round is ignored; currentRound counts the rounds sent', () => {
    const lease = new LeaderLease('mumbai', 3);
    expect(lease.currentRound).toBe(0);
    const r1 = lease.startRound();
    lease.expire(r1);
    lease.acknowledge(r1, 'delhi');
    expect(lease.isValid).toBe(false);
    lease.startRound();
    expect(lease.currentRound).toBe(2);
  });

  it('a single-node cluster holds the lease on its own round', () => {
    const lease = new LeaderLease('mumbai', 1);
    const r1 = lease.startRound();
    expect(lease.isValid).toBe(true);
    lease.expire(r1);
    expect(lease.isValid).toBe(false);
  });
});
