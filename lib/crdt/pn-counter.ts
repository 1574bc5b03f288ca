/**
 * PN-Counter: a counter that can go up and down.
 *
 * A single slot per replica cannot go down: merge takes the maximum, so a decrement would
 * be lost. Instead keep two G-Counters, one for increments (P) and one for decrements (N),
 * and read P − N. Both halves only grow, so merge is still per-slot maximum.
 * Lesson use: stock of an item sold from several warehouses during a partition.
 *
 * State: `{ increments: GCounterState, decrements: GCounterState }`.
 */
import { CrdtTypeWithOperations } from './crdt-type';
import { GCounter, GCounterState } from './g-counter';

export interface PNCounterState {
  readonly increments: GCounterState;
  readonly decrements: GCounterState;
}

function empty(): PNCounterState {
  return { increments: GCounter.empty(), decrements: GCounter.empty() };
}

/** Replica `replicaId` adds `amount` (a positive integer, default 1). */
function increment(state: PNCounterState, replicaId: string, amount = 1): PNCounterState {
  return { increments: GCounter.increment(state.increments, replicaId, amount), decrements: state.decrements };
}

/** Replica `replicaId` subtracts `amount` (a positive integer, default 1). */
function decrement(state: PNCounterState, replicaId: string, amount = 1): PNCounterState {
  return { increments: state.increments, decrements: GCounter.increment(state.decrements, replicaId, amount) };
}

function value(state: PNCounterState): number {
  return GCounter.value(state.increments) - GCounter.value(state.decrements);
}

function merge(a: PNCounterState, b: PNCounterState): PNCounterState {
  return {
    increments: GCounter.merge(a.increments, b.increments),
    decrements: GCounter.merge(a.decrements, b.decrements),
  };
}

/** Only the increments and decrements made after `observed` was taken. */
function valueWithout(state: PNCounterState, observed: PNCounterState): number {
  return (
    GCounter.valueWithout(state.increments, observed.increments) -
    GCounter.valueWithout(state.decrements, observed.decrements)
  );
}

export const PNCounter = {
  name: 'pn-counter',
  empty,
  increment,
  decrement,
  value,
  merge,
  valueWithout,
} satisfies CrdtTypeWithOperations<PNCounterState, number>;
