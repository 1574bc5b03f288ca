import * as fs from 'fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { groupAlive } from '../../lib/chaos';
import { EtcdCluster, etcdAvailability } from '../../lib/etcd';
import { PostgresLagSource, ReplicationMonitor } from '../../lib/monitor';
import { PatroniCluster, patroniAvailability, runFailover } from '../../lib/patroni';

/**
 * Patroni (PostgreSQL 3 nodes) on a real etcd cluster, synchronous_mode: true. The standbys'
 * WAL link is cut, then the primary is killed. Proves: a new primary is named by the REST API
 * within ttl + a margin, nothing the old primary acknowledged is missing on it, the lag monitor
 * configured with all three servers follows the leader to the new primary on a newer timeline,
 * and the teardown leaves no Patroni, PostgreSQL or etcd process behind. Runs when etcd and Patroni
 * are installed; with CI=true a missing one fails the suite with the install command.
 */
const TTL_S = 8;
const etcd = etcdAvailability();
const patroni = patroniAvailability();
const missing = !etcd.program ? etcd.reason : !patroni.program ? patroni.reason : null;
const inCi = process.env.CI === 'true' || process.env.CI === '1';

if (missing && inCi) {
  describe('Patroni failover', () => {
    test('etcd and Patroni are installed (required when CI=true)', () => {
      throw new Error(missing);
    });
  });
} else if (missing) {
  // eslint-disable-next-line no-console
  console.warn(`[skipped] Patroni failover: ${missing}`);
  describe.skip('Patroni failover (skipped: engine not installed; see the install hint in the log)', () => undefined);
} else {
  describe('Patroni failover in synchronous_mode', () => {
    let store: EtcdCluster;
    let cluster: PatroniCluster;
    beforeAll(async () => {
      store = await EtcdCluster.start({ seed: 3 });
      cluster = await PatroniCluster.start({ etcd: store, synchronousMode: true, ttlS: TTL_S });
    }, 60_000);
    afterAll(async () => {
      await cluster?.stop();
      await store?.stop();
    }, 30_000);

    test('primary killed with replication stalled: a new primary in time, no acknowledged insert lost; the monitor follows the leader', async () => {
      // The monitor is given every server (DATABASE_URL + STANDBY_DATABASE_URLS), not Patroni's API.
      const addressOf = (name: string) => `127.0.0.1:${cluster.nodes.find((n) => n.name === name)!.pgPort}`;
      const [first, ...rest] = cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.pgPort, user: 'postgres', password: 'workbook', database: 'postgres' }));
      const source = new PostgresLagSource({ primary: first, standbys: rest, region: 'mumbai', timeoutMs: 1500 });
      const monitor = new ReplicationMonitor();
      try {
        const initialPrimary = await cluster.waitForPrimary();
        monitor.ingest(await source.sample());
        expect(monitor.latest?.leader?.id).toBe(addressOf(initialPrimary));
        const epochBefore = monitor.latest!.epoch;

        const result = await runFailover(cluster, { stallAtMs: 600, killAtMs: 1_200, writesAfterFailover: 10 });
        expect(result.oldPrimary).toBe(initialPrimary);
        expect(result.newPrimary).not.toBe(result.oldPrimary);
        monitor.ingest(await source.sample());
        expect(monitor.latest?.leader?.id, 'the monitor names the promoted server as leader').toBe(addressOf(result.newPrimary));
        expect(monitor.latest!.epoch, 'the timeline (epoch) moved forward with the promotion').toBeGreaterThan(epochBefore);
        const dead = monitor.latest!.servers?.find((v) => v.server === addressOf(result.oldPrimary));
        expect(dead?.up, 'the killed primary is reported down').toBe(false);
        checkFailover(result);
      } finally {
        await source.close();
      }
    }, 60_000);

    function checkFailover(result: Awaited<ReturnType<typeof runFailover>>): void {
      expect(result.newPrimary).not.toBe(result.oldPrimary);
      expect(result.promotionMs).toBeGreaterThan(0);
      expect(result.promotionMs).toBeLessThan((TTL_S + 8) * 1000);
      expect(result.acknowledged).toBeGreaterThan(10);
      expect(result.lostAcknowledged).toBe(0);
    }

    test('stop leaves nothing running', async () => {
      const groups = cluster.nodes.map((n) => cluster.postmasterGroup(n.name)).filter((g): g is number => g !== null);
      const agents = cluster.nodes.map((n) => n.agent.pid).filter((p): p is number => p !== null);
      const members = store.members.map((m) => m.process.pid).filter((p): p is number => p !== null);
      await cluster.stop();
      await store.stop();
      for (const group of [...groups, ...agents, ...members]) expect(groupAlive(group)).toBe(false);
      expect(fs.existsSync(store.directory)).toBe(false);
    }, 30_000);
  });
}
