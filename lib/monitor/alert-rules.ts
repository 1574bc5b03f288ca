import { OptionError, checkKnownKeys, checkNumber, checkOneOf } from '../util/option-error';
import { ClusterSnapshot } from './snapshot';

/**
 * Alert rules as data, so they can be configured, printed and tested. A rule watches one
 * metric per series (a replica, or a region), compares it with a threshold that may depend
 * on the region or on the business, and must stay breached for `forMs` before it fires and
 * stay clear for `clearForMs` before it resolves: the two durations are what keep an alert
 * from flapping on every jittery sample.
 */
export const ALERT_METRICS = [
  'replicaLagMs', 'replicaDisconnected', 'errorRate', 'poolUtilization',
  'sourceDown', 'leaderMissing', 'writableServers', 'targetDown', 'inactiveSlotRetainedBytes', 'resourceUsage',
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export interface AlertRule {
  /** e.g. "ReplicationLagCritical" */
  name: string;
  metric: AlertMetric;
  severity: AlertSeverity;
  /** Fires when the value is strictly greater than the threshold. */
  threshold: number;
  /** Thresholds for particular regions, e.g. { mumbai: 100 }. */
  thresholdByRegion?: Record<string, number>;
  /** Thresholds for particular businesses (error rate), e.g. { banking: 0.01 }. */
  thresholdByBusiness?: Record<string, number>;
  /** The condition must hold this long before the alert fires (it is "pending" meanwhile). */
  forMs: number;
  /** A firing alert resolves only after the condition has been false this long. */
  clearForMs: number;
}

/** What a metric measures, for messages and the /alerts JSON. */
export const METRIC_UNITS: Record<AlertMetric, string> = {
  replicaLagMs: 'ms',
  replicaDisconnected: 'boolean',
  errorRate: 'ratio',
  poolUtilization: 'ratio',
  sourceDown: 'boolean',
  leaderMissing: 'boolean',
  writableServers: 'servers',
  targetDown: 'boolean',
  inactiveSlotRetainedBytes: 'bytes',
  resourceUsage: 'ratio',
};

/**
 * The rules the episode names: critical replication lag above 100 ms in Mumbai and 200 ms
 * elsewhere; error rate above 1 % for banking and 2 % for e-commerce; a connection pool
 * more than 90 % used. Plus the rule every lag monitor needs and the episode implies: a
 * replica that stopped streaming has no lag to measure, yet it is the worst lag of all.
 */
export function episodeAlertRules(options: { forMs?: number; clearForMs?: number; lagThresholdMs?: number; lagThresholdByRegionMs?: Record<string, number> } = {}): AlertRule[] {
  const forMs = options.forMs ?? 30_000;
  const clearForMs = options.clearForMs ?? 30_000;
  return [
    {
      name: 'ReplicationLagCritical',
      metric: 'replicaLagMs',
      severity: 'critical',
      threshold: options.lagThresholdMs ?? 200,
      thresholdByRegion: options.lagThresholdByRegionMs ?? { mumbai: 100 },
      forMs,
      clearForMs,
    },
    { name: 'ReplicaDisconnected', metric: 'replicaDisconnected', severity: 'critical', threshold: 0, forMs, clearForMs },
    { name: 'ErrorRateHigh', metric: 'errorRate', severity: 'critical', threshold: 0.02, thresholdByBusiness: { banking: 0.01, ecommerce: 0.02 }, forMs, clearForMs },
    { name: 'ConnectionPoolSaturated', metric: 'poolUtilization', severity: 'warning', threshold: 0.9, forMs, clearForMs },
    // A monitor that cannot see the cluster must say so loudly: silence is not health.
    { name: 'MonitorSourceDown', metric: 'sourceDown', severity: 'critical', threshold: 0, forMs, clearForMs },
    { name: 'ReplicationLeaderMissing', metric: 'leaderMissing', severity: 'critical', threshold: 0, forMs, clearForMs },
    // Two servers accepting writes: split brain. It fires at once; there is no safe duration.
    { name: 'ReplicationSplitBrain', metric: 'writableServers', severity: 'critical', threshold: 1, forMs: 0, clearForMs },
    { name: 'DatabaseTargetDown', metric: 'targetDown', severity: 'warning', threshold: 0, forMs, clearForMs },
    // An inactive slot keeps WAL on the primary's disk until the disk is full (64 MiB is a first warning).
    { name: 'ReplicationSlotInactive', metric: 'inactiveSlotRetainedBytes', severity: 'warning', threshold: 64 * 1024 * 1024, forMs, clearForMs },
    // The episode's resource rule: CPU or memory above 80 %.
    { name: 'ResourceUsageHigh', metric: 'resourceUsage', severity: 'warning', threshold: 0.8, forMs, clearForMs },
  ];
}

const RULE_KEYS = ['name', 'metric', 'severity', 'threshold', 'thresholdByRegion', 'thresholdByBusiness', 'forMs', 'clearForMs'];
const RULE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function checkThresholdMap(option: string, map: unknown): void {
  if (map === undefined) return;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new OptionError(`${option}: got ${JSON.stringify(map)}; allowed: an object such as { "mumbai": 100 }`);
  for (const [key, value] of Object.entries(map)) checkNumber(`${option}.${key}`, value, { min: 0 });
}

/** Checks a list of rules and returns it; the error names the rule, the field and what is allowed. */
export function validateAlertRules(rules: unknown): AlertRule[] {
  if (!Array.isArray(rules)) throw new OptionError(`alert rules: got ${JSON.stringify(rules)}; allowed: an array of rules`);
  const names = new Set<string>();
  rules.forEach((rule, index) => {
    const where = `rules[${index}]`;
    if (typeof rule !== 'object' || rule === null) throw new OptionError(`${where}: got ${JSON.stringify(rule)}; allowed: an object { name, metric, severity, threshold, forMs, clearForMs }`);
    checkKnownKeys(where, rule, RULE_KEYS);
    const r = rule as AlertRule;
    if (typeof r.name !== 'string' || !RULE_NAME.test(r.name)) throw new OptionError(`${where}.name: got ${JSON.stringify(r.name)}; allowed: letters, digits and _ starting with a letter`);
    if (names.has(r.name)) throw new OptionError(`${where}.name: ${JSON.stringify(r.name)} is used twice; rule names must be unique`);
    names.add(r.name);
    checkOneOf(`${where}.metric`, r.metric, ALERT_METRICS);
    checkOneOf(`${where}.severity`, r.severity, ALERT_SEVERITIES);
    checkNumber(`${where}.threshold`, r.threshold, { min: 0 });
    checkThresholdMap(`${where}.thresholdByRegion`, r.thresholdByRegion);
    checkThresholdMap(`${where}.thresholdByBusiness`, r.thresholdByBusiness);
    checkNumber(`${where}.forMs`, r.forMs, { min: 0 });
    checkNumber(`${where}.clearForMs`, r.clearForMs, { min: 0 });
  });
  return rules as AlertRule[];
}

/** The threshold of a rule for a series: its region's, else its business's, else the default. */
export function thresholdFor(rule: AlertRule, labels: { region?: string; business?: string }): number {
  if (labels.region !== undefined && rule.thresholdByRegion && rule.thresholdByRegion[labels.region] !== undefined) return rule.thresholdByRegion[labels.region];
  if (labels.business !== undefined && rule.thresholdByBusiness && rule.thresholdByBusiness[labels.business] !== undefined) return rule.thresholdByBusiness[labels.business];
  return rule.threshold;
}

/** One series of one rule at one sampling: the value (null = no data) against its threshold. */
export interface Observation {
  rule: string;
  /** Unique per rule: the replica, or region/business. */
  key: string;
  labels: Record<string, string>;
  value: number | null;
  threshold: number;
  /** value > threshold; no data is never a breach (a lost replica is caught by replicaDisconnected). */
  breached: boolean;
}

/** Turns a snapshot into one observation per rule and series. Pure. */
export function observe(rules: readonly AlertRule[], snapshot: ClusterSnapshot): Observation[] {
  const observations: Observation[] = [];
  const push = (rule: AlertRule, key: string, labels: Record<string, string>, value: number | null) => {
    const threshold = thresholdFor(rule, labels);
    observations.push({ rule: rule.name, key, labels, value, threshold, breached: value !== null && value > threshold });
  };
  for (const rule of rules) {
    switch (rule.metric) {
      case 'replicaLagMs':
        for (const r of snapshot.replicas) push(rule, r.replica, { replica: r.replica, region: r.region }, r.connected ? r.lagMs : null);
        break;
      case 'replicaDisconnected':
        for (const r of snapshot.replicas) push(rule, r.replica, { replica: r.replica, region: r.region }, r.connected ? 0 : 1);
        break;
      case 'errorRate':
        for (const t of snapshot.traffic) {
          push(rule, `${t.region}/${t.business}`, { region: t.region, business: t.business }, t.requestCount > 0 ? t.errorCount / t.requestCount : null);
        }
        break;
      case 'poolUtilization':
        for (const t of snapshot.traffic) {
          push(rule, `${t.region}/${t.business}`, { region: t.region, business: t.business }, t.poolSize > 0 ? t.poolInUse / t.poolSize : null);
        }
        break;
      case 'sourceDown':
        // A snapshot exists, so the source answered; observeSourceDown() covers the failures.
        push(rule, 'source', {}, 0);
        break;
      case 'leaderMissing':
        push(rule, 'leader', {}, snapshot.leader ? 0 : 1);
        break;
      case 'writableServers':
        if (snapshot.servers) push(rule, 'cluster', {}, snapshot.servers.filter((v) => v.role === 'primary').length);
        break;
      case 'targetDown':
        for (const v of snapshot.servers ?? []) push(rule, v.server, { server: v.server }, v.up ? 0 : 1);
        break;
      case 'inactiveSlotRetainedBytes':
        for (const slot of snapshot.slots ?? []) push(rule, slot.slot, { slot: slot.slot }, slot.active ? 0 : slot.retainedWalBytes);
        break;
      case 'resourceUsage': {
        const r = snapshot.resources;
        if (r) {
          const values = [r.cpuRatio, r.memoryRatio].filter((v): v is number => v !== null);
          push(rule, 'host', {}, values.length > 0 ? Math.max(...values) : null);
        }
        break;
      }
    }
  }
  return observations;
}

/**
 * The observations of a sampling that failed: the source is down, every configured server is
 * unreachable (as /metrics reports them), and nothing else is known.
 */
export function observeSourceDown(rules: readonly AlertRule[], servers: readonly string[] = []): Observation[] {
  const out: Observation[] = [];
  for (const rule of rules) {
    const threshold = thresholdFor(rule, {});
    if (rule.metric === 'sourceDown') out.push({ rule: rule.name, key: 'source', labels: {}, value: 1, threshold, breached: 1 > threshold });
    if (rule.metric === 'targetDown') {
      for (const server of servers) out.push({ rule: rule.name, key: server, labels: { server }, value: 1, threshold, breached: 1 > threshold });
    }
  }
  return out;
}

function formatThreshold(metric: AlertMetric, value: number): string {
  if (metric === 'errorRate' || metric === 'poolUtilization' || metric === 'resourceUsage') return `${Number((value * 100).toPrecision(6))} %`;
  if (metric === 'replicaDisconnected') return 'not streaming';
  if (metric === 'sourceDown') return 'the cluster cannot be sampled';
  if (metric === 'leaderMissing') return 'no server accepts writes';
  if (metric === 'targetDown') return 'a configured server does not answer';
  if (metric === 'writableServers') return `more than ${value} server accepting writes (split brain)`;
  if (metric === 'inactiveSlotRetainedBytes') return `an inactive slot holding more than ${Number((value / 1048576).toPrecision(6))} MiB of WAL`;
  return `${value} ms`;
}

/** Rules whose threshold is a condition, not a number to compare against per region. */
const CONDITION_METRICS: readonly AlertMetric[] = ['replicaDisconnected', 'sourceDown', 'leaderMissing', 'targetDown'];

/** The rules as table rows a person reads: "100 ms in mumbai, 200 ms elsewhere". */
export function alertRuleRows(rules: readonly AlertRule[]): Array<{ rule: string; metric: string; severity: string; firesWhenAbove: string; forMs: number; clearForMs: number }> {
  return rules.map((rule) => {
    const special = [
      ...Object.entries(rule.thresholdByRegion ?? {}).map(([region, v]) => `${formatThreshold(rule.metric, v)} in ${region}`),
      ...Object.entries(rule.thresholdByBusiness ?? {}).map(([business, v]) => `${formatThreshold(rule.metric, v)} for ${business}`),
    ];
    const base = formatThreshold(rule.metric, rule.threshold);
    const text = CONDITION_METRICS.includes(rule.metric) ? base : special.length > 0 ? `${special.join(', ')}, ${base} otherwise` : base;
    return { rule: rule.name, metric: rule.metric, severity: rule.severity, firesWhenAbove: text, forMs: rule.forMs, clearForMs: rule.clearForMs };
  });
}
