import { OptionError, checkNumber } from '../util/option-error';
import { ClusterSnapshot } from './snapshot';

/**
 * SLA tracking: the share of time each region's replicas were within their lag threshold.
 * Between two samples the tracker assumes the state seen at the first one (a step function,
 * the way Prometheus' `avg_over_time` of a 0/1 series counts). A region is within its SLA
 * at a moment when EVERY replica there is connected with a lag at or below the threshold;
 * a disconnected replica is a breach (a replica that serves nothing is not "fresh"); a
 * connected replica with no measurement is counted apart as unknown time, neither good nor bad.
 * With a `window` (the business hours), an interval that starts outside it is counted apart as
 * outside-window time and judges nothing: the SLA is promised for the business day only.
 */
export interface SlaWindow {
  /** First hour of the window, 0–23, and the hour it ends (exclusive), 1–24, local time. */
  fromHour: number;
  toHour: number;
  /** Local time = UTC + this many minutes (India Standard Time: 330). */
  utcOffsetMinutes: number;
}

const DAY_MS = 86_400_000;

/** Whether an epoch-ms instant falls in the window's hours, local time. */
export function inSlaWindow(window: SlaWindow, timeMs: number): boolean {
  const localMs = (((timeMs + window.utcOffsetMinutes * 60_000) % DAY_MS) + DAY_MS) % DAY_MS;
  const hour = localMs / 3_600_000;
  return hour >= window.fromHour && hour < window.toHour;
}

/** Checks a window's fields; `name` prefixes every error (e.g. "sla window"). */
export function checkSlaWindow(name: string, window: SlaWindow): SlaWindow {
  checkNumber(`${name}.fromHour`, window.fromHour, { min: 0, max: 23, integer: true });
  checkNumber(`${name}.toHour`, window.toHour, { min: 1, max: 24, integer: true });
  checkNumber(`${name}.utcOffsetMinutes`, window.utcOffsetMinutes, { min: -720, max: 840, integer: true });
  if (window.toHour <= window.fromHour) {
    throw new OptionError(`${name}.toHour: got ${window.toHour} with fromHour ${window.fromHour}; allowed: an hour after fromHour (the window is [fromHour, toHour))`);
  }
  return { fromHour: window.fromHour, toHour: window.toHour, utcOffsetMinutes: window.utcOffsetMinutes };
}

export interface SlaOptions {
  /** Lag threshold per region, ms; regions without one use defaultThresholdMs. */
  thresholdByRegionMs?: Record<string, number>;
  defaultThresholdMs: number;
  /** The promised share of time within threshold, e.g. 0.999. */
  targetShare: number;
  /** Judge only the time inside these hours (epoch-ms sample times); default: all time. */
  window?: SlaWindow;
}

export interface RegionSlaRow {
  region: string;
  thresholdMs: number;
  replicaCount: number;
  /** Time covered by samples, ms. */
  observedMs: number;
  withinMs: number;
  breachMs: number;
  unknownMs: number;
  /** Time outside the SLA window (off business hours), judged neither way; 0 without a window. */
  outsideWindowMs: number;
  /** withinMs / (withinMs + breachMs); null before any measured time. */
  withinShare: number | null;
  targetShare: number;
  /** withinShare ≥ targetShare (null when unknown). */
  met: boolean | null;
  /** The SLA allows (1 − target) of the measured time out of threshold: how much of that budget is used (1 = all). */
  errorBudgetUsed: number | null;
  worstLagMs: number | null;
  /** The region's worst replica lag at the latest sample. */
  currentLagMs: number | null;
}

type RegionState = 'within' | 'breach' | 'unknown';

interface RegionAccumulator {
  region: string;
  replicas: Set<string>;
  withinMs: number;
  breachMs: number;
  unknownMs: number;
  outsideWindowMs: number;
  worstLagMs: number | null;
  currentLagMs: number | null;
  lastState: RegionState | null;
  lastTimeMs: number;
}

const REGIONS_MAX = 1000;

export class SlaTracker {
  private readonly regions = new Map<string, RegionAccumulator>();
  private readonly options: SlaOptions;
  private lastTimeMs: number | null = null;

  constructor(options: SlaOptions) {
    checkNumber('sla defaultThresholdMs', options.defaultThresholdMs, { min: 0 });
    checkNumber('sla targetShare', options.targetShare, { min: 0, max: 1 });
    for (const [region, value] of Object.entries(options.thresholdByRegionMs ?? {})) checkNumber(`sla thresholdByRegionMs.${region}`, value, { min: 0 });
    this.options = {
      ...options,
      thresholdByRegionMs: { ...(options.thresholdByRegionMs ?? {}) },
      ...(options.window !== undefined ? { window: checkSlaWindow('sla window', options.window) } : {}),
    };
  }

