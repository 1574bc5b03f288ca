// Proves SLA accounting: time between samples is credited to the state at the earlier sample,
// a region is within only when all its replicas are, disconnection is a breach, no data is unknown.
import { describe, expect, test } from 'vitest';
import { ReplicationMonitor, SlaTracker, inSlaWindow } from '../../lib/monitor';
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

  test('with a business-hours window, night-time breaches are counted apart and judge nothing (IST)', () => {
    // 02:00 UTC is 07:30 IST (before an 08:00 opening); 02:30 UTC is 08:00 IST.
    const at = (utc: string) => Date.parse(`2026-12-03T${utc}Z`);
    const window = { fromHour: 8, toHour: 24, utcOffsetMinutes: 330 };
    expect(inSlaWindow(window, at('02:29:59'))).toBe(false);
    expect(inSlaWindow(window, at('02:30:00'))).toBe(true);
    expect(inSlaWindow(window, at('18:29:59'))).toBe(true); // 23:59:59 IST
    expect(inSlaWindow(window, at('18:30:00'))).toBe(false); // midnight IST
    const sla = new SlaTracker({ defaultThresholdMs: 200, targetShare: 0.99, window });
    sla.add(snapshot(at('02:29:00'), { 'delhi-1': 900 })); // night, far behind: not judged
    sla.add(snapshot(at('02:30:00'), { 'delhi-1': 50 })); // business hours start
    sla.add(snapshot(at('02:31:00'), { 'delhi-1': 300 }));
    sla.add(snapshot(at('02:31:30'), { 'delhi-1': 50 }));
    expect(sla.rows()[0]).toMatchObject({ outsideWindowMs: 60_000, withinMs: 60_000, breachMs: 30_000, observedMs: 90_000, worstLagMs: 900 });
    // The same samples without a window judge the night's minute as a breach.
    const always = new SlaTracker({ defaultThresholdMs: 200, targetShare: 0.99 });
    for (const [t, lag] of [['02:29:00', 900], ['02:30:00', 50], ['02:31:00', 300], ['02:31:30', 50]] as const) always.add(snapshot(at(t), { 'delhi-1': lag }));
    expect(always.rows()[0]).toMatchObject({ outsideWindowMs: 0, breachMs: 90_000 });
  });

  test('a window that ends before it starts, or hours out of range, is a precise error', () => {
    expect(() => new SlaTracker({ defaultThresholdMs: 200, targetShare: 0.99, window: { fromHour: 20, toHour: 8, utcOffsetMinutes: 330 } })).toThrow(
      /sla window\.toHour: got 8 with fromHour 20; allowed: an hour after fromHour/,
    );
    expect(() => new ReplicationMonitor({ slaWindow: { fromHour: 8, toHour: 25, utcOffsetMinutes: 330 } })).toThrow(/slaWindow\.toHour/);
  });

  test('samples out of time order are an error', () => {
    const sla = new SlaTracker({ defaultThresholdMs: 200, targetShare: 0.99 });
    sla.add(snapshot(1000, {}));
    expect(() => sla.add(snapshot(500, {}))).toThrow(/got 500; allowed: ≥ the previous sample's 1000/);
  });
});
