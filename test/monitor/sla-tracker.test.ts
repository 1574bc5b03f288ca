// Proves SLA accounting: time between samples is credited to the state at the earlier sample,
// a region is within only when all its replicas are, disconnection is a breach, no data is unknown.
import { describe, expect, test } from 'vitest';
import { SlaTracker } from '../../lib/monitor';
import { snapshot } from './snapshots';

describe('SLA tracker', () => {
  test('share of time within threshold per region, with Mumbai held to 100 ms', () => {
    const sla = new SlaTracker({ defaultThresholdMs: 200, thresholdByRegionMs: { mumbai: 100 }, targetShare: 0.9 });
    // 0-1 s: both fine; 1-3 s: mumbai at 150 ms (breach there), kolkata at 150 (fine); 3-4 s: fine.
    sla.add(snapshot(0, { 'mumbai-1': 50, 'kolkata-1': 50 }));
    sla.add(snapshot(1000, { 'mumbai-1': 150, 'kolkata-1': 150 }));
    sla.add(snapshot(3000, { 'mumbai-1': 50, 'kolkata-1': 50 }));
    sla.add(snapshot(4000, { 'mumbai-1': 50, 'kolkata-1': 50 }));
    const [mumbai, kolkata] = sla.rows();
    expect(mumbai).toMatchObject({ region: 'mumbai', thresholdMs: 100, withinMs: 2000, breachMs: 2000, withinShare: 0.5, met: false, worstLagMs: 150 });
    expect(kolkata).toMatchObject({ region: 'kolkata', thresholdMs: 200, withinMs: 4000, breachMs: 0, withinShare: 1, met: true });
    // 10 % of 4 s may be out of threshold = 400 ms; Mumbai used 2000 ms: five budgets.
    expect(mumbai.errorBudgetUsed).toBeCloseTo(5);
  });

  test('one slow replica puts its whole region out of threshold; a disconnected one too', () => {
    const sla = new SlaTracker({ defaultThresholdMs: 200, targetShare: 0.99 });
    sla.add(snapshot(0, { 'delhi-1': 10, 'delhi-2': 500 }));
    sla.add(snapshot(1000, { 'delhi-1': 10, 'delhi-2': 'down' }));
    sla.add(snapshot(2000, { 'delhi-1': 10, 'delhi-2': 10 }));
    expect(sla.rows()[0]).toMatchObject({ breachMs: 2000, withinMs: 0, replicaCount: 2, currentLagMs: 10 });
  });

  test('unmeasured time is neither within nor breach', () => {
    const sla = new SlaTracker({ defaultThresholdMs: 200, targetShare: 0.99 });
    sla.add(snapshot(0, { 'chennai-1': null }));
    sla.add(snapshot(5000, { 'chennai-1': 20 }));
    sla.add(snapshot(6000, { 'chennai-1': 20 }));
    expect(sla.rows()[0]).toMatchObject({ unknownMs: 5000, withinMs: 1000, withinShare: 1 });
  });

  test('samples out of time order are an error', () => {
    const sla = new SlaTracker({ defaultThresholdMs: 200, targetShare: 0.99 });
    sla.add(snapshot(1000, {}));
    expect(() => sla.add(snapshot(500, {}))).toThrow(/got 500; allowed: ≥ the previous sample's 1000/);
  });
});
