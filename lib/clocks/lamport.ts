/**
 * Lamport clocks (Lamport 1978, "Time, Clocks, and the Ordering of Events in a Distributed
 * System").
 *
 * Every node keeps one integer. It goes up by one on every local event and every send, and
 * on a receive it jumps past the sender's value. That gives the one guarantee Lamport
 * clocks make: if event a happened before event b (a → b), then time(a) < time(b).
 * The converse does NOT hold: a smaller time does not mean "happened before", the events
 * may be concurrent. Vector clocks (vector-clock.ts) are what you need to tell the two apart.
 *
 * A clock is an immutable plain object `{ nodeId, time }`; every function returns a new
 * one. The value a node puts in an outgoing message is simply its clock after `tick`.
 */
import { assertNodeId, compareNodeIds, describeValue, NodeId } from './node-id';

export interface LamportClock {
  /** The node that owns this clock; breaks ties so that `compare` is a total order. */
  readonly nodeId: NodeId;
  /** The logical time: number of events this node knows to have happened before, plus one. */
  readonly time: number;
}

function assertLamportClock(name: string, clock: LamportClock): void {
  if (clock === null || typeof clock !== 'object') {
    throw new Error(`${name} must be a Lamport clock { nodeId, time }; got ${describeValue(clock)}`);
  }
  assertNodeId(`${name}.nodeId`, clock.nodeId);
  if (!Number.isSafeInteger(clock.time) || clock.time < 0) {
    throw new Error(`${name}.time must be a non-negative integer; got ${describeValue(clock.time)}`);
  }
}

/** A fresh clock at time 0 for `nodeId`. */
function init(nodeId: NodeId): LamportClock {
  assertNodeId('nodeId', nodeId);
  return { nodeId, time: 0 };
}

/**
 * A local event or a send: time + 1. For a send, put the returned clock in the message,
 * so that the receiver can jump past it.
 */
function tick(clock: LamportClock): LamportClock {
  assertLamportClock('clock', clock);
  return { nodeId: clock.nodeId, time: clock.time + 1 };
}

/**
 * A receive of a message stamped `remote`: max(local, remote) + 1. Taking the max is what
 * carries the "happened before" relation across nodes; the + 1 makes the receive itself
 * later than both the send and everything the receiver did before.
 */
function receive(clock: LamportClock, remote: LamportClock): LamportClock {
  assertLamportClock('clock', clock);
  assertLamportClock('remote', remote);
  return { nodeId: clock.nodeId, time: Math.max(clock.time, remote.time) + 1 };
}

/**
 * A total order on Lamport timestamps: by time, then by node id. Two different events of
 * the same node never share a time, so (time, nodeId) identifies an event uniquely.
 * This is the order Lamport uses for his mutual-exclusion algorithm; it agrees with
 * "happened before" but also orders concurrent events, arbitrarily but identically on
 * every node.
 */
function compare(a: LamportClock, b: LamportClock): -1 | 0 | 1 {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return compareNodeIds(a.nodeId, b.nodeId);
}

/** Lamport clock operations; every function is pure and returns a new clock. */
export const Lamport = { init, tick, receive, compare } as const;
