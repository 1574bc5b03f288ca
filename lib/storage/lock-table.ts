/**
 * Row locks: shared (S) for readers in serializable mode, exclusive (X) for every writer,
 * and shared prefix locks that stand in for predicate locks on a scan ("all keys starting
 * with acct:"), so that a serializable scan also blocks inserts of new matching keys.
 *
 * Conflicts are NOWAIT: a request that would have to wait fails at once, naming the
 * holder, and the caller aborts its transaction. Real engines queue the waiter with a
 * lock timeout and run a deadlock detector; refusing at once keeps the lesson free of
 * deadlocks while still showing the cost of holding locks (it is exactly what an
 * in-doubt 2PC participant does to everyone who touches its rows).
 */

export type LockMode = 'shared' | 'exclusive' | 'prefix-shared';

export interface LockConflict {
  key: string;
  /** The lock that was requested. */
  requested: LockMode;
  /** A transaction holding a conflicting lock. */
  holderTxId: number;
  held: LockMode;
}

interface Held {
  shared: Set<string>;
  exclusive: Set<string>;
  prefixes: Set<string>;
}

export class LockTable {
  private readonly sharedHolders = new Map<string, Set<number>>();
  private readonly exclusiveHolder = new Map<string, number>();
  private readonly prefixHolders = new Map<string, Set<number>>();
  private readonly byTx = new Map<number, Held>();

  constructor(private readonly maxLocks = 1_000_000) {}

  private held(txId: number): Held {
    let held = this.byTx.get(txId);
    if (!held) {
      held = { shared: new Set(), exclusive: new Set(), prefixes: new Set() };
      this.byTx.set(txId, held);
    }
    return held;
  }

  private checkLimit(): void {
    const total = this.sharedHolders.size + this.exclusiveHolder.size + this.prefixHolders.size;
    if (total >= this.maxLocks) throw new Error(`LockTable: ${total} keys are locked, its limit (maxLocks = ${this.maxLocks})`);
  }

  /** S lock on a key; null on success. */
  acquireShared(txId: number, key: string): LockConflict | null {
    const x = this.exclusiveHolder.get(key);
    if (x !== undefined && x !== txId) return { key, requested: 'shared', holderTxId: x, held: 'exclusive' };
    if (x === txId) return null; // X covers S
    let holders = this.sharedHolders.get(key);
    if (!holders) {
      this.checkLimit();
      holders = new Set();
      this.sharedHolders.set(key, holders);
    }
    holders.add(txId);
    this.held(txId).shared.add(key);
    return null;
  }

  /** X lock on a key (an upgrade when the same transaction holds S); null on success. */
  acquireExclusive(txId: number, key: string): LockConflict | null {
    const x = this.exclusiveHolder.get(key);
    if (x === txId) return null;
    if (x !== undefined) return { key, requested: 'exclusive', holderTxId: x, held: 'exclusive' };
    const shared = this.sharedHolders.get(key);
    if (shared) {
      for (const holder of shared) if (holder !== txId) return { key, requested: 'exclusive', holderTxId: holder, held: 'shared' };
    }
    for (const [prefix, holders] of this.prefixHolders) {
      if (!key.startsWith(prefix)) continue;
      for (const holder of holders) if (holder !== txId) return { key, requested: 'exclusive', holderTxId: holder, held: 'prefix-shared' };
    }
    this.checkLimit();
    this.exclusiveHolder.set(key, txId);
    this.held(txId).exclusive.add(key);
    return null;
  }

  /** A shared lock on every key starting with `prefix`, present or future. */
  acquirePrefixShared(txId: number, prefix: string): LockConflict | null {
    for (const [key, holder] of this.exclusiveHolder) {
      if (holder !== txId && key.startsWith(prefix)) return { key, requested: 'prefix-shared', holderTxId: holder, held: 'exclusive' };
    }
    let holders = this.prefixHolders.get(prefix);
    if (!holders) {
      this.checkLimit();
      holders = new Set();
      this.prefixHolders.set(prefix, holders);
    }
    holders.add(txId);
    this.held(txId).prefixes.add(prefix);
    return null;
  }

  /** Drops S and prefix locks, keeping X locks (a prepared transaction's read locks go; its write locks stay). */
  releaseShared(txId: number): void {
    const held = this.byTx.get(txId);
    if (!held) return;
    for (const key of held.shared) this.dropFrom(this.sharedHolders, key, txId);
    for (const prefix of held.prefixes) this.dropFrom(this.prefixHolders, prefix, txId);
    held.shared.clear();
    held.prefixes.clear();
  }

  releaseAll(txId: number): void {
    const held = this.byTx.get(txId);
    if (!held) return;
    this.releaseShared(txId);
    for (const key of held.exclusive) if (this.exclusiveHolder.get(key) === txId) this.exclusiveHolder.delete(key);
    this.byTx.delete(txId);
  }

  private dropFrom(map: Map<string, Set<number>>, key: string, txId: number): void {
    const holders = map.get(key);
    if (!holders) return;
    holders.delete(txId);
    if (holders.size === 0) map.delete(key);
  }

  exclusiveKeysOf(txId: number): string[] {
    return [...(this.byTx.get(txId)?.exclusive ?? [])].sort();
  }

  /** Who holds the X lock on a key, if anyone. */
  exclusiveHolderOf(key: string): number | undefined {
    return this.exclusiveHolder.get(key);
  }

  get lockedKeyCount(): number {
    return this.sharedHolders.size + this.exclusiveHolder.size + this.prefixHolders.size;
  }
}
