/**
 * G-Counter: a grow-only counter.
 *
 * Each replica counts its own increments in its own slot; the value is the sum of all
 * slots. Merging takes the per-slot maximum, which is safe because a slot only ever
 * grows and only its owner writes it: the larger number is simply the newer one.
 * (A G-Counter state is a vector clock whose entries you add up, hence the reuse below.)
 *
 * State: `{ counts: { [replicaId]: total incremented there } }`, canonical (sorted keys,
 * no zero slots).
 */
import { VectorClock } from '../clocks';
import { CrdtTypeWithOperations } from './crdt-type';
import { assertAmount, assertReplicaId } from './replica-id';

export interface GCounterState {
  readonly counts: VectorClock;
}

function empty(): GCounterState {
  return { counts: VectorClock.empty() };
}

/** Replica `replicaId` adds `amount` (a positive integer, default 1) to its own slot. */
function increment(state: GCounterState, replicaId: string, amount = 1): GCounterState {
  assertReplicaId(replicaId);
  assertAmount(amount);
  const counts = VectorClock.merge(state.counts, {
    [replicaId]: VectorClock.get(state.counts, replicaId) + amount,
  });
  return { counts };
}

function value(state: GCounterState): number {
  let total = 0;
  for (const replicaId of VectorClock.nodes(state.counts)) total += state.counts[replicaId];
  return total;
}

function merge(a: GCounterState, b: GCounterState): GCounterState {
  return { counts: VectorClock.merge(a.counts, b.counts) };
}

/** Only what each replica counted after `observed` was taken. */
function valueWithout(state: GCounterState, observed: GCounterState): number {
  let total = 0;
  for (const replicaId of VectorClock.nodes(state.counts)) {
    total += Math.max(0, state.counts[replicaId] - VectorClock.get(observed.counts, replicaId));
  }
  return total;
}

export const GCounter = {
  name: 'g-counter',
  empty,
  increment,
  value,
  merge,
  valueWithout,
} satisfies CrdtTypeWithOperations<GCounterState, number>;
