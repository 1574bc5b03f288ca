// Proves the sibling-aware read check says "stale" exactly when no real-time order of the puts
// lets a linearizable read return any value of the set a read returned: against a brute force
// that enumerates every such order (and every choice of leaving out puts of unknown outcome) on
// small random histories full of ties (and operations that take no time); and on hand-made cases a learner can
// follow.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SiblingReadOperation, checkSiblingReads, readValues } from '../../lib/check/sibling-reads';
import { OptionError } from '../../lib/util';

/** Every value a linearizable read `r` could return: last put before r in some real-time-respecting order, or "". */
function bruteForceAllowed(ops: readonly SiblingReadOperation[], r: SiblingReadOperation): Set<string> {
  const precedes = (a: SiblingReadOperation, b: SiblingReadOperation): boolean => (a.return ?? Infinity) < b.call;
  const puts = ops.filter((o) => o.input.f === 'put' && o.input.key === r.input.key && o.output?.ok !== false);
  const optional = puts.filter((p) => p.output === null || p.return === null);
  const allowed = new Set<string>();
  for (let mask = 0; mask < 1 << optional.length; mask++) {
    const included = puts.filter((p) => !optional.includes(p) || (mask & (1 << optional.indexOf(p))) !== 0);
    const items = [...included, r];
    // Enumerate linear extensions of the real-time order by picking, at each step, any item none of whose predecessors is left.
    const walk = (left: SiblingReadOperation[], lastPut: SiblingReadOperation | null): void => {
      for (const x of left) {
        if (left.some((y) => y !== x && precedes(y, x))) continue;
        if (x === r) {
          allowed.add(lastPut ? (lastPut.input.value as string) : '');
          continue;
        }
        walk(left.filter((y) => y !== x), x);
      }
    };
    walk(items, null);
  }
  return allowed;
}

function bruteForceStale(ops: readonly SiblingReadOperation[]): number {
  let stale = 0;
  for (const r of ops) {
    if (r.input.f !== 'get' || r.return === null || r.output === null) continue;
    const allowed = bruteForceAllowed(ops, r);
    if (!readValues(r.output).some((v) => allowed.has(v))) stale++;
  }
  return stale;
}

const put = (key: string, value: string, call: number, ret: number | null, output: SiblingReadOperation['output'] = {}): SiblingReadOperation => ({ call, return: ret, input: { f: 'put', key, value }, output: ret === null ? null : output });
const get = (key: string, values: string[], call: number, ret: number): SiblingReadOperation => ({ call, return: ret, input: { f: 'get', key }, output: { values } });

/** Small histories on two keys with times 0–8 (so ties are common), some puts of unknown outcome or failed. */
const history = fc
  .tuple(
    fc.array(fc.record({ key: fc.constantFrom('a', 'b'), call: fc.nat(8), length: fc.nat(4), outcome: fc.constantFrom('ok', 'ok', 'ok', 'open', 'unknown-by', 'failed') }), { minLength: 0, maxLength: 5 }),
    fc.array(fc.record({ key: fc.constantFrom('a', 'b'), call: fc.nat(8), length: fc.nat(4), picks: fc.array(fc.nat(6), { minLength: 0, maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  )
  .map(([puts, reads]) => {
    const ops: SiblingReadOperation[] = puts.map((p, i) => {
      const value = `v${i}`;
      if (p.outcome === 'open') return put(p.key, value, p.call, null);
      if (p.outcome === 'unknown-by') return { call: p.call, return: p.call + p.length, input: { f: 'put', key: p.key, value }, output: null };
      return put(p.key, value, p.call, p.call + p.length, p.outcome === 'failed' ? { ok: false } : {});
    });
    for (const r of reads) {
      // A read returns a set of values drawn from the puts' values and "" (never written); duplicates dropped.
      const values = [...new Set(r.picks.map((k) => (k < puts.length ? `v${k}` : '')))];
      ops.push(get(r.key, values, r.call, r.call + r.length));
    }
    return ops;
  });

describe('checkSiblingReads', () => {
  it('agrees with a brute force over every real-time order on 5,000 small histories', () => {
    fc.assert(
      fc.property(history, (ops) => {
        expect(checkSiblingReads(ops).staleReads).toBe(bruteForceStale(ops));
      }),
      { numRuns: 5000, seed: 12 },
    );
  });

  it('a set holding the latest value is fresh even beside an overwritten sibling; a set of only overwritten values is stale', () => {
    const ops = [
      put('k', 'a', 0, 5),
      put('k', 'b', 10, 15), // b overwrote a before the reads began
      get('k', ['a', 'b'], 20, 21), // siblings, one of them the latest: fresh
      get('k', ['a'], 22, 23), // stale
      get('k', [], 24, 25), // "never written" after writes finished: stale
    ];
    const r = checkSiblingReads(ops);
    expect(r).toMatchObject({ reads: 3, staleReads: 2, multiValueReads: 1, valuesMax: 2 });
    expect(r.stale.map((s) => s.index)).toEqual([3, 4]);
    expect(r.stale[0].allowed).toEqual(['b']);
  });

  it('a read concurrent with the overwrite may still return the old value; a failed put never counts', () => {
    const ops = [put('k', 'a', 0, 5), put('k', 'b', 10, 30), get('k', ['a'], 20, 25), put('k', 'c', 40, 45, { ok: false }), get('k', ['c'], 50, 51)];
    expect(checkSiblingReads(ops).staleReads).toBe(1);
  });

  it('ties: a put returning at the moment a read is called overlaps it, so the older value is still allowed', () => {
    expect(checkSiblingReads([put('k', 'a', 0, 5), put('k', 'b', 6, 10), get('k', ['a'], 10, 12)]).staleReads).toBe(0);
    expect(checkSiblingReads([put('k', 'a', 0, 5), put('k', 'b', 6, 10), get('k', ['a'], 11, 12)]).staleReads).toBe(1);
  });

  it('names the bad operation, field and what is allowed', () => {
    expect(() => checkSiblingReads([{ call: 0, return: 1, input: { f: 'append', key: 'k', value: 'x' }, output: {} }])).toThrow(/operations\[0\]\.input\.f: got "append"; allowed: "put", "get"/);
    expect(() => checkSiblingReads([put('k', 'a', 0, 1), put('k', 'a', 2, 3)])).toThrow(OptionError);
    expect(() => checkSiblingReads([put('k', 'a', 5, 1)])).toThrow(/return: got 1; allowed: null or a number ≥ call \(5\)/);
    expect(() => checkSiblingReads([], { equalTimes: 'return-first' } as never)).toThrow(/unknown option "equalTimes"; allowed: examplesMax/);
  });
});
