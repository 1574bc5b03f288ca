// Proves the register model's verdicts on hand-made histories a learner meets in the episode:
// stale reads, lost writes, a double-successful cas, and writes that never returned.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../lib/check';
import { cas, r, w } from './history-builders';

const register = (operations: ReturnType<typeof w>[]) => ({ model: 'register' as const, operations });

describe('register linearizability', () => {
  it('accepts a read that overlaps a write and sees either value', () => {
    const h = register([w(0, 0, 10, 1), r(1, 2, 4, 1), r(2, 3, 5, null)]);
    expect(checkLinearizable(h).verdict).toBe('linearizable');
  });

  it('accepts the empty history and a read of the initial null', () => {
    expect(checkLinearizable(register([])).verdict).toBe('linearizable');
    expect(checkLinearizable(register([r(0, 0, 1, null)])).verdict).toBe('linearizable');
  });

  it('rejects a stale read: the read began after the write returned but saw the old value', () => {
    const h = register([w(0, 0, 3, 1), r(1, 4, 5, null)]);
    const result = checkLinearizable(h);
    expect(result.verdict).toBe('not-linearizable');
    const c = result.counterexamples[0];
    expect(c.prefix.map((p) => p.index)).toEqual([0]);
    expect(c.stateAfterPrefix).toBe(1);
    expect(c.blocked.map((b) => b.index)).toEqual([1]);
    expect(c.blocked[0].reason).toContain('returned null, but the register holds 1');
    expect(result.offendingOperations).toEqual([1]);
  });

  it('rejects a lost write: a later read sees the value the write overwrote', () => {
    // write(1) completes, write(2) completes, then a read still sees 1.
    const h = register([w(0, 0, 1, 1), w(1, 2, 3, 2), r(2, 4, 5, 1)]);
    const result = checkLinearizable(h);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.offendingOperations).toEqual([2]);
  });

  it('rejects two cas(0→1) that both succeed, and accepts it when one fails', () => {
    const twice = register([w(0, 0, 1, 0), cas(1, 2, 5, 0, 1, true), cas(2, 3, 6, 0, 1, true)]);
    expect(checkLinearizable(twice).verdict).toBe('not-linearizable');
    const once = register([w(0, 0, 1, 0), cas(1, 2, 5, 0, 1, true), cas(2, 3, 6, 0, 1, false)]);
    expect(checkLinearizable(once).verdict).toBe('linearizable');
  });

  it('rejects a cas that reports failure although the register held its expected value throughout', () => {
    const h = register([w(0, 0, 1, 5), cas(1, 2, 3, 5, 6, false)]);
    const result = checkLinearizable(h);
    expect(result.verdict).toBe('not-linearizable');
    expect(result.counterexamples[0].blocked[0].reason).toContain('reported failure');
  });

  it('assumes a write that never returned took effect when a later read needs its value', () => {
    const h = register([w(0, 0, null, 7), r(1, 5, 6, 7)]);
    expect(checkLinearizable(h).verdict).toBe('linearizable');
  });

  it('assumes a write that never returned did NOT take effect when later reads need the old value', () => {
    const h = register([w(0, 0, 1, 1), w(1, 2, null, 7), r(2, 5, 6, 1), r(3, 7, 8, 1)]);
    const result = checkLinearizable(h);
    expect(result.verdict).toBe('linearizable');
    // The linearization leaves the pending write out, or places it after both reads.
    const order = result.keys[0].linearization as number[];
    expect(order.slice(0, 3)).toEqual([0, 2, 3]);
  });

  it('still rejects what no pending write can explain: reads of 7 then 1 then 7 again', () => {
    const h = register([w(0, 0, 1, 1), w(1, 2, null, 7), r(2, 5, 6, 7), r(3, 7, 8, 1)]);
    expect(checkLinearizable(h).verdict).toBe('not-linearizable');
  });

  it('lets a returned write with unknown outcome either take effect inside its interval or not at all', () => {
    const unknownWrite = { process: 1, call: 2, return: 4, input: { f: 'write' as const, value: 9 }, output: null };
    const tookEffect = register([w(0, 0, 1, 1), unknownWrite, r(2, 5, 6, 9)]);
    expect(checkLinearizable(tookEffect).verdict).toBe('linearizable');
    const didNot = register([w(0, 0, 1, 1), unknownWrite, r(2, 5, 6, 1)]);
    expect(checkLinearizable(didNot).verdict).toBe('linearizable');
    // But it cannot take effect after it returned: 1, then 9 seen only later, after a read of 1.
    const late = register([w(0, 0, 1, 1), unknownWrite, r(2, 5, 6, 1), r(3, 7, 8, 9)]);
    expect(checkLinearizable(late).verdict).toBe('not-linearizable');
  });

  it('treats a write with ok:false as one that definitely did not take effect', () => {
    const failed = { process: 1, call: 2, return: 3, input: { f: 'write' as const, value: 9 }, output: { ok: false } };
    expect(checkLinearizable(register([w(0, 0, 1, 1), failed, r(2, 5, 6, 9)])).verdict).toBe('not-linearizable');
    expect(checkLinearizable(register([w(0, 0, 1, 1), failed, r(2, 5, 6, 1)])).verdict).toBe('linearizable');
  });

  it('keeps register values typed: the number 1 is not the string "1"', () => {
    expect(checkLinearizable(register([w(0, 0, 1, 1), r(1, 2, 3, '1')])).verdict).toBe('not-linearizable');
  });

  it('orders a return and a call at the same time by option equalTimes', () => {
    // The read is called at 3, exactly when the write returns, and sees the old value.
    const h = register([w(0, 0, 3, 1), r(0, 3, 4, null)]);
    expect(checkLinearizable(h).verdict).toBe('linearizable');
    expect(checkLinearizable(h, { equalTimes: 'return-first' }).verdict).toBe('not-linearizable');
    // A zero-length operation still follows its own call under return-first.
    const zero = register([w(0, 3, 3, 1), r(1, 3, 3, 1)]);
    expect(checkLinearizable(zero, { equalTimes: 'return-first' }).verdict).toBe('linearizable');
  });

  it('accepts a bare array of records and infers the model from the operation names', () => {
    const result = checkLinearizable([w(0, 0, 1, 1), r(1, 2, 3, 1)]);
    expect(result.model).toBe('register');
    expect(result.verdict).toBe('linearizable');
  });
});
