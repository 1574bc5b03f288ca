// Proves canonical JSON gives one string per value regardless of object key order, and
// refuses values that would change on the way through JSON.
import { describe, expect, it } from 'vitest';
import { canonicalJson, compareJson, sameJson } from '../../lib/crdt';

describe('canonical JSON', () => {
  it('sorts object keys at every level but keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(sameJson({ x: 1, y: 2 }, { y: 2, x: 1 })).toBe(true);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
  });

  it('orders values by their canonical JSON', () => {
    expect(compareJson('a', 'b')).toBe(-1);
    expect(compareJson({ k: 1 }, { k: 1 })).toBe(0);
  });

  it('rejects undefined, functions, non-finite numbers and class instances', () => {
    expect(() => canonicalJson(undefined)).toThrow(/value is undefined/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/value\.f is function/);
    expect(() => canonicalJson([Infinity])).toThrow(/value\[0\] is Infinity/);
    expect(() => canonicalJson(new Set([1]))).toThrow(/Set object/);
  });
});
