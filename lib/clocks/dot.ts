/**
 * Dots: the unique name of one write.
 *
 * A dot (node, counter) says "the counter-th write coordinated by node". Because each node
 * numbers its own writes 1, 2, 3, ... a dot names exactly one write in the whole system,
 * and a version vector V "has seen" the dot when V[node] ≥ counter.
 *
 * Dots plus a version vector are the whole trick behind dotted version vectors (Riak),
 * the add-wins OR-Set and the multi-value register: every stored value carries the dot of
 * the write that made it, and every replica keeps a version vector of all the dots it has
 * ever seen. When two replicas merge, a value that one side lacks is either
 *   - new to that side (its dot is not in that side's version vector): keep it, or
 *   - already seen and deliberately discarded there (its dot IS in the version vector):
 *     drop it, because some later write or remove superseded it.
 * `mergeEntries` below is that rule, shared by every dotted structure in the library.
 */
import { assertNodeId, compareNodeIds, describeValue, NodeId } from './node-id';
import { VectorClock } from './vector-clock';

export interface Dot {
  /** The node that coordinated the write. */
  readonly node: NodeId;
  /** Its sequence number among that node's writes, starting at 1. */
  readonly counter: number;
}

function assertDot(name: string, dot: Dot): void {
  if (dot === null || typeof dot !== 'object') {
    throw new Error(`${name} must be a dot { node, counter }; got ${describeValue(dot)}`);
  }
  assertNodeId(`${name}.node`, dot.node);
  if (!Number.isSafeInteger(dot.counter) || dot.counter < 1) {
    throw new Error(`${name}.counter must be an integer ≥ 1; got ${describeValue(dot.counter)}`);
  }
}

/** Orders dots by node, then counter: the canonical order of every list of dotted entries. */
function compare(a: Dot, b: Dot): -1 | 0 | 1 {
  const byNode = compareNodeIds(a.node, b.node);
  if (byNode !== 0) return byNode;
  return a.counter < b.counter ? -1 : a.counter > b.counter ? 1 : 0;
}

/** A string key for a dot, e.g. "mumbai:3", for lookups in plain objects. */
function key(dot: Dot): string {
  return `${dot.node}:${dot.counter}`;
}

/** True when `versionVector` covers the dot: the write it names has been seen. */
function seenBy(dot: Dot, versionVector: VectorClock): boolean {
  return VectorClock.get(versionVector, dot.node) >= dot.counter;
}

/**
 * The next dot for a write coordinated by `node`, given everything that node has seen.
 * Taking the max over several version vectors (the replica's own and, for example, the
 * client's context) guarantees the new dot has never been used before.
 */
function next(node: NodeId, ...seen: VectorClock[]): Dot {
  assertNodeId('node', node);
  let counter = 0;
  for (const versionVector of seen) counter = Math.max(counter, VectorClock.get(versionVector, node));
  return { node, counter: counter + 1 };
}

/**
 * Merges two replicas' dotted entries, given the version vector of everything each side
 * has seen. An entry survives when both sides still hold it, or when one side holds it
 * and the other side has never seen its dot. An entry that one side holds but the other
 * has seen and no longer holds was superseded there, so it is dropped. The result is in
 * canonical (dot) order.
 */
function mergeEntries<E extends { readonly dot: Dot }>(
  a: readonly E[],
  aSeen: VectorClock,
  b: readonly E[],
  bSeen: VectorClock,
): E[] {
  const inA = new Set(a.map((entry) => key(entry.dot)));
  const inB = new Set(b.map((entry) => key(entry.dot)));
  const result: E[] = [];
  for (const entry of a) {
    assertDot('entry.dot', entry.dot);
    if (inB.has(key(entry.dot)) || !seenBy(entry.dot, bSeen)) result.push(entry);
  }
  for (const entry of b) {
    assertDot('entry.dot', entry.dot);
    // Entries held by both sides were already taken from `a` above.
    if (!inA.has(key(entry.dot)) && !seenBy(entry.dot, aSeen)) result.push(entry);
  }
  return result.sort((x, y) => compare(x.dot, y.dot));
}

/** Dot operations; all pure. */
export const Dot = { compare, key, seenBy, next, mergeEntries, assert: assertDot } as const;
