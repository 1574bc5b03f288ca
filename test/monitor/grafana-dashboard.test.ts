// Proves the Grafana dashboard a user imports is valid JSON whose every query uses only metrics
// the service really exports (found in a live /metrics scrape), so no panel is silently empty.
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from 'vitest';
import { ReplicationMonitor, createMonitorMetrics } from '../../lib/monitor';
import { snapshot, traffic } from './snapshots';

test('grafana/dashboard.json parses and queries only exported metrics', async () => {
  const dashboard = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../lib/monitor/grafana/dashboard.json'), 'utf8'));
  const monitor = new ReplicationMonitor();
  const metrics = createMonitorMetrics(monitor, () => ({ up: true, lastSampleEpochMs: 1 }));
  const s = snapshot(1000, { 'mumbai-1': 10 }, [traffic('mumbai', 'banking', 10, 0)]);
  s.servers = [{ server: 'a:5432', name: null, up: true, role: 'primary', timelineId: 1, error: null, replayPaused: null, applyDelayMs: null, sinceLastReplayedCommitMs: null, replayBacklogBytes: null }];
  s.slots = [{ slot: 'cdc', slotType: 'logical', active: false, retainedWalBytes: 10 }];
  s.resources = { cpuRatio: 0.5, memoryRatio: 0.5 };
  metrics.recordSample('ok', 1, monitor.ingest(s));
  metrics.recordSample('ok', 1, monitor.ingest({ ...s, timeMs: 2000 }));
  const exported = new Set((await metrics.text()).split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]));
  const queries: string[] = dashboard.panels.flatMap((p: { targets: Array<{ expr: string }> }) => p.targets.map((t) => t.expr));
  expect(queries.length).toBeGreaterThanOrEqual(12);
  const PROMQL_WORDS = new Set(['sum', 'by', 'rate', 'min', 'max', 'region', 'business', 'alertname', 'stage', 'state', 'alertstate', 'replay', 'within', 'firing']);
  for (const q of queries) {
    const names = (q.match(/[a-z_][a-z0-9_]*(?=\{|\[|\s|\)|$)/g) ?? []).filter((n) => !PROMQL_WORDS.has(n) && /_/.test(n));
    expect(names.length, q).toBeGreaterThan(0);
    for (const name of names) expect(exported, `${name} in ${q}`).toContain(name);
  }
});
