import { checkKnownKeys, checkNumber } from '../util/option-error';
import { ActiveAlert, AlertEngine, AlertEngineOptions, AlertEvent } from './alert-engine';
import { AlertRule, episodeAlertRules, observe, observeSourceDown, validateAlertRules } from './alert-rules';
import { LagHistory, LagHistoryOptions, LagPoint } from './lag-history';
import { RegionSlaRow, SlaTracker, SlaWindow, checkSlaWindow } from './sla-tracker';
import { ClusterSnapshot, ServerView } from './snapshot';

/**
 * The monitor's core, with no I/O: feed it snapshots in time order and it keeps the alert
 * states, the SLA accounting and the recent lag of every replica. The HTTP service and
 * notebook 09 drive the same class; the service adds a clock, a lag source and a server.
 */
export interface ReplicationMonitorOptions {
  /** Lag threshold for regions without their own, ms. Default 200 (the episode's "elsewhere"). */
  lagThresholdMs?: number;
  /** Per-region lag thresholds, ms. Default { mumbai: 100 }. */
  lagThresholdByRegionMs?: Record<string, number>;
  /** How long a breach must last before an alert fires, and a firing alert must be clear before it resolves. Default 30 000 each. */
  forMs?: number;
  clearForMs?: number;
  /** Replace the episode's rules altogether (then lagThreshold* only drive the SLA). */
  rules?: AlertRule[];
  /** The promised share of time within the lag threshold. Default 0.999. */
  slaTargetShare?: number;
  /** Judge the SLA only inside these hours (sample times in epoch ms); default: all time. */
  slaWindow?: SlaWindow;
  history?: LagHistoryOptions;
  alerts?: AlertEngineOptions;
}

const OPTION_KEYS = ['lagThresholdMs', 'lagThresholdByRegionMs', 'forMs', 'clearForMs', 'rules', 'slaTargetShare', 'slaWindow', 'history', 'alerts'];

/** Everything the service knows about a region, for /regions. */
export interface RegionStatus {
  region: string;
  thresholdMs: number;
  replicas: Array<{ replica: string; connected: boolean; lagMs: number | null }>;
  currentLagMs: number | null;
  sla: RegionSlaRow | null;
  traffic: Array<{ business: string; requestCount: number; errorRate: number | null; poolUtilization: number | null }>;
  firingAlertCount: number;
  pendingAlertCount: number;
}

export class ReplicationMonitor {
  readonly rules: AlertRule[];
  readonly lagThresholdMs: number;
  readonly lagThresholdByRegionMs: Record<string, number>;
  private readonly engine: AlertEngine;
  private readonly sla: SlaTracker;
  private readonly history: LagHistory;
  private latestSnapshot: ClusterSnapshot | null = null;
  /** True after a failed sample: what we last saw is history, not the present. */
  private stale = false;
  private lastServers: ServerView[] = [];
  private failureCount = 0;
  private highestEpoch = 0;
  private sampleCount = 0;

  constructor(options: ReplicationMonitorOptions = {}) {
    checkKnownKeys('ReplicationMonitor options', options, OPTION_KEYS);
    this.lagThresholdMs = checkNumber('lagThresholdMs', options.lagThresholdMs ?? 200, { min: 0 });
    this.lagThresholdByRegionMs = { ...(options.lagThresholdByRegionMs ?? { mumbai: 100 }) };
    for (const [region, value] of Object.entries(this.lagThresholdByRegionMs)) checkNumber(`lagThresholdByRegionMs.${region}`, value, { min: 0 });
    const forMs = checkNumber('forMs', options.forMs ?? 30_000, { min: 0 });
    const clearForMs = checkNumber('clearForMs', options.clearForMs ?? 30_000, { min: 0 });
    this.rules = validateAlertRules(
      options.rules ?? episodeAlertRules({ forMs, clearForMs, lagThresholdMs: this.lagThresholdMs, lagThresholdByRegionMs: this.lagThresholdByRegionMs }),
    );
    this.engine = new AlertEngine(this.rules, options.alerts);
    this.sla = new SlaTracker({
      defaultThresholdMs: this.lagThresholdMs,
      thresholdByRegionMs: this.lagThresholdByRegionMs,
      targetShare: checkNumber('slaTargetShare', options.slaTargetShare ?? 0.999, { min: 0, max: 1 }),
      ...(options.slaWindow !== undefined ? { window: checkSlaWindow('slaWindow', options.slaWindow) } : {}),
    });
    this.history = new LagHistory(options.history);
  }

