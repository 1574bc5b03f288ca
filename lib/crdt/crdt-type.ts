/**
 * The common shape of every state-based CRDT in this folder (Shapiro, Preguiça, Baquero,
 * Zawirski, "Conflict-free Replicated Data Types", 2011).
 *
 * A state-based CRDT is a set of states with a `merge` that is commutative, associative
 * and idempotent (a join semilattice), and update operations that only ever move a state
 * "up". Then replicas that have received the same updates, in any order, any number of
 * times, hold the same state: strong eventual consistency, with no coordination.
 *
 * Why functions on plain data instead of classes with methods? A state has to travel in
 * a simulated message and be compared in a test, so it is a plain JSON object; the
 * behaviour lives in one object per CRDT type (GCounter, OrSet, ...) whose functions take
 * a state and return a new one. `GCounter.merge(a, b)` is what a class would spell
 * `a.merge(b)`. Nothing is ever mutated.
 */
export interface CrdtType<State, Value> {
  /** A short name for error messages and tables, e.g. "pn-counter". */
  readonly name: string;
  /** The bottom state: a replica that has seen no update. */
  empty(): State;
  /** What the application reads. */
  value(state: State): Value;
  /** The least upper bound of two states: what a replica holds after receiving the other's state. */
  merge(a: State, b: State): State;
  /**
   * The value of `state` with everything already contained in `observed` hidden, where
   * `observed` is an earlier state that `state` includes (observed ⊑ state). An OR-Map uses
   * this to remove a key "as observed": after a remove, the key's old contents stay in the
   * state (so merges remain a join) but no longer count, while concurrent updates that the
   * remover never saw still do. The result is a value for reading, never a state to merge.
   */
  valueWithout(state: State, observed: State): Value;
}

/**
 * A CRDT type plus its own update operations (increment, add, set, ...). Used with
 * `satisfies` to check each type's object against the common interface while allowing
 * the extra operations.
 */
export type CrdtTypeWithOperations<State, Value> = CrdtType<State, Value> & { readonly [operation: string]: unknown };
