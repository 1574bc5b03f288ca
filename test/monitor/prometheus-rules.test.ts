// Proves the alert rules hold as a real Prometheus would run them: the committed rules file is
// the generated one; `promtool check rules` accepts it; `promtool check metrics` accepts a scrape
// of /metrics; and `promtool test rules`, fed the very series /metrics exported while the
// in-process engine ingested a scripted outage, expects exactly the alerts the engine fired —
// so the two agree sample by sample (lag, disconnection, source down, split brain, target down,
// leader missing, resources), and on error rates once Prometheus's rate window has filled.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { describe, expect, test } from 'vitest';
import { ClusterSnapshot, ReplicationMonitor, ServerView, createMonitorMetrics, episodeAlertRules, prometheusRulesYaml } from '../../lib/monitor';
import { parsePrometheusText } from './prometheus-text';
import { snapshot, traffic } from './snapshots';

const RULES_FILE = path.resolve(__dirname, '../../lib/monitor/prometheus/rules.yml');
const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => fs.existsSync(p)) ?? null;
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const STEP_MS = 15_000;

test('the committed rules file is the one generated from the alert rules (regenerate: npm run --silent monitor -- --print-rules > lib/monitor/prometheus/rules.yml)', () => {
  expect(fs.readFileSync(RULES_FILE, 'utf8')).toBe(prometheusRulesYaml(episodeAlertRules()));
});

if (!promtool && inCi) {
  test('promtool is installed (required when CI=true: apt-get install prometheus)', () => {
    throw new Error('promtool not found; install it with: apt-get install prometheus');
  });
}

const server = (address: string, role: ServerView['role'], up = true): ServerView => ({
  server: address, name: null, up, role, timelineId: 1, error: up ? null : 'connection refused',
  replayPaused: null, applyDelayMs: null, sinceLastReplayedCommitMs: null, replayBacklogBytes: null,
});

/** The scripted outage, one entry per 15 s scrape: a snapshot, or a failed sample (null). */
function timeline(): Array<ClusterSnapshot | null> {
  const steps: Array<ClusterSnapshot | null> = [];
  for (let i = 0; i < 16; i++) {
    const t = i * STEP_MS;
    if (i >= 11 && i <= 13) {
      steps.push(null); // the source cannot be sampled
      continue;
    }
    const lags: Record<string, number | 'down'> = {
      'mumbai-1': i < 8 ? 150 : 50, // above Mumbai's 100 ms until step 8
      'delhi-1': 150, // below the 200 ms elsewhere
      'kolkata-1': i >= 3 && i <= 6 ? 'down' : 30,
    };
    const s = snapshot(t, lags, [traffic('mumbai', 'banking', 1000, 15, 95, 100)]);
    s.servers = [
      server('10.0.0.1:5432', 'primary'),
      server('10.0.0.2:5432', i >= 4 && i <= 6 ? 'primary' : 'standby'), // split brain at steps 4–6
      server('10.0.0.3:5432', 'unknown', !(i >= 2 && i <= 9)), // a standby unreachable at steps 2–9
    ];
    if (i === 14) s.leader = null;
    s.resources = { cpuRatio: i >= 5 && i <= 9 ? 0.93 : 0.2, memoryRatio: 0.4 };
    steps.push(s);
  }
  return steps;
}

/** The labels Prometheus puts on each alert of a rule, from the engine's alert. */
function promLabels(rule: string, labels: Record<string, string>, severity: string): Record<string, string> {
  const base = { alertname: rule, severity };
  switch (rule) {
    case 'ReplicationLagCritical': return { ...base, replica: labels.replica, region: labels.region, stage: 'replay' };
    case 'ReplicaDisconnected': return { ...base, replica: labels.replica, region: labels.region };
    case 'ErrorRateHigh': case 'ConnectionPoolSaturated': return { ...base, region: labels.region, business: labels.business };
    case 'DatabaseTargetDown': return { ...base, server: labels.server }; // an empty name label is no label in Prometheus
    case 'ResourceUsageHigh': return { ...base, resource: 'cpu' };
    case 'ReplicationSplitBrain': case 'ReplicationLeaderMissing': return { ...base, source: 'test' };
    default: return base;
  }
}

