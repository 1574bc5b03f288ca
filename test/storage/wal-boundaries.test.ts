// Proves the WAL's boundary properties that mutation testing (npm run test:mutation -- wal /
// recovery) found unchecked: truncation keeps a segment that ends exactly at the checkpoint LSN
// and never drops frames that are not durable; recovery never replays past a torn frame or a
// missing segment; and the LSNs after opening from a checkpoint image are exact.
import { describe, expect, it } from 'vitest';
import { WriteAheadLog, walSegmentFiles } from '../../lib/storage';
import { bareNode } from './helpers';

type Rec = { n: number };

/** A node whose WAL holds LSNs 1..count, all durable, in segments of `segmentFrames`. */
function durableLog(count: number, segmentFrames = 5) {
  const node = bareNode();
  const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames });
  for (let i = 1; i <= count; i++) wal.flush(wal.append({ n: i }), () => undefined);
  node.sim.run(node.sim.nowMs() + 20);
  expect(wal.durableLsn).toBe(count);
  return { node, wal };
}

/** Makes every disk change so far durable, crashes and restarts the node. */
function syncAndCrash(node: ReturnType<typeof bareNode>) {
  node.ctx().fsync(() => undefined);
  node.sim.run(node.sim.nowMs() + 10);
  node.crash();
  node.restart();
}

const segmentName = (startLsn: number) => `wal/${startLsn.toString(16).padStart(12, '0')}`;
const segmentText = (node: ReturnType<typeof bareNode>, startLsn: number) => (node.ctx().disk.read(segmentName(startLsn)) as string[]).join('');

/** A segment's text split into its frames: header (LSN 12, length 8, CRC 8 characters) + body. */
function framesOf(text: string): string[] {
  const frames: string[] = [];
  for (let rest = text; rest.length > 0; ) {
    const size = 28 + parseInt(rest.slice(12, 20), 16);
    frames.push(rest.slice(0, size));
    rest = rest.slice(size);
  }
  return frames;
}

describe('truncateBefore keeps every frame at or after the checkpoint LSN', () => {
  it('a segment whose last frame is exactly the LSN is kept (the frame survives a crash and reopening)', () => {
    const { node, wal } = durableLog(23);
    expect(wal.truncateBefore(10)).toBe(1); // only 1–5 ends before 10; 6–10 ends AT 10
    expect(wal.firstRetainedLsn).toBe(10);
    expect(wal.entry(10)?.payload.n).toBe(10);
    expect(wal.entry(9)).toBeUndefined();
    syncAndCrash(node);
    const reopened = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(reopened.report.firstLsn).toBe(6);
    expect(reopened.entries.map((e) => e.payload.n)).toContain(10);
    expect(reopened.wal.lastLsn).toBe(23);
  });

  it('truncating just past a segment’s last frame empties it', () => {
    const { wal } = durableLog(23);
    expect(wal.truncateBefore(11)).toBe(2);
    expect(wal.truncateBefore(11)).toBe(0);
    expect(wal.segmentCount).toBe(3);
  });

  it('only durable frames may be truncated: up to durableLsn + 1 is allowed, one more is refused', () => {
    const { wal } = durableLog(10);
    wal.append({ n: 11 });
    wal.append({ n: 12 });
    expect(() => wal.truncateBefore(12)).toThrow(/not durable \(durable up to 10\)/);
    expect(wal.entry(11)?.payload.n).toBe(11);
    expect(wal.firstRetainedLsn).toBe(1);
    expect(wal.truncateBefore(11)).toBe(1); // 1–5 emptied; 6–10 is the segment being written
    expect(wal.firstRetainedLsn).toBe(11);
    expect(wal.retainedFrames).toBe(2);
  });

  it('truncating beyond the last LSN keeps the position: the next append still gets the next LSN', () => {
    const { wal } = durableLog(5);
    wal.truncateBefore(6);
    expect(wal.firstRetainedLsn).toBe(6);
    expect(wal.retainedFrames).toBe(0);
    expect(wal.append({ n: 6 })).toBe(6);
    expect(wal.entry(6)?.payload.n).toBe(6);
  });
});

