// Proves lag in ms is measured like pg_stat_replication: from the leader's flush time of an LSN to the follower reporting it, growing while a follower is stuck.
import { describe, expect, it } from 'vitest';
import { LagTracker } from '../../../lib/strategies/leader-follower';

describe('LagTracker', () => {
  it('measures the time from the leader flushing an LSN to the follower reporting it', () => {
    const lag = new LagTracker();
    lag.recordFlush(10, 1000);
    lag.recordFlush(20, 1005);
    lag.report('delhi', 20, 10, 10, 1030); // write reached LSN 20 (flushed at 1005), flush and replay LSN 10 (flushed at 1000)
    expect(lag.lagMs('delhi', 'write', 20, 1030)).toBe(25);
    // Flush is behind the leader: at least the 30 ms measured when it reported LSN 10 (flushed at 1000).
    expect(lag.lagMs('delhi', 'flush', 20, 1030)).toBe(30);
  });

  it('keeps growing while a follower reports nothing new', () => {
    const lag = new LagTracker();
    lag.recordFlush(5, 100);
    lag.report('chennai', 5, 5, 5, 120);
    lag.recordFlush(9, 200);
    expect(lag.lagMs('chennai', 'replay', 9, 250)).toBe(50);
    expect(lag.lagMs('chennai', 'replay', 9, 900)).toBe(700);
  });

  it('a caught-up follower shows the lag it had when it caught up', () => {
    const lag = new LagTracker();
    lag.recordFlush(3, 10);
    lag.report('delhi', 3, 3, 3, 24);
    expect(lag.lagMs('delhi', 'replay', 3, 5000)).toBe(14);
  });
});
