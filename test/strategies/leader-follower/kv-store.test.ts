// Proves the replicated key-value state follows lib/check's kv model (keys start as "", append concatenates) and applies entries strictly in order.
import { describe, expect, it } from 'vitest';
import { KvStore } from '../../../lib/strategies/leader-follower';

describe('KvStore', () => {
  it('put replaces, append concatenates, unwritten keys read as "" with version 0', () => {
    const kv = new KvStore();
    expect(kv.get('a')).toEqual({ value: '', version: 0 });
    kv.apply({ lsn: 1, epoch: 1, op: { f: 'append', key: 'a', value: 'x' }, writeId: 'w1' });
    kv.apply({ lsn: 2, epoch: 1, op: null, writeId: null });
    kv.apply({ lsn: 3, epoch: 1, op: { f: 'append', key: 'a', value: 'y' }, writeId: 'w2' });
    expect(kv.get('a')).toEqual({ value: 'xy', version: 3 });
    kv.apply({ lsn: 4, epoch: 1, op: { f: 'put', key: 'a', value: 'z' }, writeId: 'w3' });
    expect(kv.get('a')).toEqual({ value: 'z', version: 4 });
    expect(kv.appliedLsn).toBe(4);
  });

  it('refuses an entry out of order', () => {
    const kv = new KvStore();
    expect(() => kv.apply({ lsn: 2, epoch: 1, op: null, writeId: null })).toThrow(/in order/);
  });
});
