// Proves the checker's scheduling and budget properties that mutation testing
// (npm run test:mutation -- checker-search) found unchecked: keys take turns, so a key whose
// search explodes cannot delay a cheap violation on a key searched after it; the states limit
// ends in "unknown" naming statesMax; the time budget is read from the injected clock only.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../lib/check';
import { r, w } from './history-builders';

/** Key `hard`: 14 concurrent appends and a read nothing can explain (the search tries every order). */
function explodingKey(key: string, firstProcess: number) {
  const ops = [];
  for (let i = 0; i < 14; i++) ops.push({ process: firstProcess + i, call: 0, return: 100, input: { f: 'append', key, value: String(i) }, output: {} });
  ops.push({ process: firstProcess + 20, call: 101, return: 102, input: { f: 'get', key }, output: { value: 'nope' } });
  return ops;
}

/** Key `key`: a put then a read of the empty value: not linearizable, found in a few steps. */
function violatingKey(key: string, firstProcess: number) {
  return [
    { process: firstProcess, call: 0, return: 1, input: { f: 'put', key, value: 'v' }, output: {} },
    { process: firstProcess + 1, call: 2, return: 3, input: { f: 'get', key }, output: { value: '' } },
  ];
}

describe('keys take turns', () => {
  it('an exploding key searched FIRST gets one turn; the violating key after it is still found', () => {
    const history = { model: 'kv' as const, operations: [...explodingKey('a-hard', 0), ...violatingKey('z-easy', 50)] };
    const result = checkLinearizable(history, { stepsMax: 10_000_000, timeoutMs: 600_000 });
    expect(result.verdict).toBe('not-linearizable');
    expect(result.counterexamples.map((c) => c.key)).toEqual(['z-easy']);
    const hard = result.keys.find((k) => k.key === 'a-hard');
    expect(hard?.verdict).toBe('unknown');
    expect(hard?.unknownReason).toContain('stopAtFirstViolation');
    expect(hard?.searchSteps).toBe(1 << 15); // exactly one turn of SLICE_STEPS
  });

  it('with stopAtFirstViolation: false every key is searched to its end or its limit', () => {
    const history = { model: 'kv' as const, operations: [...explodingKey('a-hard', 0), ...violatingKey('z-easy', 50)] };
    const result = checkLinearizable(history, { stepsMax: 100_000, stopAtFirstViolation: false });
    const hard = result.keys.find((k) => k.key === 'a-hard');
    expect(hard?.unknownReason).toContain('stepsMax');
    expect(hard?.searchSteps).toBe(100_000);
    expect(result.keys.find((k) => k.key === 'z-easy')?.verdict).toBe('not-linearizable');
    expect(result.verdict).toBe('not-linearizable');
  });

  it('two linearizable keys both finish with their own linearization', () => {
    const ops = [
      { process: 0, call: 0, return: 1, input: { f: 'put', key: 'a', value: 'x' }, output: {} },
      { process: 1, call: 2, return: 3, input: { f: 'get', key: 'a' }, output: { value: 'x' } },
      { process: 2, call: 0, return: 1, input: { f: 'put', key: 'b', value: 'y' }, output: {} },
      { process: 3, call: 2, return: 3, input: { f: 'get', key: 'b' }, output: { value: 'y' } },
    ];
    const result = checkLinearizable({ model: 'kv', operations: ops });
    expect(result.verdict).toBe('linearizable');
    expect(result.keys.map((k) => [k.key, k.verdict, k.linearization])).toEqual([
      ['a', 'linearizable', [0, 1]],
      ['b', 'linearizable', [2, 3]],
    ]);
  });
});

