/**
 * Model states as small integer ids. The search compares states as ints and keys its memo
 * by them, so every value a partition can hold is interned here: id 0 is the initial state
 * (null for a register, "" for a key).
 *
 * The register table is a plain Map from value to id. The kv table has to be cleverer:
 * appends make strings hundreds of characters long, and building and hashing each new string
 * cost more than the whole search. So a kv state is hash-consed instead: its id stands for
 * "state P followed by value S", identified by a polynomial hash of its characters that
 * appending updates in O(1). The string itself is only built when it is needed — to confirm
 * that two states with the same hash really are equal (so a hash collision can never merge two
 * different states), or to show a state in a counterexample.
 */
import type { KvValue, RegisterValue } from './history-types';

/** Thrown when a partition's model states outgrow `statesMax`; the checker reports "unknown". */
export class StatesLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StatesLimitError';
  }
}

export interface StateTable {
  /** The id of a value (interning it when new). */
  intern(value: RegisterValue | KvValue): number;
  /** kv: the id of state `state` followed by value `suffix`. */
  append(state: number, suffix: number): number;
  /** The value a state id stands for. */
  valueOf(id: number): RegisterValue | KvValue;
}

function limitError(statesMax: number): StatesLimitError {
  return new StatesLimitError(`the model reached ${statesMax} distinct states, the limit set by option "statesMax"`);
}

/** Register values: a Map keyed by the value itself tells 1 from "1" and null from "null". */
export class RegisterStateTable implements StateTable {
  private readonly ids = new Map<RegisterValue | KvValue, number>();
  private readonly values: Array<RegisterValue | KvValue> = [];
  private readonly statesMax: number;

  constructor(statesMax: number) {
    this.statesMax = statesMax;
    this.intern(null);
  }

  intern(value: RegisterValue | KvValue): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      if (this.values.length >= this.statesMax) throw limitError(this.statesMax);
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  append(): number {
    throw new Error('internal: append is a kv operation, not a register one');
  }

  valueOf(id: number): RegisterValue | KvValue {
    return this.values[id];
  }
}

const BASE_1 = 0x01000193; // the FNV prime
const BASE_2 = 0x5bd1e995; // MurmurHash2's multiplier

