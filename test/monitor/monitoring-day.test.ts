// Proves the simulated monitoring scenario reads like the lesson: under a business-day load the slow
// Kolkata link builds lag above 200 ms in the peaks and fires the alert, congestion blips do not fire
// with a for-duration, one seed gives one result, longer for-durations trade false alarms for detection
// delay, and the live source rolls over to a new day with continuous timestamps.
import { createHash } from 'crypto';
import { describe, expect, test } from 'vitest';
import { AlertEvent, SimulatedLagSource, alertStateGrid, alertTradeoff, lagIncidents, runMonitoringDay } from '../../lib/monitor';

// The morning peak only (06:00-12:00), to keep the test quick.
const MORNING = { seed: 41, fromHour: 6, toHour: 12 } as const;

describe('a monitored business morning on the simulated cluster', () => {
  const run = runMonitoringDay(MORNING);

  test('Kolkata lag climbs above 200 ms in the 09-11 peak and ReplicationLagCritical fires for kolkata only', () => {
    const kolkataPeak = Math.max(...run.samples.filter((s) => s.replica === 'kolkata' && s.hour >= 9 && s.hour < 12).map((s) => s.lagMs ?? 0));
    const kolkataNight = Math.max(...run.samples.filter((s) => s.replica === 'kolkata' && s.hour < 8).map((s) => s.lagMs ?? 0));
    expect(kolkataPeak).toBeGreaterThan(400);
    expect(kolkataNight).toBeLessThan(100);
    const fired = run.episodes.filter((e) => e.firingAtMs !== null).map((e) => e.id);
    expect(fired).toEqual(['ReplicationLagCritical/kolkata']);
    const sla = run.monitor.slaRows();
    expect(sla.find((r) => r.region === 'kolkata')!.withinShare!).toBeLessThan(sla.find((r) => r.region === 'delhi')!.withinShare!);
  });

  test('the same seed gives the same snapshots; another seed does not', () => {
    const digest = (snapshots: unknown) => createHash('sha256').update(JSON.stringify(snapshots)).digest('hex');
    expect(digest(runMonitoringDay(MORNING).snapshots)).toBe(digest(run.snapshots));
    expect(digest(runMonitoringDay({ ...MORNING, seed: 42 }).snapshots)).not.toBe(digest(run.snapshots));
  });

  test('longer for-durations: fewer false alarms, later detection of the real incidents', () => {
    const incidents = lagIncidents(run.trace, { thresholdMs: (region) => run.monitor.thresholdMs(region), minDurationMs: 2000 });
    expect(incidents.length).toBeGreaterThan(0);
    expect(incidents.every((i) => i.replica === 'kolkata')).toBe(true);
    const rows = alertTradeoff(run.snapshots, { incidents, variants: [0, 1000, 2000].map((forMs) => ({ forMs })) });
    expect(rows[0].falseAlarmCount).toBeGreaterThan(rows[2].falseAlarmCount);
    expect(rows[2].falseAlarmCount).toBe(0);
    expect(rows.every((r) => r.missedCount === 0)).toBe(true);
    expect(rows[0].detectionDelayMsMean!).toBeLessThan(rows[2].detectionDelayMsMean!);
  });
});

describe('incident and timeline helpers', () => {
  test('lagIncidents keeps only stretches above threshold that last at least minDurationMs', () => {
    const trace = [0, 100, 200, 300, 400, 500, 600, 700].map((timeMs, i) => ({ timeMs, replica: 'kolkata', region: 'kolkata', lagMs: [10, 300, 10, 300, 300, 300, 10, 10][i] }));
    expect(lagIncidents(trace, { thresholdMs: () => 200, minDurationMs: 250 })).toEqual([{ replica: 'kolkata', region: 'kolkata', startMs: 300, endMs: 600, label: 'kolkata above threshold' }]);
  });

  test('alertStateGrid marks pending (1) and firing (2) bins per alert', () => {
    const event = (timeMs: number, from: AlertEvent['from'], to: AlertEvent['to']): AlertEvent => ({ timeMs, rule: 'Lag', key: 'kolkata', labels: { region: 'kolkata' }, severity: 'critical', from, to, value: 300, threshold: 200 });
    const grid = alertStateGrid([event(1000, 'inactive', 'pending'), event(2000, 'pending', 'firing'), event(4000, 'firing', 'resolved')], { startMs: 0, endMs: 5000, binMs: 1000 });
    expect(grid.map((g) => g.state)).toEqual([0, 1, 2, 2, 0]);
    expect(grid[0]).toEqual({ alert: 'Lag/kolkata', bin: '0', state: 0 });
  });
});

describe('the live simulated source', () => {
  test('each sample advances the simulation by the interval; after the day ends the next day starts, timestamps stay continuous', async () => {
    // A one-hour "day" of 600 ms: the third sample (at 750 ms) is in day 2.
    const source = new SimulatedLagSource({ seed: 7, leaderRegion: 'mumbai', intervalMs: 250, startEpochMs: 1_000_000, scenario: { hourMs: 600, fromHour: 9, toHour: 10 } });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push((await source.sample()).timeMs);
    expect(times).toEqual([1_000_250, 1_000_500, 1_000_750]);
    expect(source.describe()).toContain('day 2');
    const snap = await source.sample();
    expect(snap.leader).toEqual({ id: 'mumbai', region: 'mumbai' });
    expect(snap.replicas.map((r) => r.replica)).toEqual(['mumbai-2', 'delhi', 'bangalore', 'kolkata']);
  });
});
