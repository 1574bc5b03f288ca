/**
 * The replica-fleet controller of lib/strategies/autoscaling as the monitor shows it: when the
 * monitor watches the simulated cluster, a fleet is scaled through a Big Billion Day trace (one
 * ordinary day, then the sale at midnight), one fleet minute per monitor sample, and the monitor
 * exports its desired and ready replicas per region on /metrics and its recent decisions on
 * /scaling. The fleet model is deterministic, so the run is computed once up front and revealed
 * minute by minute: what /scaling shows at minute m is exactly what the controller decided by m.
 */
import { Gauge, Registry } from 'prom-client';
import { FleetMinute, FleetRun, ScalingDecisionRecord, hpaPolicy, predictivePolicy, runFleet, scheduledPolicy } from '../strategies/autoscaling';
import { bigBillionDayTrace } from '../workload';

export interface ScalingView {
  /** Moves the fleet's clock on by one minute (wraps around at the end of the trace). */
  advance(): void;
  minute(): number;
  /** The fleet per serving region at the current minute. */
  current(): FleetMinute[];
  /** The last `limit` decisions up to the current minute, newest first. */
  decisions(limit?: number): ScalingDecisionRecord[];
  policy: string;
  seed: number;
  saleStartMinute: number;
}

export function createScalingView(options: { seed?: number; startMinute?: number; costOptimization?: boolean } = {}): ScalingView {
  const seed = options.seed ?? 41;
  const trace = bigBillionDayTrace({ seed, days: 4 });
  const sale = trace.saleStartMinute!;
  const hpa = hpaPolicy({ target: 0.6, minReplicas: 2, maxReplicas: 60 });
  const policy = scheduledPolicy(
    predictivePolicy({ minReplicas: 2, maxReplicas: 60, reactive: hpa, announced: [{ fromMinute: sale, toMinute: sale + 1440, multiplier: trace.sale!.dayMultiplier, label: 'Big Billion Day' }] }),
    [{ fromMinute: sale - 90, toMinute: sale + 240, minReplicas: { mumbai: 14, delhi: 9, bangalore: 8 }, label: 'BBD opening pre-warm' }],
    'scheduled pre-warm + predictive + HPA',
  );
  // Days before the last two are history for the forecast; the monitor shows the last two.
  const from = sale - 1440;
  const run: FleetRun = runFleet({ trace, policy, recordFromMinute: from, decisionLimit: 100_000, costOptimization: options.costOptimization ?? false });
  const span = trace.minutes - from;
  let offset = Math.max(0, Math.min(span - 1, options.startMinute ?? 20 * 60));
  const byMinute = new Map<number, FleetMinute[]>();
  for (const m of run.minutes) {
    const list = byMinute.get(m.minute) ?? [];
    list.push(m);
    byMinute.set(m.minute, list);
  }
  const nowMinute = () => from + offset;
  return {
    policy: run.policy,
    seed,
    saleStartMinute: sale - from,
    advance() { offset = (offset + 1) % span; },
    minute: () => offset,
    current: () => byMinute.get(nowMinute()) ?? [],
    decisions(limit = 20) {
      const upTo = run.decisions.filter((d) => d.minute >= from && d.minute <= nowMinute());
      return upTo.slice(Math.max(0, upTo.length - limit)).reverse().map((d) => ({ ...d, minute: d.minute - from }));
    },
  };
}

/** Registers replication_replicas_desired and replication_replicas_ready (per region) on a registry. */
export function registerScalingMetrics(registry: Registry, view: ScalingView): void {
  new Gauge({
    name: 'replication_replicas_desired',
    help: 'Read replicas the autoscaling controller wants per serving region (simulated fleet)',
    labelNames: ['region'],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of view.current()) this.set({ region: m.region }, m.desiredReplicas);
    },
  });
  new Gauge({
    name: 'replication_replicas_ready',
    help: 'Read replicas serving reads per serving region (copied, caught up, under the lag objective; simulated fleet)',
    labelNames: ['region'],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of view.current()) this.set({ region: m.region }, m.readyReplicas);
    },
  });
}

/** The /scaling reply: the fleet now and the last decisions with their reasons. */
export function scalingJson(view: ScalingView, limit: number): Record<string, unknown> {
  const minute = view.minute();
  const sinceSale = minute - view.saleStartMinute;
  return {
    policy: view.policy,
    seed: view.seed,
    fleetMinute: minute,
    minutesSinceSaleOpened: sinceSale,
    fleet: view.current().map((m) => ({
      region: m.region, desiredReplicas: m.desiredReplicas, readyReplicas: m.readyReplicas, provisioningReplicas: m.provisioningReplicas,
      drainingReplicas: m.drainingReplicas, readsPerSec: Math.round(m.readsPerSec), cpuUtilisation: +m.cpuUtilisation.toFixed(3),
      lagMs: Math.round(m.lagMs), inBreach: m.inBreach,
    })),
    decisions: view.decisions(limit).map((d) => ({ minute: d.minute, minutesSinceSaleOpened: d.minute - view.saleStartMinute, region: d.region, from: d.from, to: d.to, reason: d.reason })),
  };
}
