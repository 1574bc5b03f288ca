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
