// Proves vector clocks characterise causality exactly (a → b ⇔ vc(a) < vc(b)), that compare
// is a partial order, and that merge is the least upper bound (commutative, associative,
// idempotent).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VectorClock } from '../../lib/clocks';
import { propertyRuns } from './property-settings';
import { Execution, executionArbitrary, happenedBefore, NODE_NAMES } from './random-execution';

/** Small clocks over three nodes with counters 0..2, so that ordered pairs and triples are common. */
const clockArbitrary = fc
  .record({ mumbai: fc.nat(2), delhi: fc.nat(2), chennai: fc.nat(2) })
  .map((entries) => VectorClock.from(entries));

function vectorTimestamps(execution: Execution): VectorClock[] {
  const clocks = NODE_NAMES.slice(0, execution.nodeCount).map(() => VectorClock.empty());
  const stamps: VectorClock[] = [];
  for (const event of execution.events) {
    const name = NODE_NAMES[event.node];
    const clock = clocks[event.node];
    const next =
      event.kind === 'receive'
        ? VectorClock.receive(clock, stamps[event.sendId as number], name)
        : VectorClock.increment(clock, name);
    clocks[event.node] = next;
    stamps.push(next);
  }
  return stamps;
}

describe('vector clock', () => {
  it('tells a causal overwrite from a concurrent conflict in a two-region UPI ledger', () => {
    // Mumbai debits an account, Delhi receives that update and credits: Delhi's write saw Mumbai's.
    const mumbaiDebit = VectorClock.increment(VectorClock.empty(), 'mumbai');
    const delhiCredit = VectorClock.receive(VectorClock.empty(), mumbaiDebit, 'delhi');
    expect(delhiCredit).toEqual({ delhi: 1, mumbai: 1 });
    expect(VectorClock.compare(mumbaiDebit, delhiCredit)).toBe('before');
    expect(VectorClock.compare(delhiCredit, mumbaiDebit)).toBe('after');
    // During a partition Chennai writes without having seen either: a conflict to resolve.
    const chennaiWrite = VectorClock.increment(VectorClock.empty(), 'chennai');
    expect(VectorClock.compare(chennaiWrite, delhiCredit)).toBe('concurrent');
    expect(VectorClock.merge(chennaiWrite, delhiCredit)).toEqual({ chennai: 1, delhi: 1, mumbai: 1 });
  });

  it('keeps clocks canonical: sorted keys and no zero entries, so equal clocks are equal JSON', () => {
    const a = VectorClock.from({ mumbai: 2, chennai: 0, delhi: 1 });
    expect(JSON.stringify(a)).toBe('{"delhi":1,"mumbai":2}');
    expect(VectorClock.compare(a, { delhi: 1, mumbai: 2 })).toBe('equal');
  });

  it('rejects malformed clocks with the offending entry in the message', () => {
    expect(() => VectorClock.from({ mumbai: -1 })).toThrow(/clock\["mumbai"\] must be a non-negative integer; got -1/);
    expect(() => VectorClock.from({ mumbai: 1.5 })).toThrow(/got 1\.5/);
    expect(() => VectorClock.increment({}, '')).toThrow(/nodeId must be a non-empty string/);
  });

  it('property: compare is "before" exactly when the first event happened before the second', () => {
    fc.assert(
      fc.property(executionArbitrary(), (execution) => {
        const stamps = vectorTimestamps(execution);
        for (const a of execution.events) {
          for (const b of execution.events) {
            const expected =
              a.id === b.id
                ? 'equal'
                : happenedBefore(execution, a.id, b.id)
                  ? 'before'
                  : happenedBefore(execution, b.id, a.id)
                    ? 'after'
                    : 'concurrent';
            expect(VectorClock.compare(stamps[a.id], stamps[b.id])).toBe(expected);
          }
        }
      }),
      propertyRuns(100),
    );
  });

  it('property: compare is a partial order (reflexive, antisymmetric, transitive) with symmetric concurrency', () => {
    const flipped = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;
    fc.assert(
      fc.property(clockArbitrary, clockArbitrary, clockArbitrary, (a, b, c) => {
        expect(VectorClock.compare(a, a)).toBe('equal');
        expect(VectorClock.compare(b, a)).toBe(flipped[VectorClock.compare(a, b)]);
        if (VectorClock.lessOrEqual(a, b) && VectorClock.lessOrEqual(b, a)) expect(a).toEqual(b);
        if (VectorClock.lessOrEqual(a, b) && VectorClock.lessOrEqual(b, c)) expect(VectorClock.lessOrEqual(a, c)).toBe(true);
      }),
      propertyRuns(200),
    );
  });

  it('property: merge is the least upper bound, and therefore commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(clockArbitrary, clockArbitrary, clockArbitrary, (a, b, c) => {
        const m = VectorClock.merge(a, b);
        expect(VectorClock.lessOrEqual(a, m) && VectorClock.lessOrEqual(b, m)).toBe(true);
        // Least: any upper bound of a and b is above m. merge(m, c) is always one; c itself sometimes.
        for (const upper of [c, VectorClock.merge(m, c)]) {
          if (VectorClock.lessOrEqual(a, upper) && VectorClock.lessOrEqual(b, upper)) {
            expect(VectorClock.lessOrEqual(m, upper)).toBe(true);
          }
        }
        expect(VectorClock.merge(b, a)).toEqual(m);
        expect(VectorClock.merge(VectorClock.merge(a, b), c)).toEqual(VectorClock.merge(a, VectorClock.merge(b, c)));
        expect(VectorClock.merge(a, a)).toEqual(a);
        expect(JSON.stringify(VectorClock.merge(b, a))).toBe(JSON.stringify(m));
      }),
      propertyRuns(200),
    );
  });
});
