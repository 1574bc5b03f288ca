/**
 * Dotted version vector sets: how Riak (and Dynamo-style stores) keep concurrent writes to
 * one key as siblings without losing or resurrecting any.
 * (Preguiça, Baquero, Almeida, Fonte, Gonçalves, "Dotted Version Vectors: Logical Clocks
 * for Optimistic Replication", 2010; Almeida et al., "Scalable and Accurate Causality
 * Tracking for Eventually Consistent Stores", 2014.)
 *
 * The state of one key on one replica is
 *   - `siblings`: the values currently stored, each tagged with the dot (node, counter) of
 *     the write that made it, and
 *   - `versionVector`: every write this replica has seen, including writes whose values
 *     have since been superseded.
 *
 * The client protocol is read-modify-write:
 *   1. `get` returns all sibling values and a causal context (the version vector).
 *   2. The client resolves the siblings however it likes and sends `put` with that context.
 *   3. The coordinating replica gives the new value a fresh dot, drops exactly the siblings
 *      the context has seen (the client resolved them) and keeps every sibling the
 *      context has not seen (a write the client did not know about: a true conflict).
 * Replicas exchange states with `merge` (anti-entropy / read repair), using the rule in
 * dot.ts. Why dots and not a plain version vector per value? With one version vector per
 * key a replica cannot tell two concurrent writes it coordinated itself apart, and either
 * loses one ("false overwrite") or keeps stale ones forever ("sibling explosion"). A dot
 * per value names each write exactly.
 *
 * States are immutable plain data (JSON-serialisable when V is), in canonical order:
 * siblings sorted by dot, version vector canonical. Equal states are deep-equal.
 */
import { Dot } from './dot';
import { assertNodeId, describeValue, NodeId } from './node-id';
import { VectorClock } from './vector-clock';

export interface Sibling<V> {
  /** The write that produced this value. */
  readonly dot: Dot;
  readonly value: V;
}

export interface DvvSet<V> {
  /** Concurrent values, none of which has seen another; sorted by dot. */
  readonly siblings: readonly Sibling<V>[];
  /** Every write this replica has seen (the causal context handed out by `get`). */
  readonly versionVector: VectorClock;
}

export interface DvvOptions {
  /**
   * The most siblings one key may hold. Exceeding it throws instead of silently growing:
   * a key with that many siblings means clients write without reading (blind writes with
   * empty contexts) and the application never resolves conflicts. Riak has the same guard
   * (object.siblings.maximum, default 100).
   */
  siblingCountMax?: number;
}

/** Riak's default `object.siblings.maximum`. */
export const SIBLING_COUNT_MAX_DEFAULT = 100;

function siblingLimit(options: DvvOptions | undefined): number {
  const limit = options?.siblingCountMax ?? SIBLING_COUNT_MAX_DEFAULT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new Error(`siblingCountMax must be an integer ≥ 1; got ${describeValue(limit)}`);
  }
  return limit;
}

/**
 * Checks the invariants of a state: every sibling's dot is covered by the version vector
 * (a replica cannot store a write it has not seen) and no dot appears twice. Checked on
 * every state we return, so a bug shows up where it happens rather than three merges later.
 */
function assertInvariants<V>(set: DvvSet<V>, limit: number, where: string): DvvSet<V> {
  const dotKeys = new Set<string>();
  for (const sibling of set.siblings) {
    const dotKey = Dot.key(sibling.dot);
    if (dotKeys.has(dotKey)) throw new Error(`${where}: dot ${dotKey} appears in two siblings`);
    dotKeys.add(dotKey);
    if (!Dot.seenBy(sibling.dot, set.versionVector)) {
      throw new Error(`${where}: sibling dot ${dotKey} is not covered by the version vector ${JSON.stringify(set.versionVector)}`);
    }
  }
  if (set.siblings.length > limit) {
    throw new Error(
      `${where}: the key now has ${set.siblings.length} siblings, more than siblingCountMax=${limit}; ` +
        'clients are writing without a causal context from a get, or conflicts are never resolved',
    );
  }
  return set;
}

/** A key that has never been written. */
function empty<V>(): DvvSet<V> {
  return { siblings: [], versionVector: VectorClock.empty() };
}

/** The sibling values, in dot order. */
function values<V>(set: DvvSet<V>): V[] {
  return set.siblings.map((sibling) => sibling.value);
}

/** A client read: all current values plus the causal context to hand back on the next put. */
function get<V>(set: DvvSet<V>): { values: V[]; context: VectorClock } {
  return { values: values(set), context: set.versionVector };
}

export interface DvvPut<V> {
  /** The replica coordinating this write; it names the new dot. */
  node: NodeId;
  value: V;
  /** The context from the client's last get; `VectorClock.empty()` for a blind write. */
  context: VectorClock;
}

/**
 * A client write coordinated by `put.node`. The new value gets a fresh dot; siblings the
 * context has seen are discarded (the client has read and replaced them); siblings it has
 * not seen are kept next to the new value (they are concurrent with it).
 */
function put<V>(set: DvvSet<V>, write: DvvPut<V>, options?: DvvOptions): DvvSet<V> {
  assertNodeId('put.node', write.node);
  const context = VectorClock.from(write.context);
  const dot = Dot.next(write.node, set.versionVector, context);
  const kept = set.siblings.filter((sibling) => !Dot.seenBy(sibling.dot, context));
  // The replica now has seen the new write and, through it, everything the client had seen:
  // any of those writes arriving later via merge is already superseded and must not come back.
  const versionVector = VectorClock.merge(VectorClock.merge(set.versionVector, context), { [dot.node]: dot.counter });
  const siblings = [...kept, { dot, value: write.value }].sort((x, y) => Dot.compare(x.dot, y.dot));
  return assertInvariants({ siblings, versionVector }, siblingLimit(options), `put at ${write.node}`);
}

/**
 * Synchronises two replicas' states of one key (anti-entropy, read repair, hinted handoff):
 * the result holds every write either side has and neither side has superseded.
 */
function merge<V>(a: DvvSet<V>, b: DvvSet<V>, options?: DvvOptions): DvvSet<V> {
  const siblings = Dot.mergeEntries(a.siblings, a.versionVector, b.siblings, b.versionVector);
  const versionVector = VectorClock.merge(a.versionVector, b.versionVector);
  return assertInvariants({ siblings, versionVector }, siblingLimit(options), 'merge');
}

/** Dotted version vector set operations; every function is pure and returns a new state. */
export const Dvv = { empty, values, get, put, merge } as const;
