/**
 * LWW-Register: last writer wins.
 *
 * Every write carries a timestamp; merge keeps the write with the larger one, breaking
 * ties by replica id so every replica picks the same winner. It is simple and always
 * converges, but "last" means "largest timestamp", not "latest in real time": if a
 * replica's clock runs behind, its genuinely newer write carries a smaller timestamp and
 * is silently dropped. Cassandra and DynamoDB global tables resolve conflicts this way.
 * A hybrid logical clock timestamp (lib/clocks/hlc.ts) at least never lets a write lose to
 * one it causally follows.
 *
 * Timestamps are either numbers (e.g. a node's physical clock in ms) or HLC timestamps;
 * one register must use one kind. State: `{ write: { value, timestamp, replicaId } | null }`.
 */
import { describeValue, Hlc, HlcTimestamp } from '../clocks';
import { compareJson } from './canonical-json';
import { CrdtTypeWithOperations } from './crdt-type';
import { assertReplicaId } from './replica-id';

export type LWWTimestamp = number | HlcTimestamp;

export interface LWWWrite<V> {
  readonly value: V;
  readonly timestamp: LWWTimestamp;
  /** The replica that accepted the write; breaks timestamp ties. */
  readonly replicaId: string;
}

export interface LWWRegisterState<V> {
  /** The winning write so far; null until the first write. */
  readonly write: LWWWrite<V> | null;
}

function assertTimestamp(timestamp: unknown): asserts timestamp is LWWTimestamp {
  if (typeof timestamp === 'number' && Number.isFinite(timestamp)) return;
  if (Hlc.isTimestamp(timestamp)) return;
  throw new Error(
    `timestamp must be a finite number (e.g. milliseconds) or an HLC timestamp { l, c, nodeId }; got ${describeValue(timestamp)}`,
  );
}

function compareTimestamps(a: LWWTimestamp, b: LWWTimestamp): -1 | 0 | 1 {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a !== 'number' && typeof b !== 'number') return Hlc.compare(a, b);
  throw new Error(
    `cannot compare the timestamps ${describeValue(a)} and ${describeValue(b)}: ` +
      'one register must use either number timestamps or HLC timestamps, not both',
  );
}

/**
 * The order that decides the winner: timestamp, then replica id. If one replica reused a
 * timestamp for two different values, the value's canonical JSON decides, only so that
 * merge stays commutative; a correct clock never lets that happen.
 */
function compareWrites<V>(a: LWWWrite<V>, b: LWWWrite<V>): -1 | 0 | 1 {
  const byTimestamp = compareTimestamps(a.timestamp, b.timestamp);
  if (byTimestamp !== 0) return byTimestamp;
  if (a.replicaId !== b.replicaId) return a.replicaId < b.replicaId ? -1 : 1;
  return compareJson(a.value, b.value);
}

function empty<V>(): LWWRegisterState<V> {
  return { write: null };
}

/**
 * Replica `replicaId` writes `value` stamped `timestamp`. If the register already holds a
 * write with a larger timestamp, this write loses at once: that is LWW, applied locally.
 */
function set<V>(state: LWWRegisterState<V>, replicaId: string, value: V, timestamp: LWWTimestamp): LWWRegisterState<V> {
  assertReplicaId(replicaId);
  assertTimestamp(timestamp);
  return merge(state, { write: { value, timestamp, replicaId } });
}

/** The winning value, or null if nothing was written. */
function value<V>(state: LWWRegisterState<V>): V | null {
  return state.write === null ? null : state.write.value;
}

function merge<V>(a: LWWRegisterState<V>, b: LWWRegisterState<V>): LWWRegisterState<V> {
  if (a.write === null) return b;
  if (b.write === null) return a;
  return compareWrites(a.write, b.write) >= 0 ? a : b;
}

/** The value, unless the winning write is no newer than what `observed` held. */
function valueWithout<V>(state: LWWRegisterState<V>, observed: LWWRegisterState<V>): V | null {
  if (state.write === null) return null;
  if (observed.write !== null && compareWrites(state.write, observed.write) <= 0) return null;
  return state.write.value;
}

export const LWWRegister = {
  name: 'lww-register',
  empty,
  set,
  value,
  merge,
  valueWithout,
  compareWrites,
} satisfies CrdtTypeWithOperations<LWWRegisterState<unknown>, unknown>;
