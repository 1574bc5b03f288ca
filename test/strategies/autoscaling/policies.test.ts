import { describe, expect, it } from 'vitest';
import { RegionObservation, ScalingPolicy, predictivePolicy, runFleet, scheduledPolicy, staticPolicy, thresholdPolicy } from '../../../lib/strategies/autoscaling';
import { bigBillionDayTrace } from '../../../lib/workload';

const obs = (o: Partial<RegionObservation>): RegionObservation => ({
  nowMs: 0, minute: 0, region: 'mumbai', demandRegions: ['mumbai'], currentReplicas: 4, readyReplicas: 4, readyCpuUtilisation: 0.5,
  readsPerSec: 4000, capacityPerReplicaRps: 2000, pastReadsPerSec: () => null, ...o,
});

describe('scaling policies', () => {
  it('threshold: scales out only after the breach lasts upForMin, then cools down', () => {
    const p = thresholdPolicy({ minReplicas: 2, maxReplicas: 10, upForMin: 3, stepUp: 2, cooldownMin: 5 });
    expect(p.decide(obs({ minute: 0, readyCpuUtilisation: 0.9 })).desiredReplicas).toBe(4);
    expect(p.decide(obs({ minute: 1, readyCpuUtilisation: 0.9 })).desiredReplicas).toBe(4);
    expect(p.decide(obs({ minute: 2, readyCpuUtilisation: 0.9 })).desiredReplicas).toBe(6);
    expect(p.decide(obs({ minute: 3, currentReplicas: 6, readyCpuUtilisation: 0.95 })).reason).toMatch(/cooling down/);
  });
  it('scheduled: raises the base decision to the floor inside the window only, summing demand regions for a shared serving region', () => {
    const p = scheduledPolicy(staticPolicy(2), [{ fromMinute: 100, toMinute: 200, minReplicas: { mumbai: 8, bangalore: 5 }, label: 'sale' }]);
    expect(p.decide(obs({ minute: 99 })).desiredReplicas).toBe(2);
    expect(p.decide(obs({ minute: 100 })).desiredReplicas).toBe(8);
    expect(p.decide(obs({ minute: 150, region: 'hyderabad', demandRegions: ['bangalore'] })).desiredReplicas).toBe(5);
    expect(p.decide(obs({ minute: 200 })).desiredReplicas).toBe(2);
  });
  it('predictive: sizes for yesterday\'s load over the lead window, times an announced multiplier', () => {
    const past = (m: number) => (m >= 0 ? (m % 1440 >= 600 && m % 1440 < 660 ? 12000 : 2000) : null);
    const p = predictivePolicy({ minReplicas: 1, maxReplicas: 100, leadMin: 30, seasonDays: 1, targetCpu: 0.5, headroom: 0 });
    // At 09:40 on day 1, yesterday's 10:00 peak is inside the next 30 minutes: 12000 / (2000 × 0.5) = 12.
    expect(p.decide(obs({ minute: 1440 + 580, pastReadsPerSec: past })).desiredReplicas).toBe(12);
    expect(p.decide(obs({ minute: 1440 + 500, pastReadsPerSec: past })).desiredReplicas).toBe(2);
    const sale = predictivePolicy({ minReplicas: 1, maxReplicas: 100, leadMin: 30, seasonDays: 1, targetCpu: 0.5, headroom: 0, announced: [{ fromMinute: 1440, toMinute: 2880, multiplier: 3, label: 'sale' }] });
    expect(sale.decide(obs({ minute: 1440 + 500, pastReadsPerSec: past })).desiredReplicas).toBe(6);
  });
  it('the fleet drains a removed replica (still billed for drainMs) instead of dropping its connections', () => {
    const trace = bigBillionDayTrace({ seed: 3, days: 1, sale: null });
    let calls = 0;
    const shrink: ScalingPolicy = { name: 'shrink at minute 10', decide: (o) => ({ desiredReplicas: o.minute >= 10 ? 2 : 3, reason: `call ${++calls}` }) };
    const run = runFleet({ trace, policy: shrink, initialReplicas: 3, model: { drainMs: 180_000 } });
    const m = (minute: number) => run.minutes.find((r) => r.region === 'mumbai' && r.minute === minute)!;
    expect(m(11).drainingReplicas).toBe(1);
    expect(m(11).readyReplicas).toBe(2);
    expect(m(11).rupeesPerHour).toBe(m(9).rupeesPerHour);
    expect(m(14).drainingReplicas).toBe(0);
    expect(m(14).rupeesPerHour).toBeLessThan(m(9).rupeesPerHour);
  });
});
