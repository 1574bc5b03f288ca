import { OptionError, checkNumber } from '../../sim';
import { contentHash } from './content-hash';

/**
 * A Merkle tree over a key space, as Dynamo and Cassandra use for anti-entropy
 * (DeCandia et al. 2007, section 4.7): two replicas compare the root hash; if it differs
 * they compare the children, and so on down, so only the branches that differ are
 * walked and only the keys under differing leaves travel.
 *
 * Shape: a fixed tree of `branching`^`depth` leaf buckets. A key always falls into the
 * same bucket (a hash of the key), so two replicas' trees line up node for node even
 * when they hold different keys. Level 0 is the root, level `depth` the leaves; node i
 * of level k has children i·b … i·b + b − 1 on level k + 1.
 *
 * A leaf's hash covers the (key, state hash) pairs in its bucket; an inner node's hash
 * covers its children's hashes. An empty subtree hashes to 0, so an empty replica and a
 * full one differ exactly where the full one has keys.
 *
 * The tree is updated incrementally: `set` marks a leaf dirty and the next read
 * recomputes only the dirty leaves and their ancestors.
 */
export interface MerkleTreeOptions {
  /** Children per inner node, 2 to 256. Default 16. */
  branching?: number;
  /** Levels below the root, 1 to 8. Default 2 (16 × 16 = 256 leaf buckets). */
  depth?: number;
}

export const MERKLE_LEAF_COUNT_MAX = 65_536;

export class MerkleTree {
  readonly branching: number;
  readonly depth: number;
  readonly leafCount: number;
  /** Per leaf bucket: key → hash of that key's state. */
  private readonly buckets: Array<Map<string, number>>;
  /** levels[k][i]: hash of node i on level k. */
  private readonly levels: number[][];
  private readonly dirtyLeaves = new Set<number>();
  private readonly bucketOfKey = new Map<string, number>();

  constructor(options: MerkleTreeOptions = {}) {
    this.branching = checkNumber('merkle.branching', options.branching ?? 16, { integer: true, min: 2, max: 256 });
    this.depth = checkNumber('merkle.depth', options.depth ?? 2, { integer: true, min: 1, max: 8 });
    this.leafCount = Math.pow(this.branching, this.depth);
    if (this.leafCount > MERKLE_LEAF_COUNT_MAX) {
      throw new OptionError(
        `merkle: branching ${this.branching} and depth ${this.depth} give ${this.leafCount} leaf buckets; allowed: at most ${MERKLE_LEAF_COUNT_MAX}`,
      );
    }
    this.buckets = [];
    for (let i = 0; i < this.leafCount; i++) this.buckets.push(new Map());
    this.levels = [];
    for (let level = 0; level <= this.depth; level++) this.levels.push(new Array<number>(Math.pow(this.branching, level)).fill(0));
  }

  /** The leaf bucket a key falls into: the same on every replica. */
  bucketOf(key: string): number {
    let bucket = this.bucketOfKey.get(key);
    if (bucket === undefined) {
      bucket = contentHash(key, 0x5eed) % this.leafCount;
      this.bucketOfKey.set(key, bucket);
    }
    return bucket;
  }

  /** Records the hash of a key's current state. */
  set(key: string, stateHash: number): void {
    const bucket = this.bucketOf(key);
    const entries = this.buckets[bucket];
    if (entries.get(key) === stateHash) return;
    entries.set(key, stateHash);
    this.dirtyLeaves.add(bucket);
  }

  /** Number of nodes on a level: 1 for the root, branching^depth for the leaves. */
  levelSize(level: number): number {
    this.checkLevel(level);
    return this.levels[level].length;
  }

  root(): number {
    this.refresh();
    return this.levels[0][0];
  }

  /** The hashes of the given nodes of one level, in the order given. */
  hashesAt(level: number, indices: readonly number[]): number[] {
    this.checkLevel(level);
    this.refresh();
    const row = this.levels[level];
    return indices.map((index) => {
      if (!Number.isInteger(index) || index < 0 || index >= row.length) {
        throw new OptionError(`merkle hashesAt: index ${index} on level ${level}; allowed: 0 to ${row.length - 1}`);
      }
      return row[index];
    });
  }

