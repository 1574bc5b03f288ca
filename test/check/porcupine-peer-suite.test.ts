// Proves that every one of Porcupine's 108 test histories gets Porcupine's verdict. The suite
// is read in place from ../shared/peer-data/porcupine and the test is skipped without it.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { checkValidatedHistory, parseHistory } from '../../lib/check';
import { peerData } from '../peer-data';

const suiteDir = peerData('porcupine');
const expectedFile = path.join(suiteDir, 'expected.txt');
const present = fs.existsSync(expectedFile);

const rows = present
  ? fs
      .readFileSync(expectedFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/))
  : [];

describe.skipIf(!present)("Porcupine's peer suite", () => {
  it('lists all 108 histories', () => {
    expect(rows).toHaveLength(108);
  });

  for (const [file, expected, operations] of rows) {
    it(`${file}: ${expected}`, () => {
      const history = parseHistory(fs.readFileSync(path.join(suiteDir, file), 'utf8'));
      expect(history.operations).toHaveLength(Number(operations));
      // A generous budget: the slowest file takes well under a second, so "unknown" is a failure.
      const result = checkValidatedHistory(history, { timeoutMs: 60_000 });
      expect(result.verdict).toBe(expected);
      if (expected === 'not-linearizable') {
        expect(result.counterexamples[0].blocked.length).toBeGreaterThan(0);
      }
    });
  }
});
