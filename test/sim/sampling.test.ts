// Proves the observer's sampler takes samples at the promised times and that the convergence
// delay is measured to the first moment after which every sample agrees, not the first lucky one.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../lib/sim';
import { convergenceDelayMs, sampleEvery } from '../../lib/sim';

describe('sampling', () => {
  it('samples every interval, inclusive of the end, as the simulation runs', () => {
    const sim = new Simulation({ seed: 1 });
    const samples = sampleEvery(sim, { everyMs: 100, fromMs: 50, untilMs: 350 }, (timeMs) => ({ timeMs }));
    expect(samples).toEqual([]);
    sim.run(1000);
    expect(samples.map((s) => s.timeMs)).toEqual([50, 150, 250, 350]);
  });

  it('refuses to take more samples than its limit', () => {
    const sim = new Simulation({ seed: 1 });
    expect(() => sampleEvery(sim, { everyMs: 1, untilMs: 1000, maxSamples: 10 }, () => 0)).toThrow(/1001 samples, more than maxSamples = 10/);
  });

  it('a relapse after a converged sample restarts the clock; a never-converged run gives null', () => {
    const samples = [0, 1, 2, 3, 4, 5].map((i) => ({ timeMs: 1000 + i * 10, ok: [false, true, false, true, true, true][i] }));
    expect(convergenceDelayMs(samples, 1000, (s) => s.ok)).toBe(30);
    expect(convergenceDelayMs(samples.slice(0, 3), 1000, (s) => s.ok)).toBeNull();
    // Samples before fromMs do not count.
    expect(convergenceDelayMs(samples, 1035, (s) => s.ok)).toBe(5);
  });
});
