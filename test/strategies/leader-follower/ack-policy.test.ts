// Proves each acknowledgement mode acknowledges exactly the LSNs its real-world counterpart would (PostgreSQL sync FIRST/ANY, MySQL semi-sync, async).
import { describe, expect, it } from 'vitest';
import { AckPolicy, committableLsn, describeAckPolicy, StandbyPosition, syncStandbyIds } from '../../../lib/strategies/leader-follower';

const standby = (id: string, write: number, flush: number, replay: number, connected = true): StandbyPosition => ({ id, connected, writeLsn: write, flushLsn: flush, replayLsn: replay });
const followers = [standby('delhi', 90, 80, 60), standby('chennai', 95, 70, 50)];

describe('committableLsn', () => {
  it('async acknowledges what the leader itself has flushed', () => {
    expect(committableLsn({ mode: 'async' }, 'mumbai', 100, followers, false)).toBe(100);
  });

  it('semi-sync waits for the best follower write position, or nothing without any follower', () => {
    expect(committableLsn({ mode: 'semi-sync' }, 'mumbai', 100, followers, false)).toBe(95);
    expect(committableLsn({ mode: 'semi-sync' }, 'mumbai', 100, [], false)).toBe(-1);
  });

  it('semi-sync after its timeout fallback acknowledges like async', () => {
    expect(committableLsn({ mode: 'semi-sync' }, 'mumbai', 100, followers, true)).toBe(100);
  });

  it('sync FIRST 1 (delhi, chennai) waits for delhi; if delhi disconnects, for chennai', () => {
    const policy: AckPolicy = { mode: 'sync', rule: 'FIRST', count: 1, standbys: ['delhi', 'chennai'], waitFor: 'flush' };
    expect(committableLsn(policy, 'mumbai', 100, followers, false)).toBe(80);
    const delhiGone = [standby('delhi', 90, 80, 60, false), standby('chennai', 95, 70, 50)];
    expect(committableLsn(policy, 'mumbai', 100, delhiGone, false)).toBe(70);
    expect(syncStandbyIds(policy, 'mumbai', delhiGone)).toEqual(['chennai']);
  });

  it('sync FIRST 1 (delhi) with delhi gone acknowledges nothing (writes wait, as in PostgreSQL)', () => {
    const policy: AckPolicy = { mode: 'sync', rule: 'FIRST', count: 1, standbys: ['delhi'], waitFor: 'flush' };
    expect(committableLsn(policy, 'mumbai', 100, [standby('delhi', 90, 80, 60, false), standby('chennai', 95, 70, 50)], false)).toBe(-1);
  });

  it('sync ANY k takes the k-th best position, whichever standbys those are', () => {
    const any1: AckPolicy = { mode: 'sync', rule: 'ANY', count: 1, standbys: null, waitFor: 'flush' };
    const any2: AckPolicy = { mode: 'sync', rule: 'ANY', count: 2, standbys: null, waitFor: 'flush' };
    expect(committableLsn(any1, 'mumbai', 100, followers, false)).toBe(80);
    expect(committableLsn(any2, 'mumbai', 100, followers, false)).toBe(70);
  });

  it('waitFor chooses the position: write (remote_write), flush (on) or apply (remote_apply)', () => {
    const base = { mode: 'sync' as const, rule: 'FIRST' as const, count: 1, standbys: ['delhi'] };
    expect(committableLsn({ ...base, waitFor: 'write' }, 'mumbai', 100, followers, false)).toBe(90);
    expect(committableLsn({ ...base, waitFor: 'apply' }, 'mumbai', 100, followers, false)).toBe(60);
  });

  it('never acknowledges past the leader’s own flushed LSN, and skips the leader in the standby list', () => {
    const policy: AckPolicy = { mode: 'sync', rule: 'FIRST', count: 1, standbys: ['delhi', 'chennai'], waitFor: 'flush' };
    expect(committableLsn(policy, 'mumbai', 50, followers, false)).toBe(50);
    // After a failover delhi leads; FIRST 1 (delhi, chennai) now means chennai.
    expect(committableLsn(policy, 'delhi', 100, [standby('mumbai', 99, 99, 99), standby('chennai', 95, 70, 50)], false)).toBe(70);
  });

  it('describes a policy the way a learner would say it', () => {
    expect(describeAckPolicy({ mode: 'sync', rule: 'ANY', count: 2, standbys: ['delhi', 'chennai'], waitFor: 'apply' })).toBe('sync ANY 2 (delhi, chennai) waiting for apply');
  });
});

