import { describe, expect, it } from 'vitest';
import { VersionStore } from '../../lib/storage';

describe('version store (MVCC)', () => {
  it('a reader at an old snapshot keeps seeing the value current at that snapshot', () => {
    const store = new VersionStore();
    store.install('acct:a', 100, 1, 1, 0);
    store.install('acct:a', 80, 2, 2, 0);
    store.install('acct:a', 50, 3, 3, 0);
    expect(store.readAt('acct:a', 0)).toBeUndefined();
    expect(store.readAt('acct:a', 1)).toBe(100);
    expect(store.readAt('acct:a', 2)).toBe(80);
    expect(store.readAt('acct:a', 99)).toBe(50);
  });

  it('records the creating and the replacing transaction of each version (xmin / xmax)', () => {
    const store = new VersionStore();
    store.install('k', 'v1', 7, 1, 0);
    store.install('k', 'v2', 9, 2, 0);
    const [old, current] = store.versionsOf('k');
    expect(old).toMatchObject({ value: 'v1', xmin: 7, xmax: 9, beginSeq: 1, endSeq: 2 });
    expect(current).toMatchObject({ value: 'v2', xmin: 9, xmax: 0, beginSeq: 2, endSeq: Infinity });
  });

  it('prunes versions no running snapshot can see, keeping those an old snapshot still needs', () => {
    const store = new VersionStore();
    for (let seq = 1; seq <= 5; seq++) store.install('k', seq, seq, seq, 2);
    // The oldest snapshot is at 2: the version that ended at 2 (value 1) is gone, value 2 stays.
    expect(store.versionsOf('k').map((v) => v.value)).toEqual([2, 3, 4, 5]);
    store.install('k', 6, 6, 6, 6);
    expect(store.versionsOf('k').map((v) => v.value)).toEqual([6]);
  });

  it('a delete is a tombstone version, and an unseen tombstone disappears entirely', () => {
    const store = new VersionStore();
    store.install('k', 1, 1, 1, 0);
    store.install('k', null, 2, 2, 1);
    expect(store.readAt('k', 1)).toBe(1);
    expect(store.readAt('k', 2)).toBeUndefined();
    expect(store.keyCount).toBe(1);
    store.install('other', 1, 3, 3, 3); // horizon moves past the delete
    store.install('k', null, 4, 4, 4);
    expect(store.committedRows()).toEqual([['other', 1]]);
  });

  it('a deleted key is forgotten once the horizon passes its tombstone, though the key itself is never written again (an outbox)', () => {
    const store = new VersionStore();
    let seq = 0;
    for (let i = 0; i < 2000; i++) {
      const key = `outbox:${String(i).padStart(5, '0')}`;
      store.install(key, { event: i }, ++seq, seq, seq - 1);
      store.install(key, null, ++seq, seq, seq - 1); // the relay published it and deletes it
    }
    // Every tombstone but the newest is behind the horizon (seq - 1) and is gone.
    expect(store.keyCount).toBe(1);
    expect(store.keys('outbox:')).toEqual(['outbox:01999']);
    expect(store.versionCount).toBe(2);
    store.install('other', 1, ++seq, seq, seq);
    expect(store.keys('outbox:')).toEqual([]);
    expect(store.versionCount).toBe(1);
  });

  it('a tombstone an old snapshot can still look behind is kept until that snapshot ends; a key written again after its delete is kept', () => {
    const store = new VersionStore();
    store.install('gone', 'v', 1, 1, 0);
    store.install('back', 'v', 2, 2, 0);
    store.install('gone', null, 3, 3, 1); // a snapshot at seq 1 is still running
    store.install('back', null, 4, 4, 1);
    store.install('back', 'again', 5, 5, 1);
    store.install('x', 1, 6, 6, 2);
    expect(store.readAt('gone', 1)).toBe('v');
    expect(store.keys()).toEqual(['back', 'gone', 'x']);
    store.install('x', 2, 7, 7, 7); // the old snapshot ended
    expect(store.keys()).toEqual(['back', 'x']);
    expect(store.readLatest('back')).toBe('again');
  });

  it('refuses to install a version older than the current one', () => {
    const store = new VersionStore();
    store.install('k', 1, 1, 5, 0);
    expect(() => store.install('k', 2, 2, 4, 0)).toThrow(/older than its current version/);
  });
});
