// Proves that an over-long search ends as the verdict "unknown" with the limit named, never a
// hang, and that bad options are rejected with the option, the value and what is allowed.
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../lib/check';
import { r, w } from './history-builders';

/** Many concurrent writes and reads that all overlap: a search space that explodes. */
function explosiveHistory(count: number) {
  const ops = [];
  for (let i = 0; i < count; i++) ops.push(w(i, 0, 100, i));
  for (let i = 0; i < count; i++) ops.push(r(count + i, 1, 100, (i * 7) % count));
  ops.push(r(2 * count, 101, 102, -1)); // never written: forces the search to try everything
  return { model: 'register' as const, operations: ops };
}

describe('search limits', () => {
  it('turns a search past its time budget into "unknown" and says which option', () => {
    let fakeNowMs = 0;
    // A fake clock that advances 1 ms per reading makes the time budget deterministic.
    const result = checkLinearizable(explosiveHistory(14), { timeoutMs: 50, now: () => fakeNowMs++ });
    expect(result.verdict).toBe('unknown');
    expect(result.unknownReason).toContain('timeoutMs');
    expect(result.summary).toContain('Unknown');
  });

  it('with timeoutMs 0 gives "unknown" at once, even for a tiny history', () => {
    const result = checkLinearizable({ model: 'register', operations: [w(0, 0, 1, 1)] }, { timeoutMs: 0 });
    expect(result.verdict).toBe('unknown');
  });

  it('stops after stepsMax search steps with verdict "unknown"', () => {
    const result = checkLinearizable(explosiveHistory(14), { stepsMax: 5000 });
    expect(result.verdict).toBe('unknown');
    expect(result.unknownReason).toContain('stepsMax');
    expect(result.keys[0].searchSteps).toBeLessThanOrEqual(5000);
  });

  it('stops when the memo outgrows memoBytesMax with verdict "unknown"', () => {
    const result = checkLinearizable(explosiveHistory(14), { memoBytesMax: 64 * 1024 });
    expect(result.verdict).toBe('unknown');
    expect(result.unknownReason).toContain('memoBytesMax');
  });

  it('still finds a cheap violation on one key while another key would explode', () => {
    const ops = [];
    for (let i = 0; i < 14; i++) ops.push({ process: i, call: 0, return: 100, input: { f: 'append', key: 'hard', value: String(i) }, output: {} });
    ops.push({ process: 20, call: 101, return: 102, input: { f: 'get', key: 'hard' }, output: { value: 'nope' } });
    ops.push({ process: 21, call: 0, return: 1, input: { f: 'put', key: 'easy', value: 'v' }, output: {} });
    ops.push({ process: 22, call: 2, return: 3, input: { f: 'get', key: 'easy' }, output: { value: '' } });
    const result = checkLinearizable({ model: 'kv', operations: ops }, { stepsMax: 10_000_000, timeoutMs: 60_000 });
    expect(result.verdict).toBe('not-linearizable');
    expect(result.counterexamples.map((c) => c.key)).toEqual(['easy']);
    const hard = result.keys.find((k) => k.key === 'hard');
    expect(hard?.verdict).toBe('unknown');
    expect(hard?.unknownReason).toContain('stopAtFirstViolation');
  });

  it('rejects bad options with the option name, the value and what is allowed', () => {
    const h = { model: 'register' as const, operations: [] };
    expect(() => checkLinearizable(h, { timeoutMs: -1 })).toThrow(/option "timeoutMs" is -1; allowed: a number ≥ 0/);
    expect(() => checkLinearizable(h, { equalTimes: 'sometimes' as never })).toThrow(/option "equalTimes" is "sometimes"; allowed/);
  });
});