describe('recovery stops at the first bad frame or missing segment', () => {
  it('a corrupt frame in a middle segment: later segments are discarded, never replayed', () => {
    const { node } = durableLog(15);
    // Flip one character in the body of LSN 8 (the third frame of the 6–10 segment).
    const frames = framesOf(segmentText(node, 6));
    const bad = frames[2];
    frames[2] = bad.slice(0, bad.length - 2) + (bad[bad.length - 2] === '1' ? '2' : '1') + bad.slice(-1);
    node.ctx().disk.overwrite(segmentName(6), [frames.join('')]);
    const lastSegmentChars = segmentText(node, 11).length;
    const reopened = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(reopened.entries.map((e) => e.payload.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(reopened.report.tailCut).toMatchObject({ segment: segmentName(6), lsn: 8, reason: 'checksum-mismatch' });
    expect(reopened.report.tailCut?.discardedChars).toBe(frames[2].length + frames[3].length + frames[4].length + lastSegmentChars);
    expect(segmentText(node, 11)).toBe('');
    expect(reopened.wal.lastLsn).toBe(7);
    expect(() => reopened.wal.append({ n: 8 })).toThrow(/syncCut/);
  });

  it('a missing middle segment: the log ends before the gap and the segment after it is emptied', () => {
    const { node } = durableLog(15);
    const lastSegmentChars = segmentText(node, 11).length;
    node.ctx().disk.overwrite(segmentName(6), []);
    const reopened = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(reopened.entries.map((e) => e.payload.n)).toEqual([1, 2, 3, 4, 5]);
    expect(reopened.report.tailCut).toEqual({ segment: segmentName(11), lsn: 6, reason: 'segment-gap', discardedChars: lastSegmentChars });
    expect(reopened.report.segmentsRead).toBe(2);
    expect(segmentText(node, 11)).toBe('');
    expect(reopened.wal.lastLsn).toBe(5);
    let synced = false;
    reopened.wal.syncCut(() => (synced = true));
    node.sim.run(node.sim.nowMs() + 5);
    expect(synced).toBe(true);
    expect(reopened.wal.append({ n: 6 })).toBe(6);
    reopened.wal.flush(reopened.wal.append({ n: 7 }), () => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    // The log continues in the (empty) segment file at LSN 6; the emptied one at 11 stays out of it.
    const second = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(second.entries.map((e) => e.lsn)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(second.report.tailCut).toBeNull();
    second.wal.flush(second.wal.append({ n: 8 }), () => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    const third = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(third.entries.map((e) => e.lsn)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(third.report.tailCut).toBeNull();
  });
});

describe('exact LSNs after opening from a checkpoint image', () => {
  it('after truncation the reopened log starts at the first retained LSN, and its entries are addressable', () => {
    const { node, wal } = durableLog(23);
    wal.truncateBefore(21);
    syncAndCrash(node);
    const { wal: reopened, report } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 }, 21);
    expect(report).toMatchObject({ firstLsn: 21, lastLsn: 23, tailCut: null });
    expect(reopened.firstRetainedLsn).toBe(21);
    expect(reopened.entry(21)?.payload.n).toBe(21);
    expect(reopened.entry(23)?.payload.n).toBe(23);
    expect(reopened.durableEntriesFrom(21, 10).map((e) => e.lsn)).toEqual([21, 22, 23]);
    expect(reopened.awaitingCutSync).toBe(false);
    expect(reopened.append({ n: 24 })).toBe(24);
  });

  it('an image newer than everything on disk: the log continues exactly at the image LSN + 1, after a sync', () => {
    const { node } = durableLog(7);
    const { wal, report, entries } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 }, 9);
    expect(entries).toEqual([]);
    expect(report).toMatchObject({ firstLsn: 0, lastLsn: 8 });
    expect(wal.lastLsn).toBe(8);
    expect(wal.durableLsn).toBe(8);
    expect(wal.firstRetainedLsn).toBe(9);
    // The old segments are emptied; that must be durable before anything is appended.
    expect(walSegmentFiles(node.ctx().disk, 'wal/').map((f) => segmentText(node, f.startLsn))).toEqual(['', '']);
    expect(wal.awaitingCutSync).toBe(true);
    expect(() => wal.append({ n: 9 })).toThrow(/syncCut/);
    wal.syncCut(() => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    expect(wal.append({ n: 9 })).toBe(9);
    expect(wal.entry(9)?.payload.n).toBe(9);
  });

  it('an image at the last LSN on disk (continueFromLsn = last + 1) changes nothing', () => {
    const { node } = durableLog(7);
    const { wal, entries } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 }, 8);
    expect(entries.map((e) => e.lsn)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(wal.awaitingCutSync).toBe(false);
    expect(wal.append({ n: 8 })).toBe(8);
  });

  it('an empty disk with no image starts at LSN 1', () => {
    const node = bareNode();
    const { wal, report } = WriteAheadLog.open<Rec>(node.ctx());
    expect(report).toMatchObject({ firstLsn: 0, lastLsn: 0, segmentsRead: 0 });
    expect(wal.firstRetainedLsn).toBe(1);
    expect(wal.awaitingCutSync).toBe(false);
    expect(wal.append({ n: 1 })).toBe(1);
  });
});

describe('what recovery reports and keeps', () => {
  it('counts the segments, frames and characters it read', () => {
    const { node } = durableLog(12);
    const chars = walSegmentFiles(node.ctx().disk, 'wal/').reduce((sum, f) => sum + segmentText(node, f.startLsn).length, 0);
    const { report, wal } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(report).toMatchObject({ segmentsRead: 3, framesRead: 12, charsRead: chars, firstLsn: 1, lastLsn: 12, tailCut: null });
    expect(wal.sizeChars).toBe(chars);
    expect(wal.writtenLsn).toBe(12);
    expect(wal.durableLsn).toBe(12);
    expect(wal.segmentCount).toBe(3);
  });

  it('segments a checkpoint emptied are not brought back: the next truncation empties only what it should', () => {
    const { node, wal } = durableLog(23);
    expect(wal.truncateBefore(11)).toBe(2);
    syncAndCrash(node);
    const reopened = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 }, 11);
    expect(reopened.report.firstLsn).toBe(11);
    expect(reopened.wal.segmentCount).toBe(3);
    expect(reopened.wal.truncateBefore(16)).toBe(1);
  });

  it('a bad first frame of a segment leaves that segment empty: it is not counted, and the log continues in it', () => {
    const { node } = durableLog(15);
    const text = segmentText(node, 11);
    node.ctx().disk.overwrite(segmentName(11), ['zz' + text.slice(2)]);
    const { wal, report } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(report.tailCut).toMatchObject({ segment: segmentName(11), lsn: 11, reason: 'bad-header' });
    expect(wal.lastLsn).toBe(10);
    expect(wal.segmentCount).toBe(2);
    wal.syncCut(() => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    wal.flush(wal.append({ n: 11 }), () => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    expect(wal.segmentCount).toBe(3);
    const again = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(again.entries.map((e) => e.lsn)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(again.report.tailCut).toBeNull();
  });

  it('after a crash, the empty segment a cut left at the next LSN is where the log continues: a checkpoint can empty every older segment', () => {
    const { node } = durableLog(15);
    const text = segmentText(node, 11);
    node.ctx().disk.overwrite(segmentName(11), ['zz' + text.slice(2)]);
    const first = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    first.wal.syncCut(() => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    syncAndCrash(node);
    // The disk now holds 1–5, 6–10 and an empty segment file at 11, the next LSN.
    expect(segmentText(node, 11)).toBe('');
    const { wal, report } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(report).toMatchObject({ lastLsn: 10, tailCut: null, segmentsRead: 2 });
    // A checkpoint covering 1–10: both full segments go, the (empty) segment being written stays.
    expect(wal.truncateBefore(11)).toBe(2);
    expect(segmentText(node, 1)).toBe('');
    expect(segmentText(node, 6)).toBe('');
    wal.flush(wal.append({ n: 11 }), () => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    const again = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 }, 11);
    expect(again.entries.map((e) => e.lsn)).toEqual([11]);
  });

  it('an emptied segment beyond the next LSN is not where the log continues: later appends keep their LSNs across reopening', () => {
    const { node } = durableLog(15);
    // Truncate the 6–10 segment after LSN 7 (a torn tail): the first open cuts there and empties 11–15.
    const [six, seven] = framesOf(segmentText(node, 6));
    node.ctx().disk.overwrite(segmentName(6), [six + seven + 'torn']);
    const first = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(first.wal.lastLsn).toBe(7);
    first.wal.syncCut(() => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    syncAndCrash(node);
    expect(segmentText(node, 11)).toBe('');
    const second = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(second.wal.segmentCount).toBe(2);
    second.wal.flush(second.wal.append({ n: 8 }), () => undefined);
    node.sim.run(node.sim.nowMs() + 5);
    const third = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 5 });
    expect(third.entries.map((e) => e.lsn)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(third.report.tailCut).toBeNull();
  });

  it('names the option and what is allowed for every bad option', () => {
    const node = bareNode();
    const open = (options: object) => () => WriteAheadLog.open(node.ctx(), options as never);
    expect(open({ segmentFrames: 2.5 })).toThrow(/WAL segmentFrames: got 2.5; allowed: an integer ≥ 1/);
    expect(open({ segmentFrames: 0 })).toThrow(/WAL segmentFrames/);
    expect(open({ maxRetainedFrames: 1.5 })).toThrow(/WAL maxRetainedFrames: got 1.5/);
    expect(open({ maxRetainedFrames: 0 })).toThrow(/WAL maxRetainedFrames/);
    expect(open({ maxWaiters: 3.5 })).toThrow(/WAL maxWaiters: got 3.5/);
    expect(open({ maxWaiters: 0 })).toThrow(/WAL maxWaiters/);
    expect(open({ prefix: '' })).toThrow(/WAL prefix: got ""; allowed: a non-empty string/);
    expect(open({ prefix: 7 })).toThrow(/WAL prefix: got 7/);
    expect(open({ groupCommit: 'yes' })).toThrow(/WAL groupCommit: got "yes"; allowed: true \| false/);
  });
});
