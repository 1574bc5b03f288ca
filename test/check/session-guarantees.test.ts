// Proves read-your-writes and monotonic reads per client and key, using the versions the
// system reports, and the precise error when a history has no versions.
import { describe, expect, it } from 'vitest';
import { checkSessionGuarantees, HistoryInputError } from '../../lib/check';

const put = (process: number, call: number, ret: number, key: string, value: string, version: number) => ({
  process, call, return: ret, input: { f: 'put', key, value }, output: { version },
});
const get = (process: number, call: number, ret: number, key: string, value: string, version: number) => ({
  process, call, return: ret, input: { f: 'get', key }, output: { value, version },
});

describe('session guarantees', () => {
  it('hold when every client sees its own writes and never goes back', () => {
    const h = { model: 'kv', operations: [put(0, 0, 5, 'x', 'a', 1), get(0, 5, 6, 'x', 'a', 1), get(1, 0, 1, 'x', '', 0), get(1, 7, 8, 'x', 'a', 1)] };
    const result = checkSessionGuarantees(h);
    expect(result.ok).toBe(true);
    expect(result.checkedOperationCount).toBe(4);
  });

  it('report a read-your-writes violation as the pair (the write, the read that missed it)', () => {
    // Client 0 writes x at LSN 7, then reads from a lagging follower that has applied only LSN 3.
    const h = { model: 'kv', operations: [put(0, 0, 5, 'x', 'new', 7), get(0, 5, 6, 'x', 'old', 3)] };
    const result = checkSessionGuarantees(h);
    expect(result.ok).toBe(false);
    expect(result.readYourWrites.violations).toEqual([
      expect.objectContaining({ guarantee: 'read-your-writes', process: 0, key: 'x', earlierIndex: 0, earlierVersion: 7, readIndex: 1, readVersion: 3 }),
    ]);
    expect(result.readYourWrites.violations[0].explanation).toContain('did not see its own write');
    expect(result.monotonicReads.ok).toBe(true);
  });

  it('report a monotonic-reads violation as the pair (the newer read, the older read after it)', () => {
    const h = { model: 'kv', operations: [get(2, 0, 1, 'x', 'v9', 9), get(2, 2, 3, 'x', 'v4', 4), get(2, 4, 5, 'y', '', 0)] };
    const result = checkSessionGuarantees(h);
    expect(result.monotonicReads.violations.map((v) => [v.earlierIndex, v.readIndex, v.earlierVersion, v.readVersion])).toEqual([[0, 1, 9, 4]]);
    expect(result.readYourWrites.ok).toBe(true);
  });

  it('compare only within one client and one key, and only with operations that returned before the read began', () => {
    const h = {
      model: 'kv',
      operations: [
        put(0, 0, 1, 'x', 'a', 5),
        get(1, 2, 3, 'x', '', 0), // another client: not a session violation
        get(0, 2, 3, 'y', '', 0), // another key
        put(0, 10, 20, 'z', 'a', 8),
        get(0, 12, 13, 'z', '', 0), // overlaps its own write (a pipelining client): not "after" it
      ],
    };
    expect(checkSessionGuarantees(h).ok).toBe(true);
  });

  it('count a successful cas as a write on a register', () => {
    const h = {
      model: 'register',
      operations: [
        { process: 0, call: 0, return: 1, input: { f: 'cas', from: null, to: 1 }, output: { ok: true, version: 2 } },
        { process: 0, call: 2, return: 3, input: { f: 'read' }, output: { value: null, version: 0 } },
      ],
    };
    const result = checkSessionGuarantees(h);
    expect(result.readYourWrites.violationCount).toBe(1);
    expect(result.readYourWrites.violations[0].key).toBeNull();
  });

  it('refuse a history without versions, naming the operation and what is needed', () => {
    const h = { model: 'kv', operations: [{ process: 0, call: 0, return: 1, input: { f: 'get', key: 'x' }, output: { value: '' } }] };
    expect(() => checkSessionGuarantees(h)).toThrow(HistoryInputError);
    expect(() => checkSessionGuarantees(h)).toThrow(/operation 0 \(client 0, get\("x"\) → ""\) has output \{"value":""\} without "version"/);
  });

  it('ignore operations that never returned or failed, which carry no version', () => {
    const h = {
      model: 'kv',
      operations: [
        { process: 0, call: 0, return: null, input: { f: 'put', key: 'x', value: 'a' }, output: null },
        { process: 0, call: 0, return: 1, input: { f: 'get', key: 'x' }, output: { ok: false } },
        get(1, 0, 1, 'x', '', 0),
      ],
    };
    expect(checkSessionGuarantees(h).ok).toBe(true);
  });
});
