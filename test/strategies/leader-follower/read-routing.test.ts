// Proves each read-routing rule picks the replica it promises, and that the session token decides when a follower is good enough.
import { describe, expect, it } from 'vitest';
import { chooseReadTarget, parseReadRouting, RoutingInput } from '../../../lib/strategies/leader-follower';
import { OptionError } from '../../../lib/sim';

const input = (over: Partial<RoutingInput>): RoutingInput => ({
  routing: { mode: 'nearest' },
  leaderId: 'mumbai',
  replicasByDistance: ['mumbai', 'chennai', 'delhi'],
  session: { lastWriteLsn: 40, lastReadLsn: 30 },
  status: null,
  avoid: new Set(),
  forceLeader: false,
  ...over,
});

describe('chooseReadTarget', () => {
  it('leader: always the leader, leader-only', () => {
    expect(chooseReadTarget(input({ routing: { mode: 'leader' } }))).toMatchObject({ target: 'mumbai', leaderOnly: true });
  });

  it('nearest: the nearest follower (never the leader), any staleness', () => {
    expect(chooseReadTarget(input({}))).toMatchObject({ target: 'chennai', minLsn: 0, leaderOnly: false });
    expect(chooseReadTarget(input({ avoid: new Set(['chennai']) }))).toMatchObject({ target: 'delhi' });
  });

  it('read-your-writes and monotonic-reads carry the session LSN to the follower', () => {
    expect(chooseReadTarget(input({ routing: { mode: 'read-your-writes' } }))).toMatchObject({ target: 'chennai', minLsn: 40 });
    expect(chooseReadTarget(input({ routing: { mode: 'monotonic-reads' } }))).toMatchObject({ target: 'chennai', minLsn: 30 });
    expect(chooseReadTarget(input({ routing: { mode: 'read-your-writes' }, forceLeader: true }))).toMatchObject({ target: 'mumbai', leaderOnly: true });
  });

  it('bounded-staleness skips a follower lagging more than the bound, and uses the leader without a fresh report', () => {
    const routing = { mode: 'bounded-staleness' as const, maxStalenessMs: 100 };
    const status = { replayLagMsById: { chennai: 350, delhi: 40 }, ageMs: 20 };
    expect(chooseReadTarget(input({ routing, status }))).toMatchObject({ target: 'delhi', leaderOnly: false });
    expect(chooseReadTarget(input({ routing, status: { ...status, ageMs: 500 } }))).toMatchObject({ target: 'mumbai', leaderOnly: true });
    expect(chooseReadTarget(input({ routing, status: { replayLagMsById: { chennai: 350, delhi: 150 }, ageMs: 10 } }))).toMatchObject({ target: 'mumbai' });
  });
});

describe('parseReadRouting', () => {
  it('accepts the named modes and the bounded-staleness object', () => {
    expect(parseReadRouting('read-your-writes')).toEqual({ mode: 'read-your-writes' });
    expect(parseReadRouting({ mode: 'bounded-staleness', maxStalenessMs: 200 })).toEqual({ mode: 'bounded-staleness', maxStalenessMs: 200 });
  });

  it('rejects a typo naming the option, the value and what is allowed', () => {
    expect(() => parseReadRouting('nearst')).toThrow(OptionError);
    expect(() => parseReadRouting('nearst')).toThrow(/reads: got "nearst"; allowed: 'leader' \| 'nearest'/);
    expect(() => parseReadRouting('bounded-staleness')).toThrow(/without a bound/);
    expect(() => parseReadRouting({ mode: 'bounded-staleness', maxStalenessMs: -1 })).toThrow(/maxStalenessMs: got -1/);
  });
});
