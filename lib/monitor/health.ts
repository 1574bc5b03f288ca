import { ReplicationMonitor } from './replication-monitor';

/**
 * The service's health, as a pure function of what it knows. "ok" needs: the last sample
 * succeeded, it is recent, there is a leader, and every replica ever seen is streaming.
 * Anything less is "degraded", with one failed check per reason. The service itself stays
 * up while degraded: health describes the cluster and our view of it, not our process.
 */
export interface SourceStatus {
  kind: string;
  description: string;
  /** The last attempt to sample succeeded. */
  connected: boolean;
  lastSuccessEpochMs: number | null;
  lastAttemptEpochMs: number | null;
  /** The last failure, already redacted; null after a success. */
  lastError: string | null;
  consecutiveFailures: number;
  /** When the next attempt is due (backoff after failures). */
  nextAttemptEpochMs: number | null;
}

export interface HealthCheck {
  name: 'source-reachable' | 'sample-fresh' | 'leader-present' | 'single-leader' | 'replicas-connected';
  ok: boolean;
  detail: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: HealthCheck[];
  firingAlertCount: number;
  source: SourceStatus;
}

export function healthReport(monitor: ReplicationMonitor, source: SourceStatus, nowEpochMs: number, maxSampleAgeMs: number): HealthReport {
  const latest = monitor.latest;
  const checks: HealthCheck[] = [];
  checks.push({
    name: 'source-reachable',
    ok: source.connected,
    detail: source.connected
      ? `the ${source.kind} source answered the last sample`
      : source.lastError
        ? `${source.consecutiveFailures} failed attempt(s): ${source.lastError}`
        : 'no sample yet',
  });
  const ageMs = source.lastSuccessEpochMs === null ? null : nowEpochMs - source.lastSuccessEpochMs;
  checks.push({
    name: 'sample-fresh',
    ok: ageMs !== null && ageMs <= maxSampleAgeMs,
    detail: ageMs === null ? 'no successful sample yet' : `last successful sample ${Math.round(ageMs)} ms ago (limit ${Math.round(maxSampleAgeMs)} ms)`,
  });
  const noCurrent = monitor.lastKnown === null ? 'no sample yet' : 'no current sample (the last one failed)';
  checks.push({
    name: 'leader-present',
    ok: latest !== null && latest.leader !== null,
    detail: latest === null ? noCurrent : latest.leader ? `leader ${latest.leader.id} (${latest.leader.region}), epoch ${latest.epoch}` : 'no leader reachable',
  });
  const writable = (latest?.servers ?? []).filter((v) => v.role === 'primary');
  checks.push({
    name: 'single-leader',
    ok: latest !== null && !latest.splitBrain,
    detail: latest === null
      ? noCurrent
      : latest.splitBrain
        ? `SPLIT BRAIN: ${writable.length} servers accept writes: ${writable.map((v) => `${v.server}${v.name ? ` (${v.name})` : ''} on timeline ${v.timelineId ?? '?'}`).join(', ')}`
        : 'at most one server accepts writes',
  });
  const replicas = latest?.replicas ?? [];
  const down = replicas.filter((r) => !r.connected);
  checks.push({
    name: 'replicas-connected',
    ok: latest !== null && down.length === 0,
    detail:
      latest === null
        ? noCurrent
        : down.length === 0
          ? `${replicas.length} replica(s) streaming`
          : `${down.length} of ${replicas.length} replica(s) not streaming: ${down.map((r) => `${r.replica} (${r.state})`).join(', ')}`,
  });
  return {
    status: checks.every((c) => c.ok) ? 'ok' : 'degraded',
    checks,
    firingAlertCount: monitor.activeAlerts().filter((a) => a.state === 'firing').length,
    source,
  };
}
