// Proves the benchmark harness measures what it claims: latency from intended start shows a
// stall that a closed loop hides, percentiles match a known distribution, saturation is found
// where a model's capacity says, warm-up is excluded, and the resources queue as modelled.
import { describe, expect, it } from 'vitest';
import { BenchTarget, Resource, YCSB_MIXES, findSaturation, geometricRates, modelServer, runOpenLoopBench, sweepOfferedLoad, ycsbMix } from '../../lib/bench';
import { OptionError, Rng, Simulation } from '../../lib/sim';
import { LatencyHistogram } from '../../lib/stats';
import { KvOperation, OperationResult, WorkloadClient, driveClosedLoop, keyChooser, randomMix, zipfCumulative } from '../../lib/workload';

const KEYS = { keyCount: 100, zipfTheta: 0.99 };

describe('coordinated omission', () => {
  it('open-loop P99 shows a 1 s stall of the server; a closed loop on the same server does not', () => {
    // The server takes 1 ms a request (capacity 1000/s) and stalls for 1 s at t = 5.2 s.
    const open = runOpenLoopBench({
      seed: 7,
      build: (sim) => modelServer({ sim, serviceMs: 1, stalls: [[5200, 1000]] }),
      mix: YCSB_MIXES.A,
      ratePerSec: 200,
      durationMs: 10_000,
      warmupMs: 1000,
      keys: KEYS,
    });
    // About 200 requests arrive during the stall and wait up to 1 s: over 1 % of the 1800 counted.
    expect(open.latency!.p99Ms).toBeGreaterThan(500);
    expect(open.latency!.maxMs).toBeGreaterThan(950);

    const sim = new Simulation({ seed: 7 });
    const server = modelServer({ sim, serviceMs: 1, stalls: [[5200, 1000]] });
    const closed = new LatencyHistogram();
    driveClosedLoop({
      sim,
      clients: server.clients,
      startMs: 1200,
      endMs: 10_200,
      thinkTimeMs: 5,
      nextOperation: randomMix({ keys: KEYS }),
      // What a closed-loop tool records: from when it sent the request, which it did not do while it waited.
      onResult: (_op, result) => closed.record(result.latencyMs!),
    });
    sim.run(12_000);
    expect(closed.percentileMs(99)).toBeLessThan(5);
    expect(closed.summary().maxMs).toBeGreaterThan(950); // the one request it sent saw the stall
  });
});

/** A target that answers each request after a latency drawn from `draw`, with no queueing. */
function distributionTarget(sim: Simulation, draw: (rng: Rng) => number): BenchTarget {
  const rng = new Rng(99);
  const client: WorkloadClient = {
    id: 'client-mumbai',
    region: 'mumbai',
    sessionCount: 1,
    submit(_op: KvOperation, done?: (r: OperationResult) => void) {
      const latencyMs = draw(rng);
      sim.after(latencyMs, () => done?.({ ok: true, latencyMs }));
    },
  };
  return { name: 'known distribution', clients: [client], resources: [], pathOf: () => [] };
}

describe('percentiles', () => {
  it('match a uniform 0–100 ms distribution within 2 %', () => {
    const r = runOpenLoopBench({ seed: 3, build: (sim) => distributionTarget(sim, (rng) => rng.float() * 100), mix: YCSB_MIXES.C, ratePerSec: 5000, durationMs: 5000, keys: KEYS });
    expect(r.latency!.p50Ms).toBeCloseTo(50, -0.3);
    expect(Math.abs(r.latency!.p95Ms - 95)).toBeLessThan(2);
    expect(Math.abs(r.latency!.p99Ms - 99)).toBeLessThan(1);
    expect(r.latency!.maxMs).toBeLessThanOrEqual(100.1);
  });

  it('match an exponential distribution (mean 10 ms: P99 = 10 ln 100 = 46.05 ms) within 5 %', () => {
    const r = runOpenLoopBench({ seed: 4, build: (sim) => distributionTarget(sim, (rng) => rng.exponential(10)), mix: YCSB_MIXES.C, ratePerSec: 5000, durationMs: 8000, keys: KEYS });
    expect(Math.abs(r.latency!.p50Ms - 10 * Math.log(2)) / (10 * Math.log(2))).toBeLessThan(0.05);
    expect(Math.abs(r.latency!.p99Ms - 10 * Math.log(100)) / (10 * Math.log(100))).toBeLessThan(0.05);
  });
});

