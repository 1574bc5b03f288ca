// Proves the PN-Counter keeps concurrent increments and decrements from all replicas: after
// a partition heals the stock equals the start minus both sides' sales.
import { describe, expect, it } from 'vitest';
import { PNCounter } from '../../lib/crdt';

describe('PN-Counter', () => {
  it('two warehouses sell concurrently during a partition; after merge the counter reflects both sides\' sales', () => {
    // 100 units of a phone are received in Mumbai and replicated to Bengaluru.
    const stocked = PNCounter.increment(PNCounter.empty(), 'mumbai', 100);
    let mumbai = stocked;
    let bengaluru = PNCounter.merge(PNCounter.empty(), stocked);
    // Partition: each warehouse sells on its own.
    mumbai = PNCounter.decrement(mumbai, 'mumbai', 30);
    bengaluru = PNCounter.decrement(bengaluru, 'bengaluru', 25);
    bengaluru = PNCounter.decrement(bengaluru, 'bengaluru', 5);
    expect(PNCounter.value(mumbai)).toBe(70);
    expect(PNCounter.value(bengaluru)).toBe(70);
    // Heal: a last-writer-wins "stock = 70" would lose 30 sales; the PN-Counter loses none.
    const healed = PNCounter.merge(mumbai, bengaluru);
    expect(PNCounter.value(healed)).toBe(100 - 30 - 25 - 5);
    expect(PNCounter.merge(bengaluru, mumbai)).toEqual(healed);
  });

  it('can go below zero: a CRDT counter converges but does not enforce an invariant like "stock ≥ 0"', () => {
    const start = PNCounter.increment(PNCounter.empty(), 'mumbai', 1);
    const a = PNCounter.decrement(start, 'mumbai');
    const b = PNCounter.decrement(start, 'delhi');
    expect(PNCounter.value(PNCounter.merge(a, b))).toBe(-1);
  });
});
