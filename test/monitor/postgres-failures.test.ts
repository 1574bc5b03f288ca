// Proves the monitor never reports a dead or split cluster as healthy, on real PostgreSQL:
// (1) only DATABASE_URL, the primary killed: the lag, connected and leader gauges disappear,
// monitor_source_up is 0 and MonitorSourceDown fires; (2) with standby URLs, the primary killed:
// the primary's target is down, the standbys answer, ReplicationLeaderMissing fires; delhi is
// promoted (epoch 2), then the old primary starts again on its old timeline: both accept writes,
// ReplicationSplitBrain fires, /health and /consensus say so, and the epoch never goes back to 1.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunningMonitorService, loadMonitorConfig, startMonitorService } from '../../lib/monitor';
import { LocalPgCluster } from '../../lib/postgres';
import { describeWithPostgres } from '../postgres/postgres-availability';
import { request } from './http-client';
import { parsePrometheusText, sampleValue } from './prometheus-text';

async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const FAST = { MONITORING_INTERVAL_SECONDS: '0.2', ALERT_FOR_SECONDS: '0.4', ALERT_CLEAR_SECONDS: '0.4', PORT: '0' };

describeWithPostgres('the monitor on real PostgreSQL failures', () => {
  describe('only DATABASE_URL, and the primary is killed', () => {
    let cluster: LocalPgCluster;
    let service: RunningMonitorService;
    beforeAll(async () => {
      cluster = await LocalPgCluster.start({ standbys: ['delhi'], fsync: false });
      service = await startMonitorService({ config: loadMonitorConfig({ ...FAST, DATABASE_URL: cluster.connectionString('primary', { redact: false }) }), log: () => undefined });
    });
    afterAll(async () => {
      await service?.stop();
      await cluster?.teardown();
    });

    test('the gauges that depended on the sample disappear, source_up is 0, and MonitorSourceDown fires', async () => {
      const get = (path: string) => request(service.url, path);
      await eventually(async () => expect(sampleValue(parsePrometheusText((await get('/metrics')).body), 'replication_replica_connected', { replica: 'delhi' })).toBe(1));
      await cluster.kill('primary');
      await eventually(async () => {
        const text = (await get('/metrics')).body;
        const families = parsePrometheusText(text);
        expect(sampleValue(families, 'monitor_source_up')).toBe(0);
        expect(text).not.toMatch(/^replication_replica_connected\{/m);
        expect(text).not.toMatch(/^replication_lag_seconds\{/m);
        expect(text).not.toMatch(/^cluster_leader_info\{/m);
        const alerts = (await get('/alerts?state=firing')).json().alerts as Array<{ id: string }>;
        expect(alerts.map((a) => a.id)).toContain('MonitorSourceDown/source');
      });
      const queue = (await get('/replication-queue')).json();
      expect(queue.replicas).toEqual([]);
      expect(queue.leader).toBeNull();
      expect((await get('/health')).status).toBe(503);
    });
  });

  describe('with standby URLs: primary killed, delhi promoted, the old primary back', () => {
    let cluster: LocalPgCluster;
    let service: RunningMonitorService;
    const logLines: string[] = [];
    beforeAll(async () => {
      cluster = await LocalPgCluster.start({ standbys: ['delhi', 'kolkata'], fsync: false });
      const standbyUrl = (name: string) => cluster.connectionString(name, { redact: false });
      service = await startMonitorService({
        config: loadMonitorConfig({ ...FAST, DATABASE_URL: cluster.connectionString('primary', { redact: false }), STANDBY_DATABASE_URLS: `${standbyUrl('delhi')},${standbyUrl('kolkata')}` }),
        log: (line) => logLines.push(line),
      });
    });
    afterAll(async () => {
      await service?.stop();
      await cluster?.teardown();
    });
    const get = (path: string) => request(service.url, path);

    test('primary down, standbys up: the primary target is down with its error logged, and ReplicationLeaderMissing fires', async () => {
      await eventually(async () => expect((await get('/health')).status).toBe(200));
      await cluster.kill('primary');
      await eventually(async () => {
        const families = parsePrometheusText((await get('/metrics')).body);
        expect(sampleValue(families, 'monitor_source_up')).toBe(1);
        const primaryAddress = `127.0.0.1:${cluster.clientConfig('primary').port}`;
        expect(sampleValue(families, 'monitor_target_up', { server: primaryAddress })).toBe(0);
        expect(sampleValue(families, 'cluster_leader_present')).toBe(0);
        expect(sampleValue(families, 'cluster_epoch')).toBe(1);
        const alerts = (await get('/alerts?state=firing')).json().alerts as Array<{ id: string }>;
        expect(alerts.map((a) => a.id)).toContain('ReplicationLeaderMissing/leader');
      });
      expect(logLines.some((l) => /server 127\.0\.0\.1:\d+ does not answer: /.test(l))).toBe(true);
    });

    test('delhi promoted leads in epoch 2 in its own region; the old primary back on timeline 1 is split brain, never epoch 1', async () => {
      await cluster.promote('delhi');
      await eventually(async () => {
        const consensus = (await get('/consensus')).json();
        expect(consensus).toMatchObject({ epoch: 2, leader: { region: 'delhi' } });
      });
      await cluster.start('primary');
      await eventually(async () => {
        const health = await get('/health');
        expect(health.status).toBe(503);
        const check = health.json().checks.find((c: { name: string }) => c.name === 'single-leader');
        expect(check.ok).toBe(false);
        expect(check.detail).toMatch(/SPLIT BRAIN: 2 servers accept writes/);
        const alerts = (await get('/alerts?state=firing')).json().alerts as Array<{ id: string }>;
        expect(alerts.map((a) => a.id)).toContain('ReplicationSplitBrain/cluster');
        expect(sampleValue(parsePrometheusText((await get('/metrics')).body), 'cluster_writable_servers')).toBe(2);
      }, 30_000);
      // Whatever is sampled now, the epoch stays 2 and the leader is the promoted delhi.
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 200));
        expect((await get('/consensus')).json()).toMatchObject({ epoch: 2, leader: { region: 'delhi' } });
      }
      expect(logLines.some((l) => l.startsWith('SPLIT BRAIN'))).toBe(true);
    }, 60_000);
  });
});
