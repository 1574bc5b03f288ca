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
