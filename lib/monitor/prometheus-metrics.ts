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
  /** Call after each sample (after monitor.ingest / ingestFailure). */
  recordSample(outcome: 'ok' | 'error', durationMs: number, events: readonly AlertEvent[]): void;
  recordRequest(route: string, method: string, status: number): void;
  text(): Promise<string>;
  contentType: string;
}

export function createMonitorMetrics(
  monitor: ReplicationMonitor,
  sourceHealth: () => SourceHealthView,
  info: { datacenter: string; region: string; source: string } = { datacenter: 'unset', region: 'unset', source: 'unset' },
): MonitorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({ name: 'monitor_info', help: 'This monitor (value 1): its data centre, region and source kind', labelNames: ['datacenter', 'region', 'source'], registers }).set(info, 1);

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
  // The cluster-wide gauges carry a `source` label for a reason: prom-client exports a label-less
  // gauge as 0 even after reset(), so a dead cluster would read "epoch 0, no leader" instead of
  // disappearing. With a label, reset() really removes the series.
  new Gauge({
    name: 'cluster_epoch',
    help: "The leader's epoch: simulated election term, or PostgreSQL WAL timeline; it never goes back",
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      const latest = monitor.latest;
      if (latest) this.set({ source: latest.source }, latest.epoch);
    },
  });
  new Gauge({
    name: 'cluster_leader_present',
    help: '1 when a leader accepts writes, 0 when none does (absent while the cluster cannot be sampled)',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      const latest = monitor.latest;
      if (latest) this.set({ source: latest.source }, latest.leader ? 1 : 0);
    },
  });
  new Gauge({
    name: 'cluster_writable_servers',
    help: 'Configured servers accepting writes; more than 1 is split brain (PostgreSQL sources)',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      const latest = monitor.latest;
      if (latest?.servers) this.set({ source: latest.source }, latest.servers.filter((v) => v.role === 'primary').length);
    },
  });
  new Gauge({
    name: 'monitor_target_up',
    help: "1 when the configured database server answered the last sample, else 0 (like postgres_exporter's pg_up)",
    labelNames: ['server', 'name'],
    registers,
    collect() {
      this.reset();
      for (const v of monitor.servers()) this.set({ server: v.server, name: v.name ?? '' }, v.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'replication_server_role',
    help: 'Role of each reachable configured server (value 1): primary or standby',
    labelNames: ['server', 'name', 'role'],
    registers,
    collect() {
      this.reset();
      for (const v of monitor.latest?.servers ?? []) if (v.up) this.set({ server: v.server, name: v.name ?? '', role: v.role }, 1);
    },
  });
  new Gauge({
    name: 'replication_standby_replay_paused',
    help: "1 when a standby's WAL replay is paused (pg_is_wal_replay_paused)",
    labelNames: ['server', 'name'],
    registers,
    collect() {
      this.reset();
      for (const v of monitor.latest?.servers ?? []) if (v.replayPaused !== null) this.set({ server: v.server, name: v.name ?? '' }, v.replayPaused ? 1 : 0);
    },
  });
  new Gauge({
    name: 'replication_standby_apply_delay_seconds',
    help: "A standby's configured recovery_min_apply_delay",
    labelNames: ['server', 'name'],
    registers,
    collect() {
      this.reset();
      for (const v of monitor.latest?.servers ?? []) if (v.applyDelayMs !== null) this.set({ server: v.server, name: v.name ?? '' }, v.applyDelayMs / 1000);
    },
  });
  new Gauge({
    name: 'replication_standby_last_replay_age_seconds',
    help: "Now minus the commit time of the last transaction a standby replayed (grows while the primary is idle too)",
    labelNames: ['server', 'name'],
    registers,
    collect() {
      this.reset();
      for (const v of monitor.latest?.servers ?? []) if (v.sinceLastReplayedCommitMs !== null) this.set({ server: v.server, name: v.name ?? '' }, v.sinceLastReplayedCommitMs / 1000);
    },
  });
  new Gauge({
    name: 'replication_slot_active',
    help: '1 when a replication slot has a consumer connected',
    labelNames: ['slot_name', 'slot_type'],
    registers,
    collect() {
      this.reset();
      for (const slot of monitor.latest?.slots ?? []) this.set({ slot_name: slot.slot, slot_type: slot.slotType }, slot.active ? 1 : 0);
    },
  });
  new Gauge({
    name: 'replication_slot_retained_wal_bytes',
    help: 'WAL the primary keeps for a slot (current LSN minus restart_lsn): the disk-full risk of an abandoned slot',
    labelNames: ['slot_name', 'slot_type'],
    registers,
    collect() {
      this.reset();
      for (const slot of monitor.latest?.slots ?? []) if (slot.retainedWalBytes !== null) this.set({ slot_name: slot.slot, slot_type: slot.slotType }, slot.retainedWalBytes);
    },
  });
  new Gauge({
    name: 'database_host_resource_ratio',
    help: 'CPU or memory in use on the database host, 0..1 (measured from /proc for a real source, modelled for the simulation)',
    labelNames: ['resource'],
    registers,
    collect() {
      this.reset();
      const r = monitor.latest?.resources;
      if (r?.cpuRatio !== null && r?.cpuRatio !== undefined) this.set({ resource: 'cpu' }, r.cpuRatio);
      if (r?.memoryRatio !== null && r?.memoryRatio !== undefined) this.set({ resource: 'memory' }, r.memoryRatio);
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
  // Counters, so Prometheus can compute rates and windows itself instead of trusting ratios
  // since the process started.
  const regionRequests = new Counter({ name: 'region_requests_total', help: 'Requests (committed + rolled-back transactions) seen per region', labelNames: ['region', 'business'], registers });
  const regionErrors = new Counter({ name: 'region_request_errors_total', help: 'Failed requests (rolled-back transactions) per region', labelNames: ['region', 'business'], registers });
  const slaSeconds = new Counter({
    name: 'replication_sla_seconds_total',
    help: 'Observed time per region: within (every replica within its lag threshold), over, or outside_window (off business hours, not judged)',
    labelNames: ['region', 'state'],
    registers,
  });
  let lastCountedMs: number | null = null;

  return {
    registry,
    recordSample(outcome, durationMs, events) {
      samples.inc({ outcome });
      sampleDuration.observe(durationMs / 1000);
      for (const e of events) transitions.inc({ alertname: e.rule, to: e.to });
      const latest = outcome === 'ok' ? monitor.latest : null;
      if (latest) {
        for (const t of latest.traffic) {
          regionRequests.inc({ region: t.region, business: t.business }, t.requestCount);
          regionErrors.inc({ region: t.region, business: t.business }, t.errorCount);
        }
        if (lastCountedMs !== null && latest.timeMs > lastCountedMs) {
          const seconds = (latest.timeMs - lastCountedMs) / 1000;
          const regions = new Set(latest.replicas.map((r) => r.region));
          const judged = monitor.slaJudges(lastCountedMs);
          for (const region of regions) {
            const threshold = monitor.thresholdMs(region);
            const within = latest.replicas.filter((r) => r.region === region).every((r) => r.connected && r.lagMs !== null && r.lagMs <= threshold);
            slaSeconds.inc({ region, state: !judged ? 'outside_window' : within ? 'within' : 'over' }, seconds);
          }
        }
        lastCountedMs = latest.timeMs;
      } else {
        lastCountedMs = null;
      }
    },
    recordRequest(route, method, status) {
      requests.inc({ route, method, status: String(status) });
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
