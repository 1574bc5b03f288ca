import { checkNumber } from '../util/option-error';
import { AlertEpisode, alertEpisodes } from './alert-episodes';
import { AlertEvent } from './alert-engine';
import { Incident } from './alert-tradeoff';
import { ReplicationMonitor, ReplicationMonitorOptions } from './replication-monitor';
import { MonitoringScenarioOptions, SimulatedDay } from './simulated-source';
import { ClusterSnapshot } from './snapshot';

/**
 * One monitored business day, the experiment of notebook 09: the simulated cluster runs
 * the day, the monitor samples it every `sampleEveryMs` (as the service would every
 * MONITORING_INTERVAL_SECONDS), and everything is kept for plots and tables: the monitor's
 * samples, the simulator's dense lag trace (the ground truth between samples), the alert
 * events and the SLA rows. Deterministic: one seed, one result.
 */
export interface MonitoringDayOptions extends MonitoringScenarioOptions {
  /** How often the monitor samples, simulated ms. Default 500. */
  sampleEveryMs?: number;
  /** Settings of the monitor (thresholds, forMs, clearForMs, SLA target). */
  monitor?: ReplicationMonitorOptions;
}

export interface MonitoringDay {
  day: SimulatedDay;
  monitor: ReplicationMonitor;
  snapshots: ClusterSnapshot[];
  /** The monitor's view: one row per replica per sample (lagMs null when disconnected). */
  samples: Array<{ timeMs: number; hour: number; replica: string; region: string; lagMs: number | null; thresholdMs: number }>;
  /** The simulator's dense lag trace. */
  trace: Array<{ timeMs: number; hour: number; replica: string; region: string; lagMs: number; pendingEntries: number }>;
  events: AlertEvent[];
  episodes: AlertEpisode[];
}

export function runMonitoringDay(options: MonitoringDayOptions): MonitoringDay {
  const { sampleEveryMs: sampleOption, monitor: monitorOptions, ...scenario } = options;
  const sampleEveryMs = checkNumber('sampleEveryMs', sampleOption ?? 500, { min: 1 });
  const day = new SimulatedDay(scenario);
  const sampleCount = Math.floor(day.endMs / sampleEveryMs);
  const monitor = new ReplicationMonitor({
    forMs: 4000,
    clearForMs: 2000,
    ...(monitorOptions ?? {}),
    history: { maxPointsPerReplica: Math.max(1, sampleCount + 1) },
  });
  const snapshots: ClusterSnapshot[] = [];
  for (let t = sampleEveryMs; t <= day.endMs; t += sampleEveryMs) {
    day.advanceTo(t);
    const snapshot = day.snapshot(t);
    monitor.ingest(snapshot);
    snapshots.push(snapshot);
  }
  const events = monitor.alertEvents();
  return {
    day,
    monitor,
    snapshots,
    samples: monitor.lagPoints().map((p) => ({ timeMs: p.timeMs, hour: day.hourAt(p.timeMs), replica: p.replica, region: p.region, lagMs: p.lagMs, thresholdMs: monitor.thresholdMs(p.region) })),
    trace: day.lagTrace().map((p) => ({ ...p, hour: day.hourAt(p.timeMs) })),
    events,
    episodes: alertEpisodes(events),
  };
}

/**
 * The incidents that really happened, from a dense lag trace: stretches where a replica's
 * lag stayed above its threshold for at least `minDurationMs`. Shorter excursions are blips
 * that fix themselves; an alert on one of them is what the trade-off counts as a false alarm.
 */
export function lagIncidents(
  trace: ReadonlyArray<{ timeMs: number; replica: string; region: string; lagMs: number }>,
  options: { thresholdMs: (region: string) => number; minDurationMs: number },
): Incident[] {
  const minDurationMs = checkNumber('lagIncidents minDurationMs', options.minDurationMs, { min: 0 });
  const byReplica = new Map<string, Array<{ timeMs: number; region: string; lagMs: number }>>();
  for (const p of trace) {
    const list = byReplica.get(p.replica) ?? [];
    list.push(p);
    byReplica.set(p.replica, list);
  }
  const incidents: Incident[] = [];
  for (const [replica, points] of byReplica) {
    points.sort((a, b) => a.timeMs - b.timeMs);
    let start: number | null = null;
    let last = 0;
    const close = (endMs: number) => {
      if (start !== null && endMs - start >= minDurationMs) incidents.push({ replica, region: points[0].region, startMs: start, endMs, label: `${replica} above threshold` });
      start = null;
    };
    for (const p of points) {
      const above = p.lagMs > options.thresholdMs(p.region);
      if (above && start === null) start = p.timeMs;
      if (!above && start !== null) close(p.timeMs);
      last = p.timeMs;
    }
    close(last);
  }
  return incidents.sort((a, b) => a.startMs - b.startMs);
}

/**
 * The alert timeline as a grid for a heatmap: one row per alert that ever went pending, one
 * column per time bin, the value the worst state in the bin (0 inactive, 1 pending, 2 firing).
 */
export function alertStateGrid(
  events: readonly AlertEvent[],
  options: { startMs: number; endMs: number; binMs: number; binLabel?: (binStartMs: number) => string },
): Array<{ alert: string; bin: string; state: number }> {
  const binMs = checkNumber('alertStateGrid binMs', options.binMs, { min: 1 });
  const binCount = Math.ceil((options.endMs - options.startMs) / binMs);
  checkNumber('alertStateGrid bins', binCount, { integer: true, min: 1, max: 10_000 });
  const label = options.binLabel ?? ((t: number) => String(t));
  const episodes = alertEpisodes(events);
  const ids = [...new Set(episodes.map((e) => e.id))];
  const grid = new Map<string, number[]>(ids.map((id) => [id, new Array<number>(binCount).fill(0)]));
  const mark = (row: number[], fromMs: number, toMs: number, level: number) => {
    const first = Math.max(0, Math.floor((fromMs - options.startMs) / binMs));
    const last = Math.min(binCount - 1, Math.floor((Math.max(fromMs, toMs - 1e-9) - options.startMs) / binMs));
    for (let b = first; b <= last; b++) row[b] = Math.max(row[b], level);
  };
  for (const e of episodes) {
    const row = grid.get(e.id) as number[];
    const end = e.endedAtMs ?? options.endMs;
    mark(row, e.pendingAtMs, e.firingAtMs ?? end, 1);
    if (e.firingAtMs !== null) mark(row, e.firingAtMs, end, 2);
  }
  const records: Array<{ alert: string; bin: string; state: number }> = [];
  for (const id of ids) {
    const row = grid.get(id) as number[];
    row.forEach((state, b) => records.push({ alert: id, bin: label(options.startMs + b * binMs), state }));
  }
  return records;
}
