// Proves what the linearizability checker tells a learner besides the verdict, and the options
// around it: the counterexample text names the right operations (the prefix, numbered from its
// start and elided to its last eight; each blocked operation with its reason and the last prefix
// operation that returned before it was called; the operation that returned without a place);
// the summary names the first failing key and how many fail; the offending operations are the
// contradicting ones, sorted over every key; an "unknown" verdict names the limit, and a key left
// unfinished names the key that failed; defaults are applied, bad options are rejected precisely,
// the memo budget follows free memory, and only the states limit is turned into "unknown".
import { describe, expect, it } from 'vitest';
import { checkLinearizable, checkValidatedHistory, CheckedOperation, partitionHistory } from '../../lib/check';
import { blamed, Counterexample, defaultMemoBytesMax, resolveLinearizabilityOptions } from '../../lib/check/linearizability';
import { cas, get, put, r, w } from './history-builders';

const register = (operations: CheckedOperation[]) => ({ model: 'register' as const, operations });
const kv = (operations: CheckedOperation[]) => ({ model: 'kv' as const, operations });
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('the counterexample text', () => {
  it('shows a long prefix by its last eight operations, numbered from its start, then the blocked read and the op it was called after', () => {
    // Client 0 writes 1..10 one after another; client 1 then reads 3.
    const ops = Array.from({ length: 10 }, (_, i) => w(0, 2 * i, 2 * i + 1, i + 1));
    ops.push(r(1, 20, 21, 3));
    const result = checkLinearizable(register(ops));
    expect(result.verdict).toBe('not-linearizable');
    const c = result.counterexamples[0];
    expect(c.key).toBeNull();
    expect(c.prefix.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(c.mustPrecedeIndex).toBe(10);
    expect(c.text).toBe(
      [
        'The register: the longest linearizable prefix found has 10 operation(s):',
        '  ... 2 earlier operation(s)',
        '  3. write(3)  [op 2, client 0]  → 3',
        '  4. write(4)  [op 3, client 0]  → 4',
        '  5. write(5)  [op 4, client 0]  → 5',
        '  6. write(6)  [op 5, client 0]  → 6',
        '  7. write(7)  [op 6, client 0]  → 7',
        '  8. write(8)  [op 7, client 0]  → 8',
        '  9. write(9)  [op 8, client 0]  → 9',
        '  10. write(10)  [op 9, client 0]  → 10',
        'After it the register holds 10, and no operation that could come next fits:',
        '  - read() → 3  [op 10, client 1]: it returned 3, but the register holds 10 here; it was called at 20 ms, after op 9 had returned, so it cannot move before it',
        'Op 10 returned at 21 ms without a place in the order, so none exists.',
      ].join('\n'),
    );
  });

  it('lists a short prefix whole, and says nothing about order for a blocked op concurrent with all of it', () => {
    const result = checkLinearizable(register([w(0, 0, 5, 1), r(1, 0, 5, 2)]));
    expect(result.counterexamples[0].text).toBe(
      [
        'The register: the longest linearizable prefix found has 1 operation(s):',
        '  1. write(1)  [op 0, client 0]  → 1',
        'After it the register holds 1, and no operation that could come next fits:',
        '  - read() → 2  [op 1, client 1]: it returned 2, but the register holds 1 here',
        'Op 1 returned at 5 ms without a place in the order, so none exists.',
      ].join('\n'),
    );
    expect(result.counterexamples[0].blocked[0].calledAfterIndex).toBeNull();
  });

  it('says when not even the first operation fits, naming the key and its initial value', () => {
    const result = checkLinearizable(kv([get(0, 0, 1, 'x', 'a')]));
    const c = result.counterexamples[0];
    expect(c.key).toBe('x');
    expect(c.prefix).toEqual([]);
    expect(c.stateAfterPrefix).toBe('');
    expect(c.text).toBe(
      [
        'Key "x": not even the first operation fits (key "x" holds "" at the start).',
        '  - get("x") → "a"  [op 0, client 0]: it returned "a", but key "x" holds "" here',
        'Op 0 returned at 1 ms without a place in the order, so none exists.',
      ].join('\n'),
    );
    expect(checkLinearizable(register([r(0, 0, 1, 5)])).counterexamples[0].text.split('\n')[0]).toBe(
      'The register: not even the first operation fits (the register holds null at the start).',
    );
  });

  it('names as "called after" the LAST prefix op that returned before the call, not an earlier one', () => {
    // write(1), write(2), write(3) in sequence, then a read of 1: it was called after all three.
    const result = checkLinearizable(register([w(0, 0, 1, 1), w(0, 2, 3, 2), w(0, 4, 5, 3), r(1, 6, 7, 1)]));
    expect(result.counterexamples[0].blocked.map((b) => [b.index, b.calledAfterIndex])).toEqual([[3, 2]]);
  });

  it('names the FIRST prefix op when only it returned before the call (the later one overlaps the read)', () => {
    // write(2) is still running (2–10) when the read of null is called at 4; write(1) had returned at 1.
    const result = checkLinearizable(register([w(0, 0, 1, 1), w(1, 2, 10, 2), r(2, 4, 5, null)]));
    const c = result.counterexamples[0];
    expect(c.prefix.map((p) => p.index)).toEqual([0, 1]);
    expect(c.blocked.map((b) => [b.index, b.calledAfterIndex])).toEqual([[2, 0]]);
    expect(c.text).toContain('; it was called at 4 ms, after op 0 had returned, so it cannot move before it');
  });

  it('does not count a return at the very time of the call as "before" it (equal times are concurrent)', () => {
    // write(2) returns at 4, exactly when the read is called: only write(1) surely came before.
    const result = checkLinearizable(register([w(0, 0, 1, 1), w(1, 2, 4, 2), r(2, 4, 5, null)]));
    const c = result.counterexamples[0];
    expect(c.prefix.map((p) => p.index)).toEqual([0, 1]);
    expect(c.blocked.map((b) => [b.index, b.calledAfterIndex])).toEqual([[2, 0]]);
  });

  it('never names an op that never returned as one the blocked op was called after', () => {
    // The prefix is write(1), the pending write(2), read() → 2; the read of null was called at 3.
    const result = checkLinearizable(register([w(0, 0, 1, 1), w(1, 2, null, 2), r(2, 2, 10, 2), r(3, 3, 4, null)]));
    const c = result.counterexamples[0];
    expect(c.prefix.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(c.blocked.map((b) => [b.index, b.calledAfterIndex])).toEqual([[3, 0]]);
  });

  it('tells an op that fits but leads nowhere from one that contradicts, and blames only the contradicting one', () => {
    // A cas that never returned could take effect first (it changes nothing from null); the read of 2 cannot.
    const pending = checkLinearizable(register([cas(0, 0, null, 2, null, null), r(1, 0, 0, 2)]));
    const c = pending.counterexamples[0];
    expect(c.blocked.map((b) => [b.index, b.contradicts, b.reason])).toEqual([
      [0, false, 'it never returned, so it may take effect here, but no order of the operations left works after it'],
      [1, true, 'it returned 2, but the register holds null here'],
    ]);
    expect(pending.offendingOperations).toEqual([1]);
    expect(pending.summary).toBe('Not linearizable: on the register, after 0 operation(s) in order the state is null, and op 1 read() → 2 cannot come next.');

    // A returned read with an unknown outcome fits any state; it is listed, but not blamed.
    const unknownRead = (process: number): CheckedOperation => ({ process, call: 0, return: 0, input: { f: 'read' }, output: null });
    const returned = checkLinearizable(register([r(0, 0, 0, 2), unknownRead(1), unknownRead(2)]));
    const blocked = returned.counterexamples[0].blocked;
    expect(blocked.map((b) => [b.index, b.contradicts, b.reason])).toEqual([
      [0, true, 'it returned 2, but the register holds null here'],
      [2, false, 'it fits here, but no order of the operations left works after it'],
    ]);
    expect(returned.offendingOperations).toEqual([0]);
  });

  it('blames every blocked op when none contradicts the state (none then stands out)', () => {
    const op = (index: number, contradicts: boolean) => ({
      index, process: index, description: `write(${index})`, call: 0, return: 1, reason: contradicts ? 'no' : 'fits', contradicts, calledAfterIndex: null,
    });
    const c: Counterexample = { key: null, prefix: [], stateAfterPrefix: null, blocked: [op(4, false), op(7, false)], mustPrecedeIndex: 4, text: '' };
    expect(blamed(c).map((b) => b.index)).toEqual([4, 7]);
    expect(blamed({ ...c, blocked: [op(4, false), op(7, true), op(9, true)] }).map((b) => b.index)).toEqual([7, 9]);
  });
});

describe('the summary, the keys and the offending operations', () => {
  it('says how many operations on what fit one order', () => {
    expect(checkLinearizable(register([w(0, 0, 1, 1), r(1, 2, 3, 1)])).summary).toBe(
      'Linearizable: 2 operation(s) on a register fit one order that respects real time.',
    );
    expect(checkLinearizable(kv([put(0, 0, 1, 'b', 'v'), put(0, 2, 3, 'a', 'w'), get(1, 4, 5, 'b', 'v')])).summary).toBe(
      'Linearizable: 3 operation(s) on 2 key(s) of a key-value store fit one order that respects real time.',
    );
  });

  it('names a violation by its state and the blamed ops, and says how many keys fail when several do', () => {
    const one = checkLinearizable(register([w(0, 0, 1, 1), r(1, 2, 3, null)]));
    expect(one.summary).toBe('Not linearizable: on the register, after 1 operation(s) in order the state is 1, and op 1 read() → null cannot come next.');
    expect(one.keys[0].key).toBeNull();
    expect(one.keys[0].unknownReason).toBeNull();

    // Three stale keys, first seen in the order c, b, a: the keys are reported sorted, the
    // offending operations sorted by history index over all of them.
    const stale = (key: string, process: number) => [put(process, 0, 1, key, '1'), get(process + 1, 2, 3, key, '')];
    const result = checkLinearizable(kv([...stale('c', 0), ...stale('b', 2), ...stale('a', 4)]), { stopAtFirstViolation: false });
    expect(result.keys.map((k) => [k.key, k.verdict, k.unknownReason])).toEqual([
      ['a', 'not-linearizable', null],
      ['b', 'not-linearizable', null],
      ['c', 'not-linearizable', null],
    ]);
    expect(result.counterexamples.map((c) => c.key)).toEqual(['a', 'b', 'c']);
    expect(result.offendingOperations).toEqual([1, 3, 5]);
    expect(result.summary).toBe(
      'Not linearizable: on key "a", after 1 operation(s) in order the state is "1", and op 5 get("a") → "" cannot come next (3 keys fail; the first is shown).',
    );
  });

  it('a linearizable key has no unknown reason and no counterexample', () => {
    const result = checkLinearizable(kv([put(0, 0, 1, 'k', 'v'), get(1, 2, 3, 'k', 'v')]));
    expect(result.keys.map((k) => [k.key, k.verdict, k.unknownReason, k.counterexample])).toEqual([['k', 'linearizable', null, null]]);
    expect(result.unknownReason).toBeNull();
  });

  it('partitions a register into one part of every index, and a kv store into sorted keys', () => {
    expect(partitionHistory(register([w(0, 0, 1, 1), r(1, 2, 3, 1), w(2, 4, 5, 2)]))).toEqual([{ key: null, indices: [0, 1, 2] }]);
    expect(partitionHistory(kv([put(0, 0, 1, 'y', 'v'), put(0, 2, 3, 'x', 'w'), get(1, 4, 5, 'y', 'v')]))).toEqual([
      { key: 'x', indices: [1] },
      { key: 'y', indices: [0, 2] },
    ]);
  });
});

describe('an unknown verdict names the limit, and the key that failed', () => {
  it('a key left unfinished names the failing key, wherever that key sorts', () => {
    // Key "a" fails in its first turn; key "b" is never searched.
    const first = checkLinearizable(kv([put(0, 0, 1, 'a', '1'), get(1, 2, 3, 'a', ''), put(2, 0, 1, 'b', '1')]));
    expect(first.keys.map((k) => [k.key, k.verdict])).toEqual([
      ['a', 'not-linearizable'],
      ['b', 'unknown'],
    ]);
    expect(first.keys[1].unknownReason).toBe(
      'key "b": not checked to the end, because key "a" was already found not linearizable (option "stopAtFirstViolation": false checks every key)',
    );
    // Key "a" is fine, key "b" fails, key "c" is then left unfinished: it names "b".
    const middle = checkLinearizable(kv([put(0, 0, 1, 'a', '1'), put(2, 0, 1, 'b', '1'), get(3, 2, 3, 'b', ''), put(4, 0, 1, 'c', '1')]));
    expect(middle.keys.map((k) => [k.key, k.verdict])).toEqual([
      ['a', 'linearizable'],
      ['b', 'not-linearizable'],
      ['c', 'unknown'],
    ]);
    expect(middle.keys[2].unknownReason).toBe(
      'key "c": not checked to the end, because key "b" was already found not linearizable (option "stopAtFirstViolation": false checks every key)',
    );
    expect(middle.verdict).toBe('not-linearizable');
    expect(middle.unknownReason).toBeNull();
  });

  it('a full memo names its budget in MiB and the option to raise', () => {
    // Fourteen overlapping writes, fourteen reads and a read of a value never written.
    const ops = [];
    for (let i = 0; i < 14; i++) ops.push(w(i, 0, 100, i));
    for (let i = 0; i < 14; i++) ops.push(r(14 + i, 1, 100, (i * 7) % 14));
    ops.push(r(28, 101, 102, -1));
    const result = checkLinearizable(register(ops), { memoBytesMax: MiB });
    expect(result.verdict).toBe('unknown');
    expect(result.unknownReason).toBe(
      'the register: the memo of explored configurations filled its budget of 1 MiB (raise option "memoBytesMax", or check-history --memo-mb)',
    );
    expect(result.summary).toBe(`Unknown: ${result.unknownReason}; no key was found to be not linearizable.`);
    expect(result.memoBytesMax).toBe(MiB);
  });

  it('the time budget is 10 000 ms by default, on the injected clock', () => {
    const h = register([w(0, 0, 1, 1), r(1, 2, 3, 1)]);
    const clock = (laterMs: number) => {
      let reads = 0;
      return () => (reads++ === 0 ? 0 : laterMs);
    };
    expect(checkLinearizable(h, { now: clock(9_999) }).verdict).toBe('linearizable');
    const late = checkLinearizable(h, { now: clock(10_000) });
    expect(late.verdict).toBe('unknown');
    expect(late.unknownReason).toBe('the register: the search passed its time budget of 10000 ms (option "timeoutMs")');
  });
});

describe('options: defaults, precise errors, the memo budget', () => {
  it('fills in every default', () => {
    const resolved = resolveLinearizabilityOptions({});
    expect({ ...resolved, memoBytesMax: 0, now: null }).toEqual({
      timeoutMs: 10_000,
      stepsMax: Infinity,
      memoBytesMax: 0,
      statesMax: 2_000_000,
      equalTimes: 'concurrent',
      stopAtFirstViolation: true,
      now: null,
    });
    expect(resolved.memoBytesMax).toBeGreaterThanOrEqual(256 * MiB);
    expect(resolved.memoBytesMax).toBeLessThanOrEqual(16 * GiB);
    expect(typeof resolved.now()).toBe('number');
    const result = checkLinearizable(register([]));
    expect(result.memoBytesMax).toBeGreaterThanOrEqual(256 * MiB);
    expect(result.memoBytesMax).toBeLessThanOrEqual(16 * GiB);
  });

  it('keeps every option given', () => {
    const now = () => 7;
    const given = { timeoutMs: 0, stepsMax: 1, memoBytesMax: 1024, statesMax: 2, equalTimes: 'return-first' as const, stopAtFirstViolation: false, now };
    expect(resolveLinearizabilityOptions(given)).toEqual(given);
  });

  it('rejects a number below its minimum, NaN and a non-number, naming the option and what is allowed', () => {
    const h = register([]);
    expect(() => checkLinearizable(h, { stepsMax: 0 })).toThrow('option "stepsMax" is 0; allowed: a number ≥ 1');
    expect(() => checkLinearizable(h, { memoBytesMax: 1023 })).toThrow('option "memoBytesMax" is 1023; allowed: a number ≥ 1024');
    expect(() => checkLinearizable(h, { statesMax: 1 })).toThrow('option "statesMax" is 1; allowed: a number ≥ 2');
    expect(() => checkLinearizable(h, { stepsMax: Number.NaN })).toThrow('option "stepsMax" is NaN; allowed: a number ≥ 1');
    expect(() => checkLinearizable(h, { timeoutMs: '100' as never })).toThrow('option "timeoutMs" is 100; allowed: a number ≥ 0');
    expect(() => checkLinearizable(h, { statesMax: 'many' as never })).toThrow('option "statesMax" is many; allowed: a number ≥ 2');
    expect(() => checkValidatedHistory(h, { timeoutMs: -5 })).toThrow('option "timeoutMs" is -5; allowed: a number ≥ 0');
  });

  it('takes half the free memory for the memo, between 256 MiB and 16 GiB', () => {
    expect(defaultMemoBytesMax(0)).toBe(256 * MiB);
    expect(defaultMemoBytesMax(511 * MiB)).toBe(256 * MiB);
    expect(defaultMemoBytesMax(GiB)).toBe(512 * MiB);
    expect(defaultMemoBytesMax(GiB + 1)).toBe(512 * MiB);
    expect(defaultMemoBytesMax(24 * GiB)).toBe(12 * GiB);
    expect(defaultMemoBytesMax(33 * GiB)).toBe(16 * GiB);
    const now = defaultMemoBytesMax();
    expect(now).toBeGreaterThanOrEqual(256 * MiB);
    expect(now).toBeLessThanOrEqual(16 * GiB);
  });
});

describe('only the states limit turns into "unknown"; any other error surfaces', () => {
  // checkValidatedHistory trusts its input (a parser validated it). Were these errors caught
  // like the states limit, a broken history or an internal bug would read as "unknown".
  it('an error while compiling a partition is thrown, not reported as a limit', () => {
    const broken = { process: 0, call: 0, return: 1, input: undefined as never, output: {} };
    expect(() => checkValidatedHistory(register([broken]))).toThrow(TypeError);
  });

  it('an error inside the search is thrown, not reported as a limit', () => {
    const appendOnRegister = { process: 0, call: 0, return: 1, input: { f: 'append' as const, key: 'k', value: 'a' }, output: {} };
    expect(() => checkValidatedHistory(register([appendOnRegister]))).toThrow('append is a kv operation');
  });
});