  /** Takes one sample into account; returns the alert events it caused. */
  ingest(snapshot: ClusterSnapshot): AlertEvent[] {
    // The epoch (election term, WAL timeline) never goes back: an old primary that comes
    // back on its old timeline must not make the cluster look as if it had not failed over.
    this.highestEpoch = Math.max(this.highestEpoch, snapshot.epoch);
    const s = snapshot.epoch < this.highestEpoch ? { ...snapshot, epoch: this.highestEpoch } : snapshot;
    const events = this.engine.step(s.timeMs, observe(this.rules, s));
    this.sla.add(s);
    this.history.add(s);
    this.latestSnapshot = s;
    this.stale = false;
    if (s.servers) this.lastServers = s.servers;
    this.sampleCount++;
    return events;
  }

  /**
   * Takes a failed sampling into account: the source-down rule sees it, every other series is
   * unobserved (so it clears, as in Prometheus when a target stops answering), and `latest`
   * becomes null so nothing reports the last good numbers as if they were current.
   */
  ingestFailure(timeMs: number): AlertEvent[] {
    const events = this.engine.step(timeMs, observeSourceDown(this.rules, this.lastServers.map((v) => v.server)));
    this.stale = true;
    this.failureCount++;
    this.lastServers = this.lastServers.map((v) => ({ ...v, up: false, role: 'unknown' as const, error: 'the sample failed' }));
    return events;
  }

  /** The latest snapshot while it is current; null before the first sample and after a failed one. */
  get latest(): ClusterSnapshot | null {
    return this.stale ? null : this.latestSnapshot;
  }

  /** The last snapshot taken, even if the source has failed since (for history views). */
  get lastKnown(): ClusterSnapshot | null {
    return this.latestSnapshot;
  }

  /** Every configured server as last seen; after a failed sample, all down. */
  servers(): ServerView[] {
    return this.lastServers.slice();
  }

  get failedSamples(): number {
    return this.failureCount;
  }

  /** The highest epoch ever seen (the current one while the source answers). */
  get epoch(): number {
    return this.highestEpoch;
  }

  get samplesIngested(): number {
    return this.sampleCount;
  }

  thresholdMs(region: string): number {
    return this.sla.thresholdMs(region);
  }

  activeAlerts(): ActiveAlert[] {
    return this.engine.active();
  }

  alertEvents(): AlertEvent[] {
    return this.engine.events();
  }

  get droppedAlertEventCount(): number {
    return this.engine.droppedEventCount;
  }

  /** Whether the SLA judges time at `timeMs` (inside the business-hours window, if any). */
  slaJudges(timeMs: number): boolean {
    return this.sla.judges(timeMs);
  }

  slaRows(): RegionSlaRow[] {
    return this.sla.rows();
  }

  lagPoints(options: { replica?: string; sinceMs?: number; limitPerReplica?: number } = {}): LagPoint[] {
    return this.history.points(options);
  }

  /** The regions in the latest snapshot (and any seen before), with lag, SLA, traffic and alerts. */
  regions(): RegionStatus[] {
    const snapshot = this.latestSnapshot;
    const slaByRegion = new Map(this.sla.rows().map((row) => [row.region, row]));
    const names: string[] = [];
    const add = (region: string) => {
      if (!names.includes(region)) names.push(region);
    };
    for (const row of slaByRegion.values()) add(row.region);
    if (snapshot) for (const t of snapshot.traffic) add(t.region);
    const alerts = this.engine.active();
    return names.map((region) => {
      const replicas = (snapshot?.replicas ?? []).filter((r) => r.region === region);
      const lags = replicas.filter((r) => r.connected && r.lagMs !== null).map((r) => r.lagMs as number);
      const regionAlerts = alerts.filter((a) => a.labels.region === region);
      return {
        region,
        thresholdMs: this.thresholdMs(region),
        replicas: replicas.map((r) => ({ replica: r.replica, connected: r.connected, lagMs: r.connected ? r.lagMs : null })),
        currentLagMs: lags.length > 0 ? Math.max(...lags) : null,
        sla: slaByRegion.get(region) ?? null,
        traffic: (snapshot?.traffic ?? [])
          .filter((t) => t.region === region)
          .map((t) => ({
            business: t.business,
            requestCount: t.requestCount,
            errorRate: t.requestCount > 0 ? t.errorCount / t.requestCount : null,
            poolUtilization: t.poolSize > 0 ? t.poolInUse / t.poolSize : null,
          })),
        firingAlertCount: regionAlerts.filter((a) => a.state === 'firing').length,
        pendingAlertCount: regionAlerts.filter((a) => a.state === 'pending').length,
      };
    });
  }
}
