/**
 * Checks shared by the CRDT update operations: who is updating, and by how much.
 */
import { assertNodeId, describeValue, NodeId } from '../clocks';

/** A replica id is a node id: a non-empty string that is safe as a plain-object key. */
export function assertReplicaId(value: unknown): asserts value is NodeId {
  assertNodeId('replicaId', value);
}

/** Counter amounts are positive integers; a negative increment would make the state go "down" and break merge. */
export function assertAmount(amount: unknown): asserts amount is number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1) {
    throw new Error(`amount must be a positive integer (use decrement to go down); got ${describeValue(amount)}`);
  }
}
