// Proves the G-Counter counts every increment exactly once across replicas, however often
// states are merged, and rejects amounts that would make it shrink.
import { describe, expect, it } from 'vitest';
import { GCounter } from '../../lib/crdt';

describe('G-Counter', () => {
  it('counts page views made in three regions once each, even when states are merged repeatedly', () => {
    let mumbai = GCounter.increment(GCounter.empty(), 'mumbai', 5);
    let delhi = GCounter.increment(GCounter.empty(), 'delhi', 3);
    const chennai = GCounter.increment(GCounter.empty(), 'chennai');
    mumbai = GCounter.merge(mumbai, delhi);
    delhi = GCounter.merge(delhi, mumbai); // Delhi now also has Mumbai's 5.
    const everything = GCounter.merge(GCounter.merge(mumbai, delhi), chennai);
    // Adding up states instead of merging would count Delhi's 3 twice; the max per slot does not.
    expect(GCounter.value(everything)).toBe(9);
    expect(everything).toEqual({ counts: { chennai: 1, delhi: 3, mumbai: 5 } });
  });

  it('valueWithout counts only increments made after the observed state', () => {
    const observed = GCounter.increment(GCounter.increment(GCounter.empty(), 'mumbai', 4), 'delhi', 2);
    const later = GCounter.increment(GCounter.increment(observed, 'mumbai', 1), 'chennai', 7);
    expect(GCounter.valueWithout(later, observed)).toBe(8);
  });

  it('rejects a zero, negative or fractional amount, naming the option', () => {
    expect(() => GCounter.increment(GCounter.empty(), 'mumbai', -1)).toThrow(/amount must be a positive integer .* got -1/);
    expect(() => GCounter.increment(GCounter.empty(), 'mumbai', 0.5)).toThrow(/got 0\.5/);
    expect(() => GCounter.increment(GCounter.empty(), '', 1)).toThrow(/replicaId must be a non-empty string/);
  });
});
