// Property tests: sequential executions are always linearizable, a read of a never-written
// value never is, and on small random histories the checker agrees with a brute-force search.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizable, CheckedOperation } from '../../lib/check';
import { bruteForceLinearizable } from './brute-force-linearizability';

type Step = { f: 'read' } | { f: 'write'; value: number } | { f: 'cas'; from: number; to: number };
type KvStep = { f: 'get'; key: string } | { f: 'put'; key: string; value: string } | { f: 'append'; key: string; value: string };

const registerStep: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ f: 'read' }),
  fc.integer({ min: 0, max: 3 }).map((value): Step => ({ f: 'write', value })),
  fc.record({ from: fc.integer({ min: 0, max: 3 }), to: fc.integer({ min: 0, max: 3 }) }).map((c): Step => ({ f: 'cas', ...c })),
);
const kvStep: fc.Arbitrary<KvStep> = fc.oneof(
  fc.constantFrom('a', 'b').map((key): KvStep => ({ f: 'get', key })),
  fc.record({ key: fc.constantFrom('a', 'b'), value: fc.constantFrom('x', 'y', 'z') }).map((p): KvStep => ({ f: 'put', ...p })),
  fc.record({ key: fc.constantFrom('a', 'b'), value: fc.constantFrom('x', 'y') }).map((p): KvStep => ({ f: 'append', ...p })),
);

/** Runs the steps one after another against a plain register, recording outputs. */
function runRegister(steps: Step[], times: Array<[number, number]>, processes: number[]): CheckedOperation[] {
  let value: number | null = null;
  return steps.map((s, i) => {
    const base = { process: processes[i], call: times[i][0], return: times[i][1] };
    if (s.f === 'read') return { ...base, input: { f: 'read' }, output: { value } };
    if (s.f === 'write') {
      value = s.value;
      return { ...base, input: { f: 'write', value: s.value }, output: {} };
    }
    const ok = value === s.from;
    if (ok) value = s.to;
    return { ...base, input: { f: 'cas', from: s.from, to: s.to }, output: { ok } };
  });
}

function runKv(steps: KvStep[], times: Array<[number, number]>, processes: number[]): CheckedOperation[] {
  const store = new Map<string, string>();
  return steps.map((s, i) => {
    const base = { process: processes[i], call: times[i][0], return: times[i][1] };
    const current = store.get(s.key) ?? '';
    if (s.f === 'get') return { ...base, input: { f: 'get', key: s.key }, output: { value: current } };
    store.set(s.key, s.f === 'put' ? s.value : current + s.value);
    return { ...base, input: { ...s }, output: {} };
  });
}

/** Intervals that each contain their operation's effect point, which are taken in order. */
const overlappingTimes = (n: number) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: n, maxLength: n }).map((pads) =>
    pads.map(([before, after], i): [number, number] => [10 * i - before, 10 * i + after]),
  );

