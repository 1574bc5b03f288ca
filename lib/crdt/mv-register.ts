/**
 * MV-Register: the multi-value register (Shapiro et al. 2011; what Dynamo and Riak return
 * as "siblings").
 *
 * Instead of picking a winner like LWW, it keeps every write that no other write has seen:
 * two concurrent writes both survive the merge, and the application (or the user) decides.
 * The next write on a replica has seen all the values there, so it replaces them all.
 *
 * This is a dotted version vector set (lib/clocks/dotted-version-vector.ts) whose writes
 * always use the replica's own version vector as the causal context: every write is a
 * local read-modify-write. State: `{ siblings: [{ dot, value }], versionVector }`.
 */
import { Dot, Dvv, DvvSet } from '../clocks';
import { CrdtTypeWithOperations } from './crdt-type';
import { assertReplicaId } from './replica-id';

export type MVRegisterState<V> = DvvSet<V>;

function empty<V>(): MVRegisterState<V> {
  return Dvv.empty<V>();
}

/** Replica `replicaId` writes `value`, replacing every value it currently holds. */
function set<V>(state: MVRegisterState<V>, replicaId: string, value: V): MVRegisterState<V> {
  assertReplicaId(replicaId);
  return Dvv.put(state, { node: replicaId, value, context: state.versionVector });
}

/** All concurrent values (one value when there is no conflict, none before the first write), in dot order. */
function value<V>(state: MVRegisterState<V>): V[] {
  return Dvv.values(state);
}

function merge<V>(a: MVRegisterState<V>, b: MVRegisterState<V>): MVRegisterState<V> {
  return Dvv.merge(a, b);
}

/** Values written after `observed` was taken (their dots are unknown to it). */
function valueWithout<V>(state: MVRegisterState<V>, observed: MVRegisterState<V>): V[] {
  return state.siblings.filter((sibling) => !Dot.seenBy(sibling.dot, observed.versionVector)).map((s) => s.value);
}

export const MVRegister = {
  name: 'mv-register',
  empty,
  set,
  value,
  merge,
  valueWithout,
} satisfies CrdtTypeWithOperations<MVRegisterState<unknown>, unknown[]>;
