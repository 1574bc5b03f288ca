// Proves the notebook's experiment helpers report what the notebook says: async loses acknowledged writes at the peak and the safer modes do not; safety costs latency; the figure helpers keep the evidence.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../../lib/check';
import {
  acceptedWritesPerInterval,
  compareFailover,
  compareWriteLatency,
  counterexampleWindow,
  lagKinds,
  lagSummary,
  runSplitBrain,
  runWriteThenRead,
} from '../../../lib/lessons/01-leader-follower';

describe('notebook experiments', () => {
  it('the 10:00 crash: async loses acknowledged writes, semi-sync and sync FIRST 1 lose none, and the most up-to-date follower (Delhi) takes over', () => {
    const rows = compareFailover({ seed: 41, modes: ['async', 'semi-sync', { mode: 'sync', rule: 'FIRST', count: 1, standbys: ['delhi', 'chennai'] }] });
    expect(rows.map((r) => r.lostAcknowledgedWrites > 0)).toEqual([true, false, false]);
    for (const r of rows) {
      expect(r.newLeader).toBe('delhi');
      expect(r.acknowledgedByOldLeader).toBeGreaterThan(1000);
      expect(r.msToDetect).toBeGreaterThanOrEqual(400);
      expect(r.msToPromote).toBeGreaterThan(r.msToDetect);
    }
  });

  it('write latency grows with the guarantee: async < semi-sync ≤ sync ANY 1 < sync ANY 2 at the median', () => {
    const { summary, samples } = compareWriteLatency({ seed: 5, modes: ['async', 'semi-sync', { mode: 'sync', rule: 'ANY', count: 1 }, { mode: 'sync', rule: 'ANY', count: 2 }], durationMs: 500 });
    const p50 = summary.map((r) => r.latencyMsP50);
    expect(p50[0]).toBeLessThan(5);
    expect(p50[1]).toBeGreaterThan(20); // at least one round trip to Chennai (24 ms)
    expect(p50[1]).toBeLessThanOrEqual(p50[2]);
    expect(p50[2]).toBeLessThan(p50[3]); // ANY 2 must hear from Delhi too (28 ms)
    expect(samples.length).toBe(summary.reduce((a, r) => a + r.writes, 0));
  });

  it('counterexampleWindow keeps a small piece of the history that is still not linearizable', () => {
    const run = runWriteThenRead({ seed: 41, reads: 'nearest' });
    const result = checkLinearizable(run.history);
    const window = counterexampleWindow(run.history, result);
    expect(window.operations.length).toBeLessThanOrEqual(40);
    expect(window.operations.length).toBeLessThan(run.history.operations.length);
    expect(checkLinearizable(window).verdict).toBe('not-linearizable');
  });

  it('acceptedWritesPerInterval counts every accepted write once and fills quiet intervals with 0', () => {
    const run = runSplitBrain({ seed: 41, fencing: false });
    const rows = acceptedWritesPerInterval(run.cluster, 250);
    expect(rows.reduce((a, r) => a + r.writes, 0)).toBe(run.cluster.metrics.acceptedWrites.length);
    const mumbai = rows.filter((r) => r.leader === 'mumbai (epoch 1)');
    for (let i = 1; i < mumbai.length; i++) expect(mumbai[i].timeMs - mumbai[i - 1].timeMs).toBe(250);
    expect(mumbai.some((r) => r.writes === 0)).toBe(true);
  });

  it('lagSummary and lagKinds read the lag samples correctly', () => {
    const rows = [0, 1, 2, 3].map((i) => ({
      timeMs: i * 50, follower: 'delhi', region: 'delhi', leader: 'mumbai', epoch: 1, lsnLag: i, writeLagMs: 10, flushLagMs: 20, replayLagMs: [30, 250, 120, 40][i], hour: i,
    }));
    const [summary] = lagSummary(rows);
    expect(summary).toMatchObject({ follower: 'delhi', replayLagMsMax: 250, worstHour: 1, lsnLagMax: 3, percentOver100Ms: 50, percentOver200Ms: 25, replayLagMsP50: 40 });
    expect(lagKinds(rows, 'delhi').filter((r) => r.lag === 'flush_lag').map((r) => r.lagMs)).toEqual([20, 20, 20, 20]);
  });
});
