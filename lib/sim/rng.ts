import { RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

/**
 * The simulation's only source of randomness: xoroshiro128+ from pure-rand, seeded once.
 * Each consumer (the network, every node) gets its own stream split off with `jump()`
 * (2^64 draws apart), so adding a draw in one node never shifts another node's numbers.
 */
export class Rng {
  private readonly generator: RandomGenerator;

  constructor(seed: number | RandomGenerator) {
    this.generator = typeof seed === 'number' ? xoroshiro128plus(seed) : seed;
  }

  /** A float in [0, 1). */
  float(): number {
    return (this.generator.unsafeNext() >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.generator);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** An exponentially distributed value with the given mean (memoryless waiting time). */
  exponential(mean: number): number {
    // 1 - float() is in (0, 1], so the logarithm is finite.
    return -Math.log(1 - this.float()) * mean;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: cannot pick from an empty list');
    return items[this.int(0, items.length - 1)];
  }

  /** A Fisher–Yates shuffled copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = copy[i];
      copy[i] = copy[j];
      copy[j] = tmp;
    }
    return copy;
  }

  /**
   * A new independent stream: a copy of this generator moved 2^64 draws ahead. This
   * stream also jumps, so the next split is independent of the first.
   */
  split(): Rng {
    const jump = this.generator.unsafeJump;
    if (!jump) throw new Error('Rng.split: generator cannot jump');
    jump.call(this.generator);
    const child = this.generator.clone();
    jump.call(this.generator);
    return new Rng(child);
  }
}
