import { LimitExceededError, OptionError, checkNumber, checkOneOf } from '../util/option-error';
import { AlertRule, AlertSeverity, METRIC_UNITS, Observation, validateAlertRules } from './alert-rules';

/**
 * The alert state machine, Prometheus-style, per rule and series:
 *
 *   inactive ──breach──► pending ──breach for forMs──► firing ──clear for clearForMs──► resolved (→ inactive)
 *                  ▲        │                             │  ▲
 *                  └─clear──┘ (a blip: never fired)       └──┘ breach again: clear timer restarts
 *
 * `forMs` trades detection time for fewer false alarms: a short spike never fires. `clearForMs`
 * is hysteresis in time: a firing alert does not resolve on one good sample and fire again
 * on the next bad one. The engine is pure: the caller passes the time with every step.
 */
export type AlertState = 'inactive' | 'pending' | 'firing';

/** A change of state, as it happened. `to: 'resolved'` ends a firing alert; `to: 'inactive'` ends a blip. */
export interface AlertEvent {
  timeMs: number;
  rule: string;
  key: string;
  labels: Record<string, string>;
  severity: AlertSeverity;
  from: AlertState;
  to: 'pending' | 'firing' | 'resolved' | 'inactive';
  value: number | null;
  threshold: number;
}

/** A pending or firing alert, as /alerts shows it. */
export interface ActiveAlert {
  id: string;
  rule: string;
  key: string;
  labels: Record<string, string>;
  severity: AlertSeverity;
  state: 'pending' | 'firing';
  value: number | null;
  threshold: number;
  unit: string;
  /** When the condition started to hold (start of pending). */
  activeSinceMs: number;
  firingSinceMs: number | null;
  /** While firing: since when the condition has been clear (the alert resolves after clearForMs). */
  clearSinceMs: number | null;
  summary: string;
}

interface SeriesState {
  rule: AlertRule;
  key: string;
  labels: Record<string, string>;
  state: AlertState;
  value: number | null;
  threshold: number;
  activeSinceMs: number;
  firingSinceMs: number | null;
  clearSinceMs: number | null;
}

export interface AlertEngineOptions {
  /** The most distinct (rule, series) pairs; more is a label explosion and an error. Default 10 000. */
  maxSeries?: number;
  /** The most events kept. Default 10 000. */
  maxEvents?: number;
  /**
   * What happens when the event history is full: "error" (default; right for a bounded
   * experiment, where losing events would falsify the result) or "drop-oldest" (right for
   * a service that runs for months and shows recent history).
   */
  whenEventsFull?: 'error' | 'drop-oldest';
}

function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'no data';
  if (unit === 'ratio') return `${(value * 100).toFixed(2)} %`;
  if (unit === 'boolean') return value > 0 ? 'yes' : 'no';
  return `${value.toFixed(1)} ${unit}`;
}

/** One line a human reads in a pager: what, where, how bad, against what. */
export function alertSummary(rule: AlertRule, labels: Record<string, string>, value: number | null, threshold: number): string {
  const unit = METRIC_UNITS[rule.metric];
  const where = labels.replica ? `replica ${labels.replica} (${labels.region})` : `${labels.region} ${labels.business}`;
  switch (rule.metric) {
    case 'sourceDown':
      return 'The monitor cannot sample the cluster: lag, leader and replicas are unknown';
    case 'leaderMissing':
      return 'No server accepts writes: the cluster has no leader';
    case 'writableServers':
      return `${value ?? '?'} servers accept writes at once: split brain`;
    case 'targetDown':
      return `Database server ${labels.server} does not answer`;
    case 'inactiveSlotRetainedBytes':
      return `Inactive replication slot ${labels.slot} holds ${value === null ? 'unknown' : (value / 1048576).toFixed(1)} MiB of WAL on the primary`;
    case 'resourceUsage':
      return `CPU or memory of the database host at ${formatValue(value, unit)}, above ${formatValue(threshold, unit)}`;
    case 'replicaLagMs':
      return `Replication lag of ${where} is ${formatValue(value, unit)}, above the ${threshold} ms threshold`;
    case 'replicaDisconnected':
      return `${where[0].toUpperCase()}${where.slice(1)} is not streaming from the leader`;
    case 'errorRate':
      return `Error rate of ${where} is ${formatValue(value, unit)}, above ${formatValue(threshold, unit)}`;
    case 'poolUtilization':
      return `Connection pool of ${where} is ${formatValue(value, unit)} used, above ${formatValue(threshold, unit)}`;
  }
}

export class AlertEngine {
  readonly rules: AlertRule[];
  private readonly series = new Map<string, SeriesState>();
  private readonly eventLog: AlertEvent[] = [];
  private readonly maxSeries: number;
  private readonly maxEvents: number;
  private readonly whenEventsFull: 'error' | 'drop-oldest';
  private lastTimeMs = -Infinity;
  /** Events dropped because the history was full (drop-oldest only). */
  droppedEventCount = 0;

