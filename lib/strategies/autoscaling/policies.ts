/**
 * Scaling policies. Each is a small object the fleet asks once per control interval, per serving
 * region: "given what you observe now, how many replicas should this region have, and why?".
 * Policies keep their own per-region memory (cool-downs, HPA recommendation history).
 */
import { OptionError, checkNumber } from '../../util';
import { HpaRecommendation, HpaSpec, checkHpaSpec, hpaDecide } from './hpa';

/** What a policy sees of one serving region at one control tick. */
export interface RegionObservation {
  nowMs: number;
  /** Minutes since the start of the run (the trace's minute). */
  minute: number;
  region: string;
  /** The regions whose users this serving region serves (itself, unless COST_OPTIMIZATION moved them). */
  demandRegions: readonly string[];
  /** Replicas that exist and are not draining: ready plus still provisioning. */
  currentReplicas: number;
  readyReplicas: number;
  /** CPU utilisation (0..1+) of each ready replica; provisioning replicas report none. */
  readyCpuUtilisation: number;
  /** Read requests per second arriving for this region now. */
  readsPerSec: number;
  /** What one replica serves at 100% CPU, requests per second. */
  capacityPerReplicaRps: number;
  /** Reads per second observed at a past minute of this run (null before the run began). */
  pastReadsPerSec(minute: number): number | null;
}

export interface ScalingDecision {
  desiredReplicas: number;
  reason: string;
}

export interface ScalingPolicy {
  readonly name: string;
  decide(obs: RegionObservation): ScalingDecision;
}

/** A per-region count keyed by serving region, or else summed over the demand regions it serves. */
function perServingRegion(counts: Readonly<Record<string, number>>, obs: RegionObservation): number | undefined {
  if (obs.region in counts) return counts[obs.region];
  const known = obs.demandRegions.filter((d) => d in counts);
  return known.length === 0 ? undefined : known.reduce((s, d) => s + counts[d], 0);
}

/** Provisioned for the peak: a fixed count per region, never changed. */
export function staticPolicy(replicasPerRegion: Readonly<Record<string, number>> | number, name = 'static'): ScalingPolicy {
  return {
    name,
    decide(obs) {
      const n = typeof replicasPerRegion === 'number' ? replicasPerRegion : perServingRegion(replicasPerRegion, obs);
      if (n === undefined) throw new OptionError(`staticPolicy replicasPerRegion: got no count for region "${obs.region}"; allowed: a count for every serving region`);
      return { desiredReplicas: n, reason: `static: ${n} replicas` };
    },
  };
}

export interface ThresholdPolicyOptions {
  /** Scale out when ready CPU stays above this for `upForMin` minutes; default 0.75. */
  upperCpu?: number;
  /** Scale in when ready CPU stays below this for `downForMin` minutes; default 0.3. */
  lowerCpu?: number;
  upForMin?: number;
  downForMin?: number;
  /** Replicas added per scale-out; default 2. */
  stepUp?: number;
  /** Minutes after an action during which no other action is taken; default 10. */
  cooldownMin?: number;
  minReplicas: number;
  maxReplicas: number;
  name?: string;
}

