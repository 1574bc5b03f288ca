// Proves the vote rules: no vote while the leader is heard, one vote per epoch, and never for a candidate whose log is behind the voter's.
import { describe, expect, it } from 'vitest';
import { decidePreVote, decideVote, VoterState } from '../../../lib/strategies/leader-follower';

const voter = (over: Partial<VoterState> = {}): VoterState => ({ epoch: 3, votedFor: null, hearsFromLeader: false, log: { lastEpoch: 3, lastLsn: 50 }, ...over });
const candidate = { candidateId: 'chennai', epoch: 4, lastEpoch: 3, lastLsn: 50 };

describe('pre-vote', () => {
  it('says yes to an up-to-date candidate for a newer epoch when the leader is silent', () => {
    expect(decidePreVote(voter(), candidate).granted).toBe(true);
  });

  it('says no while this node still hears from the leader (a healthy leader is never disturbed)', () => {
    const d = decidePreVote(voter({ hearsFromLeader: true }), candidate);
    expect(d.granted).toBe(false);
    expect(d.reason).toMatch(/still hear/);
  });

  it('says no to a candidate behind it, and tells the voter to stand itself', () => {
    const d = decidePreVote(voter({ log: { lastEpoch: 3, lastLsn: 60 } }), candidate);
    expect(d.granted).toBe(false);
    expect(d.voterIsAhead).toBe(true);
  });
});

describe('vote', () => {
  it('grants one vote per epoch and adopts the newer epoch', () => {
    const d = decideVote(voter(), candidate);
    expect(d).toMatchObject({ granted: true, adoptEpoch: true });
    expect(decideVote(voter({ epoch: 4, votedFor: 'delhi' }), candidate).granted).toBe(false);
    expect(decideVote(voter({ epoch: 4, votedFor: 'chennai' }), candidate).granted).toBe(true);
  });

  it('refuses an older epoch and a candidate whose log is behind', () => {
    expect(decideVote(voter({ epoch: 5 }), candidate).granted).toBe(false);
    const behind = decideVote(voter({ log: { lastEpoch: 4, lastLsn: 10 } }), candidate);
    expect(behind.granted).toBe(false);
    expect(behind.adoptEpoch).toBe(true);
  });
});

// Mutation testing (npm run test:mutation -- election) showed these properties unchecked.
describe('elections never disturb a leader that is still heard, and pre-votes need a newer epoch', () => {
  it('a voter that still hears from the leader refuses even a real vote for a newer epoch (no disruptive elections)', () => {
    const d = decideVote(voter({ hearsFromLeader: true }), candidate);
    expect(d).toMatchObject({ granted: false, adoptEpoch: false, voterIsAhead: false });
    expect(d.reason).toMatch(/still hear/);
  });

  it('pre-vote at an epoch equal to the voter’s is refused; one newer is granted', () => {
    const equal = decidePreVote(voter({ epoch: 4 }), candidate);
    expect(equal).toMatchObject({ granted: false, adoptEpoch: false, voterIsAhead: false });
    expect(equal.reason).toMatch(/not newer/);
    expect(decidePreVote(voter({ epoch: 5 }), candidate).granted).toBe(false);
    expect(decidePreVote(voter({ epoch: 3 }), candidate)).toEqual({ granted: true, reason: 'yes', adoptEpoch: false, voterIsAhead: false });
  });

  it('a pre-vote never moves the voter’s epoch, even when refused for a log behind it', () => {
    const d = decidePreVote(voter({ log: { lastEpoch: 4, lastLsn: 1 } }), candidate);
    expect(d).toMatchObject({ granted: false, adoptEpoch: false, voterIsAhead: true });
  });

  it('a vote at the voter’s own epoch keeps the epoch and honours the vote already cast', () => {
    expect(decideVote(voter({ epoch: 4 }), candidate)).toEqual({ granted: true, reason: 'yes', adoptEpoch: false, voterIsAhead: false });
    const other = decideVote(voter({ epoch: 4, votedFor: 'delhi' }), candidate);
    expect(other).toMatchObject({ granted: false, adoptEpoch: false, voterIsAhead: false });
    expect(other.reason).toMatch(/already voted for delhi/);
    // A newer epoch forgets the old vote.
    expect(decideVote(voter({ epoch: 3, votedFor: 'delhi' }), candidate)).toMatchObject({ granted: true, adoptEpoch: true });
  });

  it('an older epoch is refused without adopting anything; a voter whose log is ahead is told to stand', () => {
    expect(decideVote(voter({ epoch: 5 }), candidate)).toMatchObject({ granted: false, adoptEpoch: false, voterIsAhead: false });
    const ahead = decideVote(voter({ epoch: 4, log: { lastEpoch: 3, lastLsn: 51 } }), candidate);
    expect(ahead).toMatchObject({ granted: false, adoptEpoch: false, voterIsAhead: true });
  });

  it('the log comparison: a higher last epoch wins over a longer log', () => {
    expect(decideVote(voter({ log: { lastEpoch: 2, lastLsn: 500 } }), candidate).granted).toBe(true);
    expect(decidePreVote(voter({ log: { lastEpoch: 2, lastLsn: 500 } }), candidate).granted).toBe(true);
  });
});
