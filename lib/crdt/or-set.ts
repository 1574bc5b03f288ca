/**
 * OR-Set: the observed-remove, add-wins set (Shapiro et al. 2011; this is the "optimised"
 * form of Bieniusa et al. 2012, which needs no tombstones).
 *
 * Every add tags the element with a fresh dot (replica, counter): a unique name for that
 * add. A remove deletes only the tags it can see. An add concurrent with a remove has a
 * tag the remover never saw, so the element survives the merge: add wins. Re-adding after
 * a remove creates a new tag, so the element is back.
 *
 * Instead of keeping tombstones for removed tags, each replica keeps a version vector
 * (`context`) of every tag it has ever seen. When merging, a tag that one side holds and
 * the other side has seen but no longer holds was removed there, so it is dropped
 * (the rule in lib/clocks/dot.ts).
 *
 * State: `{ entries: [{ element, dot }], context }`, entries sorted by dot.
 */
import { Dot, VectorClock } from '../clocks';
import { canonicalJson } from './canonical-json';
import { CrdtTypeWithOperations } from './crdt-type';
import { assertReplicaId } from './replica-id';

export interface ORSetEntry<T> {
  readonly element: T;
  /** The add that put this element here. */
  readonly dot: Dot;
}

export interface ORSetState<T> {
  readonly entries: readonly ORSetEntry<T>[];
  /** Every add this replica has seen, including adds since removed. */
  readonly context: VectorClock;
}

function empty<T>(): ORSetState<T> {
  return { entries: [], context: VectorClock.empty() };
}

/**
 * Replica `replicaId` adds `element` with a fresh tag. The element's older tags are folded
 * into the new one: they stay in the context, so merges drop them everywhere, and the
 * state does not grow with repeated adds of the same element.
 */
function add<T>(state: ORSetState<T>, replicaId: string, element: T): ORSetState<T> {
  assertReplicaId(replicaId);
  const json = canonicalJson(element);
  const dot = Dot.next(replicaId, state.context);
  const entries = state.entries
    .filter((entry) => canonicalJson(entry.element) !== json)
    .concat([{ element, dot }])
    .sort((x, y) => Dot.compare(x.dot, y.dot));
  return { entries, context: VectorClock.merge(state.context, { [dot.node]: dot.counter }) };
}

/**
 * Removes `element` as observed here: exactly the tags this replica holds. Their dots stay
 * in the context, which is what stops a merge from bringing them back.
 * Removing an element that is not present changes nothing.
 */
function remove<T>(state: ORSetState<T>, element: T): ORSetState<T> {
  const json = canonicalJson(element);
  return { entries: state.entries.filter((entry) => canonicalJson(entry.element) !== json), context: state.context };
}

function has<T>(state: ORSetState<T>, element: T): boolean {
  const json = canonicalJson(element);
  return state.entries.some((entry) => canonicalJson(entry.element) === json);
}

/** Distinct elements of the entries, sorted by canonical JSON. */
function distinctElements<T>(entries: readonly ORSetEntry<T>[]): T[] {
  const byJson = new Map<string, T>();
  for (const entry of entries) byJson.set(canonicalJson(entry.element), entry.element);
  return [...byJson.keys()].sort().map((json) => byJson.get(json) as T);
}

/** The elements, each once, sorted by canonical JSON. */
function value<T>(state: ORSetState<T>): T[] {
  return distinctElements(state.entries);
}

function merge<T>(a: ORSetState<T>, b: ORSetState<T>): ORSetState<T> {
  return {
    entries: Dot.mergeEntries(a.entries, a.context, b.entries, b.context),
    context: VectorClock.merge(a.context, b.context),
  };
}

/** Elements that have a tag `observed` never saw: added (again) after `observed` was taken. */
function valueWithout<T>(state: ORSetState<T>, observed: ORSetState<T>): T[] {
  return distinctElements(state.entries.filter((entry) => !Dot.seenBy(entry.dot, observed.context)));
}

export const ORSet = {
  name: 'or-set',
  empty,
  add,
  remove,
  has,
  value,
  merge,
  valueWithout,
} satisfies CrdtTypeWithOperations<ORSetState<unknown>, unknown[]>;
