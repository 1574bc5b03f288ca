// Proves, on a real PostgreSQL, that the transactional checker finds isolation anomalies in a
// list-append history run at READ COMMITTED and none at SERIALIZABLE, where PostgreSQL refuses
// the dangerous transactions instead (serialization failures, counted as aborts).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkTransactionRecords } from '../../lib/check';
import { LocalPgCluster, recordListAppendHistory } from '../../lib/postgres';
import { describeWithPostgres } from './postgres-availability';

describeWithPostgres('list-append on real PostgreSQL, judged by the transactional checker', () => {
  let cluster: LocalPgCluster;
  beforeAll(async () => {
    cluster = await LocalPgCluster.start({ fsync: false, settings: { deadlock_timeout: '50ms' } });
  });
  afterAll(async () => {
    await cluster?.teardown();
    expect(cluster.liveProcessGroups()).toEqual([]);
  });

  test('READ COMMITTED: the checker finds anomalies that rule out serializability', async () => {
    const h = await recordListAppendHistory(cluster, { isolation: 'read committed', seed: 41, transactionsPerClient: 30 });
    const r = checkTransactionRecords(h.transactions, { workload: 'list-append', consistencyModels: ['serializable'] });
    expect(h.committedCount).toBeGreaterThan(100);
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes.some((t) => /^G(-single|-nonadjacent|2)-item$|^lost-update$/.test(t))).toBe(true);
  }, 60_000);

  test('SERIALIZABLE: no anomaly, and PostgreSQL aborted transactions with SQLSTATE 40001 instead', async () => {
    const h = await recordListAppendHistory(cluster, { isolation: 'serializable', seed: 41, transactionsPerClient: 30 });
    const r = checkTransactionRecords(h.transactions, { workload: 'list-append', consistencyModels: ['serializable'] });
    expect(r.valid, JSON.stringify(r.explanations.slice(0, 2))).not.toBe(false);
    expect(r.foundTypes.filter((t) => t !== 'empty-transaction-graph')).toEqual([]);
    expect(h.abortsBySqlState['40001'] ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