describe('linearizability properties', () => {
  it('a register history executed sequentially with non-overlapping intervals is linearizable', () => {
    fc.assert(
      fc.property(fc.array(registerStep, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(4), { minLength: 40, maxLength: 40 }), (steps, procs) => {
        const ops = runRegister(steps, steps.map((_, i) => [2 * i, 2 * i + 1]), procs);
        expect(checkLinearizable({ model: 'register', operations: ops }).verdict).toBe('linearizable');
      }),
      { numRuns: 200 },
    );
  });

  it('a register read shifted to a never-written value makes the history not linearizable', () => {
    fc.assert(
      fc.property(fc.array(registerStep, { minLength: 1, maxLength: 30 }), fc.nat(), (steps, pick) => {
        const withRead: Step[] = [...steps, { f: 'read' }];
        const ops = runRegister(withRead, withRead.map((_, i) => [2 * i, 2 * i + 1]), withRead.map(() => 0));
        const reads = ops.map((op, i) => (op.input.f === 'read' ? i : -1)).filter((i) => i >= 0);
        const target = reads[pick % reads.length];
        ops[target] = { ...ops[target], output: { value: 999 } };
        const result = checkLinearizable({ model: 'register', operations: ops });
        expect(result.verdict).toBe('not-linearizable');
        expect(result.offendingOperations).toContain(target);
      }),
      { numRuns: 200 },
    );
  });

  it('a kv history whose effects happen in interval order is linearizable even when intervals overlap', () => {
    fc.assert(
      fc.property(
        fc.array(kvStep, { minLength: 1, maxLength: 30 }).chain((steps) => fc.tuple(fc.constant(steps), overlappingTimes(steps.length))),
        ([steps, times]) => {
          const ops = runKv(steps, times, steps.map((_, i) => i % 3));
          expect(checkLinearizable({ model: 'kv', operations: ops }).verdict).toBe('linearizable');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a kv get shifted to a never-written value makes the history not linearizable', () => {
    fc.assert(
      fc.property(fc.array(kvStep, { minLength: 1, maxLength: 30 }), fc.constantFrom('a', 'b'), (steps, key) => {
        const all: KvStep[] = [...steps, { f: 'get', key }];
        const ops = runKv(all, all.map((_, i) => [2 * i, 2 * i + 1]), all.map(() => 1));
        ops[ops.length - 1] = { ...ops[ops.length - 1], output: { value: 'never-written' } };
        expect(checkLinearizable({ model: 'kv', operations: ops }).verdict).toBe('not-linearizable');
      }),
      { numRuns: 200 },
    );
  });

  const smallValue = fc.constantFrom<number | null>(null, 1, 2);
  const randomRegisterOp: fc.Arbitrary<CheckedOperation> = fc
    .record({
      process: fc.nat(2),
      call: fc.nat(8),
      length: fc.nat(4),
      open: fc.boolean(),
      unknown: fc.integer({ min: 0, max: 5 }),
      kind: fc.constantFrom('read', 'write', 'cas'),
      a: smallValue,
      b: smallValue,
      ok: fc.boolean(),
    })
    .map((o): CheckedOperation => {
      const open = o.open && o.kind !== 'read';
      const ret = open ? null : o.call + o.length;
      const unknown = !open && o.unknown === 0;
      const input =
        o.kind === 'read' ? { f: 'read' as const } : o.kind === 'write' ? { f: 'write' as const, value: o.a } : { f: 'cas' as const, from: o.a, to: o.b };
      const output = open || unknown ? null : o.kind === 'read' ? { value: o.a } : o.kind === 'cas' ? { ok: o.ok } : {};
      return { process: o.process, call: o.call, return: ret, input, output };
    });

  it('agrees with a brute-force search on small random register histories (both tie rules)', () => {
    let seen = { linearizable: 0, not: 0 };
    fc.assert(
      fc.property(fc.array(randomRegisterOp, { minLength: 1, maxLength: 7 }), fc.constantFrom('concurrent' as const, 'return-first' as const), (ops, equalTimes) => {
        const expected = bruteForceLinearizable('register', ops, equalTimes);
        const verdict = checkLinearizable({ model: 'register', operations: ops }, { equalTimes }).verdict;
        expect(verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
        if (expected) seen.linearizable++;
        else seen.not++;
      }),
      { numRuns: 1500 },
    );
    // The generator must exercise both verdicts for the agreement to mean anything.
    expect(seen.linearizable).toBeGreaterThan(100);
    expect(seen.not).toBeGreaterThan(100);
  });

  const randomKvOp: fc.Arbitrary<CheckedOperation> = fc
    .record({
      process: fc.nat(2),
      call: fc.nat(8),
      length: fc.nat(4),
      open: fc.integer({ min: 0, max: 4 }),
      kind: fc.constantFrom('get', 'put', 'append'),
      key: fc.constantFrom('a', 'b'),
      value: fc.constantFrom('', 'x', 'y', 'xy'),
    })
    .map((o): CheckedOperation => {
      const open = o.open === 0 && o.kind !== 'get';
      const ret = open ? null : o.call + o.length;
      const input = o.kind === 'get' ? { f: 'get' as const, key: o.key } : { f: o.kind as 'put' | 'append', key: o.key, value: o.value.slice(0, 1) || 'x' };
      const output = open ? null : o.kind === 'get' ? { value: o.value } : {};
      return { process: o.process, call: o.call, return: ret, input, output };
    });

  it('agrees with a brute-force search (no partitioning) on small random kv histories', () => {
    let seen = { linearizable: 0, not: 0 };
    fc.assert(
      fc.property(fc.array(randomKvOp, { minLength: 1, maxLength: 7 }), (ops) => {
        const expected = bruteForceLinearizable('kv', ops);
        const verdict = checkLinearizable({ model: 'kv', operations: ops }).verdict;
        expect(verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
        if (expected) seen.linearizable++;
        else seen.not++;
      }),
      { numRuns: 1500 },
    );
    expect(seen.linearizable).toBeGreaterThan(100);
    expect(seen.not).toBeGreaterThan(100);
  });
});
