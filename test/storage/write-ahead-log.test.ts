import { describe, expect, it } from 'vitest';
import { Rng } from '../../lib/sim';
import { WriteAheadLog, crashWithTornWrite, walSegmentFiles } from '../../lib/storage';
import { bareNode } from './helpers';

type Rec = { n: number; pad?: string };

function appendAndFlush(wal: WriteAheadLog<Rec>, count: number, onDurable: () => void = () => undefined) {
  for (let i = 0; i < count; i++) {
    const lsn = wal.append({ n: wal.lastLsn + 1, pad: 'x'.repeat(40) });
    wal.flush(lsn, onDurable);
  }
}

describe('write-ahead log', () => {
  it('group commit: many commits waiting on one fsync share it', () => {
    const node = bareNode(1, 2);
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { groupCommit: true });
    let durable = 0;
    appendAndFlush(wal, 50, () => durable++);
    node.sim.run(100);
    expect(durable).toBe(50);
    // The first flush goes alone; everything appended while it ran shares the second.
    expect(wal.stats.fsyncs).toBe(2);
  });

  it('without group commit every commit pays its own fsync, one after another', () => {
    const node = bareNode(1, 2);
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { groupCommit: false });
    const doneAt: number[] = [];
    appendAndFlush(wal, 10, () => doneAt.push(node.sim.nowMs()));
    node.sim.run(100);
    expect(wal.stats.fsyncs).toBe(10);
    expect(doneAt[9]).toBeCloseTo(20, 6); // 10 fsyncs × 2 ms
  });

  it('a crash keeps exactly the fsynced frames, and reopening replays them in order', () => {
    const node = bareNode();
    const first = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 4 }).wal;
    appendAndFlush(first, 10);
    node.sim.run(10);
    first.append({ n: 11 }); // never flushed
    first.append({ n: 12 });
    first.flush(12, () => undefined); // written to the page cache, crash before the fsync completes
    node.crash();
    node.restart();
    const reopened = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 4 });
    expect(reopened.report.tailCut).toBeNull();
    expect(reopened.entries.map((e) => e.payload.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(reopened.wal.lastLsn).toBe(10);
    expect(reopened.report.segmentsRead).toBe(3);
  });

  it('recovery cuts a torn tail, never replays past it, and the log continues from the cut', () => {
    // Try seeds until the torn-write fault leaves part of a frame behind, then check recovery.
    let cuts = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const node = bareNode(seed);
      const wal = WriteAheadLog.open<Rec>(node.ctx(), { sectorChars: 32 }).wal;
      appendAndFlush(wal, 5);
      node.sim.run(5);
      for (let i = 0; i < 6; i++) wal.append({ n: 6 + i, pad: 'y'.repeat(50) });
      wal.flush(wal.lastLsn, () => undefined);
      const report = crashWithTornWrite(node.sim, 'node', { rng: new Rng(seed), damageProbability: 0.5 });
      expect(report.unsyncedChunks).toBeGreaterThan(0);
      node.restart();
      const reopened = WriteAheadLog.open<Rec>(node.ctx(), { sectorChars: 32 });
      const ns = reopened.entries.map((e) => e.payload.n);
      // Always a prefix of what was appended, and never less than what was durable.
      expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
      expect(ns.length).toBeGreaterThanOrEqual(5);
      if (!reopened.report.tailCut) continue;
      cuts++;
      expect(reopened.report.tailCut.lsn).toBe(ns.length + 1);
      expect(() => reopened.wal.append({ n: 99 })).toThrow(/syncCut/);
      let synced = false;
      reopened.wal.syncCut(() => (synced = true));
      node.sim.run(node.sim.nowMs() + 5);
      expect(synced).toBe(true);
      const lsn = reopened.wal.append({ n: ns.length + 1 });
      reopened.wal.flush(lsn, () => undefined);
      node.sim.run(node.sim.nowMs() + 5);
      node.crash();
      node.restart();
      const again = WriteAheadLog.open<Rec>(node.ctx(), { sectorChars: 32 });
      expect(again.report.tailCut).toBeNull();
      expect(again.entries.map((e) => e.payload.n)).toEqual(Array.from({ length: ns.length + 1 }, (_, i) => i + 1));
    }
    expect(cuts).toBeGreaterThan(5);
  });

  it('truncation empties whole segments before the given LSN but never the one being written', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    appendAndFlush(wal, 23);
    node.sim.run(10);
    expect(walSegmentFiles(node.ctx().disk, 'wal/')).toHaveLength(5);
    expect(wal.truncateBefore(12)).toBe(2); // segments 1-5 and 6-10 end before 12
    expect(wal.firstRetainedLsn).toBe(12);
    expect(() => wal.durableEntriesFrom(11, 5)).toThrow(/truncated/);
    expect(wal.truncateBefore(24)).toBe(2); // 11-15, 16-20; 21-23 is still being written
    node.ctx().fsync(() => undefined);
    node.sim.run(20);
    node.crash();
    node.restart();
    const reopened = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(reopened.report.firstLsn).toBe(21);
    expect(reopened.wal.lastLsn).toBe(23);
  });

  it('never reuses LSNs a checkpoint image covers, even when no frame after it survived', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    appendAndFlush(wal, 5);
    node.sim.run(5);
    wal.append({ n: 6 });
    wal.flush(6, () => undefined); // starts segment 6 in the page cache
    wal.truncateBefore(6); // a checkpoint at LSN 5 empties segment 1 ...
    node.crash(); // ... and the crash takes segment 6
    node.restart();
    const reopened = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 }, 6);
    expect(reopened.wal.lastLsn).toBe(5);
    reopened.wal.syncCut(() => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    expect(reopened.wal.append({ n: 6 })).toBe(6);
  });

  it('a standby appends frames under the primary LSNs and refuses a gap', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx());
    expect(wal.appendAt(1, { n: 1 })).toBe(1);
    expect(() => wal.appendAt(3, { n: 3 })).toThrow(/allowed: exactly the next LSN, 2/);
  });

  it('names the option and the allowed values for bad options', () => {
    const node = bareNode();
    expect(() => WriteAheadLog.open(node.ctx(), { sectorChars: 4 })).toThrow(/WAL sectorChars: got 4; allowed: an integer ≥ 32/);
    expect(() => WriteAheadLog.open(node.ctx(), { groupCommmit: true } as never)).toThrow(/unknown option "groupCommmit"/);
  });
});
