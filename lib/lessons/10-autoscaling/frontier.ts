/**
 * Section 4 of notebook 10: the cost–SLA frontier — every policy family over a sweep of its main
 * parameter, each point the sale day's cost against its minutes in breach.
 */
import { costSlaFrontier, measureRun, predictivePolicy, runFleet, scheduledPolicy, staticPolicy, thresholdPolicy, ScalingPolicy } from '../../strategies/autoscaling';
import { REPLICAS_MAX, REPLICAS_MIN, SEED, announcedLoad, announcedEvents, hpaFor, replicasFor, saleTrace, saleWindows } from './scenario';

export interface FrontierPoint {
  family: string;
  policy: string;
  rupeesPerDay: number;
  breachMinutes: number;
  onFrontier: boolean;
}

export function costSlaSweep(seed = SEED): FrontierPoint[] {
  const trace = saleTrace(seed);
  const sale = trace.saleStartMinute!;
  const load = announcedLoad(trace);
  const candidates: Array<{ family: string; policy: ScalingPolicy }> = [];
  for (const u of [0.5, 0.7]) candidates.push({ family: 'static', policy: staticPolicy(replicasFor(trace, load.dayPeakReadsPerSec, u), `static at ${u * 100}% of peak`) });
  for (const step of [1, 2]) candidates.push({ family: 'threshold', policy: thresholdPolicy({ minReplicas: REPLICAS_MIN, maxReplicas: REPLICAS_MAX, stepUp: step }) });
  for (const target of [0.6, 0.7]) for (const w of [5, 60]) candidates.push({ family: 'HPA', policy: hpaFor({ target, scaleDownWindowMin: w }) });
  for (const pre of [0, 45]) candidates.push({ family: 'scheduled + HPA', policy: scheduledPolicy(hpaFor(), saleWindows(trace, pre), `scheduled ${pre} min early + HPA`) });
  for (const lead of [20, 40, 60]) candidates.push({ family: 'scheduled + predictive', policy: scheduledPolicy(predictivePolicy({ leadMin: lead, minReplicas: REPLICAS_MIN, maxReplicas: REPLICAS_MAX, reactive: hpaFor(), announced: announcedEvents(trace) }), saleWindows(trace).slice(0, 1), `scheduled + predictive ${lead} min ahead`) });
  const points = candidates.map(({ family, policy }) => {
    const m = measureRun(runFleet({ trace, policy, recordFromMinute: sale }), { fromMinute: sale, toMinute: sale + 1440 });
    return { family, policy: policy.name, rupeesPerDay: Math.round(m.rupeesPerDay), breachMinutes: m.breachMinutes, onFrontier: false };
  });
  const frontier = new Set(costSlaFrontier(points));
  return points.map((p) => ({ ...p, onFrontier: frontier.has(p) }));
}

export function frontierFindings(points: readonly FrontierPoint[], seed = SEED): string {
  const f = points.filter((p) => p.onFrontier).sort((a, b) => a.rupeesPerDay - b.rupeesPerDay);
  const zero = f.find((p) => p.breachMinutes === 0);
  return `In this run (seed ${seed}), ${f.length} of ${points.length} policies are on the frontier (nothing is both cheaper and breaches less): ` +
    f.map((p) => `${p.policy} (₹${p.rupeesPerDay.toLocaleString('en-IN')}, ${p.breachMinutes} min)`).join('; ') + '.' +
    (zero ? ` The cheapest policy with no breach at all is **${zero.policy}**.` : ' No policy in the sweep avoids every breach.');
}