describe('the states limit', () => {
  it('more distinct model states than statesMax ends in "unknown" naming the option, not an exception', () => {
    const ops = [];
    // The history's own values are '' and 'a' (2 states); the search builds 'aa', 'aaa', ...
    for (let i = 0; i < 6; i++) ops.push({ process: i, call: 2 * i, return: 2 * i + 1, input: { f: 'append', key: 'k', value: 'a' }, output: {} });
    const limited = checkLinearizable({ model: 'kv', operations: ops }, { statesMax: 4 });
    expect(limited.verdict).toBe('unknown');
    expect(limited.keys[0].verdict).toBe('unknown');
    expect(limited.keys[0].unknownReason).toMatch(/: the model reached 4 distinct states, the limit set by option "statesMax"/);
    expect(limited.unknownReason).toContain('statesMax');
    expect(checkLinearizable({ model: 'kv', operations: ops }, { statesMax: 100 }).verdict).toBe('linearizable');
  });

  it('a key whose history alone holds more distinct values than statesMax is "unknown", and the other keys are still judged', () => {
    const ops = [];
    // Key 'wide': six distinct values written, more than statesMax 3 before any search.
    for (let i = 0; i < 6; i++) ops.push({ process: 0, call: 2 * i, return: 2 * i + 1, input: { f: 'put', key: 'wide', value: `v${i}` }, output: {} });
    // Key 'stale': a read after a completed put returns the old value — not linearizable.
    ops.push({ process: 1, call: 0, return: 1, input: { f: 'put', key: 'stale', value: 'x' }, output: {} });
    ops.push({ process: 1, call: 2, return: 3, input: { f: 'get', key: 'stale' }, output: { value: '' } });
    const result = checkLinearizable({ model: 'kv', operations: ops }, { statesMax: 3, stopAtFirstViolation: false });
    const byKey = new Map(result.keys.map((k) => [k.key, k]));
    expect(byKey.get('wide')?.verdict).toBe('unknown');
    expect(byKey.get('wide')?.unknownReason).toMatch(/key "?wide"?: the model reached 3 distinct states, the limit set by option "statesMax"/);
    expect(byKey.get('wide')?.operationCount).toBe(6);
    expect(byKey.get('stale')?.verdict).toBe('not-linearizable');
    expect(result.verdict).toBe('not-linearizable');
    const registerOps = ops.slice(0, 6).map((op) => ({ ...op, input: { f: 'write' as const, value: Number(op.input.value?.slice(1)) } }));
    expect(checkLinearizable({ model: 'register', operations: registerOps }, { statesMax: 3 }).verdict).toBe('unknown');
  });
});

describe('the time budget reads the injected clock only', () => {
  it('a clock already past the deadline makes even a tiny history "unknown"', () => {
    let calls = 0;
    const now = () => (calls++ === 0 ? 0 : 1_000_000);
    const result = checkLinearizable({ model: 'register', operations: [w(0, 0, 1, 1), r(1, 2, 3, 1)] }, { timeoutMs: 1000, now });
    expect(result.verdict).toBe('unknown');
    expect(result.unknownReason).toContain('time budget of 1000 ms (option "timeoutMs")');
    expect(result.elapsedMs).toBe(1_000_000);
  });

  it('a frozen clock never runs out, however long the search really takes: the step limit ends it', () => {
    const ops = [];
    for (let i = 0; i < 14; i++) ops.push(w(i, 0, 100, i));
    for (let i = 0; i < 14; i++) ops.push(r(14 + i, 1, 100, (i * 7) % 14));
    ops.push(r(28, 101, 102, -1));
    const result = checkLinearizable({ model: 'register', operations: ops }, { timeoutMs: 1, stepsMax: 300_000, now: () => 5 });
    expect(result.verdict).toBe('unknown');
    expect(result.unknownReason).toContain('stepsMax');
    expect(result.elapsedMs).toBe(0);
    expect(result.keys[0].elapsedMs).toBe(0);
  });

  it('elapsed times come from the injected clock', () => {
    let t = 0;
    const result = checkLinearizable({ model: 'register', operations: [w(0, 0, 1, 1), r(1, 2, 3, 1)] }, { now: () => (t += 10) });
    expect(result.verdict).toBe('linearizable');
    expect(result.keys[0].elapsedMs).toBeGreaterThan(0);
    expect(result.keys[0].elapsedMs % 10).toBe(0);
    expect(result.elapsedMs % 10).toBe(0);
  });
});

describe('the memo compares whole keys, so hash collisions cannot merge configurations', () => {
  // Every entry below is added with the same hash: only the rest of the key (state, linearized
  // set) tells them apart. A memo that trusted the hash would call the second one "seen" and the
  // search would skip a configuration it never explored.
  it('same hash, different state or different linearized set: both are kept; the same key again is found', async () => {
    const { LinearizedStateSet } = await import('../../lib/check/linearized-state-set');
    const set = new LinearizedStateSet(1 << 20);
    const bits = (...ranks: number[]) => {
      const b = new Uint32Array(4);
      for (const r of ranks) b[r >>> 5] |= 1 << (r & 31);
      return b;
    };
    const HASH = 12345;
    expect(set.add(HASH, 1, bits(0, 2), 1, 0)).toBe(1);
    expect(set.add(HASH, 2, bits(0, 2), 1, 0)).toBe(1); // other state
    expect(set.add(HASH, 1, bits(0, 3), 1, 0)).toBe(1); // other set, same window
    expect(set.add(HASH, 1, bits(0, 40), 1, 1)).toBe(1); // other set, wider window
    expect(set.add(HASH, 1, bits(0, 1, 2), 3, 0)).toBe(1); // other prefix
    expect(set.add(HASH, 1, bits(0, 2), 1, 0)).toBe(0);
    expect(set.add(HASH, 2, bits(0, 2), 1, 0)).toBe(0);
    expect(set.add(HASH, 1, bits(0, 40), 1, 1)).toBe(0);
    expect(set.size).toBe(5);
  });

});
