// Proves the replication log keeps LSNs consecutive and epochs monotone, survives a crash only up to its last fsync, and that logs are compared by epoch ranges.
import { describe, expect, it } from 'vitest';
import { SimDisk } from '../../../lib/sim';
import { isAtLeastAsUpToDate, lastCommonLsn, LogEntry, ReplicationLog } from '../../../lib/strategies/leader-follower';

const put = (lsn: number, epoch: number, value = `v${lsn}`): LogEntry => ({ lsn, epoch, op: { f: 'put', key: 'k', value }, writeId: `w${lsn}e${epoch}` });

describe('ReplicationLog', () => {
  it('appends with consecutive LSNs and tracks epoch segments and write ids', () => {
    const log = ReplicationLog.load(new SimDisk(), 100);
    [put(1, 1), put(2, 1), put(3, 2), put(4, 2), put(5, 4)].forEach((e) => log.append(e));
    expect(log.lastLsn).toBe(5);
    expect(log.lastEpoch).toBe(4);
    expect(log.epochSegments()).toEqual([
      { epoch: 1, firstLsn: 1 },
      { epoch: 2, firstLsn: 3 },
      { epoch: 4, firstLsn: 5 },
    ]);
    expect(log.epochAt(4)).toBe(2);
    expect(log.epochAt(0)).toBe(0);
    expect(log.lsnOfWrite('w3e2')).toBe(3);
  });

  it('rejects a gap in LSNs and an epoch that goes back', () => {
    const log = ReplicationLog.load(new SimDisk(), 100);
    log.append(put(1, 2));
    expect(() => log.append(put(3, 2))).toThrow(/LSNs must be consecutive/);
    expect(() => log.append(put(2, 1))).toThrow(/epochs never go back/);
  });

  it('throws a LimitExceededError past maxLogRecords', () => {
    const log = ReplicationLog.load(new SimDisk(), 2);
    log.append(put(1, 1));
    log.append(put(2, 1));
    expect(() => log.append(put(3, 1))).toThrow(/maxLogRecords = 2/);
  });

  it('truncation drops the suffix, its segments and write ids', () => {
    const log = ReplicationLog.load(new SimDisk(), 100);
    [put(1, 1), put(2, 1), put(3, 2), put(4, 2)].forEach((e) => log.append(e));
    const dropped = log.truncateAfter(2);
    expect(dropped.map((e) => e.lsn)).toEqual([3, 4]);
    expect(log.lastLsn).toBe(2);
    expect(log.epochSegments()).toEqual([{ epoch: 1, firstLsn: 1 }]);
    expect(log.lsnOfWrite('w3e2')).toBeUndefined();
    log.append(put(3, 3));
    expect(log.lastEpoch).toBe(3);
  });

  it('a crash keeps only the fsynced entries: reloading reads the durable file', () => {
    const disk = new SimDisk();
    const log = ReplicationLog.load(disk, 100);
    log.append(put(1, 1));
    log.append(put(2, 1));
    disk.fsync();
    log.append(put(3, 1));
    disk.loseUnsyncedWrites();
    const recovered = ReplicationLog.load(disk, 100);
    expect(recovered.lastLsn).toBe(2);
  });

  it('a truncation that was not fsynced is undone by a crash (the old suffix comes back)', () => {
    const disk = new SimDisk();
    const log = ReplicationLog.load(disk, 100);
    [put(1, 1), put(2, 1), put(3, 1)].forEach((e) => log.append(e));
    disk.fsync();
    log.truncateAfter(1);
    disk.loseUnsyncedWrites();
    expect(ReplicationLog.load(disk, 100).lastLsn).toBe(3);
  });
});

describe('lastCommonLsn (where two logs part)', () => {
  it('is the shorter log when one is a prefix of the other', () => {
    expect(lastCommonLsn([{ epoch: 1, firstLsn: 1 }], 10, [{ epoch: 1, firstLsn: 1 }], 7)).toBe(7);
  });

  it('is the end of the shared epoch when an old leader wrote on after a failover', () => {
    // Leader: epoch 1 up to 10, then epoch 2 from 11. Old leader: epoch 1 up to 14.
    const leader = [{ epoch: 1, firstLsn: 1 }, { epoch: 2, firstLsn: 11 }];
    const oldLeader = [{ epoch: 1, firstLsn: 1 }];
    expect(lastCommonLsn(leader, 20, oldLeader, 14)).toBe(10);
  });

  it('finds the common point when the logs hold different later epochs at the same LSNs', () => {
    // A: 1..10 epoch 1, 11..15 epoch 3. B: 1..10 epoch 1, 11..12 epoch 2, 13.. epoch 4.
    const a = [{ epoch: 1, firstLsn: 1 }, { epoch: 3, firstLsn: 11 }];
    const b = [{ epoch: 1, firstLsn: 1 }, { epoch: 2, firstLsn: 11 }, { epoch: 4, firstLsn: 13 }];
    expect(lastCommonLsn(a, 15, b, 20)).toBe(10);
  });

  it('is 0 for an empty log or no shared epoch', () => {
    expect(lastCommonLsn([], 0, [{ epoch: 1, firstLsn: 1 }], 5)).toBe(0);
    expect(lastCommonLsn([{ epoch: 2, firstLsn: 1 }], 3, [{ epoch: 1, firstLsn: 1 }], 5)).toBe(0);
  });
});

describe('isAtLeastAsUpToDate (the election restriction)', () => {
  it('compares the last epoch first, then the LSN', () => {
    expect(isAtLeastAsUpToDate({ lastEpoch: 2, lastLsn: 5 }, { lastEpoch: 1, lastLsn: 90 })).toBe(true);
    expect(isAtLeastAsUpToDate({ lastEpoch: 1, lastLsn: 90 }, { lastEpoch: 2, lastLsn: 5 })).toBe(false);
    expect(isAtLeastAsUpToDate({ lastEpoch: 2, lastLsn: 5 }, { lastEpoch: 2, lastLsn: 5 })).toBe(true);
    expect(isAtLeastAsUpToDate({ lastEpoch: 2, lastLsn: 4 }, { lastEpoch: 2, lastLsn: 5 })).toBe(false);
  });
});
