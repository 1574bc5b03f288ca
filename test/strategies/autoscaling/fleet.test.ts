import { describe, expect, it } from 'vitest';
import { bigBillionDayTrace } from '../../../lib/workload';
import { costSlaFrontier, fitCopyModel, hpaPolicy, measureRun, provisioningTimeline, runFleet, servingRegion, replicaCostTable, staticPolicy, thresholdPolicy } from '../../../lib/strategies/autoscaling';
import { indiaTopology } from '../../../lib/sim';

describe('provisioning model: copy = size ÷ bandwidth, then catch up on the WAL written meanwhile', () => {
  const model = { startupMs: 10_000, copyBytesPerSec: 100e6, replayBytesPerSec: 50e6, lagObjectiveMs: 1000 };
  it('copies 10 GB at 100 MB/s in 100 s and replays the 110 s of WAL at the net replay speed', () => {
    const t = provisioningTimeline(model, 10e9, 10e6);
    expect(t.copyMs).toBeCloseTo(100_000);
    expect(t.backlogBytes).toBeCloseTo(1.1e9);
    // (1.1 GB − 10 MB allowed by the 1 s objective) ÷ (50 − 10) MB/s = 27.25 s.
    expect(t.catchUpMs).toBeCloseTo(27_250);
    expect(t.readyMs).toBeCloseTo(137_250);
  });
  it('never becomes ready when replay cannot outrun the leader', () => {
    expect(provisioningTimeline(model, 1e9, 60e6).readyMs).toBe(Infinity);
  });
  it('fits bandwidth and start-up from two measured sizes', () => {
    const fit = fitCopyModel([{ dataBytes: 1e8, copyMs: 3000 }, { dataBytes: 3e8, copyMs: 7000 }]);
    expect(fit.copyBytesPerSec).toBeCloseTo(1e8 / 2);
    expect(fit.startupMs).toBeCloseTo(1000);
  });
});

describe('the fleet on a Big Billion Day trace', () => {
  const trace = bigBillionDayTrace({ seed: 7, days: 3 });
  const sale = trace.saleStartMinute!;
  it('a replica added at the sale serves reads only after start-up, copy and catch-up, as the model predicts', () => {
    const run = runFleet({ trace, policy: thresholdPolicy({ minReplicas: 2, maxReplicas: 40, stepUp: 1, cooldownMin: 1000 }), recordFromMinute: sale - 60 });
    const up = run.decisions.find((d) => d.minute >= sale && d.region === 'mumbai' && d.to > d.from)!;
    expect(up).toBeDefined();
    const firstReady = run.minutes.find((m) => m.region === 'mumbai' && m.minute > up.minute && m.readyReplicas > up.from)!;
    const p = run.options.model.provisioning;
    const copyMin = (p.startupMs + (run.options.model.dataBytes / p.copyBytesPerSec) * 1000) / 60_000;
    expect(firstReady.minute - up.minute).toBeGreaterThanOrEqual(Math.floor(copyMin));
    expect(firstReady.minute - up.minute).toBeLessThan(copyMin + 30);
  });
  it('a static fleet sized for the peak never breaches; an HPA fleet starting small breaches at the sale', () => {
    const stat = measureRun(runFleet({ trace, policy: staticPolicy({ mumbai: 28, delhi: 19, bangalore: 16 }), recordFromMinute: sale }), { fromMinute: sale, toMinute: sale + 1440, spikeMinute: sale });
    const hpa = measureRun(runFleet({ trace, policy: hpaPolicy({ target: 0.6, minReplicas: 2, maxReplicas: 60 }), recordFromMinute: sale }), { fromMinute: sale, toMinute: sale + 1440, spikeMinute: sale });
    expect(stat.breachMinutes).toBe(0);
    expect(hpa.breachMinutes).toBeGreaterThan(20);
    expect(hpa.rupeesPerDay).toBeLessThan(stat.rupeesPerDay);
    expect(costSlaFrontier([stat, hpa]).length).toBe(2);
  });
  it('is deterministic: one seed, one run', () => {
    const a = runFleet({ trace, policy: hpaPolicy({ target: 0.6, minReplicas: 2, maxReplicas: 60 }) });
    const b = runFleet({ trace, policy: hpaPolicy({ target: 0.6, minReplicas: 2, maxReplicas: 60 }) });
    expect(a.minutes).toEqual(b.minutes);
  });
  it('COST_OPTIMIZATION places Mumbai and Bangalore replicas in a cheaper region within the RTT budget', () => {
    const costs = replicaCostTable();
    const topo = indiaTopology();
    expect(servingRegion('mumbai', costs, topo, false, 15)).toBe('mumbai');
    const m = servingRegion('mumbai', costs, topo, true, 15);
    expect(costs.rupeesPerHour[m]).toBeLessThan(costs.rupeesPerHour.mumbai);
    expect(topo.rttMs('mumbai', m)).toBeLessThanOrEqual(15);
    expect(servingRegion('delhi', costs, topo, true, 15)).toBe('delhi');
  });
});