  /** The children (on level + 1) of the given nodes of `level`, in order. */
  childrenOf(level: number, indices: readonly number[]): number[] {
    if (level >= this.depth) throw new OptionError(`merkle childrenOf: level ${level} is the leaf level or below; allowed: 0 to ${this.depth - 1}`);
    this.checkLevel(level);
    const children: number[] = [];
    for (const index of indices) {
      for (let c = 0; c < this.branching; c++) children.push(index * this.branching + c);
    }
    return children;
  }

  /** The keys held in the given leaf buckets, sorted. */
  keysIn(buckets: readonly number[]): string[] {
    const keys: string[] = [];
    for (const bucket of buckets) {
      if (!Number.isInteger(bucket) || bucket < 0 || bucket >= this.leafCount) {
        throw new OptionError(`merkle keysIn: bucket ${bucket}; allowed: 0 to ${this.leafCount - 1}`);
      }
      for (const key of this.buckets[bucket].keys()) keys.push(key);
    }
    return keys.sort();
  }

  private checkLevel(level: number): void {
    if (!Number.isInteger(level) || level < 0 || level > this.depth) {
      throw new OptionError(`merkle level: got ${level}; allowed: 0 (root) to ${this.depth} (leaves)`);
    }
  }

  /** Recomputes dirty leaves and then, level by level, their ancestors. */
  private refresh(): void {
    if (this.dirtyLeaves.size === 0) return;
    let dirty = new Set<number>();
    const leaves = this.levels[this.depth];
    for (const bucket of this.dirtyLeaves) {
      leaves[bucket] = leafHash(this.buckets[bucket]);
      dirty.add(Math.floor(bucket / this.branching));
    }
    this.dirtyLeaves.clear();
    for (let level = this.depth - 1; level >= 0; level--) {
      const row = this.levels[level];
      const below = this.levels[level + 1];
      const parents = new Set<number>();
      for (const index of dirty) {
        row[index] = innerHash(below, index * this.branching, this.branching);
        parents.add(Math.floor(index / this.branching));
      }
      dirty = parents;
    }
  }
}

function leafHash(entries: Map<string, number>): number {
  if (entries.size === 0) return 0;
  const keys = [...entries.keys()].sort();
  let text = '';
  for (const key of keys) text += `${key}\u0000${entries.get(key)}\n`;
  // A non-empty bucket must never hash to 0, the mark of an empty subtree.
  return contentHash(text) || 1;
}

function innerHash(below: number[], start: number, count: number): number {
  let empty = true;
  for (let i = 0; i < count; i++) if (below[start + i] !== 0) empty = false;
  if (empty) return 0;
  return contentHash(below.slice(start, start + count).join(',')) || 1;
}

/** Indices (from `indices`) whose hashes differ between two aligned lists. */
export function differingIndices(indices: readonly number[], mine: readonly number[], theirs: readonly number[]): number[] {
  if (mine.length !== indices.length || theirs.length !== indices.length) {
    throw new OptionError(`differingIndices: got ${indices.length} indices, ${mine.length} and ${theirs.length} hashes; allowed: three lists of equal length`);
  }
  const result: number[] = [];
  for (let i = 0; i < indices.length; i++) if (mine[i] !== theirs[i]) result.push(indices[i]);
  return result;
}

/**
 * The leaf buckets where two trees differ, found by the same top-down walk the gossip
 * protocol performs, and how many hashes that walk compared (what the digests cost).
 */
export function merkleDiff(a: MerkleTree, b: MerkleTree): { buckets: number[]; hashesCompared: number } {
  if (a.branching !== b.branching || a.depth !== b.depth) {
    throw new OptionError(`merkleDiff: trees of shape ${a.branching}^${a.depth} and ${b.branching}^${b.depth}; allowed: trees of the same shape`);
  }
  let hashesCompared = 1;
  if (a.root() === b.root()) return { buckets: [], hashesCompared };
  let differing = [0];
  for (let level = 0; level < a.depth; level++) {
    const children = a.childrenOf(level, differing);
    hashesCompared += children.length;
    differing = differingIndices(children, a.hashesAt(level + 1, children), b.hashesAt(level + 1, children));
  }
  return { buckets: differing, hashesCompared };
}