/** The classic reactive rule: add a fixed step after a sustained breach, remove one when idle, then cool down. */
export function thresholdPolicy(o: ThresholdPolicyOptions): ScalingPolicy {
  const n = 'thresholdPolicy';
  const upperCpu = checkNumber(`${n} upperCpu`, o.upperCpu ?? 0.75, { min: 0 });
  const lowerCpu = checkNumber(`${n} lowerCpu`, o.lowerCpu ?? 0.3, { min: 0, max: upperCpu });
  const upForMin = checkNumber(`${n} upForMin`, o.upForMin ?? 3, { integer: true, min: 1 });
  const downForMin = checkNumber(`${n} downForMin`, o.downForMin ?? 15, { integer: true, min: 1 });
  const stepUp = checkNumber(`${n} stepUp`, o.stepUp ?? 2, { integer: true, min: 1 });
  const cooldownMin = checkNumber(`${n} cooldownMin`, o.cooldownMin ?? 10, { integer: true, min: 0 });
  const minReplicas = checkNumber(`${n} minReplicas`, o.minReplicas, { integer: true, min: 0 });
  const maxReplicas = checkNumber(`${n} maxReplicas`, o.maxReplicas, { integer: true, min: Math.max(1, minReplicas) });
  const state = new Map<string, { above: number; below: number; lastActionMinute: number }>();
  return {
    name: o.name ?? `threshold ${Math.round(upperCpu * 100)}%/+${stepUp}`,
    decide(obs) {
      const s = state.get(obs.region) ?? { above: 0, below: 0, lastActionMinute: -Infinity };
      state.set(obs.region, s);
      const cpu = obs.readyCpuUtilisation;
      s.above = cpu > upperCpu ? s.above + 1 : 0;
      s.below = cpu < lowerCpu ? s.below + 1 : 0;
      const current = obs.currentReplicas;
      const clampTo = (x: number) => Math.max(minReplicas, Math.min(maxReplicas, x));
      if (current < minReplicas || current > maxReplicas) return { desiredReplicas: clampTo(current), reason: 'outside min/max: clamped' };
      if (obs.minute - s.lastActionMinute < cooldownMin) return { desiredReplicas: current, reason: `cooling down (${cooldownMin} min after the last action)` };
      if (s.above >= upForMin && current < maxReplicas) {
        s.lastActionMinute = obs.minute;
        s.above = 0;
        return { desiredReplicas: clampTo(current + stepUp), reason: `CPU ${(cpu * 100).toFixed(0)}% > ${upperCpu * 100}% for ${upForMin} min: +${stepUp}` };
      }
      if (s.below >= downForMin && current > minReplicas) {
        s.lastActionMinute = obs.minute;
        s.below = 0;
        return { desiredReplicas: clampTo(current - 1), reason: `CPU ${(cpu * 100).toFixed(0)}% < ${lowerCpu * 100}% for ${downForMin} min: −1` };
      }
      return { desiredReplicas: current, reason: `CPU ${(cpu * 100).toFixed(0)}%: hold` };
    },
  };
}

/** Target tracking on replica CPU, as the Kubernetes HPA computes it (see hpa.ts). */
export function hpaPolicy(spec: HpaSpec, name?: string): ScalingPolicy {
  const checked = checkHpaSpec(spec);
  const histories = new Map<string, HpaRecommendation[]>();
  return {
    name: name ?? `HPA target ${Math.round(checked.target * 100)}%`,
    decide(obs) {
      const history = histories.get(obs.region) ?? [];
      histories.set(obs.region, history);
      const pods = [];
      for (let i = 0; i < obs.readyReplicas; i++) pods.push({ ready: true, metric: obs.readyCpuUtilisation });
      for (let i = obs.readyReplicas; i < obs.currentReplicas; i++) pods.push({ ready: false, metric: null });
      const d = hpaDecide(checked, obs.nowMs, obs.currentReplicas, pods, history);
      return { desiredReplicas: d.desiredReplicas, reason: `HPA: ${d.reason}` };
    },
  };
}

export interface ScheduledWindow {
  /** First and last (exclusive) minute of the run the floor applies, e.g. 30 min before the sale to its end. */
  fromMinute: number;
  toMinute: number;
  /** Replica floor per serving region during the window. */
  minReplicas: Readonly<Record<string, number>>;
  label: string;
}

/** Pre-warm for announced events: another policy's decision, raised to a floor during scheduled windows. */
export function scheduledPolicy(base: ScalingPolicy, windows: readonly ScheduledWindow[], name?: string): ScalingPolicy {
  windows.forEach((w, i) => {
    checkNumber(`scheduledPolicy windows[${i}].fromMinute`, w.fromMinute, { integer: true, min: 0 });
    checkNumber(`scheduledPolicy windows[${i}].toMinute`, w.toMinute, { integer: true, min: w.fromMinute + 1 });
  });
  return {
    name: name ?? `scheduled + ${base.name}`,
    decide(obs) {
      const d = base.decide(obs);
      for (const w of windows) {
        if (obs.minute < w.fromMinute || obs.minute >= w.toMinute) continue;
        const floor = perServingRegion(w.minReplicas, obs) ?? 0;
        if (floor > d.desiredReplicas) return { desiredReplicas: floor, reason: `scheduled "${w.label}": floor ${floor} (base said ${d.desiredReplicas})` };
      }
      return d;
    },
  };
}

