// Proves the search's prunes keep doing their work. The prunes are exact (they never change a
// verdict), so the verdict tests cannot notice one that stops pruning: only the amount of search
// can. Search steps are deterministic (no clock involved), so each of Porcupine's 108 histories
// must be decided in at most its recorded step count plus 5 % (and 50 steps). A change that
// makes the search do less only needs the table rewritten:
//   UPDATE_SEARCH_STEPS=1 npx vitest run test/check/search-effort.test.ts
// The histories are read in place from shared/peer-data/porcupine (test/peer-data.ts finds it; skipped without it).
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { checkValidatedHistory, parseHistory } from '../../lib/check';
import { peerData } from '../peer-data';

const suiteDir = peerData('porcupine');
const expectedFile = path.join(suiteDir, 'expected.txt');
const fixture = path.join(__dirname, 'fixtures', 'porcupine-search-steps.json');
const present = fs.existsSync(expectedFile);
const update = process.env.UPDATE_SEARCH_STEPS === '1';

const files = present
  ? fs
      .readFileSync(expectedFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => l.trim().split(/\s+/)[0])
  : [];

function stepsFor(file: string): number {
  const history = parseHistory(fs.readFileSync(path.join(suiteDir, file), 'utf8'));
  const result = checkValidatedHistory(history, { timeoutMs: 60_000, now: () => 0 });
  return result.keys.reduce((sum, key) => sum + key.searchSteps, 0);
}

describe.skipIf(!present)("search effort on Porcupine's histories", () => {
  it('every history is decided within its recorded search steps (+5 %)', () => {
    const measured: Record<string, number> = {};
    for (const file of files) measured[file] = stepsFor(file);
    if (update) {
      fs.writeFileSync(fixture, `${JSON.stringify(measured, null, 1)}\n`);
      return;
    }
    const recorded = JSON.parse(fs.readFileSync(fixture, 'utf8')) as Record<string, number>;
    expect(Object.keys(recorded).sort()).toEqual([...files].sort());
    const over = files
      .filter((file) => measured[file] > Math.ceil(recorded[file] * 1.05) + 50)
      .map((file) => `${file}: ${measured[file]} steps, recorded ${recorded[file]}`);
    expect(over, 'the search did more work than recorded: a prune stopped pruning?').toEqual([]);
  }, 120_000);
});
