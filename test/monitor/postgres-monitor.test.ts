// Proves the monitor service on real PostgreSQL streaming replication (primary + delhi + kolkata
// with an apply delay): it reports each standby's lag, the delayed standby fires the critical lag
// alert, stopping a standby degrades health and restarting it resolves that, a vanished primary
// leaves the service up but degraded, the password never leaks, and nothing is left running.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RunningMonitorService, loadMonitorConfig, startMonitorService } from '../../lib/monitor';
import { LocalPgCluster, processGroupAlive } from '../../lib/postgres';
import { describeWithPostgres } from '../postgres/postgres-availability';
import { request } from './http-client';
import { parsePrometheusText, sampleValue } from './prometheus-text';

/** Polls `check` until it returns without throwing, or rethrows its last error after timeoutMs. */
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

describeWithPostgres('the monitor service on a real PostgreSQL cluster', () => {
  let cluster: LocalPgCluster;
  let service: RunningMonitorService;
  let password = '';
  const logLines: string[] = [];
  let writing = true;
  let writer: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    cluster = await LocalPgCluster.start({ standbys: ['delhi', { name: 'kolkata', applyDelayMs: 600 }], fsync: false });
    password = String(cluster.clientConfig('primary').password);
    await cluster.query('primary', 'CREATE TABLE ticks (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())');
    // A steady trickle of commits: PostgreSQL measures lag only while WAL flows.
    writer = (async () => {
      while (writing) {
        await cluster.query(cluster.primaryName, 'INSERT INTO ticks DEFAULT VALUES').catch(() => undefined);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const standbyUrl = (name: string) => cluster.connectionString(name, { redact: false }).replace(/:[^:@/]+@/, '@');
    const config = loadMonitorConfig({
      PORT: '0',
      DATABASE_URL: cluster.connectionString('primary', { redact: false }),
      STANDBY_DATABASE_URLS: `${standbyUrl('delhi')},${standbyUrl('kolkata')}`,
      MONITORING_INTERVAL_SECONDS: '0.2',
      ALERT_FOR_SECONDS: '0.6',
      ALERT_CLEAR_SECONDS: '0.4',
    });
    service = await startMonitorService({ config, log: (line) => logLines.push(line) });
  });

  afterAll(async () => {
    writing = false;
    await writer;
    if (service) await service.stop();
    if (cluster) await cluster.teardown();
  });

  const get = (path: string) => request(service.url, path);

  test('both standbys appear with their regions, streaming, with lag in /metrics; the epoch is the WAL timeline', async () => {
    await eventually(async () => {
      const status = (await get('/cluster-status')).json();
      expect(status.replicas.map((r: { replica: string; region: string; connected: boolean }) => `${r.replica}/${r.region}/${r.connected}`)).toEqual(['delhi/delhi/true', 'kolkata/kolkata/true']);
    });
    const families = parsePrometheusText((await get('/metrics')).body);
    expect(sampleValue(families, 'replication_replica_connected', { replica: 'kolkata', region: 'kolkata' })).toBe(1);
    expect(sampleValue(families, 'replication_lag_seconds', { replica: 'delhi', stage: 'replay' })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(families, 'cluster_epoch')).toBe(1);
    expect((await get('/consensus')).json()).toMatchObject({ epoch: 1, leader: { region: 'mumbai' } });
  });

  test('the delayed kolkata standby fires ReplicationLagCritical; delhi does not', async () => {
    const firing = await eventually(async () => {
      const alerts = (await get('/alerts?state=firing')).json().alerts as Array<{ id: string; value: number }>;
      const kolkata = alerts.find((a) => a.id === 'ReplicationLagCritical/kolkata');
      expect(kolkata).toBeDefined();
      return alerts;
    });
    expect(firing.find((a) => a.id === 'ReplicationLagCritical/kolkata')!.value).toBeGreaterThan(200);
    expect(firing.some((a) => a.id.endsWith('/delhi'))).toBe(false);
    const families = parsePrometheusText((await get('/metrics')).body);
    expect(sampleValue(families, 'replication_lag_seconds', { replica: 'kolkata', stage: 'replay' })).toBeGreaterThan(0.2);
  });

  test('stopping delhi degrades health and fires ReplicaDisconnected; starting it again restores health and resolves the alert', async () => {
    await cluster.stop('delhi');
    await eventually(async () => {
      const res = await get('/health');
      expect(res.status).toBe(503);
      const detail = res.json().checks.find((c: { name: string }) => c.name === 'replicas-connected').detail as string;
      expect(detail).toContain('delhi');
    });
    await eventually(async () => {
      const alerts = (await get('/alerts?state=firing')).json().alerts as Array<{ id: string }>;
      expect(alerts.map((a) => a.id)).toContain('ReplicaDisconnected/delhi');
    });
    await cluster.start('delhi');
    await eventually(async () => {
      expect((await get('/health')).status).toBe(200);
      const body = (await get('/alerts')).json();
      expect(body.alerts.map((a: { id: string }) => a.id)).not.toContain('ReplicaDisconnected/delhi');
      expect(body.recentTransitions.some((t: { rule: string; key: string; to: string }) => t.rule === 'ReplicaDisconnected' && t.key === 'delhi' && t.to === 'resolved')).toBe(true);
    });
  });

  test('when the primary goes away the service stays up and degraded; when it returns health is ok again', async () => {
    await cluster.stop('primary');
    await eventually(async () => {
      const res = await get('/health');
      expect(res.status).toBe(503);
      expect(res.json().checks.find((c: { name: string }) => c.name === 'leader-present').ok).toBe(false);
    });
    expect((await get('/metrics')).status).toBe(200);
    await cluster.start('primary');
    await eventually(async () => expect((await get('/health')).status).toBe(200), 30_000);
  });

  test('the database password appears in no response and no log line', async () => {
    for (const path of ['/health', '/metrics', '/alerts', '/regions', '/cluster-status', '/replication-queue', '/consensus', '/lag-history']) {
      const body = (await get(path)).body;
      expect(body, path).not.toContain(password);
      expect(body, path).not.toContain(encodeURIComponent(password));
    }
    expect(logLines.join('\n')).not.toContain(password);
    expect(logLines.some((line) => line.includes('monitor listening on'))).toBe(true);
  });

  test('stopping the service and tearing down the cluster leaves no PostgreSQL process behind', async () => {
    writing = false;
    await writer;
    await service.stop();
    const groups = cluster.processGroups();
    await cluster.teardown();
    for (const group of groups) expect(processGroupAlive(group), `process group ${group}`).toBe(false);
    expect(cluster.watchdogRunning).toBe(false);
  });
});
