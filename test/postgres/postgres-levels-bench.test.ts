// Proves the real-PostgreSQL row has the simulated rows' shape and that its checker verdicts
// come from what PostgreSQL actually did. The standby replays every commit 100 ms late
// (recovery_min_apply_delay), so: reads at the primary are linearizable at every level; with
// synchronous_commit = off, reads at the standby are caught stale; with remote_apply the
// commit waits for the delayed replay, so reads at the standby are linearizable and every
// write (driver and pgbench alike) takes at least the delay. The sweep finds remote_apply's
// ceiling (16 connections each held ≥ 100 ms by a write) below off's.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { YCSB_MIXES, measurePostgresLevels } from '../../lib/bench';
import { LocalPgCluster } from '../../lib/postgres';
import { describeWithPostgres } from './postgres-availability';

const APPLY_DELAY_MS = 100;

describeWithPostgres('real-PostgreSQL benchmark row (primary + a synchronous standby replaying 100 ms late)', () => {
  let cluster: LocalPgCluster;
  beforeAll(async () => {
    cluster = await LocalPgCluster.start({ standbys: [{ name: 'standby', applyDelayMs: APPLY_DELAY_MS }], synchronousStandbyNames: 'FIRST 1 (standby)', fsync: false });
  }, 60_000);
  afterAll(async () => {
    if (cluster) await cluster.teardown();
  });

  test('one row per level with the sweep, 50 % and 80 % runs, checked histories and pgbench beside them', async () => {
    const runs: string[] = [];
    const rows = await measurePostgresLevels({
      cluster,
      levels: ['off', 'remote_apply'],
      mix: YCSB_MIXES.A,
      seed: 3,
      durationMs: 400,
      refineSteps: 1,
      onRun: (level, what) => runs.push(`${level} ${what}`),
      ratesPerSec: [40, 400],
    });
    expect(rows.map((r) => r.level)).toEqual(['off', 'remote_apply']);
    for (const r of rows) {
      const { points, saturation, atHalf, atEightyPercent } = r.sweep;
      expect(points.map((p) => p.offeredPerSec)).toEqual([...points.map((p) => p.offeredPerSec)].sort((a, b) => a - b));
      expect(saturation.saturationPerSec).toBeGreaterThan(0);
      expect(atHalf!.offeredPerSec).toBeCloseTo(0.5 * saturation.saturationPerSec, 6);
      expect(atEightyPercent!.offeredPerSec).toBeCloseTo(0.8 * saturation.saturationPerSec, 6);
      expect(atEightyPercent!.target).toContain(`synchronous_commit = ${r.level}, reads at the primary`);
      // Reads at the primary see every acknowledged write, whatever the level.
      expect(atEightyPercent!.consistency!.verdict).toBe('linearizable');
      expect(atEightyPercent!.consistency!.anomalies['stale reads']).toBe(0);
      expect(atEightyPercent!.consistency!.method).toContain('process.hrtime');
      expect(atHalf!.consistency).toBeNull();
      expect(r.standbyReads!.target).toContain('reads at the standby');
      expect(r.standbyReads!.offeredPerSec).toBe(atEightyPercent!.offeredPerSec);
      expect(r.pgbench!.offeredPerSec).toBe(Math.round(atEightyPercent!.offeredPerSec));
      expect(r.pgbench!.summary.completed).toBeGreaterThan(0);
      expect(r.pgbench!.summary.failed).toBe(0);
      expect(r.pgbench!.command).not.toMatch(/password/i);
    }
    const [off, apply] = rows;
    // off returns before the standby has the row; the standby replays 100 ms later: stale reads.
    expect(off.standbyReads!.consistency!.verdict).toBe('not linearizable');
    expect(off.standbyReads!.consistency!.anomalies['stale reads']).toBeGreaterThan(0);
    // remote_apply returns only after the standby replayed it: reads there are fresh.
    expect(apply.standbyReads!.consistency!.verdict).toBe('linearizable');
    expect(apply.standbyReads!.consistency!.anomalies['stale reads']).toBe(0);
    // Half the requests are writes, each waiting for the delayed replay: P95 ≥ the delay, in both tools.
    expect(apply.sweep.atEightyPercent!.latency!.p95Ms).toBeGreaterThanOrEqual(APPLY_DELAY_MS);
    expect(apply.pgbench!.summary.latency!.p95Ms).toBeGreaterThanOrEqual(APPLY_DELAY_MS);
    expect(off.pgbench!.summary.latency!.p95Ms).toBeLessThan(APPLY_DELAY_MS);
    // 16 connections each held ≥ 100 ms by a write carry ~160 writes/s, ~320 ops/s of YCSB A: 400 overloads it.
    expect(apply.sweep.saturation.firstOverloadedPerSec).not.toBeNull();
    expect(apply.sweep.saturation.saturationPerSec).toBeLessThan(off.sweep.saturation.saturationPerSec);
    expect(runs.filter((w) => w.endsWith('pgbench'))).toHaveLength(2);
  }, 60_000);
});
