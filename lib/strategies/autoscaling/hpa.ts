/**
 * Target tracking exactly as the Kubernetes Horizontal Pod Autoscaler computes it, as a pure
 * function, so a test can hold it against the documentation's worked examples.
 *
 * Source: Kubernetes documentation, "Horizontal Pod Autoscaling", section "Algorithm details"
 * and "Stabilization window"/"Default behavior":
 * https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/#algorithm-details
 * (and the controller it describes, pkg/controller/podautoscaler/replica_calculator.go).
 *
 *   desiredReplicas = ceil[currentReplicas × (currentMetricValue ÷ desiredMetricValue)]
 *
 * - "The control plane skips any scaling action if the ratio is sufficiently close to 1.0
 *   (within a globally-configurable tolerance, 0.1 by default)."
 * - Pods that are not yet ready, and pods with missing metrics, are set aside. The ratio is first
 *   computed over the ready pods with metrics. If pods were set aside, the average is recomputed
 *   "more conservatively": a pod with a missing metric counts as 100% of the target on a scale
 *   down and 0% on a scale up; a not-yet-ready pod counts as 0% — and only when the first ratio
 *   said "scale up" (not-ready pods never block a scale down). "If the new ratio reverses the
 *   scale direction, or is within the tolerance, the controller doesn't take any scaling action."
 * - Stabilisation: the controller keeps its recommendations; on a scale down it uses the highest
 *   recommendation within the scale-down window (default 300 s), on a scale up the lowest within
 *   the scale-up window (default 0 s), so a flapping metric does not flap the replica count.
 * - The result is clamped to [minReplicas, maxReplicas].
 *
 * Left out: the scale-rate policies (e.g. at most 100% or 4 pods per 15 s on a scale up); a
 * replica fleet whose new members take minutes to copy a base backup is far slower than them.
 */
import { OptionError, checkNumber } from '../../util';

export interface HpaSpec {
  /** Target value of the metric per replica, e.g. 0.6 for 60% CPU utilisation. */
  target: number;
  minReplicas: number;
  maxReplicas: number;
  /** Default 0.1 (the documented default of --horizontal-pod-autoscaler-tolerance). */
  tolerance?: number;
  /** Default 0 s (the documented default for scaleUp). */
  scaleUpStabilizationMs?: number;
  /** Default 300 s (the documented default for scaleDown). */
  scaleDownStabilizationMs?: number;
}

/** One replica as the controller sees it. */
export interface HpaPodSample {
  ready: boolean;
  /** The replica's metric (e.g. CPU utilisation 0..1); null when missing. */
  metric: number | null;
}

export interface HpaRecommendation {
  atMs: number;
  replicas: number;
}

export interface HpaDecision {
  /** What the replica rule alone says, before stabilisation and limits. */
  rawReplicas: number;
  /** After stabilisation and min/max: what the controller sets. */
  desiredReplicas: number;
  /** The usage ratio the rule used (after the conservative recomputation, if any). */
  usageRatio: number;
  /** Why, in one sentence. */
  reason: string;
}

export function checkHpaSpec(spec: HpaSpec): Required<HpaSpec> {
  const n = 'hpa';
  const minReplicas = checkNumber(`${n} minReplicas`, spec.minReplicas, { integer: true, min: 0 });
  return {
    target: checkNumber(`${n} target`, spec.target, { min: Number.MIN_VALUE }),
    minReplicas,
    maxReplicas: checkNumber(`${n} maxReplicas`, spec.maxReplicas, { integer: true, min: Math.max(1, minReplicas) }),
    tolerance: checkNumber(`${n} tolerance`, spec.tolerance ?? 0.1, { min: 0, max: 1 }),
    scaleUpStabilizationMs: checkNumber(`${n} scaleUpStabilizationMs`, spec.scaleUpStabilizationMs ?? 0, { min: 0, max: 3_600_000 }),
    scaleDownStabilizationMs: checkNumber(`${n} scaleDownStabilizationMs`, spec.scaleDownStabilizationMs ?? 300_000, { min: 0, max: 3_600_000 }),
  };
}

/**
 * The replica rule (no stabilisation, no limits): replica_calculator.go's
 * calcPlainMetricReplicas, for a metric averaged over pods.
 */
