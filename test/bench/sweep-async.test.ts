// Proves the simulator and a real engine find saturation by the same rules: sweepWithAsync,
// given the same runs one at a time, asks for exactly the loads sweepWith asks for (the sweep,
// the bisection steps, 50 % and 80 %) and returns the same result; and a run is never started
// before the previous one has finished.
import { describe, expect, it } from 'vitest';
import { BenchRunResult, YCSB_MIXES, modelServer, runOpenLoopBench, sweepSteps, sweepWith, sweepWithAsync } from '../../lib/bench';
import { OptionError } from '../../lib/sim';

const KEYS = { keyCount: 100, zipfTheta: 0.99 };
const run = (ratePerSec: number): BenchRunResult =>
  runOpenLoopBench({ seed: 5, build: (sim) => modelServer({ sim, serviceMs: 2 }), mix: YCSB_MIXES.B, ratePerSec, durationMs: 2000, keys: KEYS });

describe('sweepWithAsync', () => {
  it('asks for the same loads as sweepWith, in the same order, one at a time, and finds the same saturation', async () => {
    const syncAsked: Array<[number, boolean]> = [];
    const sync = sweepWith((rate, eighty) => (syncAsked.push([rate, eighty]), run(rate)), [100, 200, 400, 800, 1600], { refineSteps: 3 });
    const asyncAsked: Array<[number, boolean]> = [];
    let running = 0;
    const result = await sweepWithAsync(
      async (rate, eighty) => {
        running++;
        expect(running).toBe(1);
        asyncAsked.push([rate, eighty]);
        await new Promise((r) => setTimeout(r, 1));
        running--;
        return run(rate);
      },
      [100, 200, 400, 800, 1600],
      { refineSteps: 3 },
    );
    expect(asyncAsked).toEqual(syncAsked);
    // Sweep up to the first overload (800 for a 500/s server), three bisection steps, then 50 % and 80 %.
    expect(syncAsked.map(([r]) => r).slice(0, 4)).toEqual([100, 200, 400, 800]);
    expect(syncAsked.length).toBe(4 + 3 + 2);
    expect(syncAsked.filter(([, eighty]) => eighty)).toHaveLength(1);
    expect(result.saturation).toEqual(sync.saturation);
    expect(result.points.map((p) => p.offeredPerSec)).toEqual(sync.points.map((p) => p.offeredPerSec));
    expect(result.atEightyPercent!.offeredPerSec).toBeCloseTo(0.8 * result.saturation.saturationPerSec, 6);
  });

  it('rejects a bad rate with the option, the value and what is allowed', () => {
    expect(() => sweepSteps([100, -5]).next()).toThrow(OptionError);
    expect(() => sweepSteps([100, -5]).next()).toThrow(/ratesPerSec\[1\].*-5/);
    expect(() => sweepSteps([]).next()).toThrow(/at least one rate/);
  });
});
