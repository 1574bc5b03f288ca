// Proves the search's compact memo: (1) it never confuses two different sets of linearized
// operations, even when their hashes collide; (2) on the long scaling histories it gives
// Porcupine's verdicts while its memo stays tens of megabytes where a full bitset per entry
// needed gigabytes (20,000 operations: 2.5 KB per entry before, a few words now).
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { checkValidatedHistory, parseHistory } from '../../lib/check';
import { LinearizedStateSet } from '../../lib/check/linearized-state-set';
import { peerData } from '../peer-data';

describe('LinearizedStateSet', () => {
  test('equal hashes, different sets: both kept; the same set twice: found', () => {
    const memo = new LinearizedStateSet(1 << 20);
    const a = new Uint32Array([0xffffffff, 0b0101, 0, 0]);
    const b = new Uint32Array([0xffffffff, 0b0110, 0, 0]);
    const c = new Uint32Array([0xffffffff, 0b0101, 0b1, 0]);
    // Forced collisions: the same bitset hash for all three.
    expect(memo.add(7, 3, a, 33, 1)).toBe(1);
    expect(memo.add(7, 3, b, 32, 1)).toBe(1);
    expect(memo.add(7, 3, c, 33, 2)).toBe(1);
    expect(memo.add(7, 4, a, 33, 1)).toBe(1); // another state
    expect(memo.add(7, 3, a.slice(), 33, 1)).toBe(0);
    expect(memo.add(7, 3, c.slice(), 33, 2)).toBe(0);
    expect(memo.size).toBe(4);
  });

  test('the budget is bytes: past it, add says -1 and stores nothing', () => {
    const memo = new LinearizedStateSet(28 * 2 + 4 * 2 + 20); // room for two one-word entries, not three
    const bits = new Uint32Array([1, 0]);
    expect(memo.add(1, 0, bits, 1, 0)).toBe(1);
    expect(memo.add(2, 0, bits, 1, 0)).toBe(1);
    expect(memo.add(3, 0, bits, 1, 0)).toBe(-1);
    expect(memo.size).toBe(2);
  });
});

const SCALING = peerData('scaling');
describe.skipIf(!fs.existsSync(SCALING))('long histories (../shared/peer-data/scaling)', () => {
  test.each([
    ['r5k-c10-stale.log', 'not-linearizable', 32],
    ['r20k-c10.log', 'linearizable', 16],
    ['r20k-c10-stale.log', 'not-linearizable', 128],
  ])('%s: %s, with a memo under %i MB', (file, verdict, memoMbMax) => {
    const result = checkValidatedHistory(parseHistory(fs.readFileSync(path.join(SCALING, file), 'utf8')), { timeoutMs: 120_000 });
    expect(result.verdict).toBe(verdict);
    expect(result.keys[0].memoBytes / 1048576).toBeLessThan(memoMbMax);
  }, 180_000);
});
