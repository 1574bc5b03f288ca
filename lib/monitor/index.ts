/**
 * lib/monitor: replication lag monitoring with regional SLAs, alerting and health checks.
 * A pure core (rules, alert state machine, SLA tracking, lag history) fed with snapshots
 * from a lag source (a simulated leader–follower cluster or a real PostgreSQL primary),
 * and the HTTP service around it (`npm run monitor`).
 */
export * from './snapshot';
export * from './alert-rules';
export * from './alert-engine';
export * from './alert-episodes';
export * from './alert-tradeoff';
export * from './sla-tracker';
export * from './lag-history';
export * from './replication-monitor';
export * from './health';
export * from './lag-source';
export * from './postgres-source';
export * from './simulated-source';
export * from './monitoring-day';
export * from './sample-loop';
export * from './service-config';
export * from './redaction';
export { createMonitorMetrics } from './prometheus-metrics';
export type { MonitorMetrics, SourceHealthView } from './prometheus-metrics';
export { createMonitorServer, URL_LENGTH_MAX } from './monitor-http';
export type { MonitorHttpView } from './monitor-http';
export { DASHBOARD_CSP, dashboardHtml } from './dashboard-page';
export * from './monitor-service';
export * from './prometheus-rules';
export * from './host-resources';
export * from './scaling-view';
