// Proves the multi-value register keeps every write no other write has seen (concurrent
// writes become siblings) and that a write after reading the siblings replaces them all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MVRegister, MVRegisterState } from '../../lib/crdt';
import { propertyRuns } from '../clocks/property-settings';
import { REPLICAS } from './crdt-cases';

describe('MV-Register', () => {
  it('MV-register keeps both concurrent UPI updates as siblings', () => {
    // A UPI payment's status is replicated between a Mumbai and a Delhi data centre.
    const pending = MVRegister.set(MVRegister.empty<string>(), 'mumbai', 'PENDING');
    let mumbai = pending;
    let delhi = MVRegister.merge(MVRegister.empty<string>(), pending);
    // Partition. The bank's callback reaches Mumbai; a timeout fires in Delhi.
    mumbai = MVRegister.set(mumbai, 'mumbai', 'SUCCESS');
    delhi = MVRegister.set(delhi, 'delhi', 'FAILED');
    // After the heal both survive: LWW would silently pick one, here reconciliation decides.
    const healed = MVRegister.merge(mumbai, delhi);
    expect(MVRegister.value(healed).sort()).toEqual(['FAILED', 'SUCCESS']);
    // PENDING is gone: both writes had seen it.
    // Reconciliation (e.g. asking the bank) writes once, replacing both siblings.
    const resolved = MVRegister.set(healed, 'delhi', 'SUCCESS');
    expect(MVRegister.value(resolved)).toEqual(['SUCCESS']);
    expect(MVRegister.value(MVRegister.merge(resolved, mumbai))).toEqual(['SUCCESS']);
  });

  it('sequential writes on one replica keep only the last value', () => {
    let register = MVRegister.empty<number>();
    for (const balance of [500, 400, 300]) register = MVRegister.set(register, 'chennai', balance);
    expect(MVRegister.value(register)).toEqual([300]);
  });

  type Step = { replica: number; write: true } | { replica: number; write: false; from: number };
  const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ replica: fc.nat(2), write: fc.constant(true as const) }),
    fc.record({ replica: fc.nat(2), write: fc.constant(false as const), from: fc.nat(2) }),
  );

  it('property: values are exactly the known writes that no known write has seen (model check)', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 40 }), (steps) => {
        const states: MVRegisterState<number>[] = REPLICAS.map(() => MVRegister.empty<number>());
        const known = REPLICAS.map(() => new Set<number>());
        const sawWhenWritten = new Map<number, Set<number>>();
        let nextId = 1;
        for (const step of steps) {
          const r = step.replica;
          if (step.write) {
            const id = nextId++;
            states[r] = MVRegister.set(states[r], REPLICAS[r], id);
            sawWhenWritten.set(id, new Set(known[r]));
            known[r].add(id);
          } else {
            states[r] = MVRegister.merge(states[r], states[step.from]);
            for (const id of known[step.from]) known[r].add(id);
          }
        }
        REPLICAS.forEach((_, r) => {
          const seenByAnother = new Set<number>();
          for (const id of known[r]) for (const old of sawWhenWritten.get(id) ?? []) seenByAnother.add(old);
          const expected = [...known[r]].filter((id) => !seenByAnother.has(id)).sort((a, b) => a - b);
          expect([...MVRegister.value(states[r])].sort((a, b) => a - b)).toEqual(expected);
        });
      }),
      propertyRuns(200),
    );
  });
});