  constructor(rules: readonly AlertRule[], options: AlertEngineOptions = {}) {
    this.rules = validateAlertRules(rules.map((r) => ({ ...r })));
    this.maxSeries = checkNumber('maxSeries', options.maxSeries ?? 10_000, { integer: true, min: 1 });
    this.maxEvents = checkNumber('maxEvents', options.maxEvents ?? 10_000, { integer: true, min: 1 });
    this.whenEventsFull = checkOneOf('whenEventsFull', options.whenEventsFull ?? 'error', ['error', 'drop-oldest']);
  }

  /**
   * Advances every series to `timeMs` with this sampling's observations and returns the
   * events it caused. A series that was active but is not observed any more (a replica that
   * vanished from the report) counts as clear.
   */
  step(timeMs: number, observations: readonly Observation[]): AlertEvent[] {
    checkNumber('AlertEngine.step timeMs', timeMs);
    if (timeMs < this.lastTimeMs) throw new OptionError(`AlertEngine.step timeMs: got ${timeMs}; allowed: ≥ the previous step's ${this.lastTimeMs} (time never goes back)`);
    this.lastTimeMs = timeMs;
    const rulesByName = new Map(this.rules.map((r) => [r.name, r]));
    const events: AlertEvent[] = [];
    const seen = new Set<string>();
    for (const obs of observations) {
      const rule = rulesByName.get(obs.rule);
      if (!rule) throw new OptionError(`AlertEngine.step: observation for unknown rule ${JSON.stringify(obs.rule)}; rules: ${this.rules.map((r) => r.name).join(', ')}`);
      const id = `${obs.rule}/${obs.key}`;
      seen.add(id);
      let s = this.series.get(id);
      if (!s) {
        if (!obs.breached) continue; // nothing to remember about a healthy series
        if (this.series.size >= this.maxSeries) {
          throw new LimitExceededError(`alert engine tracks ${this.series.size} series, its limit (maxSeries = ${this.maxSeries}); too many distinct replicas or regions?`);
        }
        s = { rule, key: obs.key, labels: obs.labels, state: 'inactive', value: obs.value, threshold: obs.threshold, activeSinceMs: timeMs, firingSinceMs: null, clearSinceMs: null };
        this.series.set(id, s);
      }
      s.value = obs.value;
      s.threshold = obs.threshold;
      s.labels = obs.labels;
      this.advance(s, timeMs, obs.breached, events);
      if (s.state === 'inactive') this.series.delete(id);
    }
    for (const [id, s] of this.series) {
      if (seen.has(id)) continue;
      s.value = null;
      this.advance(s, timeMs, false, events);
      if (s.state === 'inactive') this.series.delete(id);
    }
    for (const event of events) this.record(event);
    return events;
  }

  private advance(s: SeriesState, timeMs: number, breached: boolean, events: AlertEvent[]): void {
    const emit = (from: AlertState, to: AlertEvent['to']) =>
      events.push({ timeMs, rule: s.rule.name, key: s.key, labels: s.labels, severity: s.rule.severity, from, to, value: s.value, threshold: s.threshold });
    if (s.state === 'inactive') {
      if (!breached) return;
      s.state = 'pending';
      s.activeSinceMs = timeMs;
      s.firingSinceMs = null;
      s.clearSinceMs = null;
      emit('inactive', 'pending');
    }
    if (s.state === 'pending') {
      if (!breached) {
        s.state = 'inactive';
        emit('pending', 'inactive');
        return;
      }
      if (timeMs - s.activeSinceMs >= s.rule.forMs) {
        s.state = 'firing';
        s.firingSinceMs = timeMs;
        emit('pending', 'firing');
      }
      return;
    }
    // firing
    if (breached) {
      s.clearSinceMs = null;
      return;
    }
    if (s.clearSinceMs === null) s.clearSinceMs = timeMs;
    if (timeMs - s.clearSinceMs >= s.rule.clearForMs) {
      s.state = 'inactive';
      emit('firing', 'resolved');
    }
  }

  private record(event: AlertEvent): void {
    if (this.eventLog.length >= this.maxEvents) {
      if (this.whenEventsFull === 'error') {
        throw new LimitExceededError(`alert history holds ${this.eventLog.length} events, its limit (maxEvents = ${this.maxEvents}); raise maxEvents or use whenEventsFull: 'drop-oldest'`);
      }
      this.eventLog.shift();
      this.droppedEventCount++;
    }
    this.eventLog.push(event);
  }

  /** Pending and firing alerts, firing first, then by severity and id. */
  active(): ActiveAlert[] {
    const severityRank: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };
    return [...this.series.entries()]
      .filter(([, s]) => s.state !== 'inactive')
      .map(([id, s]) => ({
        id,
        rule: s.rule.name,
        key: s.key,
        labels: s.labels,
        severity: s.rule.severity,
        state: s.state as 'pending' | 'firing',
        value: s.value,
        threshold: s.threshold,
        unit: METRIC_UNITS[s.rule.metric],
        activeSinceMs: s.activeSinceMs,
        firingSinceMs: s.firingSinceMs,
        clearSinceMs: s.clearSinceMs,
        summary: alertSummary(s.rule, s.labels, s.value, s.threshold),
      }))
      .sort((a, b) => (a.state === b.state ? 0 : a.state === 'firing' ? -1 : 1) || severityRank[a.severity] - severityRank[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Every event so far, oldest first (a copy). */
  events(): AlertEvent[] {
    return this.eventLog.slice();
  }
}
