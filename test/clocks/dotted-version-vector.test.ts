// Proves dotted version vector sets track siblings exactly: a put discards exactly the
// siblings its context has seen, keeps concurrent ones, and syncing replicas in any order
// neither loses a concurrent write nor resurrects an overwritten one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dvv, DvvSet, VectorClock } from '../../lib/clocks';
import { deliveryOrderArbitrary } from './delivery-order';
import { propertyRuns } from './property-settings';

const REPLICAS = ['mumbai', 'delhi', 'chennai'] as const;

describe('dotted version vector set', () => {
  it('two UPI apps read the same balance and write concurrently: both writes stay as siblings', () => {
    let mumbai = Dvv.put(Dvv.empty<string>(), { node: 'mumbai', value: 'balance=500', context: {} });
    const phonepe = Dvv.get(mumbai);
    const gpay = Dvv.get(mumbai);
    // Both clients saw "balance=500" and write back through the same coordinator.
    mumbai = Dvv.put(mumbai, { node: 'mumbai', value: 'balance=400 (phonepe)', context: phonepe.context });
    mumbai = Dvv.put(mumbai, { node: 'mumbai', value: 'balance=300 (gpay)', context: gpay.context });
    // One version vector per key would have to call the second write a successor of the
    // first (same coordinator, larger counter) and lose it. With dots, both survive.
    expect(Dvv.values(mumbai)).toEqual(['balance=400 (phonepe)', 'balance=300 (gpay)']);
    expect(mumbai.siblings.map((s) => s.dot)).toEqual([
      { node: 'mumbai', counter: 2 },
      { node: 'mumbai', counter: 3 },
    ]);
    // A client that reads both siblings and writes a resolution replaces exactly those two.
    const resolver = Dvv.get(mumbai);
    mumbai = Dvv.put(mumbai, { node: 'mumbai', value: 'balance=200 (both debits)', context: resolver.context });
    expect(Dvv.values(mumbai)).toEqual(['balance=200 (both debits)']);
  });

  it('a write through another replica supersedes what its client read, even before that replica has the data', () => {
    const mumbai = Dvv.put(Dvv.empty<string>(), { node: 'mumbai', value: 'v1', context: {} });
    const read = Dvv.get(mumbai);
    // The client writes v2 via Delhi, which has never received v1.
    const delhi = Dvv.put(Dvv.empty<string>(), { node: 'delhi', value: 'v2', context: read.context });
    expect(delhi.versionVector).toEqual({ delhi: 1, mumbai: 1 });
    // When Mumbai and Delhi sync, v1 does not come back: v2's writer had seen it.
    expect(Dvv.values(Dvv.merge(mumbai, delhi))).toEqual(['v2']);
    expect(Dvv.values(Dvv.merge(delhi, mumbai))).toEqual(['v2']);
  });

  it('writes on both sides of a partition become siblings after the heal', () => {
    const base = Dvv.put(Dvv.empty<string>(), { node: 'mumbai', value: 'cart: [dosa]', context: {} });
    let delhi = Dvv.merge(Dvv.empty<string>(), base);
    let mumbai = base;
    mumbai = Dvv.put(mumbai, { node: 'mumbai', value: 'cart: [dosa, idli]', context: Dvv.get(mumbai).context });
    delhi = Dvv.put(delhi, { node: 'delhi', value: 'cart: [dosa, vada]', context: Dvv.get(delhi).context });
    const healed = Dvv.merge(mumbai, delhi);
    expect(Dvv.values(healed).sort()).toEqual(['cart: [dosa, idli]', 'cart: [dosa, vada]']);
    expect(healed.versionVector).toEqual({ delhi: 1, mumbai: 2 });
  });

  it('blind writes pile up siblings until siblingCountMax, then fail with a message saying why', () => {
    let key = Dvv.empty<number>();
    for (let i = 0; i < 3; i++) key = Dvv.put(key, { node: 'chennai', value: i, context: {} }, { siblingCountMax: 3 });
    expect(Dvv.values(key)).toEqual([0, 1, 2]);
    expect(() => Dvv.put(key, { node: 'chennai', value: 3, context: {} }, { siblingCountMax: 3 })).toThrow(
      /4 siblings, more than siblingCountMax=3; clients are writing without a causal context/,
    );
    expect(() => Dvv.put(key, { node: 'chennai', value: 3, context: {} }, { siblingCountMax: 0 })).toThrow(
      /siblingCountMax must be an integer ≥ 1; got 0/,
    );
  });

  /**
   * A model of the same system that keeps, for every write, the explicit set of writes its
   * client had seen. The true siblings at a replica are the writes it knows of that no known
   * write has seen. This model uses no version vectors, so it checks the dotted encoding.
   */
  interface ModelReplica {
    state: DvvSet<number>;
    /** Ids of all writes this replica has seen (including ones only named by a client context). */
    known: Set<number>;
  }
  interface ModelClient {
    context: VectorClock;
    seen: Set<number>;
  }

  type Step =
    | { kind: 'get'; client: number; replica: number }
    | { kind: 'put'; client: number; replica: number }
    | { kind: 'sync'; from: number; to: number };

  const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('get' as const), client: fc.nat(2), replica: fc.nat(2) }),
    fc.record({ kind: fc.constant('put' as const), client: fc.nat(2), replica: fc.nat(2) }),
    fc.record({ kind: fc.constant('sync' as const), from: fc.nat(2), to: fc.nat(2) }),
  );

  /** Runs the steps on both the DVV sets and the explicit model; returns every state reached. */
  function run(steps: Step[]): { replicas: ModelReplica[]; supersedes: Map<number, Set<number>>; snapshots: DvvSet<number>[] } {
    const replicas: ModelReplica[] = REPLICAS.map(() => ({ state: Dvv.empty<number>(), known: new Set<number>() }));
    const clients: ModelClient[] = [0, 1, 2].map(() => ({ context: VectorClock.empty(), seen: new Set<number>() }));
    const supersedes = new Map<number, Set<number>>();
    const snapshots: DvvSet<number>[] = [Dvv.empty<number>()];
    let nextWriteId = 1;
    for (const step of steps) {
      if (step.kind === 'get') {
        const replica = replicas[step.replica];
        clients[step.client] = { context: Dvv.get(replica.state).context, seen: new Set(replica.known) };
      } else if (step.kind === 'put') {
        const replica = replicas[step.replica];
        const client = clients[step.client];
        const id = nextWriteId++;
        replica.state = Dvv.put(replica.state, { node: REPLICAS[step.replica], value: id, context: client.context });
        supersedes.set(id, new Set(client.seen));
        replica.known = new Set([...replica.known, ...client.seen, id]);
        snapshots.push(replica.state);
      } else {
        const to = replicas[step.to];
        to.state = Dvv.merge(to.state, replicas[step.from].state);
        to.known = new Set([...to.known, ...replicas[step.from].known]);
        snapshots.push(to.state);
      }
    }
    return { replicas, supersedes, snapshots };
  }

  const scriptArbitrary = fc.array(stepArbitrary, { maxLength: 30 });

  it('property: siblings are exactly the known writes that no known write has seen (model check)', () => {
    fc.assert(
      fc.property(scriptArbitrary, (steps) => {
        const { replicas, supersedes } = run(steps);
        for (const replica of replicas) {
          const overwritten = new Set<number>();
          for (const id of replica.known) for (const old of supersedes.get(id) ?? []) overwritten.add(old);
          const expected = [...replica.known].filter((id) => !overwritten.has(id)).sort((a, b) => a - b);
          expect([...Dvv.values(replica.state)].sort((a, b) => a - b)).toEqual(expected);
        }
      }),
      propertyRuns(200),
    );
  });

  it('property: merge is commutative, associative and idempotent on reachable states', () => {
    fc.assert(
      fc.property(scriptArbitrary, fc.nat(), fc.nat(), fc.nat(), (steps, i, j, k) => {
        const { snapshots } = run(steps);
        const [a, b, c] = [i, j, k].map((n) => snapshots[n % snapshots.length]);
        expect(Dvv.merge(a, b)).toEqual(Dvv.merge(b, a));
        expect(Dvv.merge(Dvv.merge(a, b), c)).toEqual(Dvv.merge(a, Dvv.merge(b, c)));
        expect(Dvv.merge(a, a)).toEqual(a);
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }),
      propertyRuns(150),
    );
  });

  it('property: syncing all states in any order, with duplicates, converges to one state', () => {
    fc.assert(
      fc.property(
        scriptArbitrary.chain((steps) => {
          const { snapshots } = run(steps);
          return fc.tuple(fc.constant(snapshots), deliveryOrderArbitrary(snapshots.length));
        }),
        ([snapshots, order]) => {
          const inOrder = snapshots.reduce((acc, s) => Dvv.merge(acc, s), Dvv.empty<number>());
          const reordered = order.reduce((acc, index) => Dvv.merge(acc, snapshots[index]), Dvv.empty<number>());
          expect(reordered).toEqual(inOrder);
        },
      ),
      propertyRuns(100),
    );
  });
});
