/**
 * Every CRDT type under test, each with a generator of its update operations, so that the
 * law and convergence properties (crdt-laws.test.ts, convergence.test.ts) run over all of
 * them the same way. States are only ever produced by real operations and merges, because
 * an arbitrary JSON blob is not a state any replica could reach (e.g. two different adds
 * sharing one dot).
 */
import fc from 'fast-check';
import {
  canonicalJson,
  CrdtType,
  GCounter,
  GSet,
  LWWRegister,
  LWWWrite,
  MVRegister,
  ORMap,
  ORSet,
  PNCounter,
} from '../../lib/crdt';

export const REPLICAS = ['mumbai', 'delhi', 'chennai'] as const;

export interface CrdtCase<S, V, Op> {
  name: string;
  type: CrdtType<S, V>;
  operation: fc.Arbitrary<Op>;
  apply(state: S, replicaId: string, op: Op): S;
  /** Optional sequential specification: the value after all these operations, in any order. */
  expectedValue?(operations: { replicaId: string; op: Op }[]): V;
}

function crdtCase<S, V, Op>(definition: CrdtCase<S, V, Op>): CrdtCase<S, V, Op> {
  return definition;
}

const dishes = fc.constantFrom('dosa', 'idli', 'vada');

const gCounter = crdtCase({
  name: 'G-Counter',
  type: GCounter,
  operation: fc.integer({ min: 1, max: 3 }),
  apply: (state, replicaId, amount: number) => GCounter.increment(state, replicaId, amount),
  expectedValue: (operations) => operations.reduce((sum, { op }) => sum + op, 0),
});

const pnCounter = crdtCase({
  name: 'PN-Counter',
  type: PNCounter,
  operation: fc.record({ up: fc.boolean(), amount: fc.integer({ min: 1, max: 3 }) }),
  apply: (state, replicaId, op: { up: boolean; amount: number }) =>
    op.up ? PNCounter.increment(state, replicaId, op.amount) : PNCounter.decrement(state, replicaId, op.amount),
  expectedValue: (operations) => operations.reduce((sum, { op }) => sum + (op.up ? op.amount : -op.amount), 0),
});

// G-Set elements are any JSON values; objects and arrays exercise canonical ordering.
const gSetElements: unknown[] = ['dosa', 'idli', 7, { sku: 'vada', size: 2 }, ['thali', 1], null];
const gSet = crdtCase({
  name: 'G-Set',
  type: GSet,
  operation: fc.constantFrom(...gSetElements),
  apply: (state, _replicaId, element: unknown) => GSet.add(state, element),
  expectedValue: (operations) => {
    // Every element added anywhere, once each, in canonical-JSON order.
    const byJson = new Map(operations.map(({ op }) => [canonicalJson(op), op] as const));
    return [...byJson.keys()].sort().map((json) => byJson.get(json));
  },
});

const orSet = crdtCase({
  name: 'OR-Set',
  type: ORSet,
  operation: fc.record({ add: fc.boolean(), element: dishes }),
  apply: (state, replicaId, op: { add: boolean; element: string }) =>
    op.add ? ORSet.add(state, replicaId, op.element) : ORSet.remove(state, op.element),
});

/** LWW: the winner of all writes is the maximum under the register's own order. */
function lastWrite<V>(writes: LWWWrite<V>[]): V | null {
  let winner: LWWWrite<V> | null = null;
  for (const write of writes) if (winner === null || LWWRegister.compareWrites(write, winner) > 0) winner = write;
  return winner === null ? null : winner.value;
}

// Timestamps from a tiny range on purpose: ties between replicas (and even reuse of one
// timestamp by one replica) must still converge.
const lwwNumber = crdtCase({
  name: 'LWW-Register (number timestamps)',
  type: LWWRegister,
  operation: fc.record({ value: dishes, timestampMs: fc.nat(5) }),
  apply: (state, replicaId, op: { value: string; timestampMs: number }) => LWWRegister.set(state, replicaId, op.value, op.timestampMs),
  expectedValue: (operations) =>
    lastWrite(operations.map(({ replicaId, op }) => ({ value: op.value, timestamp: op.timestampMs, replicaId }))),
});

const lwwHlc = crdtCase({
  name: 'LWW-Register (HLC timestamps)',
  type: LWWRegister,
  operation: fc.record({ value: dishes, l: fc.nat(3), c: fc.nat(2) }),
  apply: (state, replicaId, op: { value: string; l: number; c: number }) =>
    LWWRegister.set(state, replicaId, op.value, { l: op.l, c: op.c, nodeId: replicaId }),
  expectedValue: (operations) =>
    lastWrite(
      operations.map(({ replicaId, op }) => ({ value: op.value, timestamp: { l: op.l, c: op.c, nodeId: replicaId }, replicaId })),
    ),
});

const mvRegister = crdtCase({
  name: 'MV-Register',
  type: MVRegister,
  operation: dishes,
  apply: (state, replicaId, value: string) => MVRegister.set(state, replicaId, value),
});

export const Cart = ORMap.of(PNCounter);
type MapOp<Inner> = { kind: 'update'; key: string; inner: Inner } | { kind: 'remove'; key: string };
function mapOperation<Inner>(inner: fc.Arbitrary<Inner>): fc.Arbitrary<MapOp<Inner>> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), key: dishes, inner }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), key: dishes }) },
  );
}

