/**
 * OR-Map: a map from string keys to CRDTs, with add-wins keys and "remove as observed"
 * (Riak's map type; Almeida, Shoker, Baquero, "Delta State Replicated Data Types", 2018).
 *
 * Lesson use: a shopping cart, key = item id, value = a PN-Counter quantity. Two replicas
 * edit the cart during a partition; after the merge
 *   - a key updated on one side and removed on the other is present (add wins), and
 *   - its value counts only the updates the remover had not seen: removing an item throws
 *     away the quantity you saw, not a concurrent "+1" you did not see. This is the
 *     Dynamo shopping-cart anomaly ("deleted items reappear") fixed.
 *
 * How: key presence is an OR-Set of keys (every update re-adds the key with a fresh tag,
 * so an update beats a concurrent remove). Each key's value keeps two states of the value
 * type, both merged by the value type's own merge:
 *   - `live`: every update ever applied to the key, and
 *   - `removed`: the join of what each remove observed.
 * The visible value is `valueType.valueWithout(live, removed)`. Keeping the removed
 * contents instead of deleting them is what keeps merge a join (a state that "forgot" an
 * update would get it back from the next merge); the cost is that removed keys keep their
 * state, like tombstones. Values are merged recursively, so maps can nest.
 *
 * State: `{ keys: ORSetState<string>, entries: { [key]: { live, removed } } }`, entries
 * sorted by key.
 */
import { describeValue, Dot } from '../clocks';
import { canonicalJson } from './canonical-json';
import { CrdtType } from './crdt-type';
import { ORSet, ORSetState } from './or-set';

export interface ORMapEntry<S> {
  /** Every update applied to this key. */
  readonly live: S;
  /** The join of the states that removes of this key observed; hidden from the value. */
  readonly removed: S;
}

export interface ORMapState<S> {
  readonly keys: ORSetState<string>;
  readonly entries: Readonly<Record<string, ORMapEntry<S>>>;
}

export interface ORMapType<S, V> extends CrdtType<ORMapState<S>, Record<string, V>> {
  /** The CRDT type of the values. */
  readonly valueType: CrdtType<S, V>;
  /**
   * Replica `replicaId` updates `key` (creating it if needed): `change` receives the key's
   * state and returns it updated with the value type's own operation, e.g.
   * `(quantity) => PNCounter.increment(quantity, 'mumbai', 2)`.
   */
  update(state: ORMapState<S>, replicaId: string, key: string, change: (valueState: S) => S): ORMapState<S>;
  /** Removes `key` as observed here; a concurrent update elsewhere still wins. Removing an absent key changes nothing. */
  remove(state: ORMapState<S>, key: string): ORMapState<S>;
  /** The value of `key`, or undefined when the key is absent. */
  get(state: ORMapState<S>, key: string): V | undefined;
  has(state: ORMapState<S>, key: string): boolean;
  /** Present keys, sorted. */
  keys(state: ORMapState<S>): string[];
}

function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new Error(`key must be a string; got ${describeValue(key)}`);
  if (key === '__proto__') {
    throw new Error('key must not be "__proto__": map keys become keys of plain objects, where that name would replace the prototype');
  }
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** Builds an entries object with keys in sorted order, so equal maps are equal as JSON. */
function sortedEntries<S>(entries: Record<string, ORMapEntry<S>>): Record<string, ORMapEntry<S>> {
  const result: Record<string, ORMapEntry<S>> = {};
  for (const key of Object.keys(entries).sort()) result[key] = entries[key];
  return result;
}

/** Makes the OR-Map type whose values are `valueType` CRDTs, e.g. `ORMap.of(PNCounter)`. */
function of<S, V>(valueType: CrdtType<S, V>): ORMapType<S, V> {
  const emptyEntry = (): ORMapEntry<S> => ({ live: valueType.empty(), removed: valueType.empty() });
  const entryOf = (state: ORMapState<S>, key: string): ORMapEntry<S> | undefined =>
    hasOwn(state.entries, key) ? state.entries[key] : undefined;

  function empty(): ORMapState<S> {
    return { keys: ORSet.empty<string>(), entries: {} };
  }

  function update(state: ORMapState<S>, replicaId: string, key: string, change: (valueState: S) => S): ORMapState<S> {
    assertKey(key);
    if (typeof change !== 'function') throw new Error(`change must be a function (valueState) => new valueState; got ${describeValue(change)}`);
    const entry = entryOf(state, key) ?? emptyEntry();
    const live = change(entry.live);
    // An update must only add information. A change function that returns, say, a fresh
    // empty state would silently lose updates on this replica but not on others.
    if (canonicalJson(valueType.merge(entry.live, live)) !== canonicalJson(live)) {
      throw new Error(
        `update of key ${JSON.stringify(key)}: the change function must return its input updated by a ${valueType.name} operation, ` +
          'but the returned state lost some of it',
      );
    }
    return {
      keys: ORSet.add(state.keys, replicaId, key),
      entries: sortedEntries({ ...state.entries, [key]: { live, removed: entry.removed } }),
    };
  }

  function remove(state: ORMapState<S>, key: string): ORMapState<S> {
    assertKey(key);
    const entry = entryOf(state, key);
    if (entry === undefined) return state;
    return {
      keys: ORSet.remove(state.keys, key),
      entries: sortedEntries({ ...state.entries, [key]: { live: entry.live, removed: valueType.merge(entry.removed, entry.live) } }),
    };
  }

  function has(state: ORMapState<S>, key: string): boolean {
    return ORSet.has(state.keys, key);
  }

  function keys(state: ORMapState<S>): string[] {
    return ORSet.value(state.keys).sort();
  }

  function get(state: ORMapState<S>, key: string): V | undefined {
    const entry = entryOf(state, key);
    if (!has(state, key) || entry === undefined) return undefined;
    return valueType.valueWithout(entry.live, entry.removed);
  }

  function value(state: ORMapState<S>): Record<string, V> {
    const result: Record<string, V> = {};
    for (const key of keys(state)) result[key] = get(state, key) as V;
    return result;
  }

  function merge(a: ORMapState<S>, b: ORMapState<S>): ORMapState<S> {
    const entries: Record<string, ORMapEntry<S>> = {};
    for (const key of new Set([...Object.keys(a.entries), ...Object.keys(b.entries)])) {
      const x = entryOf(a, key) ?? emptyEntry();
      const y = entryOf(b, key) ?? emptyEntry();
      entries[key] = { live: valueType.merge(x.live, y.live), removed: valueType.merge(x.removed, y.removed) };
    }
    return { keys: ORSet.merge(a.keys, b.keys), entries: sortedEntries(entries) };
  }

  /**
   * For maps nested in maps: keys with a tag `observed` never saw, each valued without what
   * `observed` held for it (on top of what this map's own removes hide).
   */
  function valueWithout(state: ORMapState<S>, observed: ORMapState<S>): Record<string, V> {
    const visible = new Set(
      state.keys.entries.filter((entry) => !Dot.seenBy(entry.dot, observed.keys.context)).map((entry) => entry.element),
    );
    const result: Record<string, V> = {};
    for (const key of [...visible].sort()) {
      const entry = entryOf(state, key) ?? emptyEntry();
      const hidden = valueType.merge(entry.removed, entryOf(observed, key)?.live ?? valueType.empty());
      result[key] = valueType.valueWithout(entry.live, hidden);
    }
    return result;
  }

  return { name: `or-map<${valueType.name}>`, valueType, empty, update, remove, has, keys, get, value, merge, valueWithout };
}

/** OR-Map constructor: `const Cart = ORMap.of(PNCounter)`. */
export const ORMap = { of } as const;
