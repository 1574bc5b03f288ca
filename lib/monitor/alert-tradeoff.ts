import { OptionError, checkNumber } from '../util/option-error';
import { alertEpisodes } from './alert-episodes';
import { ReplicationMonitor } from './replication-monitor';
import { ClusterSnapshot } from './snapshot';

/**
 * How thresholds and for-durations trade false alarms against detection time. We replay
 * the SAME recorded snapshots through monitors that differ only in one setting, and score
 * each against what we know really happened (the incidents): a firing alert whose firing
 * span overlaps an incident detects it, with a delay from the incident's start to the
 * firing (negative: it fired early, as an early warning); a firing alert that overlaps no
 * incident is a false alarm.
 */
export interface Incident {
  /** Which replica (or every replica of which region) the incident hits. */
  replica?: string;
  region?: string;
  startMs: number;
  endMs: number;
  label?: string;
}

export interface TradeoffVariant {
  forMs: number;
  /** Multiplies every lag threshold of the monitor (1 = the episode's 100 ms / 200 ms). Default 1. */
  thresholdScale?: number;
}

export interface TradeoffRow {
  forMs: number;
  /** "×1" is the episode's thresholds. */
  threshold: string;
  firingCount: number;
  falseAlarmCount: number;
  detectedCount: number;
  missedCount: number;
  /** Mean and worst delay from incident start to the first firing alert, ms; null when nothing was detected. */
  detectionDelayMsMean: number | null;
  detectionDelayMsMax: number | null;
}

export interface TradeoffOptions {
  incidents: readonly Incident[];
  variants: readonly TradeoffVariant[];
  /** The rule scored. Default "ReplicationLagCritical". */
  rule?: string;
  /** A firing span that starts within this long after an incident ended still counts for it (lag drains slowly). Default 10 000. */
  graceMs?: number;
  clearForMs?: number;
  /** The monitor's thresholds before scaling. Default 200 ms, and 100 ms in Mumbai. */
  lagThresholdMs?: number;
  lagThresholdByRegionMs?: Record<string, number>;
}

function matches(incident: Incident, labels: { replica?: string; region?: string | null }): boolean {
  if (incident.replica !== undefined) return labels.replica === incident.replica;
  if (incident.region !== undefined) return labels.region === incident.region;
  return true;
}

export function alertTradeoff(snapshots: readonly ClusterSnapshot[], options: TradeoffOptions): TradeoffRow[] {
  if (!Array.isArray(options.incidents)) throw new OptionError(`alertTradeoff incidents: got ${JSON.stringify(options.incidents)}; allowed: an array of { replica | region, startMs, endMs }`);
  if (!Array.isArray(options.variants) || options.variants.length === 0) throw new OptionError(`alertTradeoff variants: got ${JSON.stringify(options.variants)}; allowed: a non-empty array of { forMs, thresholdScale? }`);
  options.incidents.forEach((incident, i) => {
    checkNumber(`incidents[${i}].startMs`, incident.startMs);
    checkNumber(`incidents[${i}].endMs`, incident.endMs, { min: incident.startMs });
  });
  const ruleName = options.rule ?? 'ReplicationLagCritical';
  const graceMs = checkNumber('alertTradeoff graceMs', options.graceMs ?? 10_000, { min: 0 });
  const baseThresholdMs = options.lagThresholdMs ?? 200;
  const baseByRegion = options.lagThresholdByRegionMs ?? { mumbai: 100 };
  const endOfRunMs = snapshots.length > 0 ? snapshots[snapshots.length - 1].timeMs : 0;
  return options.variants.map((variant, v) => {
    checkNumber(`variants[${v}].forMs`, variant.forMs, { min: 0 });
    const scale = checkNumber(`variants[${v}].thresholdScale`, variant.thresholdScale ?? 1, { min: 0 });
    const byRegion: Record<string, number> = {};
    for (const [region, value] of Object.entries(baseByRegion)) byRegion[region] = value * scale;
    const monitor = new ReplicationMonitor({
      forMs: variant.forMs,
      clearForMs: options.clearForMs ?? 0,
      lagThresholdMs: baseThresholdMs * scale,
      lagThresholdByRegionMs: byRegion,
      history: { maxPointsPerReplica: Math.max(1, snapshots.length) },
      alerts: { maxEvents: Math.max(10_000, snapshots.length * 20) },
    });
    if (!monitor.rules.some((r) => r.name === ruleName)) throw new OptionError(`alertTradeoff rule: got ${JSON.stringify(ruleName)}; allowed: ${monitor.rules.map((r) => r.name).join(', ')}`);
    for (const snapshot of snapshots) monitor.ingest(snapshot);
    const firings = alertEpisodes(monitor.alertEvents()).filter((e) => e.rule === ruleName && e.firingAtMs !== null);
    const firstFiringMs = new Map<number, number>();
    let falseAlarmCount = 0;
    for (const episode of firings) {
      const fromMs = episode.firingAtMs as number;
      const toMs = episode.endedAtMs ?? endOfRunMs;
      const labels = { replica: episode.key, region: episode.region };
      let overlapsAny = false;
      options.incidents.forEach((incident, i) => {
        if (!matches(incident, labels) || toMs < incident.startMs || fromMs > incident.endMs + graceMs) return;
        overlapsAny = true;
        const known = firstFiringMs.get(i);
        if (known === undefined || fromMs < known) firstFiringMs.set(i, fromMs);
      });
      if (!overlapsAny) falseAlarmCount++;
    }
    const delays = [...firstFiringMs.entries()].map(([i, firingMs]) => firingMs - options.incidents[i].startMs);
    return {
      forMs: variant.forMs,
      threshold: `×${scale}`,
      firingCount: firings.length,
      falseAlarmCount,
      detectedCount: firstFiringMs.size,
      missedCount: options.incidents.length - firstFiringMs.size,
      detectionDelayMsMean: delays.length > 0 ? delays.reduce((a, b) => a + b, 0) / delays.length : null,
      detectionDelayMsMax: delays.length > 0 ? Math.max(...delays) : null,
    };
  });
}
