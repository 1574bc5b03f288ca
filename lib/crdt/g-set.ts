/**
 * G-Set: a grow-only set. Merge is set union; there is no remove (a removed element would
 * come back with the next merge from a replica that still has it; see OR-Set for removes).
 *
 * Elements are any JSON values, compared by canonical JSON. State: `{ elements: [...] }`,
 * sorted by canonical JSON and without duplicates, so equal sets are deep-equal.
 */
import { canonicalJson } from './canonical-json';
import { CrdtTypeWithOperations } from './crdt-type';

export interface GSetState<T> {
  readonly elements: readonly T[];
}

/** Sorted, de-duplicated copy: the canonical form of a list of elements. */
function canonicalElements<T>(elements: readonly T[]): T[] {
  const byJson = new Map<string, T>();
  for (const element of elements) byJson.set(canonicalJson(element), element);
  return [...byJson.keys()].sort().map((json) => byJson.get(json) as T);
}

function empty<T>(): GSetState<T> {
  return { elements: [] };
}

function add<T>(state: GSetState<T>, element: T): GSetState<T> {
  return { elements: canonicalElements([...state.elements, element]) };
}

function has<T>(state: GSetState<T>, element: T): boolean {
  const json = canonicalJson(element);
  return state.elements.some((candidate) => canonicalJson(candidate) === json);
}

function value<T>(state: GSetState<T>): T[] {
  return [...state.elements];
}

function merge<T>(a: GSetState<T>, b: GSetState<T>): GSetState<T> {
  return { elements: canonicalElements([...a.elements, ...b.elements]) };
}

/**
 * Elements not already in `observed`. A G-Set cannot tell two adds of the same element
 * apart, so inside an OR-Map an element added again after the key was removed stays hidden
 * if the remove had seen it; use an OR-Set when that matters.
 */
function valueWithout<T>(state: GSetState<T>, observed: GSetState<T>): T[] {
  const hidden = new Set(observed.elements.map((element) => canonicalJson(element)));
  return state.elements.filter((element) => !hidden.has(canonicalJson(element)));
}

export const GSet = {
  name: 'g-set',
  empty,
  add,
  has,
  value,
  merge,
  valueWithout,
} satisfies CrdtTypeWithOperations<GSetState<unknown>, unknown[]>;