describe.skipIf(!promtool)('promtool', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));

  test('promtool check rules accepts the rules file', () => {
    const out = execFileSync(promtool as string, ['check', 'rules', RULES_FILE], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: 10 rules found/);
  });

  test('promtool test rules: Prometheus fires exactly what the in-process engine fired, at every scrape', async () => {
    const rules = episodeAlertRules();
    const annotations = new Map<string, Record<string, string>>(
      (parse(fs.readFileSync(RULES_FILE, 'utf8')).groups[0].rules as Array<{ alert: string; annotations: Record<string, string> }>).map((r) => [r.alert, r.annotations]),
    );
    const monitor = new ReplicationMonitor();
    let up = true;
    const metrics = createMonitorMetrics(monitor, () => ({ up, lastSampleEpochMs: null }));
    const series = new Map<string, Array<string>>();
    const steps = timeline();
    const expected: Array<{ evalTime: string; alertname: string; exp: Array<Record<string, string>> }> = [];
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      const events = s ? monitor.ingest(s) : monitor.ingestFailure(i * STEP_MS);
      up = s !== null;
      metrics.recordSample(s ? 'ok' : 'error', 1, events);
      const families = parsePrometheusText(await metrics.text());
      for (const family of families.values()) {
        if (/^(process_|nodejs_|monitor_http_|monitor_sample_duration|monitor_alert|monitor_samples|monitor_last_sample)/.test(family.name)) continue;
        for (const sample of family.samples) {
          const key = `${sample.name}{${Object.entries(sample.labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
          const values = series.get(key) ?? Array.from({ length: i }, () => '_');
          values.push(String(sample.value));
          series.set(key, values);
        }
      }
      // A series missing from this scrape is stale from now on, as Prometheus marks it.
      for (const values of series.values()) if (values.length === i) values.push(values[i - 1] === 'stale' || values[i - 1] === '_' ? '_' : 'stale');
      const firing = monitor.activeAlerts().filter((a) => a.state === 'firing');
      for (const rule of rules) {
        // Error rates come from rate() over a 1 m window: compare only once it is full and stable.
        if (rule.name === 'ErrorRateHigh' && (i < 6 || i > 10)) continue;
        expected.push({
          evalTime: `${(i * STEP_MS) / 1000}s`,
          alertname: rule.name,
          exp: firing.filter((a) => a.rule === rule.name).map((a) => ({ exp_labels: promLabels(a.rule, a.labels, a.severity), exp_annotations: annotations.get(a.rule) }) as unknown as Record<string, string>),
        });
      }
    }
    const testFile = path.join(dir, 'rules.test.yml');
    fs.writeFileSync(testFile, stringify({
      rule_files: [RULES_FILE],
      evaluation_interval: '15s',
      tests: [{
        interval: '15s',
        input_series: [...series].map(([name, values]) => ({ series: name, values: values.join(' ') })),
        alert_rule_test: expected.map((e) => ({ eval_time: e.evalTime, alertname: e.alertname, exp_alerts: e.exp })),
      }],
    }, { lineWidth: 0 }));
    // The engine must really have fired each kind of alert, or the comparison proves little.
    const fired = new Set(monitor.alertEvents().filter((e) => e.to === 'firing').map((e) => e.rule));
    expect([...fired].sort()).toEqual(['DatabaseTargetDown', 'ErrorRateHigh', 'MonitorSourceDown', 'ReplicaDisconnected', 'ReplicationLagCritical', 'ReplicationSplitBrain', 'ResourceUsageHigh', 'ConnectionPoolSaturated'].sort());
    if (process.env.KEEP_PROMTOOL_TEST) fs.copyFileSync(testFile, process.env.KEEP_PROMTOOL_TEST);
    const run = spawnSync(promtool as string, ['test', 'rules', testFile], { encoding: 'utf8' });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  test('promtool check metrics accepts a scrape of /metrics', async () => {
    const monitor = new ReplicationMonitor();
    const metrics = createMonitorMetrics(monitor, () => ({ up: true, lastSampleEpochMs: 1 }));
    for (const s of timeline().slice(0, 5)) if (s) metrics.recordSample('ok', 2, monitor.ingest(s));
    // prom-client's own default gauges nodejs_active_{handles,requests,resources}_total break
    // the "_total is for counters" lint; they are the library's, not ours, so they are left out.
    const text = (await metrics.text()).split('\n').filter((l) => !/nodejs_active_(handles|requests|resources)_total/.test(l)).join('\n');
    expect(text).toContain('replication_lag_seconds{');
    const run = spawnSync(promtool as string, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });
});