// Mutation testing (npm run test:mutation -- ack-policy) showed these properties unchecked.
describe('a leader never counts as its own standby', () => {
  // The leader is in the followers list (a stale entry after a failover, or a misconfiguration);
  // its own positions are far ahead of every real replica.
  const withLeader = [standby('mumbai', 100, 100, 100), standby('delhi', 40, 30, 20), standby('chennai', 50, 45, 35)];

  it('sync with standbys: null (every other node) never waits on the leader itself', () => {
    const any1: AckPolicy = { mode: 'sync', rule: 'ANY', count: 1, standbys: null, waitFor: 'flush' };
    const first1: AckPolicy = { mode: 'sync', rule: 'FIRST', count: 1, standbys: null, waitFor: 'flush' };
    expect(committableLsn(any1, 'mumbai', 100, withLeader, false)).toBe(45);
    expect(committableLsn(first1, 'mumbai', 100, withLeader, false)).toBe(30);
    expect(syncStandbyIds(first1, 'mumbai', withLeader)).toEqual(['delhi']);
    // Alone with itself, a sync leader acknowledges nothing.
    expect(committableLsn(first1, 'mumbai', 100, [standby('mumbai', 100, 100, 100)], false)).toBe(-1);
  });

  it('sync with the leader named in the standby list skips it', () => {
    const policy: AckPolicy = { mode: 'sync', rule: 'FIRST', count: 1, standbys: ['mumbai', 'delhi'], waitFor: 'flush' };
    expect(committableLsn(policy, 'mumbai', 100, withLeader, false)).toBe(30);
    expect(syncStandbyIds(policy, 'mumbai', withLeader)).toEqual(['delhi']);
    const onlyItself: AckPolicy = { mode: 'sync', rule: 'ANY', count: 1, standbys: ['mumbai'], waitFor: 'flush' };
    expect(committableLsn(onlyItself, 'mumbai', 100, withLeader, false)).toBe(-1);
  });

  it('semi-sync waits for a real replica, not for the leader’s own entry', () => {
    expect(committableLsn({ mode: 'semi-sync' }, 'mumbai', 100, withLeader, false)).toBe(50);
    expect(committableLsn({ mode: 'semi-sync' }, 'mumbai', 100, [standby('mumbai', 100, 100, 100)], false)).toBe(-1);
  });

  it('semi-sync takes the best follower wherever it is in the list', () => {
    const ascending = [standby('delhi', 40, 30, 20), standby('chennai', 70, 45, 35), standby('kolkata', 60, 60, 60)];
    expect(committableLsn({ mode: 'semi-sync' }, 'mumbai', 100, ascending, false)).toBe(70);
  });
});

describe('which standbys are waited on', () => {
  const listed = [standby('delhi', 90, 80, 60), standby('chennai', 95, 70, 50), standby('kolkata', 99, 99, 99)];

  it('names in the standby list that are not followers are skipped', () => {
    const policy: AckPolicy = { mode: 'sync', rule: 'FIRST', count: 1, standbys: ['pune', 'chennai'], waitFor: 'flush' };
    expect(syncStandbyIds(policy, 'mumbai', listed)).toEqual(['chennai']);
    expect(committableLsn(policy, 'mumbai', 100, listed, false)).toBe(70);
  });

  it('FIRST k names exactly the k highest-priority connected standbys; ANY k names every candidate', () => {
    const first1: AckPolicy = { mode: 'sync', rule: 'FIRST', count: 1, standbys: ['delhi', 'chennai', 'kolkata'], waitFor: 'flush' };
    expect(syncStandbyIds(first1, 'mumbai', listed)).toEqual(['delhi']);
    const any1: AckPolicy = { ...first1, rule: 'ANY' };
    expect(syncStandbyIds(any1, 'mumbai', listed)).toEqual(['delhi', 'chennai', 'kolkata']);
  });

  it('ANY k takes the k-th best position even when the list is in ascending order', () => {
    const ascending = [standby('delhi', 0, 10, 0), standby('chennai', 0, 30, 0), standby('kolkata', 0, 20, 0)];
    const any1: AckPolicy = { mode: 'sync', rule: 'ANY', count: 1, standbys: null, waitFor: 'flush' };
    const any2: AckPolicy = { ...any1, count: 2 };
    expect(committableLsn(any1, 'mumbai', 100, ascending, false)).toBe(30);
    expect(committableLsn(any2, 'mumbai', 100, ascending, false)).toBe(20);
  });

  it('ANY k with fewer than k candidates acknowledges nothing; FIRST with enough does', () => {
    const any3: AckPolicy = { mode: 'sync', rule: 'ANY', count: 3, standbys: ['delhi', 'chennai'], waitFor: 'flush' };
    expect(committableLsn(any3, 'mumbai', 100, listed, false)).toBe(-1);
    const first2: AckPolicy = { mode: 'sync', rule: 'FIRST', count: 2, standbys: ['delhi', 'chennai'], waitFor: 'flush' };
    expect(committableLsn(first2, 'mumbai', 100, listed, false)).toBe(70);
    // FIRST 2 of a list with one disconnected standby waits; ANY 2 counts its last known position.
    const chennaiGone = [standby('delhi', 90, 80, 60), standby('chennai', 95, 70, 50, false)];
    expect(committableLsn(first2, 'mumbai', 100, chennaiGone, false)).toBe(-1);
    expect(committableLsn({ ...first2, rule: 'ANY' }, 'mumbai', 100, chennaiGone, false)).toBe(70);
  });

  it('describes async, semi-sync and a policy over every other node', () => {
    expect(describeAckPolicy({ mode: 'async' })).toBe('async');
    expect(describeAckPolicy({ mode: 'semi-sync' })).toBe('semi-sync');
    expect(describeAckPolicy({ mode: 'sync', rule: 'FIRST', count: 1, standbys: null, waitFor: 'flush' })).toBe('sync FIRST 1 (*) waiting for flush');
  });
});
