// Proves the HTTP service end to end on loopback with a scripted cluster: every endpoint answers
// with the monitor's state, /metrics is valid Prometheus text with per-replica lag, hostile and
// malformed requests get JSON 4xx and leave the service healthy, a vanished database degrades
// health and recovers, secrets never appear in responses or logs, and stop() is graceful.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunningMonitorService, loadMonitorConfig, startMonitorService } from '../../lib/monitor';
import { request, rawExchange } from './http-client';
import { parsePrometheusText, sampleValue } from './prometheus-text';
import { ScriptedSource } from './scripted-source';
import { snapshot, traffic } from './snapshots';

const PASSWORD = 'Zx9-very-secret-42';
let lags: Record<string, number | 'down'> = { 'mumbai-1': 20, 'delhi-1': 40, 'kolkata-1': 60 };
const source = new ScriptedSource((t) => {
  const snap = snapshot(t, lags, [traffic('mumbai', 'banking', 1000, 5, 40, 100)], 3);
  for (const r of snap.replicas) r.lagBytes = r.lagMs === null ? null : Math.round(r.lagMs * 100);
  return snap;
});
const logLines: string[] = [];
let service: RunningMonitorService;

beforeAll(async () => {
  const config = loadMonitorConfig({
    PORT: '0',
    DATABASE_URL: `postgres://monitor:${PASSWORD}@127.0.0.1:1/bank`,
    // Long interval: the test takes every sample itself with sampleNow().
    MONITORING_INTERVAL_SECONDS: '3600',
    ALERT_FOR_SECONDS: '2',
    ALERT_CLEAR_SECONDS: '1',
  });
  service = await startMonitorService({ config, source, log: (line) => logLines.push(line) });
});

afterAll(async () => {
  await service.stop();
});

async function get(path: string) {
  return request(service.url, path);
}