export function hpaReplicaRule(currentReplicas: number, pods: readonly HpaPodSample[], target: number, tolerance = 0.1): { replicas: number; usageRatio: number; reason: string } {
  if (!Number.isInteger(currentReplicas) || currentReplicas < 0) {
    throw new OptionError(`hpaReplicaRule currentReplicas: got ${currentReplicas}; allowed: an integer ≥ 0`);
  }
  const withMetric = pods.filter((p) => p.ready && p.metric !== null);
  const notReady = pods.filter((p) => !p.ready).length;
  const missing = pods.filter((p) => p.ready && p.metric === null).length;
  if (withMetric.length === 0) {
    return { replicas: currentReplicas, usageRatio: 1, reason: 'no ready replica reports the metric: no action' };
  }
  const sum = withMetric.reduce((s, p) => s + (p.metric as number), 0);
  const usageRatio = sum / withMetric.length / target;
  const direction = usageRatio > 1 ? 'up' : 'down';
  // Not-ready pods are only brought back in on a scale up, where they dampen it.
  const rebalanceIgnored = notReady > 0 && usageRatio > 1;
  if (!rebalanceIgnored && missing === 0) {
    if (Math.abs(1 - usageRatio) <= tolerance) {
      return { replicas: currentReplicas, usageRatio, reason: `ratio ${usageRatio.toFixed(2)} within tolerance ${tolerance}: no action` };
    }
    const replicas = Math.ceil(usageRatio * withMetric.length);
    return { replicas, usageRatio, reason: `ratio ${usageRatio.toFixed(2)} over ${withMetric.length} ready: ceil(${withMetric.length} × ${usageRatio.toFixed(2)}) = ${replicas}` };
  }
  // The conservative recomputation: missing metrics count as 100% of target on a scale down and
  // 0% on a scale up; not-ready pods (only here on a scale up) as 0%.
  let adjustedSum = sum;
  if (missing > 0) adjustedSum += direction === 'down' ? missing * target : 0;
  const counted = withMetric.length + missing + (rebalanceIgnored ? notReady : 0);
  const newRatio = adjustedSum / counted / target;
  if (Math.abs(1 - newRatio) <= tolerance || (usageRatio > 1) !== (newRatio > 1)) {
    return { replicas: currentReplicas, usageRatio: newRatio, reason: `ratio ${usageRatio.toFixed(2)} becomes ${newRatio.toFixed(2)} counting ${notReady} not-ready/${missing} missing conservatively: within tolerance or reversed, no action` };
  }
  const replicas = Math.ceil(newRatio * counted);
  // replica_calculator.go: a "scale down" that would add replicas, or a "scale up" that would remove them, is no action.
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) {
    return { replicas: currentReplicas, usageRatio: newRatio, reason: 'conservative recomputation would move the wrong way: no action' };
  }
  return { replicas, usageRatio: newRatio, reason: `ratio ${usageRatio.toFixed(2)}, conservatively ${newRatio.toFixed(2)} over ${counted} (${notReady} not ready as 0%): ceil = ${replicas}` };
}

/**
 * One HPA sync: the replica rule, then the stabilisation windows over the recommendation history
 * (which this function appends to and prunes), then min/max. Pure apart from `history`, which the
 * caller owns.
 */
export function hpaDecide(
  specIn: HpaSpec,
  nowMs: number,
  currentReplicas: number,
  pods: readonly HpaPodSample[],
  history: HpaRecommendation[],
): HpaDecision {
  const spec = checkHpaSpec(specIn);
  const rule = hpaReplicaRule(currentReplicas, pods, spec.target, spec.tolerance);
  // The controller stores the rule's recommendation (already clamped to min/max, as
  // normalizeDesiredReplicasWithBehaviors does after stabilising; clamping first is equivalent).
  const recommendation = clamp(rule.replicas, spec.minReplicas, spec.maxReplicas);
  history.push({ atMs: nowMs, replicas: recommendation });
  const keepMs = Math.max(spec.scaleUpStabilizationMs, spec.scaleDownStabilizationMs);
  while (history.length > 0 && history[0].atMs < nowMs - keepMs) history.shift();
  if (history.length > 100_000) throw new OptionError(`hpa history: got ${history.length} recommendations; allowed: at most 100000 (call hpaDecide with increasing nowMs)`);
  // stabilizeRecommendationWithBehaviors: the lowest within the up window caps a scale up, the
  // highest within the down window floors a scale down.
  let upRecommendation = recommendation;
  let downRecommendation = recommendation;
  for (const r of history) {
    if (r.atMs >= nowMs - spec.scaleUpStabilizationMs) upRecommendation = Math.min(upRecommendation, r.replicas);
    if (r.atMs >= nowMs - spec.scaleDownStabilizationMs) downRecommendation = Math.max(downRecommendation, r.replicas);
  }
  let desired = currentReplicas;
  if (desired < upRecommendation) desired = upRecommendation;
  if (desired > downRecommendation) desired = downRecommendation;
  desired = clamp(desired, spec.minReplicas, spec.maxReplicas);
  let reason = rule.reason;
  if (desired !== recommendation) {
    reason += desired > recommendation
      ? `; held at ${desired} by the ${spec.scaleDownStabilizationMs / 1000} s scale-down window`
      : `; held at ${desired} by the ${spec.scaleUpStabilizationMs / 1000} s scale-up window`;
  }
  return { rawReplicas: rule.replicas, desiredReplicas: desired, usageRatio: rule.usageRatio, reason };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}
