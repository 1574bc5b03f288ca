/**
 * Vector clocks (Fidge 1988; Mattern 1988, "Virtual Time and Global States of Distributed
 * Systems").
 *
 * A vector clock holds one counter per node: entry n says how many events of node n are
 * known to have happened before. Unlike a Lamport clock it characterises causality
 * exactly: a happened before b  ⇔  vc(a) < vc(b), and two events whose clocks are not
 * ordered either way are concurrent. That is what lets a multi-leader database tell
 * "this update overwrote that one" apart from "these two updates conflict".
 *
 * The same shape used to summarise which *writes* a replica has seen is called a version
 * vector (dotted-version-vector.ts); the operations below serve both.
 *
 * Representation: an immutable plain object `{ [nodeId]: counter }`. Missing entries mean
 * 0, and a canonical clock never stores a 0 and lists its keys in sorted order, so two
 * equal clocks are also equal as JSON and under a test's deep equality.
 */
import { assertNodeId, describeValue, NodeId } from './node-id';

export type VectorClock = Readonly<Record<NodeId, number>>;

/** The result of comparing two vector clocks: the four cases of a partial order. */
export type CausalOrder = 'before' | 'after' | 'equal' | 'concurrent';

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function assertVectorClock(name: string, clock: unknown): asserts clock is VectorClock {
  if (clock === null || typeof clock !== 'object' || Array.isArray(clock)) {
    throw new Error(`${name} must be a vector clock, a plain object { nodeId: counter }; got ${describeValue(clock)}`);
  }
  for (const nodeId of Object.keys(clock)) {
    assertNodeId(`a node id in ${name}`, nodeId);
    const counter = (clock as Record<string, unknown>)[nodeId];
    if (typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < 0) {
      throw new Error(`${name}[${JSON.stringify(nodeId)}] must be a non-negative integer; got ${describeValue(counter)}`);
    }
  }
}

/** Builds the canonical form: keys sorted, zero entries dropped. */
function canonical(entries: Record<NodeId, number>): VectorClock {
  const result: Record<NodeId, number> = {};
  for (const nodeId of Object.keys(entries).sort()) {
    if (entries[nodeId] !== 0) result[nodeId] = entries[nodeId];
  }
  return result;
}

/** The clock of a node that has seen nothing: every entry 0. */
function empty(): VectorClock {
  return {};
}

/** Validates a clock from outside (a notebook, a parsed message) and returns its canonical form. */
function from(clock: Readonly<Record<NodeId, number>>): VectorClock {
  assertVectorClock('clock', clock);
  return canonical({ ...clock });
}

/** Entry `nodeId` of the clock (0 when absent). */
function get(clock: VectorClock, nodeId: NodeId): number {
  return hasOwn(clock, nodeId) ? clock[nodeId] : 0;
}

/** The nodes with a non-zero entry, sorted. */
function nodes(clock: VectorClock): NodeId[] {
  return Object.keys(clock).filter((nodeId) => clock[nodeId] !== 0).sort();
}

/** A local event or a send at `nodeId`: its own entry goes up by one. */
function increment(clock: VectorClock, nodeId: NodeId): VectorClock {
  assertVectorClock('clock', clock);
  assertNodeId('nodeId', nodeId);
  return canonical({ ...clock, [nodeId]: get(clock, nodeId) + 1 });
}

/**
 * The entry-wise maximum: everything either clock has seen. This is the least upper bound
 * of the partial order, which is why merging is commutative, associative and idempotent.
 */
function merge(a: VectorClock, b: VectorClock): VectorClock {
  assertVectorClock('a', a);
  assertVectorClock('b', b);
  const result: Record<NodeId, number> = { ...a };
  for (const nodeId of Object.keys(b)) result[nodeId] = Math.max(get(a, nodeId), b[nodeId]);
  return canonical(result);
}

/** A receive at `nodeId` of a message stamped `remote`: merge, then count the receive itself. */
function receive(clock: VectorClock, remote: VectorClock, nodeId: NodeId): VectorClock {
  return increment(merge(clock, remote), nodeId);
}

/** a ≤ b: every entry of a is at most the same entry of b (b has seen everything a has). */
function lessOrEqual(a: VectorClock, b: VectorClock): boolean {
  for (const nodeId of Object.keys(a)) {
    if (a[nodeId] > get(b, nodeId)) return false;
  }
  return true;
}

/**
 * How `a` relates to `b`: 'before' (a < b, a happened before b), 'after' (b < a), 'equal',
 * or 'concurrent' (each has seen something the other has not).
 */
function compare(a: VectorClock, b: VectorClock): CausalOrder {
  assertVectorClock('a', a);
  assertVectorClock('b', b);
  const aBelowB = lessOrEqual(a, b);
  const bBelowA = lessOrEqual(b, a);
  if (aBelowB && bBelowA) return 'equal';
  if (aBelowB) return 'before';
  if (bBelowA) return 'after';
  return 'concurrent';
}

/** Vector clock (and version vector) operations; every function is pure and returns a new clock. */
export const VectorClock = { empty, from, get, nodes, increment, merge, receive, lessOrEqual, compare } as const;
