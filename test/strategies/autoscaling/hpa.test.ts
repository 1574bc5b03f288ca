import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HpaRecommendation, hpaDecide, hpaReplicaRule } from '../../../lib/strategies/autoscaling';
import { OptionError } from '../../../lib/util';

const ready = (metric: number, n: number) => Array.from({ length: n }, () => ({ ready: true, metric }));
const notReady = (n: number) => Array.from({ length: n }, () => ({ ready: false, metric: null }));

describe('HPA replica rule: the worked examples of the Kubernetes documentation (Algorithm details)', () => {
  it('doubles the replicas when the metric is 200m against a target of 100m', () => {
    expect(hpaReplicaRule(4, ready(0.2, 4), 0.1).replicas).toBe(8);
  });
  it('halves them when the metric is 50m against 100m', () => {
    expect(hpaReplicaRule(4, ready(0.05, 4), 0.1).replicas).toBe(2);
  });
  it('rounds up: desired = ceil(current × metric ÷ target)', () => {
    // 3 replicas at 70% against 50%: ceil(3 × 1.4) = ceil(4.2) = 5.
    expect(hpaReplicaRule(3, ready(0.7, 3), 0.5).replicas).toBe(5);
  });
  it('takes no action inside the 0.1 tolerance, and acts just outside it', () => {
    expect(hpaReplicaRule(10, ready(0.54, 10), 0.5).replicas).toBe(10); // ratio 1.08
    expect(hpaReplicaRule(10, ready(0.46, 10), 0.5).replicas).toBe(10); // ratio 0.92
    expect(hpaReplicaRule(10, ready(0.56, 10), 0.5).replicas).toBe(12); // ratio 1.12
  });
  it('counts not-ready pods as 0% on a scale up, dampening it', () => {
    // 2 ready at 100% of a 50% target (ratio 2) and 2 not ready: plain rule says 4 over the ready
    // pods; counting the not-ready as 0% gives ratio 1.0 over 4 pods: within tolerance, no action.
    expect(hpaReplicaRule(4, [...ready(1.0, 2), ...notReady(2)], 0.5).replicas).toBe(4);
    // 2 ready at 150% (ratio 3) and 2 not ready: ratio (3+3)/4... = 1.5 over 4 → 6.
    expect(hpaReplicaRule(4, [...ready(1.5, 2), ...notReady(2)], 0.5).replicas).toBe(6);
  });
  it('ignores not-ready pods on a scale down', () => {
    // 2 ready at 10% of a 50% target: ceil(2 × 0.2) = 1, the not-ready pods are set aside.
    expect(hpaReplicaRule(4, [...ready(0.1, 2), ...notReady(2)], 0.5).replicas).toBe(1);
  });
  it('counts missing metrics as 100% of target on a scale down and 0% on a scale up', () => {
    const missing = { ready: true, metric: null };
    // ratio 0.2 over 2 pods; with 2 missing at 100%: (0.2+0.2+1+1)/4 = 0.6 → ceil(2.4) = 3.
    expect(hpaReplicaRule(4, [...ready(0.1, 2), missing, missing], 0.5).replicas).toBe(3);
    // ratio 1.4 over 2 pods; with 2 missing at 0%: 0.7 → reverses direction: no action.
    expect(hpaReplicaRule(4, [...ready(0.7, 2), missing, missing], 0.5).replicas).toBe(4);
  });
});

describe('HPA stabilisation and limits', () => {
  const spec = { target: 0.5, minReplicas: 2, maxReplicas: 10, scaleDownStabilizationMs: 300_000 };
  it('keeps the highest recommendation of the last 300 s before scaling down (the documented default)', () => {
    const h: HpaRecommendation[] = [];
    expect(hpaDecide(spec, 0, 4, ready(1.0, 4), h).desiredReplicas).toBe(8);
    // Load falls at once: the rule says 2, but the window still remembers 8.
    expect(hpaDecide(spec, 60_000, 8, ready(0.1, 8), h).desiredReplicas).toBe(8);
    expect(hpaDecide(spec, 299_000, 8, ready(0.1, 8), h).desiredReplicas).toBe(8);
    expect(hpaDecide(spec, 301_000, 8, ready(0.1, 8), h).desiredReplicas).toBe(2);
  });
  it('scales up at once with the default 0 s scale-up window, and waits with a longer one', () => {
    expect(hpaDecide(spec, 0, 2, ready(1.0, 2), []).desiredReplicas).toBe(4);
    const h: HpaRecommendation[] = [];
    const slow = { ...spec, scaleUpStabilizationMs: 120_000 };
    expect(hpaDecide(slow, 0, 2, ready(0.5, 2), h).desiredReplicas).toBe(2);
    expect(hpaDecide(slow, 60_000, 2, ready(1.0, 2), h).desiredReplicas).toBe(2);
    expect(hpaDecide(slow, 121_000, 2, ready(1.0, 2), h).desiredReplicas).toBe(4);
  });
  it('clamps to min and max', () => {
    expect(hpaDecide(spec, 0, 8, ready(5, 8), []).desiredReplicas).toBe(10);
    expect(hpaDecide({ ...spec, scaleDownStabilizationMs: 0 }, 0, 3, ready(0.01, 3), []).desiredReplicas).toBe(2);
  });
  it('rejects a bad spec with one precise line', () => {
    expect(() => hpaDecide({ ...spec, maxReplicas: 1 }, 0, 2, [], [])).toThrow(OptionError);
    expect(() => hpaDecide({ ...spec, tolerance: -1 }, 0, 2, [], [])).toThrow(/tolerance: got -1/);
  });
});

describe('HPA properties (fast-check)', () => {
  const arb = fc.record({
    min: fc.integer({ min: 0, max: 5 }),
    extra: fc.integer({ min: 1, max: 20 }),
    windowS: fc.integer({ min: 0, max: 600 }),
    steps: fc.array(fc.record({ dtS: fc.integer({ min: 1, max: 120 }), metric: fc.double({ min: 0, max: 3, noNaN: true }), notReady: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 40 }),
  });
  it('never goes below min nor above max, and never scales down while a higher recommendation is inside the window', () => {
    fc.assert(fc.property(arb, ({ min, extra, windowS, steps }) => {
      const spec = { target: 0.6, minReplicas: min, maxReplicas: Math.max(1, min) + extra, scaleDownStabilizationMs: windowS * 1000 };
      const h: HpaRecommendation[] = [];
      const recs: HpaRecommendation[] = [];
      let current = spec.minReplicas;
      let now = 0;
      for (const s of steps) {
        now += s.dtS * 1000;
        const readyN = Math.max(0, current - s.notReady);
        const pods = [...ready(s.metric, readyN), ...notReady(current - readyN)];
        const d = hpaDecide(spec, now, current, pods, h);
        recs.push({ atMs: now, replicas: h[h.length - 1].replicas });
        expect(d.desiredReplicas).toBeGreaterThanOrEqual(spec.minReplicas);
        expect(d.desiredReplicas).toBeLessThanOrEqual(spec.maxReplicas);
        if (d.desiredReplicas < current) {
          const highest = Math.max(...recs.filter((r) => r.atMs >= now - spec.scaleDownStabilizationMs).map((r) => r.replicas));
          expect(d.desiredReplicas).toBeGreaterThanOrEqual(Math.min(current, highest));
        }
        current = d.desiredReplicas;
      }
    }), { numRuns: 300, seed: 41 });
  });
});
