// Proves the lesson notebook 01 draws from its sync-set sweep: a synchronous set that meets
// every election majority with the leader (k + 1 > n / 2) loses no acknowledged write over
// many random fault schedules, and one that does not (5 nodes, ANY 1) does lose some.
import { describe, expect, it } from 'vitest';
import { runSyncSetCase, syncSetSweep } from '../../../lib/lessons/01-leader-follower/sync-set-sweep';
import { OptionError } from '../../../lib/util';

describe('sync set vs election majority (seed sweep)', () => {
  it('3 nodes ANY 1 and 5 nodes ANY 2 lose nothing over 150 schedules each; 5 nodes ANY 1 loses acknowledged writes in some', () => {
    const { rows, runs } = syncSetSweep({
      cases: [{ clusterSize: 3, syncCount: 1 }, { clusterSize: 5, syncCount: 2 }, { clusterSize: 5, syncCount: 1 }],
      firstSeed: 101, seedCount: 150,
    });
    const [three, fiveTwo, fiveOne] = rows;
    const losing = (size: number, k: number) => runs.filter((r) => r.clusterSize === size && r.syncCount === k && r.lostAcknowledgedWrites > 0).map((r) => r.seed);
    expect(losing(3, 1), 'seeds where 3 nodes ANY 1 lost acknowledged writes').toEqual([]);
    expect(losing(5, 2), 'seeds where 5 nodes ANY 2 lost acknowledged writes').toEqual([]);
    expect(fiveOne.runsLosingAcknowledgedWrites).toBeGreaterThan(0);
    // The sweep must exercise failover, or it proves nothing.
    for (const row of [three, fiveTwo, fiveOne]) expect(row.runsWithFailover).toBeGreaterThan(30);
    expect(rows.map((r) => r.meetsEveryMajority)).toEqual([true, true, false]);
  }, 600_000);

  it('rejects a cluster size it has no regions for, in one line', () => {
    expect(() => runSyncSetCase({ clusterSize: 4, syncCount: 1 }, 1)).toThrow(OptionError);
    expect(() => runSyncSetCase({ clusterSize: 3, syncCount: 3 }, 1)).toThrow(/syncCount: got 3; allowed: an integer from 1 to 2/);
  });
});
