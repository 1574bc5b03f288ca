// Proves the G-Set is a union of everything added anywhere, with JSON elements compared by
// value (not by object identity or key order).
import { describe, expect, it } from 'vitest';
import { GSet } from '../../lib/crdt';

describe('G-Set', () => {
  it('keeps every order id seen by any region, each once', () => {
    const mumbai = GSet.add(GSet.add(GSet.empty<string>(), 'order-17'), 'order-18');
    const delhi = GSet.add(GSet.add(GSet.empty<string>(), 'order-18'), 'order-21');
    expect(GSet.value(GSet.merge(mumbai, delhi))).toEqual(['order-17', 'order-18', 'order-21']);
  });

  it('treats objects with the same fields in a different key order as one element', () => {
    const a = GSet.add(GSet.empty<object>(), { sku: 'vada', size: 2 });
    const b = GSet.add(GSet.empty<object>(), { size: 2, sku: 'vada' });
    expect(GSet.merge(a, b).elements).toHaveLength(1);
    expect(GSet.has(a, { size: 2, sku: 'vada' })).toBe(true);
  });

  it('rejects elements that JSON cannot carry', () => {
    expect(() => GSet.add(GSet.empty<unknown>(), new Map())).toThrow(/value is a Map object; CRDT states and elements must be plain JSON data/);
    expect(() => GSet.add(GSet.empty<unknown>(), { price: Number.NaN })).toThrow(/value\.price is NaN/);
  });
});