const orMapOfCounters = crdtCase({
  name: 'OR-Map of PN-Counters',
  type: Cart,
  operation: mapOperation(fc.integer({ min: -2, max: 3 }).filter((n) => n !== 0)),
  apply: (state, replicaId, op: MapOp<number>) =>
    op.kind === 'remove'
      ? Cart.remove(state, op.key)
      : Cart.update(state, replicaId, op.key, (quantity) =>
          op.inner > 0 ? PNCounter.increment(quantity, replicaId, op.inner) : PNCounter.decrement(quantity, replicaId, -op.inner),
        ),
});

const TagsByDish = ORMap.of(ORSet);
const orMapOfSets = crdtCase({
  name: 'OR-Map of OR-Sets',
  type: TagsByDish,
  operation: mapOperation(fc.record({ add: fc.boolean(), tag: fc.constantFrom('veg', 'spicy', 'jain') })),
  apply: (state, replicaId, op: MapOp<{ add: boolean; tag: string }>) =>
    op.kind === 'remove'
      ? TagsByDish.remove(state, op.key)
      : TagsByDish.update(state, replicaId, op.key, (tags) =>
          op.inner.add ? ORSet.add(tags, replicaId, op.inner.tag) : ORSet.remove(tags, op.inner.tag),
        ),
});

const PriceByDish = ORMap.of(LWWRegister);
const orMapOfLww = crdtCase({
  name: 'OR-Map of LWW-Registers',
  type: PriceByDish,
  operation: mapOperation(fc.record({ price: fc.integer({ min: 10, max: 12 }), timestampMs: fc.nat(5) })),
  apply: (state, replicaId, op: MapOp<{ price: number; timestampMs: number }>) =>
    op.kind === 'remove'
      ? PriceByDish.remove(state, op.key)
      : PriceByDish.update(state, replicaId, op.key, (price) => LWWRegister.set(price, replicaId, op.inner.price, op.inner.timestampMs)),
});

const GSetByDish = ORMap.of(GSet);
const orMapOfGSets = crdtCase({
  name: 'OR-Map of G-Sets',
  type: GSetByDish,
  operation: mapOperation(fc.constantFrom('a', 'b')),
  apply: (state, replicaId, op: MapOp<string>) =>
    op.kind === 'remove' ? GSetByDish.remove(state, op.key) : GSetByDish.update(state, replicaId, op.key, (set) => GSet.add(set, op.inner)),
});

// Maps nest: city → (dish → multi-value note). Removes at both levels.
const NotesByDish = ORMap.of(MVRegister);
const NotesByCity = ORMap.of(NotesByDish);
type InnerNoteOp = MapOp<string>;
const nestedMaps = crdtCase({
  name: 'OR-Map of OR-Maps of MV-Registers',
  type: NotesByCity,
  operation: fc.record({
    kind: fc.constantFrom('update' as const, 'update' as const, 'remove' as const),
    key: fc.constantFrom('pune', 'surat'),
    inner: mapOperation(fc.constantFrom('hot', 'cold')),
  }),
  apply: (state, replicaId, op: { kind: 'update' | 'remove'; key: string; inner: InnerNoteOp }) => {
    if (op.kind === 'remove') return NotesByCity.remove(state, op.key);
    const inner = op.inner;
    return NotesByCity.update(state, replicaId, op.key, (notes) =>
      inner.kind === 'remove'
        ? NotesByDish.remove(notes, inner.key)
        : NotesByDish.update(notes, replicaId, inner.key, (note) => MVRegister.set(note, replicaId, inner.inner)),
    );
  },
});

// The cases are heterogeneous; `any` here only erases their type parameters for iteration.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCrdtCase = CrdtCase<any, any, any>;

export const CRDT_CASES: AnyCrdtCase[] = [
  gCounter,
  pnCounter,
  gSet,
  orSet,
  lwwNumber,
  lwwHlc,
  mvRegister,
  orMapOfCounters,
  orMapOfSets,
  orMapOfLww,
  orMapOfGSets,
  nestedMaps,
];

/** One step of a replicated run: an operation at a replica, or a replica merging another's state. */
export type ScriptStep<Op> = { replica: number; op: Op } | { replica: number; mergeFrom: number };

export function scriptArbitrary<Op>(operation: fc.Arbitrary<Op>, maxLength = 25): fc.Arbitrary<ScriptStep<Op>[]> {
  const step: fc.Arbitrary<ScriptStep<Op>> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ replica: fc.nat(2), op: operation }) },
    { weight: 1, arbitrary: fc.record({ replica: fc.nat(2), mergeFrom: fc.nat(2) }) },
  );
  return fc.array(step, { maxLength });
}

/** Runs a script on three replicas and returns every state any replica passed through. */
export function reachableStates<S, V, Op>(crdt: CrdtCase<S, V, Op>, steps: ScriptStep<Op>[]): S[] {
  const replicas = REPLICAS.map(() => crdt.type.empty());
  const states: S[] = [crdt.type.empty()];
  for (const step of steps) {
    const replicaId = REPLICAS[step.replica];
    replicas[step.replica] =
      'op' in step
        ? crdt.apply(replicas[step.replica], replicaId, step.op)
        : crdt.type.merge(replicas[step.replica], replicas[step.mergeFrom]);
    states.push(replicas[step.replica]);
  }
  return states;
}
