// Proves the OR-Map has add-wins keys and removes "as observed": after a partition, a key
// removed on one side and updated on the other is present and counts only the updates the
// remover had not seen (model check for a map of PN-Counters), and nested maps do the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MVRegister, MVRegisterState, ORMap, ORMapState, PNCounter, PNCounterState } from '../../lib/crdt';
import { propertyRuns } from '../clocks/property-settings';
import { REPLICAS } from './crdt-cases';

const Cart = ORMap.of(PNCounter);
const add = (cart: ORMapState<PNCounterState>, replicaId: string, item: string, quantity: number) =>
  Cart.update(cart, replicaId, item, (count) => PNCounter.increment(count, replicaId, quantity));

describe('OR-Map', () => {
  it('shopping cart during a partition: a removed item comes back only with the quantity added concurrently', () => {
    // Before the partition both regions see 2 dosas and 1 idli in the cart.
    const shared = add(add(Cart.empty(), 'mumbai', 'dosa', 2), 'mumbai', 'idli', 1);
    // Partition. On the phone (routed to Mumbai) the user removes the dosas;
    // on the laptop (routed to Delhi) they add one more dosa.
    const mumbai = Cart.remove(shared, 'dosa');
    const delhi = add(Cart.merge(Cart.empty(), shared), 'delhi', 'dosa', 1);
    expect(Cart.value(mumbai)).toEqual({ idli: 1 });
    expect(Cart.value(delhi)).toEqual({ dosa: 3, idli: 1 });
    // Heal. Add wins, but the 2 dosas the remove saw stay removed: 1, not 3 (Dynamo's
    // "deleted items reappear" anomaly would show 3).
    const healed = Cart.merge(mumbai, delhi);
    expect(Cart.value(healed)).toEqual({ dosa: 1, idli: 1 });
    expect(Cart.merge(delhi, mumbai)).toEqual(healed);
  });

  it('a removed key with no concurrent update is gone everywhere after the merge', () => {
    const shared = add(Cart.empty(), 'mumbai', 'vada', 4);
    const mumbai = Cart.remove(shared, 'vada');
    expect(Cart.value(Cart.merge(mumbai, shared))).toEqual({});
    expect(Cart.has(Cart.merge(shared, mumbai), 'vada')).toBe(false);
    expect(Cart.get(mumbai, 'vada')).toBeUndefined();
  });

  it('re-adding a removed key starts its value from what is added after the remove', () => {
    let cart = add(Cart.empty(), 'chennai', 'pongal', 5);
    cart = Cart.remove(cart, 'pongal');
    cart = add(cart, 'chennai', 'pongal', 1);
    expect(Cart.get(cart, 'pongal')).toBe(1);
    expect(Cart.keys(cart)).toEqual(['pongal']);
  });

  it('nested maps reset recursively: removing a city hides every note seen there, keeps a concurrent one', () => {
    const NotesByDish = ORMap.of(MVRegister);
    const NotesByCity = ORMap.of(NotesByDish);
    const note = (state: ORMapState<ORMapState<MVRegisterState<unknown>>>, replicaId: string, city: string, dish: string, text: string) =>
      NotesByCity.update(state, replicaId, city, (dishes) =>
        NotesByDish.update(dishes, replicaId, dish, (register) => MVRegister.set(register, replicaId, text)),
      );
    const shared = note(note(NotesByCity.empty(), 'mumbai', 'pune', 'misal', 'spicy'), 'mumbai', 'pune', 'poha', 'mild');
    const mumbai = NotesByCity.remove(shared, 'pune');
    const delhi = note(NotesByCity.merge(NotesByCity.empty(), shared), 'delhi', 'pune', 'vada-pav', 'must try');
    expect(NotesByCity.value(NotesByCity.merge(mumbai, delhi))).toEqual({ pune: { 'vada-pav': ['must try'] } });
  });

  it('rejects a change function that loses state, and the "__proto__" key', () => {
    const cart = add(Cart.empty(), 'mumbai', 'dosa', 2);
    expect(() => Cart.update(cart, 'mumbai', 'dosa', () => PNCounter.empty())).toThrow(
      /update of key "dosa": the change function must return its input updated by a pn-counter operation/,
    );
    expect(() => add(cart, 'mumbai', '__proto__', 1)).toThrow(/key must not be "__proto__"/);
  });

  type Step =
    | { replica: number; kind: 'update'; item: string; delta: number }
    | { replica: number; kind: 'remove'; item: string }
    | { replica: number; kind: 'merge'; from: number };
  const item = fc.constantFrom('dosa', 'idli', 'vada');
  const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      replica: fc.nat(2),
      kind: fc.constant('update' as const),
      item,
      delta: fc.integer({ min: -2, max: 3 }).filter((d) => d !== 0),
    }),
    fc.record({ replica: fc.nat(2), kind: fc.constant('remove' as const), item }),
    fc.record({ replica: fc.nat(2), kind: fc.constant('merge' as const), from: fc.nat(2) }),
  );

  it('property: keys and quantities equal the model "updates of the key that no remove has observed"', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 40 }), (steps) => {
        const states = REPLICAS.map(() => Cart.empty());
        // Model: every update is a numbered event; removes mark the events they have seen.
        const updates: { item: string; delta: number }[] = [];
        const known = REPLICAS.map(() => new Set<number>());
        const removed = REPLICAS.map(() => new Set<number>());
        for (const step of steps) {
          const r = step.replica;
          const replicaId = REPLICAS[r];
          if (step.kind === 'update') {
            states[r] = Cart.update(states[r], replicaId, step.item, (count) =>
              step.delta > 0 ? PNCounter.increment(count, replicaId, step.delta) : PNCounter.decrement(count, replicaId, -step.delta),
            );
            known[r].add(updates.length);
            updates.push({ item: step.item, delta: step.delta });
          } else if (step.kind === 'remove') {
            states[r] = Cart.remove(states[r], step.item);
            for (const id of known[r]) if (updates[id].item === step.item) removed[r].add(id);
          } else {
            states[r] = Cart.merge(states[r], states[step.from]);
            for (const id of known[step.from]) known[r].add(id);
            for (const id of removed[step.from]) removed[r].add(id);
          }
        }
        REPLICAS.forEach((_, r) => {
          const expected: Record<string, number> = {};
          for (const id of [...known[r]].sort((a, b) => a - b)) {
            if (removed[r].has(id)) continue;
            expected[updates[id].item] = (expected[updates[id].item] ?? 0) + updates[id].delta;
          }
          expect(Cart.value(states[r])).toEqual(expected);
        });
      }),
      propertyRuns(200),
    );
  });
});
