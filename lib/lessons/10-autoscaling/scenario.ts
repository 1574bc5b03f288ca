/**
 * Notebook 10's scenario: four ordinary days and then Big Billion Day, the announced sale
 * that opens at midnight with 15× the night's traffic within ten minutes and stays at 3× the
 * ordinary day's shape all day. Reads are spread Mumbai 45%, Delhi 30%, Bangalore 25%; one
 * replica serves 2000 reads/s at 100% CPU (8 cores × 4 ms per read); a new one copies a 100 GB
 * base backup at up to 200 MB/s. All numbers are illustrative, chosen so the time to a new
 * replica (≈ 12 min alone, longer when many copy at once) is of the order the episode describes.
 */
import { BigBillionDayOptions, BigBillionDayTrace, PEAK_MULTIPLIER, bigBillionDayTrace } from '../../workload';
import {
  ScalingPolicy, hpaPolicy, predictivePolicy, scheduledPolicy, staticPolicy, thresholdPolicy,
} from '../../strategies/autoscaling';

export const SEED = 41;
export const TARGET_CPU = 0.6;
export const REPLICAS_MAX = 60;
export const REPLICAS_MIN = 2;

export function saleTrace(seed = SEED, options: Omit<BigBillionDayOptions, 'seed'> = {}): BigBillionDayTrace {
  return bigBillionDayTrace({ seed, days: 5, sale: { multiplier: 15, rampMin: 10, holdMin: 90, dayMultiplier: 3, decayMin: 180 }, ...options });
}

/** Replicas needed for a load at a utilisation, per region share of the trace. */
export function replicasFor(trace: BigBillionDayTrace, totalReadsPerSec: number, utilisation: number, perReplicaRps = 2000): Record<string, number> {
  const out: Record<string, number> = {};
  // Share of each region at the same minute-of-day pattern: read it off the trace's first business minute.
  const at = 12 * 60;
  const total = trace.regions.reduce((s, r) => s + trace.readsPerSec(r, at), 0);
  for (const r of trace.regions) out[r] = Math.ceil((totalReadsPerSec * (trace.readsPerSec(r, at) / total)) / (perReplicaRps * utilisation));
  return out;
}

/** The capacity planner's announced forecast: the spike at opening, and the sale day's peaks. */
export function announcedLoad(trace: BigBillionDayTrace): { openingReadsPerSec: number; dayPeakReadsPerSec: number } {
  const sale = trace.sale!;
  // What the business announced: this multiple of an ordinary night and of an ordinary peak.
  let night = 0;
  let peak = 0;
  for (const r of trace.regions) {
    night += trace.readsPerSec(r, 0);
    peak += Math.max(...Array.from({ length: 1440 }, (_, m) => trace.readsPerSec(r, m)));
  }
  return { openingReadsPerSec: night * sale.multiplier, dayPeakReadsPerSec: peak * sale.dayMultiplier };
}

export type PolicyName = 'static (peak)' | 'threshold' | 'HPA' | 'scheduled + HPA' | 'predictive + HPA' | 'scheduled + predictive';

export function hpaFor(o: { target?: number; scaleDownWindowMin?: number } = {}): ScalingPolicy {
  return hpaPolicy({ target: o.target ?? TARGET_CPU, minReplicas: REPLICAS_MIN, maxReplicas: REPLICAS_MAX, scaleDownStabilizationMs: (o.scaleDownWindowMin ?? 5) * 60_000 },
    `HPA ${Math.round((o.target ?? TARGET_CPU) * 100)}%, ${o.scaleDownWindowMin ?? 5} min down-window`);
}

/** Pre-warm 45 min before the opening (a new replica needs ≈ 20–30 min when many copy at once). */
export function saleWindows(trace: BigBillionDayTrace, preWarmMin = 45) {
  const sale = trace.saleStartMinute!;
  const load = announcedLoad(trace);
  return [
    { fromMinute: sale - preWarmMin, toMinute: sale + 240, minReplicas: replicasFor(trace, load.openingReadsPerSec, TARGET_CPU), label: 'BBD opening' },
    { fromMinute: sale + 240, toMinute: sale + 1440, minReplicas: replicasFor(trace, load.dayPeakReadsPerSec / PEAK_MULTIPLIER, TARGET_CPU), label: 'BBD day (business level)' },
  ];
}

/** The announcement as the predictive policy reads it: the sale day is the usual day × dayMultiplier. */
export function announcedEvents(trace: BigBillionDayTrace) {
  const sale = trace.saleStartMinute!;
  return [{ fromMinute: sale, toMinute: sale + 1440, multiplier: trace.sale!.dayMultiplier, label: 'Big Billion Day' }];
}

export function policyByName(name: PolicyName, trace: BigBillionDayTrace): ScalingPolicy {
  const load = announcedLoad(trace);
  switch (name) {
    case 'static (peak)': return staticPolicy(replicasFor(trace, load.dayPeakReadsPerSec, 0.7), name);
    case 'threshold': return thresholdPolicy({ minReplicas: REPLICAS_MIN, maxReplicas: REPLICAS_MAX, name: 'threshold 75%, +2' });
    case 'HPA': return hpaFor();
    case 'scheduled + HPA': return scheduledPolicy(hpaFor(), saleWindows(trace), name);
    case 'predictive + HPA': return predictivePolicy({ minReplicas: REPLICAS_MIN, maxReplicas: REPLICAS_MAX, reactive: hpaFor(), name });
    case 'scheduled + predictive': return scheduledPolicy(predictivePolicy({ minReplicas: REPLICAS_MIN, maxReplicas: REPLICAS_MAX, reactive: hpaFor(), announced: announcedEvents(trace) }), saleWindows(trace).slice(0, 1), name);
  }
}
