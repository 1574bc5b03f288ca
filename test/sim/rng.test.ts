import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/sim';

describe('Rng', () => {
  it('reproduces the same sequence from the same seed and a different one from another seed', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 20 }, () => rng.float());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps floats in [0, 1) and ints inside their bounds', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 10_000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      const n = rng.int(3, 7);
      expect(n >= 3 && n <= 7 && Number.isInteger(n)).toBe(true);
    }
  });

  it('gives an exponential with roughly the requested mean', () => {
    const rng = new Rng(5);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += rng.exponential(4);
    expect(sum / 20_000).toBeGreaterThan(3.8);
    expect(sum / 20_000).toBeLessThan(4.2);
  });

  it('splits into streams that do not disturb each other', () => {
    const a = new Rng(9);
    const childA = a.split();
    const b = new Rng(9);
    const childB = b.split();
    // Drawing from the parent must not change what the child produces.
    for (let i = 0; i < 100; i++) a.float();
    expect(Array.from({ length: 5 }, () => childA.float())).toEqual(Array.from({ length: 5 }, () => childB.float()));
    expect(childA.float()).not.toEqual(a.float());
  });
});
