// Proves the cluster builder validates its options: unknown keys and bad values throw OptionError naming option, value and what is allowed.
import { describe, expect, it } from 'vitest';
import { OptionError, Simulation } from '../../../lib/sim';
import { leaderFollower, LeaderFollowerOptions, resolveOptions } from '../../../lib/strategies/leader-follower';

const base = (): LeaderFollowerOptions => ({ sim: new Simulation({ seed: 1 }), leaderRegion: 'mumbai', followerRegions: ['delhi', 'chennai'] });

function errorOf(patch: Record<string, unknown>): OptionError {
  try {
    resolveOptions({ ...base(), ...patch } as LeaderFollowerOptions);
  } catch (error) {
    if (error instanceof OptionError) return error;
    throw error;
  }
  throw new Error('expected an OptionError');
}

describe('leaderFollower options', () => {
  it('fills in defaults and names nodes after their regions', () => {
    const r = resolveOptions({ ...base(), followerRegions: ['delhi', 'delhi'] });
    expect(r.replicaIds).toEqual(['mumbai', 'delhi', 'delhi-2']);
    expect(r.ack).toEqual({ mode: 'async' });
    expect(r.reads).toEqual({ mode: 'leader' });
    expect(r.fencing).toBe(true);
    expect(r.leaseMs).toBeLessThan(r.failureTimeoutMs);
    expect(r.clientRegions).toEqual(['mumbai', 'delhi']);
  });

  it('rejects an unknown option (a typo)', () => {
    expect(errorOf({ fenceing: false }).message).toMatch(/unknown option "fenceing"; allowed: .*fencing/);
  });

  it('rejects an unknown region with the list of regions', () => {
    expect(errorOf({ leaderRegion: 'mumbay' }).message).toMatch(/leaderRegion: got "mumbay"; allowed: "mumbai" \| "delhi"/);
    expect(errorOf({ followerRegions: ['delhi', 'goa'] }).message).toMatch(/followerRegions\[1\]: got "goa"/);
  });

  it('rejects bad ack modes precisely', () => {
    expect(errorOf({ ack: 'sync' }).message).toMatch(/ack: got "sync"; allowed: 'async' \| 'semi-sync' \| \{ mode: 'sync'/);
    expect(errorOf({ ack: { mode: 'sync', rule: 'FIRST', count: 3 } }).message).toMatch(/ack.count: got 3; allowed: an integer between 1 and 2/);
    expect(errorOf({ ack: { mode: 'sync', rule: 'SOME', count: 1 } }).message).toMatch(/ack.rule: got "SOME"/);
    expect(errorOf({ ack: { mode: 'sync', rule: 'ANY', count: 1, standbys: ['pune'] } }).message).toMatch(/ack.standbys\[0\]: got "pune"/);
    expect(errorOf({ ack: { mode: 'sync', rule: 'ANY', count: 1, waitFor: 'disk' } }).message).toMatch(/ack.waitFor: got "disk"; allowed: "write" \| "flush" \| "apply"/);
  });

  it('rejects timings that would break fencing', () => {
    expect(errorOf({ failureTimeoutMs: 500, leaseMs: 500 }).message).toMatch(/leaseMs: got 500; allowed: less than failureTimeoutMs/);
    expect(errorOf({ failureTimeoutMs: 100, heartbeatMs: 80 }).message).toMatch(/heartbeatMs: got 80; allowed: a number between 1 and 50/);
  });

  it('rejects bad rates and requires a rate for every node in a replay-speed map', () => {
    expect(errorOf({ applyRecordsPerMs: 0 }).message).toMatch(/applyRecordsPerMs: got 0/);
    expect(errorOf({ applyRecordsPerMs: { delhi: 2 } }).message).toMatch(/no rate for node mumbai/);
    expect(errorOf({ linkRecordsPerMs: { goa: 2 } }).message).toMatch(/linkRecordsPerMs key: got "goa"/);
    expect(resolveOptions({ ...base(), linkRecordsPerMs: { chennai: 2 } }).linkRecordsPerMs).toEqual({ chennai: 2 });
  });

  it('the builder refuses bad options before adding any node', () => {
    const options = base();
    expect(() => leaderFollower({ ...options, reads: 'nearst' as never })).toThrow(OptionError);
    expect(options.sim.nodeIds()).toEqual([]);
  });
});
