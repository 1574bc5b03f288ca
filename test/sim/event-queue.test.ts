import { describe, expect, it } from 'vitest';
import { EventQueue, LimitExceededError } from '../../lib/sim';

describe('EventQueue', () => {
  it('pops in time order and breaks ties by insertion order', () => {
    const queue = new EventQueue<{ timeMs: number; seq: number; name: string }>(100);
    const names = ['c@5', 'a@1', 'b@5', 'd@1', 'e@0', 'f@5'];
    for (const name of names) queue.push({ timeMs: Number(name.split('@')[1]), seq: 0, name });
    const order: string[] = [];
    for (let e = queue.pop(); e; e = queue.pop()) order.push(e.name);
    expect(order).toEqual(['e@0', 'a@1', 'd@1', 'c@5', 'b@5', 'f@5']);
  });

  it('stays sorted under many random pushes and pops', () => {
    const queue = new EventQueue<{ timeMs: number; seq: number }>(10_000);
    let state = 7;
    const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) queue.push({ timeMs: Math.floor(next() * 100), seq: 0 });
    let last = { timeMs: -1, seq: -1 };
    while (queue.length > 0) {
      const e = queue.pop()!;
      expect(e.timeMs > last.timeMs || (e.timeMs === last.timeMs && e.seq > last.seq)).toBe(true);
      last = e;
    }
  });

  it('fails loudly at its limit', () => {
    const queue = new EventQueue<{ timeMs: number; seq: number }>(2);
    queue.push({ timeMs: 1, seq: 0 });
    queue.push({ timeMs: 2, seq: 0 });
    expect(() => queue.push({ timeMs: 3, seq: 0 })).toThrow(LimitExceededError);
    expect(() => queue.push({ timeMs: 3, seq: 0 })).toThrow(/maxQueueLength = 2/);
  });
});
