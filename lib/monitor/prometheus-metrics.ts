import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ReplicationMonitor } from './replication-monitor';
import { AlertEvent } from './alert-engine';

/**
 * The service's /metrics, in the Prometheus text format, built with prom-client on a
 * registry of its own (never the global one, so two services in one process, as in the
 * tests, do not collide). Gauges read the monitor's state when scraped, so a replica that
 * disappeared from the report disappears from the metrics too. Lags are in seconds, the
 * Prometheus base unit; label values come only from the cluster's own small set of
 * replicas and regions and from a fixed list of routes, never from request paths.
 */
export interface SourceHealthView {
  up: boolean;
  lastSampleEpochMs: number | null;
}

export interface MonitorMetrics {
  registry: Registry;
  /** Call after each sample. */
  recordSample(outcome: 'ok' | 'error', durationMs: number, events: readonly AlertEvent[]): void;
  recordRequest(route: string, method: string, status: number): void;
  text(): Promise<string>;
  contentType: string;
}

export function createMonitorMetrics(monitor: ReplicationMonitor, sourceHealth: () => SourceHealthView): MonitorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Gauge({
    name: 'replication_lag_seconds',
    help: 'Replication lag per replica and stage (write, flush, replay); replay is the lag readers see',
    labelNames: ['replica', 'region', 'stage'],
    registers,
    collect() {
      this.reset();
      for (const r of monitor.latest?.replicas ?? []) {
        if (!r.connected) continue;
        const stages: Array<[string, number | null]> = [
          ['write', r.writeLagMs],
          ['flush', r.flushLagMs],
          ['replay', r.replayLagMs ?? r.lagMs],
        ];
        for (const [stage, ms] of stages) if (ms !== null) this.set({ replica: r.replica, region: r.region, stage }, ms / 1000);
      }
    },
  });
  new Gauge({
    name: 'replication_lag_bytes',
    help: 'WAL bytes a replica has not replayed yet (PostgreSQL)',
    labelNames: ['replica', 'region'],
    registers,
    collect() {
      this.reset();
      for (const r of monitor.latest?.replicas ?? []) if (r.lagBytes !== null) this.set({ replica: r.replica, region: r.region }, r.lagBytes);
    },
  });
  new Gauge({
    name: 'replication_pending_entries',
    help: 'Log entries a replica has not applied yet (simulated cluster)',
    labelNames: ['replica', 'region'],
    registers,
    collect() {
      this.reset();
      for (const r of monitor.latest?.replicas ?? []) if (r.pendingEntries !== null) this.set({ replica: r.replica, region: r.region }, r.pendingEntries);
    },
  });
  new Gauge({
    name: 'replication_replica_connected',
    help: '1 when the replica streams from the leader, 0 when it is disconnected',
    labelNames: ['replica', 'region'],
    registers,
    collect() {
      this.reset();
      for (const r of monitor.latest?.replicas ?? []) this.set({ replica: r.replica, region: r.region }, r.connected ? 1 : 0);
    },
  });
  new Gauge({
    name: 'replication_lag_threshold_seconds',
    help: 'Critical replication lag threshold per region',
    labelNames: ['region'],
    registers,
    collect() {
      this.reset();
      for (const region of monitor.regions()) this.set({ region: region.region }, region.thresholdMs / 1000);
    },
  });
  new Gauge({
    name: 'replication_sla_within_threshold_ratio',
    help: 'Share of observed time during which every replica of the region was within its lag threshold',
    labelNames: ['region'],
    registers,
    collect() {
      this.reset();
      for (const row of monitor.slaRows()) if (row.withinShare !== null) this.set({ region: row.region }, row.withinShare);
    },
  });
  new Gauge({
    name: 'cluster_epoch',
    help: "The leader's epoch: simulated election term, or PostgreSQL WAL timeline",
    registers,
    collect() {
      this.reset();
      if (monitor.latest) this.set(monitor.latest.epoch);
    },
  });
  new Gauge({
    name: 'cluster_leader_info',
    help: 'The current leader (value 1)',
    labelNames: ['leader', 'region'],
    registers,
    collect() {
      this.reset();
      const leader = monitor.latest?.leader;
      if (leader) this.set({ leader: leader.id, region: leader.region }, 1);
    },
  });
  new Gauge({
    name: 'region_error_ratio',
    help: 'Failed share of requests in the last sampling interval',
    labelNames: ['region', 'business'],
    registers,
    collect() {
      this.reset();
      for (const t of monitor.latest?.traffic ?? []) if (t.requestCount > 0) this.set({ region: t.region, business: t.business }, t.errorCount / t.requestCount);
    },
  });
  new Gauge({
    name: 'region_connection_pool_utilization_ratio',
    help: 'Share of the connection pool in use',
    labelNames: ['region', 'business'],
    registers,
    collect() {
      this.reset();
      for (const t of monitor.latest?.traffic ?? []) if (t.poolSize > 0) this.set({ region: t.region, business: t.business }, t.poolInUse / t.poolSize);
    },
  });
  new Gauge({
    name: 'monitor_alerts',
    help: 'Alerts by rule, severity and state (pending or firing)',
    labelNames: ['alertname', 'severity', 'alertstate'],
    registers,
    collect() {
      this.reset();
      for (const rule of monitor.rules) {
        for (const state of ['pending', 'firing'] as const) this.set({ alertname: rule.name, severity: rule.severity, alertstate: state }, 0);
      }
      for (const a of monitor.activeAlerts()) this.inc({ alertname: a.rule, severity: a.severity, alertstate: a.state });
    },
  });
  const transitions = new Counter({ name: 'monitor_alert_transitions_total', help: 'Alert state changes', labelNames: ['alertname', 'to'], registers });
  new Gauge({
    name: 'monitor_source_up',
    help: '1 when the last sample of the cluster succeeded',
    registers,
    collect() {
      this.set(sourceHealth().up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'monitor_last_sample_timestamp_seconds',
    help: 'Unix time of the last successful sample',
    registers,
    collect() {
      this.reset();
      const t = sourceHealth().lastSampleEpochMs;
      if (t !== null) this.set(t / 1000);
    },
  });
  const samples = new Counter({ name: 'monitor_samples_total', help: 'Samples of the cluster by outcome', labelNames: ['outcome'], registers });
  const sampleDuration = new Histogram({
    name: 'monitor_sample_duration_seconds',
    help: 'Time to take one sample of the cluster',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const requests = new Counter({ name: 'monitor_http_requests_total', help: 'HTTP requests by route, method and status', labelNames: ['route', 'method', 'status'], registers });

  return {
    registry,
    recordSample(outcome, durationMs, events) {
      samples.inc({ outcome });
      sampleDuration.observe(durationMs / 1000);
      for (const e of events) transitions.inc({ alertname: e.rule, to: e.to });
    },
    recordRequest(route, method, status) {
      requests.inc({ route, method, status: String(status) });
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
