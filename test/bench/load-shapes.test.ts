// Proves the three load shapes offer what they say: constant at the target, the business day
// peaking at the target, the sale spike jumping 10× from its floor; and that a run past a
// model's capacity during the spike shows the queue in its latency.
import { describe, expect, it } from 'vitest';
import { SALE_SPIKE_SHAPE, YCSB_MIXES, loadProfile, modelServer, runOpenLoopBench } from '../../lib/bench';
import { OptionError } from '../../lib/sim';
import { rateAt } from '../../lib/workload';

describe('load shapes', () => {
  it('constant, business day and sale spike put their peak at the target rate', () => {
    const base = { startMs: 0, durationMs: 2400, peakOpsPerSec: 1000, readShare: 0.95 };
    const constant = loadProfile({ ...base, shape: 'constant' });
    expect(rateAt(constant, 100).writesPerSec).toBeCloseTo(50, 9);
    expect(rateAt(constant, 100).readsPerSec).toBeCloseTo(950, 9);
    const day = loadProfile({ ...base, shape: 'business-day' });
    const peak = Math.max(...day.segments.map((s) => s.readsPerSec + s.writesPerSec));
    expect(peak).toBeCloseTo(1000, 6);
    expect(day.segments).toHaveLength(24);
    const sale = loadProfile({ ...base, shape: 'sale-spike' });
    const levels = sale.segments.map((s) => s.readsPerSec + s.writesPerSec);
    expect(Math.max(...levels) / Math.min(...levels)).toBeCloseTo(10, 6);
    expect(sale.segments[sale.segments.length - 1].endMs).toBe(2400);
    expect(SALE_SPIKE_SHAPE.reduce((a, [share]) => a + share, 0)).toBeCloseTo(1, 9);
    expect(() => loadProfile({ ...base, shape: 'flash' as never })).toThrow(OptionError);
  });

  it('a sale spike above capacity shows its queue; the same average load held constant does not', () => {
    // Capacity 500/s; the spike tops at 800/s for a quarter of the run, the floor is 80/s.
    const keys = { keyCount: 100, zipfTheta: 0.99 };
    const spike = runOpenLoopBench({ seed: 8, build: (sim) => modelServer({ sim, serviceMs: 2 }), mix: YCSB_MIXES.B, ratePerSec: 800, shape: 'sale-spike', durationMs: 8000, warmupMs: 0, keys });
    const mean = SALE_SPIKE_SHAPE.reduce((a, [share, level]) => a + share * level, 0) * 800;
    const flat = runOpenLoopBench({ seed: 8, build: (sim) => modelServer({ sim, serviceMs: 2 }), mix: YCSB_MIXES.B, ratePerSec: mean, durationMs: 8000, warmupMs: 0, keys });
    expect(spike.latency!.p99Ms).toBeGreaterThan(100);
    expect(flat.latency!.p99Ms).toBeLessThan(30);
  });
});
