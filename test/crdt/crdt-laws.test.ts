// Proves every CRDT's merge is a join: commutative, associative, idempotent, with the empty
// state as identity, compared both by value() and by canonical state; and that states
// survive a JSON round trip (so they can travel in simulated messages).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../lib/crdt';
import { propertyRuns } from '../clocks/property-settings';
import { AnyCrdtCase, CRDT_CASES, reachableStates, scriptArbitrary } from './crdt-cases';

/** Same state: deep-equal (so arrays are in canonical order) and identical canonical JSON. */
function expectSameState(crdt: AnyCrdtCase, actual: unknown, expected: unknown): void {
  expect(canonicalJson(actual)).toBe(canonicalJson(expected));
  expect(actual).toEqual(expected);
  expect(crdt.type.value(actual)).toEqual(crdt.type.value(expected));
}

/** Three states from one replicated run (states from unrelated runs could reuse a dot for different writes). */
function threeStates(crdt: AnyCrdtCase) {
  return fc
    .tuple(scriptArbitrary(crdt.operation), fc.nat(), fc.nat(), fc.nat())
    .map(([steps, i, j, k]) => {
      const states = reachableStates(crdt, steps);
      return [i, j, k].map((n) => states[n % states.length]);
    });
}

describe.each(CRDT_CASES.map((crdt) => [crdt.name, crdt] as const))('%s merge laws', (_name, crdt) => {
  const { merge, empty } = crdt.type;

  it('property: merge is commutative', () => {
    fc.assert(
      fc.property(threeStates(crdt), ([a, b]) => expectSameState(crdt, merge(a, b), merge(b, a))),
      propertyRuns(100),
    );
  });

  it('property: merge is associative', () => {
    fc.assert(
      fc.property(threeStates(crdt), ([a, b, c]) => expectSameState(crdt, merge(merge(a, b), c), merge(a, merge(b, c)))),
      propertyRuns(100),
    );
  });

  it('property: merge is idempotent, and the empty state is its identity', () => {
    fc.assert(
      fc.property(threeStates(crdt), ([a, b]) => {
        expectSameState(crdt, merge(a, a), a);
        expectSameState(crdt, merge(a, empty()), a);
        // Receiving the same state twice changes nothing the second time.
        expectSameState(crdt, merge(merge(a, b), b), merge(a, b));
      }),
      propertyRuns(100),
    );
  });

  it('property: a state survives a JSON round trip and still merges the same', () => {
    fc.assert(
      fc.property(threeStates(crdt), ([a, b]) => {
        const sent = JSON.parse(JSON.stringify(a));
        expectSameState(crdt, sent, a);
        expectSameState(crdt, merge(sent, b), merge(a, b));
      }),
      propertyRuns(50),
    );
  });
});
