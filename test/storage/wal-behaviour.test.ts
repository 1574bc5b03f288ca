// Proves the WAL's bookkeeping that mutation testing (npm run test:mutation -- wal) found
// unchecked: which files are segments, the limits (retained frames, waiters, the largest LSN),
// flush order and durability times, entry lookups at the edges, and the statistics.
import { describe, expect, it } from 'vitest';
import { LimitExceededError } from '../../lib/sim';
import { WriteAheadLog, walSegmentFiles } from '../../lib/storage';
import { LSN_MAX } from '../../lib/storage/wal-frame';
import { bareNode } from './helpers';

type Rec = { n: number };

describe('walSegmentFiles', () => {
  it('lists only prefix + hex names, in numeric LSN order', () => {
    const node = bareNode();
    const disk = node.ctx().disk;
    for (const name of ['wal/10', 'wal/9', 'wal/a', 'wal/x1', 'wal/1x', 'wal/', 'walx/1', 'other', 'log/00ff']) disk.put(name, 'x');
    expect(walSegmentFiles(disk, 'wal/')).toEqual([
      { name: 'wal/9', startLsn: 9 },
      { name: 'wal/a', startLsn: 10 },
      { name: 'wal/10', startLsn: 16 },
    ]);
  });
});

describe('limits', () => {
  it('maxRetainedFrames: the frame past the limit is refused with LimitExceededError', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { maxRetainedFrames: 3 });
    for (let i = 1; i <= 3; i++) wal.append({ n: i });
    expect(() => wal.append({ n: 4 })).toThrow(LimitExceededError);
    expect(() => wal.append({ n: 4 })).toThrow(/maxRetainedFrames = 3/);
    expect(wal.lastLsn).toBe(3);
  });

  it('maxWaiters: the waiter past the limit is refused; exactly the limit is allowed', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { maxWaiters: 2, groupCommit: false });
    for (let i = 1; i <= 4; i++) wal.append({ n: i });
    wal.flush(1, () => undefined); // in flight, still a waiter
    wal.flush(2, () => undefined);
    expect(() => wal.flush(3, () => undefined)).toThrow(/2 flush requests are waiting for fsync, its limit \(maxWaiters\)/);
  });

  it('maxWaiters counts only the requests still waiting, not those already woken', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { maxWaiters: 2, groupCommit: false });
    for (let i = 1; i <= 4; i++) wal.append({ n: i });
    wal.flush(1, () => undefined);
    node.sim.run(5);
    wal.flush(2, () => undefined);
    wal.flush(3, () => undefined);
    expect(() => wal.flush(4, () => undefined)).toThrow(/maxWaiters/);
  });

  it('the largest LSN is usable, the one after it is refused with LimitExceededError', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), {}, LSN_MAX);
    wal.syncCut(() => undefined);
    node.sim.run(5);
    expect(wal.append({ n: 1 })).toBe(LSN_MAX);
    expect(() => wal.append({ n: 2 })).toThrow(LimitExceededError);
  });

  it('flush past the last LSN is refused', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx());
    wal.append({ n: 1 });
    expect(() => wal.flush(2, () => undefined)).toThrow(/flush up to LSN 2, but the last LSN appended is 1/);
  });
});

