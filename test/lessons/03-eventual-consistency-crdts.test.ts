// Proves the notebook-03 experiments measure what their plots claim: convergence after a heal
// grows with the gossip interval and shrinks with the fan-out, a restarted warehouse catches up
// only with hints or gossip, and the sweeps report the seeds they used.
import { describe, expect, it } from 'vitest';
import { crashCatchUpExperiment, gossipConvergenceSweep, merkleBytesExperiment } from '../../lib/lessons/03-eventual-consistency-crdts';

describe('eventual-store experiments', () => {
  it('a slower gossip interval converges later; a larger fan-out sooner (medians of 7 runs)', () => {
    const byInterval = gossipConvergenceSweep({ seed: 70, gossipIntervalsMs: [50, 400], fanouts: [1], runs: 7 });
    expect(byInterval[1].convergenceMsMedian).toBeGreaterThan(3 * byInterval[0].convergenceMsMedian);
    const byFanout = gossipConvergenceSweep({ seed: 70, gossipIntervalsMs: [400], fanouts: [1, 4], runs: 7 });
    expect(byFanout[1].convergenceMsMedian).toBeLessThan(byFanout[0].convergenceMsMedian / 2);
    expect(byFanout[0]).toMatchObject({ gossipIntervalMs: 400, fanout: 1, runs: 7, seeds: '70…76' });
  });

  it('a restarted warehouse never catches up with pushes alone; hints and gossip bring it back', () => {
    const rows = crashCatchUpExperiment({ seed: 71 });
    expect(rows.map((r) => r.mechanism)).toEqual(['push only', 'push + hinted handoff', 'push + Merkle gossip (1 s)']);
    expect(rows[0].catchUpMs).toBeNull();
    expect(rows[1].catchUpMs).not.toBeNull();
    expect(rows[1].hintsStored).toBeGreaterThan(0);
    expect(rows[1].hintsDelivered).toBe(rows[1].hintsStored);
    expect(rows[2].catchUpMs).not.toBeNull();
  });

  it('Merkle digests ship a small fraction of the key states that full-state gossip ships', () => {
    const rows = merkleBytesExperiment({ seed: 72, skuCounts: [50], hotSkuCount: 5 });
    const [full, merkle] = rows;
    expect(full.antiEntropy).toBe('full-state');
    expect(merkle.keyStatesSent * 10).toBeLessThan(full.keyStatesSent);
    expect(merkle.antiEntropyKiB * 10).toBeLessThan(full.antiEntropyKiB);
  });

  it('rejects a sweep without settings', () => {
    expect(() => gossipConvergenceSweep({ seed: 1, gossipIntervalsMs: [], fanouts: [1] })).toThrow(/non-empty arrays/);
  });
});
