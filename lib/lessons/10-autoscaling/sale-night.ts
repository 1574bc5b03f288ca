/**
 * Sections 1–3 of notebook 10: run each policy over the week and Big Billion Day, and measure the
 * sale day (and the ordinary day before it).
 */
import { FleetRun, PolicyMeasures, measureRun, runFleet } from '../../strategies/autoscaling';
import { PolicyName, SEED, policyByName, saleTrace } from './scenario';

export interface SaleDayResult {
  runs: Map<PolicyName, FleetRun>;
  measures: PolicyMeasures[];
  /** Breach minutes on the ordinary day before the sale, per policy. */
  ordinaryDayBreachMinutes: Record<string, number>;
  saleStartMinute: number;
  seed: number;
}

export function runSaleDay(policies: readonly PolicyName[], o: { seed?: number; costOptimization?: boolean } = {}): SaleDayResult {
  const seed = o.seed ?? SEED;
  const trace = saleTrace(seed);
  const sale = trace.saleStartMinute!;
  const runs = new Map<PolicyName, FleetRun>();
  const measures: PolicyMeasures[] = [];
  const ordinary: Record<string, number> = {};
  for (const name of policies) {
    const run = runFleet({ trace, policy: policyByName(name, trace), recordFromMinute: sale - 1440, costOptimization: o.costOptimization ?? false });
    runs.set(name, run);
    measures.push(measureRun(run, { fromMinute: sale, toMinute: sale + 1440, spikeMinute: sale }));
    ordinary[run.policy] = measureRun(run, { fromMinute: sale - 1440, toMinute: sale }).breachMinutes;
  }
  return { runs, measures, ordinaryDayBreachMinutes: ordinary, saleStartMinute: sale, seed };
}

/** One region's fleet over a window, per policy, as records for a figure (hours since the sale opened). */
export function fleetSeries(result: SaleDayResult, region: string, fromMin = -120, toMin = 1440) {
  const rows: Array<{ policy: string; hoursSinceSale: number; readyReplicas: number; readsPerSec: number; lagMs: number; provisioningReplicas: number; readLatencyMsP95: number }> = [];
  for (const run of result.runs.values()) {
    for (const m of run.minutes) {
      const t = m.minute - result.saleStartMinute;
      if (m.region !== region || t < fromMin || t >= toMin) continue;
      rows.push({ policy: run.policy, hoursSinceSale: t / 60, readyReplicas: m.readyReplicas, readsPerSec: m.readsPerSec, lagMs: m.lagMs, provisioningReplicas: m.provisioningReplicas, readLatencyMsP95: Math.min(m.readLatencyMsP95, 500) });
    }
  }
  return rows;
}

export function measureRows(result: SaleDayResult) {
  return result.measures.map((m) => ({
    policy: m.policy,
    '₹ per day': Math.round(m.rupeesPerDay),
    'minutes in breach': m.breachMinutes,
    'requests shed (M)': Math.round(m.requestsShed / 1e5) / 10,
    'first scale-up after sale (min)': m.firstScaleUpAfterMin ?? '—',
    'recovered after (min)': m.recoveredAfterMin ?? '—',
    oscillations: m.oscillations,
    'peak replicas': m.peakReplicas,
    'breach minutes, day before': result.ordinaryDayBreachMinutes[m.policy],
  }));
}

export function saleFindings(result: SaleDayResult): string {
  const by = (p: string) => result.measures.find((m) => m.policy === p || m.policy.startsWith(p));
  const lines = result.measures.map((m) =>
    `- **${m.policy}**: ₹${Math.round(m.rupeesPerDay).toLocaleString('en-IN')} for the sale day, ${m.breachMinutes} minutes in breach, ` +
    `${(m.requestsShed / 1e6).toFixed(1)} M reads shed` + (m.recoveredAfterMin !== null && m.recoveredAfterMin > 0 ? `, and ${m.recoveredAfterMin} min from the opening to the first 30 clean minutes` : ''));
  const hpa = by('HPA');
  const stat = by('static');
  const extra = hpa && stat ? `\n\nIn this run (seed ${result.seed}) the HPA fleet costs ${(100 * hpa.rupeesPerDay / stat.rupeesPerDay).toFixed(0)}% of the static one and is in breach for ${hpa.breachMinutes} of the day's 1440 minutes.` : '';
  return lines.join('\n') + extra;
}