describe('monitor service endpoints', () => {
  test('GET /health is 200 "ok" when the source answers and every replica streams', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.checks.map((c: { name: string; ok: boolean }) => `${c.name}:${c.ok}`)).toEqual([
      'source-reachable:true',
      'sample-fresh:true',
      'leader-present:true',
      'single-leader:true',
      'replicas-connected:true',
    ]);
  });

  test('GET /metrics is valid Prometheus text with the lag of every replica, in seconds', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(res.body);
    expect(families.get('replication_lag_seconds')?.type).toBe('gauge');
    expect(sampleValue(families, 'replication_lag_seconds', { replica: 'kolkata-1', region: 'kolkata', stage: 'replay' })).toBeCloseTo(0.06);
    expect(sampleValue(families, 'replication_lag_seconds', { replica: 'mumbai-1', stage: 'replay' })).toBeCloseTo(0.02);
    expect(sampleValue(families, 'replication_lag_bytes', { replica: 'delhi-1' })).toBe(4000);
    expect(sampleValue(families, 'replication_lag_threshold_seconds', { region: 'mumbai' })).toBeCloseTo(0.1);
    expect(sampleValue(families, 'replication_lag_threshold_seconds', { region: 'kolkata' })).toBeCloseTo(0.2);
    expect(sampleValue(families, 'cluster_epoch')).toBe(3);
    expect(sampleValue(families, 'region_error_ratio', { region: 'mumbai', business: 'banking' })).toBeCloseTo(0.005);
    expect(sampleValue(families, 'monitor_source_up')).toBe(1);
    expect(families.has('process_cpu_seconds_total') || families.has('process_cpu_seconds')).toBe(true);
  });

  test('a Kolkata lag of 250 ms goes pending, then fires after ALERT_FOR_SECONDS, visible in /alerts and /metrics', async () => {
    lags = { ...lags, 'kolkata-1': 250 };
    await service.sampleNow();
    let alerts = (await get('/alerts')).json();
    expect(alerts.alerts.map((a: { id: string; state: string }) => `${a.id}:${a.state}`)).toEqual(['ReplicationLagCritical/kolkata-1:pending']);
    await service.sampleNow();
    await service.sampleNow(); // 2 s of scripted time later
    alerts = (await get('/alerts?state=firing')).json();
    expect(alerts.alerts).toHaveLength(1);
    expect(alerts.alerts[0]).toMatchObject({ rule: 'ReplicationLagCritical', state: 'firing', severity: 'critical', value: 250, threshold: 200, unit: 'ms', labels: { replica: 'kolkata-1', region: 'kolkata' } });
    expect(alerts.alerts[0].summary).toBe('Replication lag of replica kolkata-1 (kolkata) is 250.0 ms, above the 200 ms threshold');
    expect(alerts.recentTransitions[0]).toMatchObject({ to: 'firing', from: 'pending', key: 'kolkata-1' });
    const families = parsePrometheusText((await get('/metrics')).body);
    expect(sampleValue(families, 'monitor_alerts', { alertname: 'ReplicationLagCritical', alertstate: 'firing' })).toBe(1);
    expect(logLines.some((l) => l.includes('alert ReplicationLagCritical firing: kolkata-1'))).toBe(true);
  });

  test('GET /regions lists each region with threshold, current lag, SLA and alert counts', async () => {
    const body = (await get('/regions')).json();
    const kolkata = body.regions.find((r: { region: string }) => r.region === 'kolkata');
    const mumbai = body.regions.find((r: { region: string }) => r.region === 'mumbai');
    expect(kolkata).toMatchObject({ thresholdMs: 200, currentLagMs: 250, firingAlertCount: 1 });
    expect(kolkata.sla.withinShare).toBeLessThan(1);
    expect(mumbai).toMatchObject({ thresholdMs: 100, currentLagMs: 20, firingAlertCount: 0 });
    expect(mumbai.sla.withinShare).toBe(1);
    expect(mumbai.traffic).toEqual([{ business: 'banking', requestCount: 1000, errorRate: 0.005, poolUtilization: 0.4 }]);
  });

  test('after business hours (IST) a PostgreSQL cluster is not judged: the SLA counts the time apart', async () => {
    const night = new ScriptedSource((t) => snapshot(t, { 'delhi-1': 900 }));
    night.timeMs = Date.parse('2023-11-15T18:30:00Z') - 1000; // the first sample (taken on start) lands at midnight IST
    const config = loadMonitorConfig({ PORT: '0', DATABASE_URL: 'postgres://monitor@127.0.0.1:1/bank', MONITORING_INTERVAL_SECONDS: '3600' });
    const late = await startMonitorService({ config, source: night, log: () => {} });
    try {
      await late.sampleNow();
      await late.sampleNow();
      await late.sampleNow();
      const delhi = (await request(late.url, '/regions')).json().regions.find((r: { region: string }) => r.region === 'delhi');
      expect(delhi.sla).toMatchObject({ outsideWindowMs: 3000, withinMs: 0, breachMs: 0, withinShare: null }); // 4 samples, 1 s apart
      const metrics = (await request(late.url, '/metrics')).body;
      expect(metrics).toMatch(/replication_sla_seconds_total\{region="delhi",state="outside_window"\} 3/);
      expect(metrics).not.toMatch(/replication_sla_seconds_total\{region="delhi",state="over"\}/);
    } finally {
      await late.stop();
    }
  });

  test('GET /cluster-status, /replication-queue and /consensus describe leader, epoch and replicas', async () => {
    const status = (await get('/cluster-status')).json();
    expect(status).toMatchObject({ health: 'ok', leader: { id: 'mumbai-0', region: 'mumbai' }, epoch: 3, source: { kind: 'postgres' } });
    expect(status.replicas.map((r: { replica: string }) => r.replica)).toEqual(['mumbai-1', 'delhi-1', 'kolkata-1']);
    expect(status.config.source.primary).toBe('monitor@127.0.0.1:1/bank (password set)');
    const queue = (await get('/replication-queue')).json();
    expect(queue.totalLagBytes).toBe(2000 + 4000 + 25000);
    const consensus = (await get('/consensus')).json();
    expect(consensus).toMatchObject({ leader: { id: 'mumbai-0' }, epoch: 3 });
    expect(consensus.epochMeaning).toMatch(/timeline/);
  });

  test('GET /lag-history gives points per replica and the thresholds of their regions', async () => {
    const body = (await get('/lag-history?replica=kolkata-1&limit=2')).json();
    expect(body.series).toHaveLength(1);
    expect(body.series[0].points.map((p: [number, number]) => p[1])).toEqual([250, 250]);
    expect(body.thresholds).toEqual([{ region: 'kolkata', thresholdMs: 200 }]);
    const all = (await get('/lag-history')).json();
    expect(all.series.map((s: { replica: string }) => s.replica)).toEqual(['mumbai-1', 'delhi-1', 'kolkata-1']);
  });

  test('GET /dashboard is an HTML page with a strict CSP that loads plotly.js from the service itself', async () => {
    const res = await get('/dashboard');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('<script src="/dashboard/plotly.js?v=');
    expect(res.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const script = await request(service.url, '/dashboard/plotly.js', { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    expect(script.status).toBe(200);
    expect(script.headers['content-encoding']).toBe('gzip');
    expect(Number(script.headers['content-length'])).toBeGreaterThan(500_000);
  });
});

describe('hostile and malformed requests get JSON 4xx and leave the service healthy', () => {
  test.each([
    ['POST', '/health', 405],
    ['DELETE', '/alerts', 405],
    ['PUT', '/metrics', 405],
    ['OPTIONS', '/', 405],
    ['GET', '/nope', 404],
    ['GET', '/health/', 404],
    ['GET', '/../../etc/passwd', 404],
    ['GET', '/%2e%2e/%2e%2e/etc/passwd', 404],
    ['GET', '/alerts?state=burning', 400],
    ['GET', '/alerts?limit=-1', 400],
    ['GET', '/alerts?limit=99999999999999999999', 400],
    ['GET', '/alerts?state=firing&state=pending', 400],
    ['GET', '/health?debug=1', 400],
    ['GET', '/lag-history?replica=%3Cscript%3E', 404],
    ['GET', '/lag-history?sinceMs=yesterday', 400],
    ['GET', `/alerts?${'x'.repeat(3000)}=1`, 414],
  ])('%s %s → %i with a JSON error', async (method, path, status) => {
    const res = await request(service.url, path, { method });
    expect(res.status).toBe(status);
    expect(res.json()).toMatchObject({ status });
    expect(typeof res.json().error).toBe('string');
    if (status === 405) expect(res.headers.allow).toBe('GET, HEAD');
  });

  test('a query string beyond the header limit is refused by the HTTP parser with 431', async () => {
    const res = await request(service.url, `/alerts?q=${'a'.repeat(70_000)}`);
    expect(res.status).toBe(431);
  });

  test('a foreign Host header (DNS rebinding) is refused with 403', async () => {
    const res = await request(service.url, '/cluster-status', { headers: { host: 'evil.example:8080' } });
    expect(res.status).toBe(403);
    expect(res.json().error).toMatch(/not a loopback name/);
  });

  test('a GET with a body is refused with 413 and the connection is closed', async () => {
    const res = await request(service.url, '/health', { method: 'GET', headers: { 'content-type': 'text/plain', 'content-length': '10000' }, body: 'x'.repeat(10_000) });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });

  test('bytes that are not HTTP get 400 from the parser', async () => {
    const reply = await rawExchange(service.url, 'HELLO THERE\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
  });

  test('after all that the service is healthy and request metrics carry no attacker-chosen labels', async () => {
    const health = await get('/health');
    expect(health.status).toBe(200);
    const metrics = (await get('/metrics')).body;
    expect(metrics).toContain('monitor_http_requests_total{route="unmatched",method="other",status="405"}');
    expect(metrics).not.toContain('nope');
    expect(metrics).not.toContain('passwd');
    expect(metrics).not.toContain('<script');
    expect(metrics).not.toContain('%3C');
  });
});

describe('when the database goes away', () => {
  test('health degrades (503) with the reason, the service stays up, and recovery restores ok', async () => {
    source.next = new Error(`connect ECONNREFUSED 127.0.0.1:1 (tried postgres://monitor:${PASSWORD}@127.0.0.1:1/bank with password ${PASSWORD})`);
    const restore = (t: number) => snapshot(t, lags, [], 3);
    await service.sampleNow();
    const down = await get('/health');
    expect(down.status).toBe(503);
    const body = down.json();
    expect(body.status).toBe('degraded');
    expect(body.source).toMatchObject({ connected: false, consecutiveFailures: 1 });
    expect(body.source.lastError).toContain('ECONNREFUSED');
    expect(sampleValue(parsePrometheusText((await get('/metrics')).body), 'monitor_source_up')).toBe(0);
    // Other endpoints still answer from the last good sample.
    expect((await get('/regions')).status).toBe(200);
    source.next = restore;
    await service.sampleNow();
    expect((await get('/health')).json().status, JSON.stringify((await get('/health')).json().checks)).toBe('ok');
    expect(logLines.some((l) => l.includes('source recovered after 1 failed attempt'))).toBe(true);
  });

  test('a stopped replica degrades health with its name; streaming again makes it ok', async () => {
    lags = { ...lags, 'delhi-1': 'down' };
    await service.sampleNow();
    const body = (await get('/health')).json();
    expect(body.status).toBe('degraded');
    expect(body.checks.find((c: { name: string }) => c.name === 'replicas-connected').detail).toBe('1 of 3 replica(s) not streaming: delhi-1 (disconnected)');
    lags = { ...lags, 'delhi-1': 40 };
    await service.sampleNow();
    expect((await get('/health')).status).toBe(200);
  });

  test('the password never appears in any response or log line', async () => {
    const paths = ['/', '/health', '/metrics', '/alerts', '/regions', '/cluster-status', '/replication-queue', '/consensus', '/lag-history', '/dashboard'];
    for (const path of paths) {
      const res = await get(path);
      expect(res.body, path).not.toContain(PASSWORD);
      expect(res.body, path).not.toContain(encodeURIComponent(PASSWORD));
    }
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(PASSWORD);
    expect(logLines.join('\n')).toContain('postgres://monitor:***@127.0.0.1:1/bank');
  });
});

describe('graceful stop', () => {
  test('stop() closes the server and the source; new connections are refused', async () => {
    const extra = new ScriptedSource((t) => snapshot(t, { 'delhi-1': 10 }));
    const second = await startMonitorService({ config: loadMonitorConfig({ PORT: '0', MONITORING_INTERVAL_SECONDS: '0.05' }), source: extra, log: () => undefined });
    expect((await request(second.url, '/health')).status).toBe(200);
    await second.stop();
    await second.stop(); // twice is fine
    expect(extra.closed).toBe(true);
    const samplesAtStop = extra.sampleCount;
    await new Promise((r) => setTimeout(r, 200));
    expect(extra.sampleCount).toBe(samplesAtStop);
    await expect(request(second.url, '/health')).rejects.toThrow(/ECONNREFUSED/);
  });
});
