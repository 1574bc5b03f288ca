// Proves the two knobs notebook 05's exercises 1 and 5 turn: without group commit every commit
// waits for an fsync of its own (more fsyncs per commit, slower commits, fewer committed at a
// load near the disk's limit); and crashAtRandomPoints writes its WAL in the sector size it is
// given, with every recovery still keeping every acknowledged transfer.
import { describe, expect, test } from 'vitest';
import { crashAtRandomPoints, groupCommitExperiment } from '../../../lib/lessons/05-banking-acid';

describe('group commit on and off', () => {
  const [on, off] = groupCommitExperiment({ seed: 41, ratePerSecPerClient: 400, durationMs: 1500 });

  test('the same offered load both ways; group commit shares fsyncs, so it needs fewer per commit', () => {
    expect(on.groupCommit).toBe(true);
    expect(off.groupCommit).toBe(false);
    expect(on.transfers).toBe(off.transfers);
    expect(on.fsyncs / on.committed).toBeLessThan(off.fsyncs / off.committed);
    // Without group commit a commit never shares its fsync: at least one fsync per commit.
    expect(off.fsyncs).toBeGreaterThanOrEqual(off.committed);
  });

  test('without group commit, commits wait in line for the disk: slower, and fewer of them', () => {
    expect(off.commitLatencyMsP50 as number).toBeGreaterThan(on.commitLatencyMsP50 as number);
    expect(off.commitLatencyMsP99 as number).toBeGreaterThan(on.commitLatencyMsP99 as number);
    expect(off.committed).toBeLessThan(on.committed);
    expect(on.committedPerSec).toBeCloseTo(on.committed / 1.5, 6);
  });

  test('bad options are refused with the option named', () => {
    expect(() => groupCommitExperiment({ seed: 1, ratePerSecPerClient: 0 })).toThrow(/ratePerSecPerClient/);
    expect(() => groupCommitExperiment({ seed: 1, durationMs: 10 })).toThrow(/durationMs/);
  });
});

describe('crashAtRandomPoints with a chosen WAL sector size', () => {
  test('32-character sectors: recoveries still cut torn tails and keep every acknowledged transfer', () => {
    const rows = crashAtRandomPoints({ seed: 41, crashes: 6, runMs: 3000, sectorChars: 32 });
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row.acknowledgedMissing, `crash ${row.crash}`).toBe(0);
      expect(row.invariantsHold, `crash ${row.crash}`).toBe(true);
    }
  });

  test('the sector size reaches the WAL: the same seed tears differently with 32 and 128 characters', () => {
    const tails = (sectorChars: number) => crashAtRandomPoints({ seed: 41, crashes: 12, runMs: 6000, sectorChars }).map((r) => r.walTail);
    expect(tails(32)).not.toEqual(tails(128));
    expect(() => crashAtRandomPoints({ seed: 41, sectorChars: 4 })).toThrow(/sectorChars/);
  });
});
