// Proves the register store detects conflicts exactly with version vectors, that each policy
// resolves them as the lesson says (LWW by wall clock loses a causally newer write under skew,
// HLC never does, siblings keep every concurrent write), and that applying the same writes in
// any order that keeps each leader's own order gives the same state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hlc, HlcTimestamp, VectorClock } from '../../../lib/clocks';
import { BuiltInPolicyName, LWW_PHYSICAL, conflictPolicy } from '../../../lib/strategies/multi-leader/conflict-policy';
import { LoggedOp } from '../../../lib/strategies/multi-leader/logged-op';
import { PutPayload, RegisterStore } from '../../../lib/strategies/multi-leader/register-store';

const PROPERTY = { seed: 41_2011, numRuns: 100 };

/** A put accepted by `node` with the given counter, wall clock, HLC and context. */
function put(node: string, counter: number, value: number, physicalMs: number, hlc: HlcTimestamp, context: VectorClock = {}, readDot: { node: string; counter: number } | null = null): LoggedOp<PutPayload<number>> {
  return { dot: { node, counter }, physicalMs, hlc, acceptedAtSimMs: physicalMs, payload: { key: 'balance:priya', value, context, readDot } };
}

describe('register store', () => {
  it('a write that saw the previous one is no conflict; two writes that saw nothing of each other are', () => {
    const store = new RegisterStore<number>(conflictPolicy('siblings'));
    const m1 = put('mumbai', 1, 5000, 1000, { l: 1000, c: 0, nodeId: 'mumbai' });
    expect(store.apply(m1).concurrentWith).toEqual([]);
    const d1 = put('delhi', 1, 4500, 1030, { l: 1030, c: 0, nodeId: 'delhi' }, { mumbai: 1 });
    expect(store.apply(d1).concurrentWith).toEqual([]);
    const b1 = put('bangalore', 1, 4000, 1031, { l: 1031, c: 0, nodeId: 'bangalore' }, { mumbai: 1 });
    const result = store.apply(b1);
    expect(result.concurrentWith.map((w) => w.dot)).toEqual([{ node: 'delhi', counter: 1 }]);
    expect(store.read('balance:priya')).toEqual([4000, 4500]);
    // The reader merges and writes with the context of its read: both siblings are replaced.
    const resolved = put('mumbai', 2, 3500, 1100, { l: 1100, c: 0, nodeId: 'mumbai' }, store.contextOf('balance:priya'));
    expect(store.apply(resolved).concurrentWith).toEqual([]);
    expect(store.read('balance:priya')).toEqual([3500]);
    expect(store.lostUpdates()).toEqual([]);
  });

  it('LWW by wall clock keeps the older write when the newer one carries a smaller timestamp; HLC keeps the newer', () => {
    // Delhi's clock is 50 ms behind: its write at true time 1030 reads 980, yet it saw Mumbai's write.
    const m1 = put('mumbai', 1, 5000, 1000, { l: 1000, c: 0, nodeId: 'mumbai' });
    const hlcAfterReceive = Hlc.update(Hlc.init('delhi'), m1.hlc, 964);
    const d1 = put('delhi', 1, 4500, 980, Hlc.now(hlcAfterReceive, 980), { mumbai: 1 }, { node: 'mumbai', counter: 1 });
    const physical = new RegisterStore<number>(conflictPolicy('lww-physical'));
    const hlc = new RegisterStore<number>(conflictPolicy('lww-hlc'));
    for (const store of [physical, hlc]) {
      store.apply(m1);
      store.apply(d1);
    }
    expect(physical.read('balance:priya')).toEqual([5000]);
    expect(physical.lostUpdates()).toMatchObject([{ dot: 'delhi:1', winner: 'mumbai:1', reason: 'newer write discarded' }]);
    expect(hlc.read('balance:priya')).toEqual([4500]);
    expect(hlc.lostUpdates()).toEqual([]);
  });

  it('of two concurrent writes LWW keeps one and reports the other as a discarded concurrent write', () => {
    const store = new RegisterStore<number>(conflictPolicy('lww-hlc'));
    store.apply(put('mumbai', 1, 1, 1000, { l: 1000, c: 0, nodeId: 'mumbai' }));
    store.apply(put('delhi', 1, 2, 1001, { l: 1001, c: 0, nodeId: 'delhi' }));
    expect(store.read('balance:priya')).toEqual([2]);
    expect(store.lostUpdates()).toMatchObject([{ dot: 'mumbai:1', reason: 'concurrent write discarded' }]);
  });

  it('a write overwritten by a write that read it is not lost; its effect lives on through the chain', () => {
    const store = new RegisterStore<number>(LWW_PHYSICAL);
    store.apply(put('mumbai', 1, 1, 1000, { l: 1000, c: 0, nodeId: 'mumbai' }));
    store.apply(put('delhi', 1, 2, 1100, { l: 1100, c: 0, nodeId: 'delhi' }, { mumbai: 1 }, { node: 'mumbai', counter: 1 }));
    store.apply(put('mumbai', 2, 3, 1200, { l: 1200, c: 0, nodeId: 'mumbai' }, { mumbai: 1, delhi: 1 }, { node: 'delhi', counter: 1 }));
    expect(store.read('balance:priya')).toEqual([3]);
    expect(store.lostUpdates()).toEqual([]);
  });

  it('a custom last-writer-wins order is a policy too; bad policies are refused', () => {
    const largest = conflictPolicy({ kind: 'last-writer-wins', name: 'largest-wins', compareWrites: (a, b) => (a.value as number) - (b.value as number) });
    const store = new RegisterStore<number>(largest);
    store.apply(put('mumbai', 1, 7, 1000, { l: 1000, c: 0, nodeId: 'mumbai' }));
    store.apply(put('delhi', 1, 3, 2000, { l: 2000, c: 0, nodeId: 'delhi' }));
    expect(store.read('balance:priya')).toEqual([7]);
    expect(() => conflictPolicy('lww' as BuiltInPolicyName)).toThrow(/policy: got "lww"; allowed: "lww-physical" \| "lww-hlc" \| "siblings"/);
  });

  it('any delivery order that keeps each leader\'s own order gives the same state, under every policy', () => {
    // Three leaders each make writes with random skews; contexts come from a random history.
    const writeArb = fc.array(fc.record({ node: fc.constantFrom('mumbai', 'delhi', 'bangalore'), sawOthers: fc.boolean(), physicalMs: fc.integer({ min: 0, max: 50 }) }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(writeArb, fc.array(fc.nat(), { minLength: 12, maxLength: 12 }), fc.constantFrom<BuiltInPolicyName>('lww-physical', 'lww-hlc', 'siblings'), (specs, shuffle, policyName) => {
        const counters: Record<string, number> = {};
        const ops: Array<LoggedOp<PutPayload<number>>> = [];
        const seen: Record<string, VectorClock> = {};
        specs.forEach((spec, i) => {
          const counter = (counters[spec.node] = (counters[spec.node] ?? 0) + 1);
          // A write's context: its own leader's earlier writes, plus (sometimes) everything so far.
          let context: VectorClock = { ...(seen[spec.node] ?? {}) };
          if (spec.sawOthers) for (const o of ops) context = VectorClock.merge(context, { [o.dot.node]: o.dot.counter });
          const written = put(spec.node, counter, i, spec.physicalMs, { l: spec.physicalMs, c: i, nodeId: spec.node }, context);
          ops.push(written);
          seen[spec.node] = VectorClock.merge(context, { [spec.node]: counter });
        });
        const apply = (order: Array<LoggedOp<PutPayload<number>>>) => {
          const store = new RegisterStore<number>(conflictPolicy(policyName));
          for (const o of order) store.apply(o);
          return store.fingerprint();
        };
        // A per-origin-order-preserving interleaving: repeatedly take the next op of a chosen origin.
        const queues = new Map<string, Array<LoggedOp<PutPayload<number>>>>();
        for (const o of ops) queues.set(o.dot.node, [...(queues.get(o.dot.node) ?? []), o]);
        const interleaved: Array<LoggedOp<PutPayload<number>>> = [];
        let step = 0;
        while (interleaved.length < ops.length) {
          const origins = [...queues.keys()].filter((k) => (queues.get(k) as unknown[]).length > 0);
          const origin = origins[shuffle[step++ % shuffle.length] % origins.length];
          interleaved.push((queues.get(origin) as Array<LoggedOp<PutPayload<number>>>).shift() as LoggedOp<PutPayload<number>>);
        }
        expect(apply(interleaved)).toBe(apply(ops));
      }),
      PROPERTY,
    );
  });
});
