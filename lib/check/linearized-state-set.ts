/**
 * The memo of the linearizability search: the set of (linearized operations, model state)
 * pairs already explored. Two search paths that linearized the same operations and reached
 * the same state have the same future, so the second is pruned (Lowe's improvement to the
 * Wing–Gong search, as in Porcupine).
 *
 * Each pair is stored as its bitset words plus the state id, in flat typed arrays, and found
 * through an open-addressing table of entry numbers. The caller passes the bitset's hash,
 * kept up to date incrementally (Zobrist hashing: XOR of one random word per set bit), so
 * a lookup never rehashes the whole bitset.
 */
export class LinearizedStateSet {
  private readonly wordCount: number;
  private readonly entriesMax: number;
  private table: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private states: Int32Array;
  private words: Uint32Array;
  private entryCount = 0;

  /**
   * @param wordCount 32-bit words per bitset (operations / 32, rounded up).
   * @param entriesMax the most pairs to hold; `add` reports the limit instead of growing past it.
   */
  constructor(wordCount: number, entriesMax: number) {
    this.wordCount = wordCount;
    this.entriesMax = entriesMax;
    const initialCapacity = 1024;
    this.table = new Int32Array(initialCapacity * 2);
    this.mask = initialCapacity * 2 - 1;
    this.hashes = new Int32Array(initialCapacity);
    this.states = new Int32Array(initialCapacity);
    this.words = new Uint32Array(initialCapacity * Math.max(1, wordCount));
  }

  get size(): number {
    return this.entryCount;
  }

  /**
   * Adds the pair unless it is present. Returns 1 when added, 0 when already present, and
   * -1 when adding would exceed `entriesMax` (the caller turns that into an "unknown" verdict).
   */
  add(bitsHash: number, state: number, bits: Uint32Array): number {
    const hash = (bitsHash ^ Math.imul(state + 1, 0x9e3779b1)) | 0;
    let slot = mix(hash) & this.mask;
    const wordCount = this.wordCount;
    for (;;) {
      const stored = this.table[slot];
      if (stored === 0) break;
      const entry = stored - 1;
      if (this.hashes[entry] === hash && this.states[entry] === state) {
        const base = entry * wordCount;
        let same = true;
        for (let w = 0; w < wordCount; w++) {
          if (this.words[base + w] !== bits[w]) {
            same = false;
            break;
          }
        }
        if (same) return 0;
      }
      slot = (slot + 1) & this.mask;
    }
    if (this.entryCount >= this.entriesMax) return -1;
    const entry = this.entryCount;
    if (entry >= this.hashes.length) this.growEntries();
    this.hashes[entry] = hash;
    this.states[entry] = state;
    const base = entry * wordCount;
    for (let w = 0; w < wordCount; w++) this.words[base + w] = bits[w];
    this.entryCount = entry + 1;
    this.table[slot] = entry + 1;
    // Keep the table at most half full so probe sequences stay short.
    if (this.entryCount * 2 > this.table.length) this.growTable();
    return 1;
  }

  private growEntries(): void {
    const capacity = this.hashes.length * 2;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const states = new Int32Array(capacity);
    states.set(this.states);
    this.states = states;
    const words = new Uint32Array(capacity * Math.max(1, this.wordCount));
    words.set(this.words);
    this.words = words;
  }

  private growTable(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let entry = 0; entry < this.entryCount; entry++) {
      let slot = mix(this.hashes[entry]) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = entry + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** A cheap avalanche step (from MurmurHash3's finaliser) so nearby hashes spread over the table. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
