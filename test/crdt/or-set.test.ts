// Proves the OR-Set is add-wins and observed-remove: a remove deletes only the adds it has
// seen, a concurrent or later add survives, and (model check) membership after any run is
// exactly "some add of the element that no remove has observed".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORSet, ORSetState } from '../../lib/crdt';
import { propertyRuns } from '../clocks/property-settings';
import { REPLICAS } from './crdt-cases';

describe('OR-Set', () => {
  it('an OR-Set re-add after remove is kept: add-wins', () => {
    let wishlist = ORSet.add(ORSet.empty<string>(), 'mumbai', 'kurta');
    wishlist = ORSet.remove(wishlist, 'kurta');
    expect(ORSet.has(wishlist, 'kurta')).toBe(false);
    wishlist = ORSet.add(wishlist, 'mumbai', 'kurta');
    // An old copy of the state that still has the first add cannot undo anything either way.
    const oldCopy = ORSet.add(ORSet.empty<string>(), 'mumbai', 'kurta');
    expect(ORSet.value(ORSet.merge(wishlist, oldCopy))).toEqual(['kurta']);
  });

  it('a remove concurrent with an add loses: the add carries a tag the remover never saw', () => {
    const shared = ORSet.add(ORSet.empty<string>(), 'mumbai', 'saree');
    const mumbai = ORSet.remove(shared, 'saree'); // Mumbai removes the saree it sees...
    const delhi = ORSet.add(shared, 'delhi', 'saree'); // ...while Delhi adds it again.
    expect(ORSet.value(ORSet.merge(mumbai, delhi))).toEqual(['saree']);
    expect(ORSet.value(ORSet.merge(delhi, mumbai))).toEqual(['saree']);
  });

  it('a removed element stays removed when an old state that still has it is merged back', () => {
    const shared = ORSet.add(ORSet.add(ORSet.empty<string>(), 'mumbai', 'saree'), 'mumbai', 'dupatta');
    const mumbai = ORSet.remove(shared, 'saree');
    const staleDelhi = shared; // Delhi never heard of the remove.
    // The saree's tag is in Mumbai's context, so the merge knows it was removed, not newly added.
    expect(ORSet.value(ORSet.merge(mumbai, staleDelhi))).toEqual(['dupatta']);
  });

  it('repeated adds of one element do not grow the state', () => {
    let set = ORSet.empty<string>();
    for (let i = 0; i < 10; i++) set = ORSet.add(set, 'chennai', 'filter-coffee');
    expect(set.entries).toEqual([{ element: 'filter-coffee', dot: { node: 'chennai', counter: 10 } }]);
  });

  type Step =
    | { replica: number; kind: 'add'; element: string }
    | { replica: number; kind: 'remove'; element: string }
    | { replica: number; kind: 'merge'; from: number };

  const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ replica: fc.nat(2), kind: fc.constant('add' as const), element: fc.constantFrom('a', 'b', 'c') }),
    fc.record({ replica: fc.nat(2), kind: fc.constant('remove' as const), element: fc.constantFrom('a', 'b', 'c') }),
    fc.record({ replica: fc.nat(2), kind: fc.constant('merge' as const), from: fc.nat(2) }),
  );

  it('property: membership equals the explicit model "an add of the element that no remove has observed"', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 40 }), (steps) => {
        const states: ORSetState<string>[] = REPLICAS.map(() => ORSet.empty<string>());
        // Model: every add is a numbered tag; each replica knows some tags and some removed tags.
        const tagElement = new Map<number, string>();
        const known = REPLICAS.map(() => new Set<number>());
        const removed = REPLICAS.map(() => new Set<number>());
        for (const step of steps) {
          const r = step.replica;
          if (step.kind === 'add') {
            states[r] = ORSet.add(states[r], REPLICAS[r], step.element);
            const tag = tagElement.size;
            tagElement.set(tag, step.element);
            known[r].add(tag);
          } else if (step.kind === 'remove') {
            states[r] = ORSet.remove(states[r], step.element);
            for (const tag of known[r]) if (tagElement.get(tag) === step.element) removed[r].add(tag);
          } else {
            states[r] = ORSet.merge(states[r], states[step.from]);
            for (const tag of known[step.from]) known[r].add(tag);
            for (const tag of removed[step.from]) removed[r].add(tag);
          }
        }
        REPLICAS.forEach((_, r) => {
          const present = new Set([...known[r]].filter((tag) => !removed[r].has(tag)).map((tag) => tagElement.get(tag) as string));
          expect(ORSet.value(states[r])).toEqual([...present].sort());
        });
      }),
      propertyRuns(200),
    );
  });
});
