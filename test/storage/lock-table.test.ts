import { describe, expect, it } from 'vitest';
import { LockTable } from '../../lib/storage';

describe('lock table (NOWAIT)', () => {
  it('shared locks coexist; an exclusive lock conflicts with another holder and names it', () => {
    const locks = new LockTable();
    expect(locks.acquireShared(1, 'a')).toBeNull();
    expect(locks.acquireShared(2, 'a')).toBeNull();
    expect(locks.acquireExclusive(1, 'a')).toEqual({ key: 'a', requested: 'exclusive', holderTxId: 2, held: 'shared' });
    locks.releaseAll(2);
    expect(locks.acquireExclusive(1, 'a')).toBeNull(); // upgrade once alone
    expect(locks.acquireShared(3, 'a')).toMatchObject({ holderTxId: 1, held: 'exclusive' });
  });

  it('a prefix lock blocks writers of any key under the prefix, present or future', () => {
    const locks = new LockTable();
    expect(locks.acquirePrefixShared(1, 'acct:')).toBeNull();
    expect(locks.acquireExclusive(2, 'acct:new')).toMatchObject({ held: 'prefix-shared', holderTxId: 1 });
    expect(locks.acquireExclusive(2, 'xfer:1')).toBeNull();
    expect(locks.acquirePrefixShared(3, 'xfer:')).toMatchObject({ held: 'exclusive', holderTxId: 2 });
  });

  it('releasing shared locks (at 2PC prepare) keeps the exclusive ones', () => {
    const locks = new LockTable();
    locks.acquireShared(1, 'read-only');
    locks.acquireExclusive(1, 'written');
    locks.releaseShared(1);
    expect(locks.acquireExclusive(2, 'read-only')).toBeNull();
    expect(locks.acquireExclusive(2, 'written')).toMatchObject({ holderTxId: 1 });
    expect(locks.exclusiveKeysOf(1)).toEqual(['written']);
  });
});