describe('saturation', () => {
  it('is found at a model server’s known capacity (2 ms a request: 500/s)', () => {
    const sweep = sweepOfferedLoad(
      { seed: 11, build: (sim) => modelServer({ sim, serviceMs: 2 }), mix: YCSB_MIXES.B, durationMs: 4000, keys: KEYS },
      geometricRates(100, 1000, 9),
    );
    const s = sweep.saturation;
    expect(s.sustainedOfferedPerSec).toBeGreaterThanOrEqual(300);
    expect(s.sustainedOfferedPerSec).toBeLessThanOrEqual(500);
    expect(s.firstOverloadedPerSec).toBeGreaterThan(400);
    expect(Math.abs(s.peakThroughputPerSec - 500) / 500).toBeLessThan(0.03);
    // Past the knee the queue grows: the overloaded point's P95 is far above the light one's.
    const heaviest = sweep.points[sweep.points.length - 1];
    expect(heaviest.latency!.p95Ms).toBeGreaterThan(100 * sweep.points[0].latency!.p95Ms);
    expect(heaviest.busiestResource!.name).toBe('model server');
    expect(heaviest.busiestResource!.utilisation).toBeGreaterThan(0.98);
    expect(sweep.atEightyPercent!.offeredPerSec).toBeCloseTo(0.8 * s.saturationPerSec, 6);
    expect(sweep.atEightyPercent!.latency!.p95Ms).toBeLessThan(heaviest.latency!.p95Ms);
  });

  it('reports nothing sustained when even the lightest load overloads the system', () => {
    const sweep = sweepOfferedLoad({ seed: 11, build: (sim) => modelServer({ sim, serviceMs: 20 }), mix: YCSB_MIXES.B, durationMs: 3000, keys: KEYS }, [200, 400]);
    // The lightest point is the reference for latency growth, but it does not keep up (50/s capacity).
    expect(sweep.saturation.sustainedOfferedPerSec).toBe(0);
    expect(sweep.atHalf).toBeNull();
    expect(() => findSaturation([])).toThrow(OptionError);
  });
});

describe('the run', () => {
  it('excludes the warm-up and counts requests that never answer as timeouts', () => {
    const silent: BenchTarget = {
      name: 'silent',
      clients: [{ id: 'c', region: 'delhi', sessionCount: 1, submit: () => undefined }],
      resources: [],
      pathOf: () => [],
    };
    const r = runOpenLoopBench({ seed: 5, build: () => silent, mix: YCSB_MIXES.A, ratePerSec: 1000, durationMs: 2000, warmupMs: 1000, keys: KEYS, timeoutMs: 500 });
    // Only the second second counts: about 1000 requests (Poisson), every one a timeout.
    expect(r.counted).toBeGreaterThan(900);
    expect(r.counted).toBeLessThan(1100);
    expect(r.timeouts).toBe(r.counted);
    expect(r.throughputPerSec).toBe(0);
    expect(r.latency!.minMs).toBeGreaterThanOrEqual(500);
    expect(r.regions.map((x) => x.region)).toEqual(['delhi']);
  });

  it('runs YCSB F as a read then a write of the same key, timed as one operation', () => {
    const seen: Array<{ timeMs: number; op: KvOperation }> = [];
    const r = runOpenLoopBench({
      seed: 6,
      build: (sim) => ({
        name: 'recorder',
        clients: [{ id: 'c', region: 'mumbai', sessionCount: 1, submit: (op, done) => { seen.push({ timeMs: sim.nowMs(), op }); sim.after(5, () => done?.({ ok: true, latencyMs: 5 })); } }],
        resources: [],
        pathOf: () => [],
      }),
      mix: ycsbMix('F'),
      ratePerSec: 500,
      durationMs: 2000,
      keys: KEYS,
    });
    const puts = seen.filter((s) => s.op.f === 'put');
    expect(puts.length).toBeGreaterThan(300);
    // Every write was sent when a read of the same key, sent 5 ms earlier, answered.
    for (const put of puts) expect(seen.some((s) => s.op.f === 'get' && s.op.key === put.op.key && Math.abs(s.timeMs - (put.timeMs - 5)) < 1e-6)).toBe(true);
    expect(r.latency!.maxMs).toBeCloseTo(10, 1); // the read-modify-writes: two 5 ms requests
    expect(() => ycsbMix('E')).toThrow(/allowed: A, B, C, F/);
  });
});

describe('Resource', () => {
  it('group commit: a disk with 2 ms fsyncs finishes 64 waiting writes in one fsync', () => {
    const sim = new Simulation({ seed: 1 });
    const disk = new Resource({ sim, name: 'fsync', maxBatch: 64 });
    const finished: number[] = [];
    for (let i = 0; i < 100; i++) disk.submit(2, () => finished.push(sim.nowMs()));
    sim.run(100);
    // The first write goes alone (the disk was idle); the next 64 share one fsync, the last 35 the next.
    expect(finished.filter((t) => t === 2)).toHaveLength(1);
    expect(finished.filter((t) => t === 4)).toHaveLength(64);
    expect(finished.filter((t) => t === 6)).toHaveLength(35);
    expect(disk.capacityPerSec(2)).toBe(32_000);
    expect(() => new Resource({ sim, name: 'x', servers: 0 })).toThrow(/servers/);
  });
});

describe('Zipfian keys', () => {
  it('pick key i with probability ∝ 1/(i+1)^θ', () => {
    const choose = keyChooser({ keyCount: 1000, zipfTheta: 0.99 });
    const rng = new Rng(1);
    const counts = new Map<string, number>();
    for (let i = 0; i < 200_000; i++) {
      const k = choose(rng);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const cumulative = zipfCumulative(1000, 0.99);
    expect(counts.get('k0')! / 200_000).toBeCloseTo(cumulative[0], 2);
    expect(counts.get('k0')! / counts.get('k1')!).toBeCloseTo(Math.pow(2, 0.99), 1);
    expect(() => keyChooser({ keyCount: 10, zipfTheta: 0.99, hotShare: 0.5 })).toThrow(/either zipfTheta or hotShare/);
  });
});
