// Proves, on a real PostgreSQL, the flash-sale race of notebook 06: buyers that read the stock and
// then write the value they computed (READ COMMITTED) are told "sold" for more units than exist,
// and the stock checker counts the oversell from the orders, while the database's own counter
// looks healthy; a guarded UPDATE … WHERE qty >= 1 and per-unit rows taken with FOR UPDATE SKIP
// LOCKED sell exactly the stock.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LocalPgCluster, runStockRace } from '../../lib/postgres';
import { describeWithPostgres } from './postgres-availability';

describeWithPostgres('the last units of a hot SKU on real PostgreSQL', () => {
  let cluster: LocalPgCluster;
  beforeAll(async () => {
    cluster = await LocalPgCluster.start({ fsync: false });
  }, 60_000);
  afterAll(async () => {
    await cluster?.teardown();
    expect(cluster.liveProcessGroups()).toEqual([]);
  });

  test('read-then-write at READ COMMITTED oversells, and the checker counts it from the orders', async () => {
    const r = await runStockRace(cluster, { approach: 'read-then-write', clients: 16, ordersPerClient: 10, stock: 40 });
    expect(r.sold).toBeGreaterThan(40);
    expect(r.verdict.verdict).toBe('violated');
    // The lost updates hide it from the counter: it never goes below zero.
    expect(r.finalQty).toBeGreaterThanOrEqual(0);
  }, 60_000);

  test.each(['guarded-update', 'skip-locked'] as const)('%s sells exactly the stock and nothing more', async (approach) => {
    const r = await runStockRace(cluster, { approach, clients: 16, ordersPerClient: 10, stock: 40 });
    expect(r.sold).toBe(40);
    expect(r.finalQty).toBe(0);
    expect(r.verdict.verdict).toBe('holds');
    expect(r.errorsBySqlState).toEqual({});
  }, 60_000);

  test('refuses an unknown approach', async () => {
    await expect(runStockRace(cluster, { approach: 'optimistic' as never })).rejects.toThrow(/approach: got "optimistic"/);
  });
});