  thresholdMs(region: string): number {
    const own = (this.options.thresholdByRegionMs ?? {})[region];
    return own !== undefined ? own : this.options.defaultThresholdMs;
  }

  /** Whether time at `timeMs` is judged (inside the window, or always without one). */
  judges(timeMs: number): boolean {
    return this.options.window === undefined || inSlaWindow(this.options.window, timeMs);
  }

  /** Adds one snapshot: the time since the previous one is credited to the state the previous one showed. */
  add(snapshot: ClusterSnapshot): void {
    const t = snapshot.timeMs;
    if (this.lastTimeMs !== null && t < this.lastTimeMs) {
      throw new OptionError(`SlaTracker.add timeMs: got ${t}; allowed: ≥ the previous sample's ${this.lastTimeMs} (time never goes back)`);
    }
    this.lastTimeMs = t;
    // Credit the elapsed interval to every region's previous state (outside the window: to no state).
    for (const acc of this.regions.values()) {
      if (acc.lastState !== null) {
        const elapsed = t - acc.lastTimeMs;
        if (!this.judges(acc.lastTimeMs)) acc.outsideWindowMs += elapsed;
        else if (acc.lastState === 'within') acc.withinMs += elapsed;
        else if (acc.lastState === 'breach') acc.breachMs += elapsed;
        else acc.unknownMs += elapsed;
      }
      acc.lastTimeMs = t;
    }
    const byRegion = new Map<string, { breach: boolean; unknown: boolean; worst: number | null }>();
    for (const r of snapshot.replicas) {
      const entry = byRegion.get(r.region) ?? { breach: false, unknown: false, worst: null };
      const threshold = this.thresholdMs(r.region);
      if (!r.connected) entry.breach = true;
      else if (r.lagMs === null) entry.unknown = true;
      else {
        if (r.lagMs > threshold) entry.breach = true;
        entry.worst = entry.worst === null ? r.lagMs : Math.max(entry.worst, r.lagMs);
      }
      byRegion.set(r.region, entry);
      let acc = this.regions.get(r.region);
      if (!acc) {
        if (this.regions.size >= REGIONS_MAX) throw new OptionError(`SlaTracker: more than ${REGIONS_MAX} regions; region labels must come from a small fixed set`);
        acc = { region: r.region, replicas: new Set(), withinMs: 0, breachMs: 0, unknownMs: 0, outsideWindowMs: 0, worstLagMs: null, currentLagMs: null, lastState: null, lastTimeMs: t };
        this.regions.set(r.region, acc);
      }
      acc.replicas.add(r.replica);
    }
    for (const acc of this.regions.values()) {
      const entry = byRegion.get(acc.region);
      // A region whose replicas all vanished from the report is unknown, not fine.
      acc.lastState = !entry ? 'unknown' : entry.breach ? 'breach' : entry.unknown ? 'unknown' : 'within';
      acc.currentLagMs = entry ? entry.worst : null;
      if (entry && entry.worst !== null) acc.worstLagMs = acc.worstLagMs === null ? entry.worst : Math.max(acc.worstLagMs, entry.worst);
    }
  }

  /** One row per region, in the order regions first appeared. */
  rows(): RegionSlaRow[] {
    const target = this.options.targetShare;
    return [...this.regions.values()].map((acc) => {
      const measured = acc.withinMs + acc.breachMs;
      const withinShare = measured > 0 ? acc.withinMs / measured : null;
      const allowedBreachMs = (1 - target) * measured;
      return {
        region: acc.region,
        thresholdMs: this.thresholdMs(acc.region),
        replicaCount: acc.replicas.size,
        observedMs: measured + acc.unknownMs,
        withinMs: acc.withinMs,
        breachMs: acc.breachMs,
        unknownMs: acc.unknownMs,
        outsideWindowMs: acc.outsideWindowMs,
        withinShare,
        targetShare: target,
        met: withinShare === null ? null : withinShare >= target,
        errorBudgetUsed: measured === 0 ? null : allowedBreachMs > 0 ? acc.breachMs / allowedBreachMs : acc.breachMs > 0 ? Infinity : 0,
        worstLagMs: acc.worstLagMs,
        currentLagMs: acc.currentLagMs,
      };
    });
  }
}