export interface PredictivePolicyOptions {
  /** Forecast this far ahead: at least the time a new replica needs to be ready; default 40 min. */
  leadMin?: number;
  /** Days of history the seasonal-naive forecast looks back over; default 3. */
  seasonDays?: number;
  /** Utilisation the forecast load is sized for; default 0.6. */
  targetCpu?: number;
  /** Extra headroom over the forecast; default 0.1. */
  headroom?: number;
  minReplicas: number;
  maxReplicas: number;
  /** Announced events: the forecast for a minute inside one is multiplied by its multiplier (a sale at 3× the usual day). */
  announced?: ReadonlyArray<{ fromMinute: number; toMinute: number; multiplier: number; label: string }>;
  /** A reactive policy whose decision the forecast is combined with (the larger wins); default none. */
  reactive?: ScalingPolicy;
  name?: string;
}

/**
 * Seasonal-naive forecasting: the load `leadMin` ahead is what it was at that time of day on the
 * previous `seasonDays` days (their maximum over the next lead window), plus headroom. It learns
 * the daily peaks; it cannot know a sale that has never happened.
 */
export function predictivePolicy(o: PredictivePolicyOptions): ScalingPolicy {
  const n = 'predictivePolicy';
  const leadMin = checkNumber(`${n} leadMin`, o.leadMin ?? 40, { integer: true, min: 1, max: 720 });
  const seasonDays = checkNumber(`${n} seasonDays`, o.seasonDays ?? 3, { integer: true, min: 1, max: 28 });
  const targetCpu = checkNumber(`${n} targetCpu`, o.targetCpu ?? 0.6, { min: 0.05, max: 1 });
  const headroom = checkNumber(`${n} headroom`, o.headroom ?? 0.1, { min: 0, max: 5 });
  const minReplicas = checkNumber(`${n} minReplicas`, o.minReplicas, { integer: true, min: 0 });
  const maxReplicas = checkNumber(`${n} maxReplicas`, o.maxReplicas, { integer: true, min: Math.max(1, minReplicas) });
  return {
    name: o.name ?? `predictive (seasonal naive, ${leadMin} min ahead)${o.reactive ? ` + ${o.reactive.name}` : ''}`,
    decide(obs) {
      let forecast: number | null = null;
      let event: string | null = null;
      for (let d = 1; d <= seasonDays; d++) {
        // The window [now, now + lead] on day −d: the most load the replicas being started now must carry.
        for (let k = 0; k <= leadMin; k++) {
          const r = obs.pastReadsPerSec(obs.minute + k - d * 1440);
          if (r === null) continue;
          const e = (o.announced ?? []).find((a) => obs.minute + k >= a.fromMinute && obs.minute + k < a.toMinute);
          if (e) event = e.label;
          forecast = Math.max(forecast ?? 0, r * (e ? e.multiplier : 1));
        }
      }
      const reactive = o.reactive?.decide(obs);
      if (forecast === null) {
        const fallback = reactive ? reactive.desiredReplicas : obs.currentReplicas;
        return { desiredReplicas: Math.max(minReplicas, Math.min(maxReplicas, fallback)), reason: `no history yet: ${reactive ? reactive.reason : 'hold'}` };
      }
      const predicted = Math.ceil((forecast * (1 + headroom)) / (obs.capacityPerReplicaRps * targetCpu));
      const desired = Math.max(minReplicas, Math.min(maxReplicas, Math.max(predicted, reactive?.desiredReplicas ?? 0)));
      const why = `forecast ${Math.round(forecast)} req/s within ${leadMin} min (max of ${seasonDays} previous days${event ? `, × announced "${event}"` : ''}) → ${predicted}`;
      return { desiredReplicas: desired, reason: reactive && reactive.desiredReplicas > predicted ? `${reactive.reason} (over ${why})` : why };
    },
  };
}
