/**
 * The memo of the linearizability search: the set of (linearized operations, model state)
 * pairs already explored. Two search paths that linearized the same operations and reached
 * the same state have the same future, so the second is pruned (Lowe's improvement to the
 * Wing–Gong search, as in Porcupine).
 *
 * Compact keys. Operations are numbered by call time (see `LinearizationSearch`), so the set of
 * linearized operations is always "every operation below `low`, plus a few just above it": an
 * operation can only be linearized while it is callable, i.e. before the earliest pending
 * return, so the set beyond its first gap spans roughly one concurrency window. A pair is stored
 * as (low, state, the bitset words from word(low) to the highest set word) — a few words instead
 * of n/32 — and two sets are equal exactly when those agree (every word below word(low) is all
 * ones in both). This is what lets the search keep millions of configurations of a 50,000-operation
 * history in memory; it is exact: nothing is hashed away, a hash only finds the candidates.
 *
 * Storage is flat typed arrays: an open-addressing table of entry numbers, per-entry hash,
 * state, low and window offset/length, and one pool of window words. The bitset's hash is kept
 * up to date incrementally by the caller (Zobrist hashing: XOR of one random word per set bit).
 */
export class LinearizedStateSet {
  private readonly bytesMax: number;
  private table: Int32Array;
  private mask: number;
  /**
   * Per entry, side by side so that one probe touches one cache line: its hash, state, low,
   * window offset in the pool and window length (ENTRY_INTS ints).
   */
  private entries: Int32Array;
  private pool: Uint32Array;
  private poolUsed = 0;
  private entryCount = 0;
  private longestWindow = 0;

  /** @param bytesMax the most memory the set may hold; `add` reports the limit instead of growing past it. */
  constructor(bytesMax: number) {
    this.bytesMax = bytesMax;
    const initialCapacity = 1024;
    this.table = new Int32Array(initialCapacity * 2);
    this.mask = initialCapacity * 2 - 1;
    this.entries = new Int32Array(initialCapacity * ENTRY_INTS);
    this.pool = new Uint32Array(initialCapacity * 4);
  }

  get size(): number {
    return this.entryCount;
  }

  /** Bytes held: entries (hash, state, low, offset, length, two table slots) and window words. */
  get bytes(): number {
    return this.entryCount * 28 + this.poolUsed * 4;
  }

  /** The widest window stored, in words (for the profile in the checker's README). */
  get widestWindowWords(): number {
    return this.longestWindow;
  }

  /** Whether the pair is present (the same arguments as `add`). */
  has(bitsHash: number, state: number, bits: Uint32Array, low: number, hiWord: number): boolean {
    return this.probe(pairHash(bitsHash, state), state, bits, low, hiWord) >= 0;
  }

  /**
   * Looks the pair up by open addressing: the slot that holds it, or -(s + 1) for the empty
   * slot s where it would go.
   */
  private probe(hash: number, state: number, bits: Uint32Array, low: number, hiWord: number): number {
    const loWord = low >>> 5;
    const length = windowLength(low, hiWord);
    const table = this.table;
    const mask = this.mask;
    const entries = this.entries;
    let slot = mix(hash) & mask;
    for (;;) {
      const stored = table[slot];
      if (stored === 0) return -(slot + 1);
      const at = (stored - 1) * ENTRY_INTS;
      if (entries[at] === hash && entries[at + 1] === state && entries[at + 2] === low && entries[at + 4] === length) {
        const pool = this.pool;
        const base = entries[at + 3];
        let same = true;
        for (let w = 0; w < length; w++) {
          if (pool[base + w] !== bits[loWord + w]) {
            same = false;
            break;
          }
        }
        if (same) return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Adds the pair unless it is present. `low` is the first operation not linearized, `hiWord`
   * the highest bitset word with a bit set. Returns 1 when added, 0 when already present, and -1
   * when adding would exceed the memory budget (the caller turns that into "unknown").
   */
  add(bitsHash: number, state: number, bits: Uint32Array, low: number, hiWord: number): number {
    const hash = pairHash(bitsHash, state);
    const found = this.probe(hash, state, bits, low, hiWord);
    if (found >= 0) return 0;
    const slot = -found - 1;
    const loWord = low >>> 5;
    const length = windowLength(low, hiWord);
    const table = this.table;
    if (this.entryCount * 28 + (this.poolUsed + length) * 4 + 28 > this.bytesMax) return -1;
    const entry = this.entryCount;
    if ((entry + 1) * ENTRY_INTS > this.entries.length) this.growEntries();
    if (this.poolUsed + length > this.pool.length) this.growPool(length);
    const at = entry * ENTRY_INTS;
    const stored = this.entries;
    stored[at] = hash;
    stored[at + 1] = state;
    stored[at + 2] = low;
    stored[at + 3] = this.poolUsed;
    stored[at + 4] = length;
    const pool = this.pool;
    for (let w = 0; w < length; w++) pool[this.poolUsed + w] = bits[loWord + w];
    this.poolUsed += length;
    if (length > this.longestWindow) this.longestWindow = length;
    this.entryCount = entry + 1;
    table[slot] = entry + 1;
    // Keep the table at most half full so probe sequences stay short.
    if (this.entryCount * 2 > table.length) this.growTable();
    return 1;
  }

  private growEntries(): void {
    const entries = new Int32Array(this.entries.length * 2);
    entries.set(this.entries);
    this.entries = entries;
  }

  private growPool(atLeast: number): void {
    const pool = new Uint32Array(Math.max(this.pool.length * 2, this.poolUsed + atLeast));
    pool.set(this.pool.subarray(0, this.poolUsed));
    this.pool = pool;
  }

  private growTable(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let entry = 0; entry < this.entryCount; entry++) {
      let slot = mix(this.entries[entry * ENTRY_INTS]) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = entry + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** The memo key's hash: the linearized set's hash mixed with the model state. */
function pairHash(bitsHash: number, state: number): number {
  return (bitsHash ^ Math.imul(state + 1, 0x9e3779b1)) | 0;
}

/** Words stored for a window from operation `low` to bitset word `hiWord` (at least one). */
function windowLength(low: number, hiWord: number): number {
  const loWord = low >>> 5;
  return hiWord >= loWord ? hiWord - loWord + 1 : 1;
}

/** Ints per entry in `LinearizedStateSet.entries`. */
const ENTRY_INTS = 5;

/** A cheap avalanche step (from MurmurHash3's finaliser) so nearby hashes spread over the table. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