describe('flush order and durability', () => {
  it('flushing what is already durable calls back at once; syncCut with no cut too', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx());
    let synced = false;
    wal.syncCut(() => (synced = true));
    expect(synced).toBe(true);
    wal.flush(wal.append({ n: 1 }), () => undefined);
    node.sim.run(5);
    let called = false;
    wal.flush(1, () => (called = true));
    expect(called).toBe(true);
  });

  it('waiters are woken in LSN order, and equal LSNs in request order, each once', () => {
    const node = bareNode(1, 2);
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { groupCommit: false });
    for (let i = 1; i <= 6; i++) wal.append({ n: i });
    const woken: string[] = [];
    wal.flush(5, () => woken.push('5'));
    wal.flush(3, () => woken.push('3a'));
    wal.flush(3, () => woken.push('3b'));
    wal.flush(6, () => woken.push('6'));
    node.sim.run(50);
    // The fsync for 5 was in flight first; the requests for 3 it also covers are woken before 5.
    expect(woken).toEqual(['3a', '3b', '5', '6']);
    expect(wal.stats.fsyncs).toBe(2);
    const second = bareNode(1, 2);
    const log2 = WriteAheadLog.open<Rec>(second.ctx(), { groupCommit: false }).wal;
    for (let i = 1; i <= 6; i++) log2.append({ n: i });
    log2.flush(1, () => woken.push('1'));
    log2.flush(5, () => woken.push('5'));
    log2.flush(3, () => woken.push('3a'));
    log2.flush(3, () => woken.push('3b'));
    woken.length = 0;
    second.sim.run(50);
    expect(woken).toEqual(['1', '3a', '3b', '5']);
    expect(log2.stats.fsyncs).toBe(3);
  });

  it('each entry records when it became durable, also after truncation', () => {
    const node = bareNode(1, 2);
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 2 });
    wal.flush(wal.append({ n: 1 }), () => undefined);
    node.sim.run(10);
    expect(Number.isNaN(wal.entry(2)?.durableAtMs ?? 0)).toBe(false); // no entry 2 yet: undefined
    expect(wal.entry(2)).toBeUndefined();
    expect(wal.entry(1)?.durableAtMs).toBe(2);
    wal.append({ n: 2 });
    wal.append({ n: 3 });
    expect(Number.isNaN(wal.entry(3)?.durableAtMs)).toBe(true);
    wal.flush(3, () => undefined);
    node.sim.run(20);
    expect(wal.durableEntriesFrom(1, 10).map((e) => [e.lsn, e.durableAtMs])).toEqual([[1, 2], [2, 12], [3, 12]]);
    wal.truncateBefore(3);
    wal.append({ n: 4 });
    wal.append({ n: 5 });
    wal.flush(5, () => undefined);
    node.sim.run(30);
    expect(wal.durableEntriesFrom(3, 10).map((e) => [e.lsn, e.payload.n, e.durableAtMs])).toEqual([[3, 3, 12], [4, 4, 22], [5, 5, 22]]);
    expect(wal.durableEntriesFrom(3, 2).map((e) => e.lsn)).toEqual([3, 4]);
    expect(wal.entry(5)?.payload.n).toBe(5);
    expect(wal.entry(6)).toBeUndefined();
    expect(wal.entry(2)).toBeUndefined();
  });

  it('entries replayed at open have no durability time (NaN)', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx());
    wal.flush(wal.append({ n: 1 }), () => undefined);
    node.sim.run(5);
    const reopened = WriteAheadLog.open<Rec>(node.ctx()).wal;
    expect(Number.isNaN(reopened.entry(1)?.durableAtMs)).toBe(true);
  });

  it('truncating before an LSN already truncated changes nothing', () => {
    const node = bareNode();
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 2 });
    for (let i = 1; i <= 6; i++) wal.flush(wal.append({ n: i }), () => undefined);
    node.sim.run(10);
    wal.truncateBefore(4);
    wal.truncateBefore(2);
    expect(wal.firstRetainedLsn).toBe(4);
    expect(wal.retainedFrames).toBe(3);
    expect(wal.entry(4)?.payload.n).toBe(4);
    expect(wal.entry(6)?.payload.n).toBe(6);
  });
});

describe('statistics', () => {
  it('counts frames, characters, chunks and the largest group exactly; sizeChars matches the disk', () => {
    const node = bareNode(1, 2);
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { sectorChars: 32, segmentFrames: 4 });
    wal.flush(wal.append({ n: 1 }), () => undefined); // alone in the first fsync
    for (let i = 2; i <= 6; i++) wal.flush(wal.append({ n: i }), () => undefined); // one group of 5
    wal.flush(6, () => undefined);
    node.sim.run(20);
    wal.flush(wal.append({ n: 7 }), () => undefined); // a group of 1 does not lower the largest
    node.sim.run(40);
    const onDisk = walSegmentFiles(node.ctx().disk, 'wal/').map((f) => (node.ctx().disk.read(f.name) as string[]));
    const chars = onDisk.reduce((sum, chunks) => sum + chunks.join('').length, 0);
    const chunkCount = onDisk.reduce((sum, chunks) => sum + chunks.length, 0);
    expect(wal.stats).toMatchObject({ framesAppended: 7, framesFlushed: 7, fsyncs: 3, largestGroupFrames: 5, chunksWritten: chunkCount, charsAppended: chars });
    expect(wal.sizeChars).toBe(chars);
    expect(chars).toBeGreaterThan(0);
  });

  it('thousands of waiters and frames: each waiter is woken exactly once, in order, and every frame lands on disk once', () => {
    const node = bareNode(1, 1);
    const { wal } = WriteAheadLog.open<Rec>(node.ctx(), { groupCommit: false, segmentFrames: 100_000 });
    const woken: number[] = [];
    const durable: number[] = [];
    wal.onDurable((lsn) => durable.push(lsn));
    for (let i = 1; i <= 3000; i++) {
      const lsn = wal.append({ n: i });
      wal.flush(lsn, () => woken.push(lsn));
    }
    node.sim.run(10_000);
    expect(woken).toHaveLength(3000);
    expect(woken.every((lsn, i) => lsn === i + 1)).toBe(true);
    expect(durable).toHaveLength(3000);
    expect(durable[2999]).toBe(3000);
    const reopened = WriteAheadLog.open<Rec>(node.ctx(), { segmentFrames: 100_000 });
    expect(reopened.entries).toHaveLength(3000);
    expect(reopened.entries.every((e, i) => e.payload.n === i + 1)).toBe(true);
  });
});
