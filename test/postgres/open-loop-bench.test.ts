// Proves the open-loop harness on real PostgreSQL times requests from their intended start:
// with remote_apply waiting for a standby that replays each commit 300 ms late, every write
// waits at least that long, and at a load the 4-connection pool cannot carry the queue shows
// in the latency instead of being hidden; synchronous_commit = off never waits for it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { YCSB_MIXES, runPostgresOpenLoop } from '../../lib/bench';
import { LocalPgCluster } from '../../lib/postgres';
import { describeWithPostgres } from './postgres-availability';

describeWithPostgres('open-loop benchmark on PostgreSQL (primary + a synchronous standby replaying 300 ms late)', () => {
  let cluster: LocalPgCluster;
  beforeAll(async () => {
    cluster = await LocalPgCluster.start({ standbys: [{ name: 'standby', applyDelayMs: 300 }], synchronousStandbyNames: 'FIRST 1 (standby)', fsync: false });
  }, 60_000);
  afterAll(async () => {
    if (cluster) await cluster.teardown();
  });

  test('remote_apply writes wait for the delayed replay; off does not; an overloaded pool shows its queue', async () => {
    const base = { cluster, mix: YCSB_MIXES.A, seed: 7, durationMs: 1500, connections: 4 };
    const off = await runPostgresOpenLoop({ ...base, level: 'off', ratePerSec: 40 });
    expect(off.errors).toBe(0);
    expect(off.latency!.p50Ms).toBeLessThan(100);
    const apply = await runPostgresOpenLoop({ ...base, level: 'remote_apply', ratePerSec: 40 });
    // Half the requests are writes, each waits ≥ 300 ms for the standby's replay.
    expect(apply.latency!.p95Ms).toBeGreaterThanOrEqual(300);
    // 4 connections each held ≥ 300 ms by a write carry at most ~13 writes/s; 60 writes/s offered queue up.
    const overloaded = await runPostgresOpenLoop({ ...base, level: 'remote_apply', ratePerSec: 120 });
    expect(overloaded.latency!.p99Ms).toBeGreaterThan(3 * apply.latency!.p99Ms);
  }, 60_000);
});
