// Proves the key-value model: get/put/append semantics, keys checked independently, and
// per-key counterexamples.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../lib/check';
import type { OperationRecord } from '../../lib/sim/history';
import { append, get, put } from './history-builders';

describe('kv linearizability', () => {
  it('starts every key as "" and concatenates appends', () => {
    const h = [get(0, 0, 1, 'x', ''), append(0, 2, 3, 'x', 'a'), append(1, 4, 5, 'x', 'b'), get(2, 6, 7, 'x', 'ab')];
    const result = checkLinearizable(h, { model: 'kv' });
    expect(result.verdict).toBe('linearizable');
    expect(result.keys[0].linearization).toEqual([0, 1, 2, 3]);
  });

  it('accepts either order of two overlapping appends, but only one order per history', () => {
    const both = [append(0, 0, 10, 'x', 'a'), append(1, 0, 10, 'x', 'b')];
    expect(checkLinearizable([...both, get(2, 11, 12, 'x', 'ba')]).verdict).toBe('linearizable');
    expect(checkLinearizable([...both, get(2, 11, 12, 'x', 'ab')]).verdict).toBe('linearizable');
    expect(checkLinearizable([...both, get(2, 11, 12, 'x', 'ab'), get(3, 13, 14, 'x', 'ba')]).verdict).toBe('not-linearizable');
  });

  it('checks keys independently and reports the counterexample on the failing key only', () => {
    const h = [
      put(0, 0, 1, 'a', 'v1'),
      put(1, 0, 1, 'b', 'w1'),
      get(2, 2, 3, 'a', 'v1'),
      get(3, 2, 3, 'b', ''), // stale: b was put before this get began
    ];
    const result = checkLinearizable(h);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.keyCount).toBe(2);
    expect(result.keys.map((k) => [k.key, k.verdict])).toEqual([
      ['a', 'linearizable'],
      ['b', 'not-linearizable'],
    ]);
    expect(result.counterexamples.map((c) => c.key)).toEqual(['b']);
    expect(result.counterexamples[0].text).toContain('key "b" holds "w1"');
    expect(result.offendingOperations).toEqual([3]);
  });

  it('with stopAtFirstViolation false, reports every failing key', () => {
    const h = [put(0, 0, 1, 'a', '1'), get(1, 2, 3, 'a', ''), put(0, 4, 5, 'b', '1'), get(1, 6, 7, 'b', '')];
    const all = checkLinearizable(h, { stopAtFirstViolation: false });
    expect(all.counterexamples.map((c) => c.key)).toEqual(['a', 'b']);
    const first = checkLinearizable(h);
    expect(first.verdict).toBe('not-linearizable');
    expect(first.counterexamples.length).toBe(1);
  });

  it('compares kv values as strings, so put(5) is read back as "5" and a null get means ""', () => {
    expect(checkLinearizable([put(0, 0, 1, 'k', 5), get(1, 2, 3, 'k', '5')]).verdict).toBe('linearizable');
    expect(checkLinearizable([put(0, 0, 1, 'k', 5), get(1, 2, 3, 'k', 5)]).verdict).toBe('linearizable');
    const absent = { process: 0, call: 0, return: 1, input: { f: 'get', key: 'k' }, output: { value: null } };
    expect(checkLinearizable({ model: 'kv', operations: [absent] }).verdict).toBe('linearizable');
  });

  it('takes the OperationRecord shape that simulated clients record, extra fields and all', () => {
    const records: OperationRecord[] = [
      { process: 1, call: 10.5, return: 48.2, input: { f: 'put', key: 'user:42', value: 'mumbai', region: 'mumbai' }, output: { version: 3 } },
      { process: 2, call: 50, return: 61.7, input: { f: 'get', key: 'user:42' }, output: { value: 'mumbai', servedBy: 'delhi' } },
    ];
    const result = checkLinearizable(records);
    expect(result.model).toBe('kv');
    expect(result.verdict).toBe('linearizable');
  });

  it('lets a put that never returned be left out or take effect, per key', () => {
    const pending = put(0, 0, null, 'x', 'p');
    expect(checkLinearizable([pending, get(1, 5, 6, 'x', 'p')]).verdict).toBe('linearizable');
    expect(checkLinearizable([pending, get(1, 5, 6, 'x', '')]).verdict).toBe('linearizable');
    expect(checkLinearizable([pending, get(1, 5, 6, 'x', 'p'), get(1, 7, 8, 'x', '')]).verdict).toBe('not-linearizable');
  });
});