/** BASE^n mod 2^32, by squaring. */
function power(base: number, n: number): number {
  let result = 1;
  let b = base;
  let e = n;
  while (e > 0) {
    if ((e & 1) === 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
    e >>>= 1;
  }
  return result;
}

/** kv strings, hash-consed (see the module comment). */
export class KvStateTable implements StateTable {
  /** The string of each id, or undefined until someone needs it. */
  private readonly strings: Array<string | undefined> = [];
  private parent = new Int32Array(1024);
  private suffixOf = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private hash1 = new Int32Array(1024);
  private hash2 = new Int32Array(1024);
  private count = 0;
  /**
   * Open addressing over ids (stored as id + 1), keyed by both hashes and the length, in typed
   * arrays so that no lookup allocates. Two ids are the same state only if their strings match.
   */
  private slots = new Int32Array(2048);
  /**
   * Appends already computed: open addressing over (state, suffix) pairs, the pair's result in
   * `appendResult` (-1: empty slot). The search asks for the same appends over and over while
   * it backtracks, so this lookup is on its hot path; typed arrays keep it allocation-free.
   */
  private appendState = new Int32Array(1024);
  private appendSuffix = new Int32Array(1024);
  private appendResult = new Int32Array(1024).fill(-1);
  private appendCount = 0;
  /** For `mayBePrefix`: the hashes of each prefix of a value read (h1, h2 per length). */
  private readonly prefixHashes = new Map<number, Int32Array>();
  private readonly statesMax: number;

  constructor(statesMax: number) {
    this.statesMax = statesMax;
    this.intern('');
  }

  intern(value: RegisterValue | KvValue): number {
    const text = String(value);
    let h1 = 0;
    let h2 = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = (Math.imul(h1, BASE_1) + c) | 0;
      h2 = (Math.imul(h2, BASE_2) + c) | 0;
    }
    return this.find(h1, h2, text.length, -1, -1, text);
  }

  append(state: number, suffix: number): number {
    const results = this.appendResult;
    const mask = results.length - 1;
    let slot = pairHash(state, suffix) & mask;
    for (;;) {
      const known = results[slot];
      if (known < 0) break;
      if (this.appendState[slot] === state && this.appendSuffix[slot] === suffix) return known;
      slot = (slot + 1) & mask;
    }
    const h1 = (Math.imul(this.hash1[state], power(BASE_1, this.lengths[suffix])) + this.hash1[suffix]) | 0;
    const h2 = (Math.imul(this.hash2[state], power(BASE_2, this.lengths[suffix])) + this.hash2[suffix]) | 0;
    const id = this.find(h1, h2, this.lengths[state] + this.lengths[suffix], state, suffix, undefined);
    this.appendState[slot] = state;
    this.appendSuffix[slot] = suffix;
    results[slot] = id;
    this.appendCount++;
    if (this.appendCount * 2 > results.length) this.rehashAppends();
    return id;
  }

  private rehashAppends(): void {
    const size = this.appendResult.length * 2;
    const states = new Int32Array(size);
    const suffixes = new Int32Array(size);
    const results = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let old = 0; old < this.appendResult.length; old++) {
      const id = this.appendResult[old];
      if (id < 0) continue;
      let slot = pairHash(this.appendState[old], this.appendSuffix[old]) & mask;
      while (results[slot] >= 0) slot = (slot + 1) & mask;
      states[slot] = this.appendState[old];
      suffixes[slot] = this.appendSuffix[old];
      results[slot] = id;
    }
    this.appendState = states;
    this.appendSuffix = suffixes;
    this.appendResult = results;
  }

  /**
   * False when state `state` is surely not a prefix of state `value`: it is longer, or its
   * hashes differ from those of `value`'s first characters. True means only that the hashes
   * match (the search prunes on false alone, so a collision costs a prune, never a verdict).
   */
  mayBePrefix(state: number, value: number): boolean {
    const length = this.lengths[state];
    if (length === 0) return true;
    if (length > this.lengths[value]) return false;
    let prefixes = this.prefixHashes.get(value);
    if (prefixes === undefined) {
      const text = this.valueOf(value);
      prefixes = new Int32Array(2 * (text.length + 1));
      let h1 = 0;
      let h2 = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        h1 = (Math.imul(h1, BASE_1) + c) | 0;
        h2 = (Math.imul(h2, BASE_2) + c) | 0;
        prefixes[2 * i + 2] = h1;
        prefixes[2 * i + 3] = h2;
      }
      this.prefixHashes.set(value, prefixes);
    }
    return prefixes[2 * length] === this.hash1[state] && prefixes[2 * length + 1] === this.hash2[state];
  }

  valueOf(id: number): string {
    const known = this.strings[id];
    if (known !== undefined) return known;
    // Build iteratively from the nearest ancestor whose string is known: chains of appends are long.
    const chain: number[] = [];
    let at = id;
    while (this.strings[at] === undefined) {
      chain.push(at);
      at = this.parent[at];
    }
    let text = this.strings[at] as string;
    for (let k = chain.length - 1; k >= 0; k--) {
      const link = chain[k];
      text = text + (this.strings[this.suffixOf[link]] as string);
      this.strings[link] = text;
    }
    return text;
  }

  /** The id of the string with these hashes and length (made of `text`, or of parent + suffix). */
  private find(h1: number, h2: number, length: number, parent: number, suffix: number, text: string | undefined): number {
    const mask = this.slots.length - 1;
    let slot = slotHash(h1, h2, length) & mask;
    for (;;) {
      const stored = this.slots[slot];
      if (stored === 0) break;
      const id = stored - 1;
      if (this.hash1[id] === h1 && this.hash2[id] === h2 && this.lengths[id] === length) {
        // Almost surely the same string; compare the strings so that a collision never merges two states.
        const candidate = text !== undefined ? text : this.valueOf(parent) + (this.strings[suffix] as string);
        if (this.valueOf(id) === candidate) return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.count;
    if (id >= this.statesMax) throw limitError(this.statesMax);
    if (id >= this.lengths.length) this.grow();
    this.strings.push(text);
    this.parent[id] = parent;
    this.suffixOf[id] = suffix;
    this.lengths[id] = length;
    this.hash1[id] = h1;
    this.hash2[id] = h2;
    this.count = id + 1;
    this.slots[slot] = id + 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private grow(): void {
    const capacity = this.lengths.length * 2;
    const widen = (from: Int32Array): Int32Array => {
      const to = new Int32Array(capacity);
      to.set(from);
      return to;
    };
    this.parent = widen(this.parent);
    this.suffixOf = widen(this.suffixOf);
    this.lengths = widen(this.lengths);
    this.hash1 = widen(this.hash1);
    this.hash2 = widen(this.hash2);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = slotHash(this.hash1[id], this.hash2[id], this.lengths[id]) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

/** A table slot for the pair (state, suffix). */
function pairHash(state: number, suffix: number): number {
  let h = Math.imul(state, 0x9e3779b1) ^ Math.imul(suffix + 1, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

/** Mixes the two hashes and the length (MurmurHash3's finaliser) so table slots spread evenly. */
function slotHash(h1: number, h2: number, length: number): number {
  let h = h1 ^ Math.imul(h2, 0x9e3779b1) ^ length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
