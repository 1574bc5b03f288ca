// Proves the Merkle tree summarises a key space exactly: equal contents give equal roots in any
// insertion order, and the top-down walk finds exactly the buckets of the keys that differ.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../../lib/strategies/eventual/content-hash';
import { MerkleTree, differingIndices, merkleDiff } from '../../../lib/strategies/eventual/merkle-tree';

const PROPERTY = { seed: 41_2011, numRuns: 100 };

function treeOf(entries: ReadonlyArray<[string, number]>, shape = { branching: 4, depth: 2 }): MerkleTree {
  const tree = new MerkleTree(shape);
  for (const [key, hash] of entries) tree.set(key, hash);
  return tree;
}

describe('content hash', () => {
  it('is deterministic, a 53-bit integer, and tells different inputs apart', () => {
    expect(contentHash('sku:phone')).toBe(contentHash('sku:phone'));
    expect(Number.isSafeInteger(contentHash('sku:phone'))).toBe(true);
    const hashes = new Set(Array.from({ length: 2000 }, (_, i) => contentHash(`sku:${i}`)));
    expect(hashes.size).toBe(2000);
  });
});

describe('Merkle tree', () => {
  it('an empty tree has root 0; one key makes the root, its leaf and every ancestor non-zero', () => {
    const tree = new MerkleTree({ branching: 4, depth: 2 });
    expect(tree.root()).toBe(0);
    tree.set('sku:phone', 42);
    const bucket = tree.bucketOf('sku:phone');
    expect(tree.root()).not.toBe(0);
    expect(tree.hashesAt(2, [bucket])[0]).not.toBe(0);
    expect(tree.hashesAt(1, [Math.floor(bucket / 4)])[0]).not.toBe(0);
    expect(tree.keysIn([bucket])).toEqual(['sku:phone']);
  });

  it('the same (key, state hash) pairs in any order give the same root', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 1e9 })), { selector: (e) => e[0], maxLength: 40 }), fc.integer(), (entries, shuffleSeed) => {
        const shuffled = [...entries].sort((a, b) => contentHash(a[0], shuffleSeed) - contentHash(b[0], shuffleSeed));
        expect(treeOf(shuffled).root()).toBe(treeOf(entries).root());
      }),
      PROPERTY,
    );
  });

  it('the walk finds exactly the buckets holding keys whose states differ, missing keys included', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 40 }),
        fc.array(fc.nat({ max: 3 }), { maxLength: 40 }),
        (keys, changes) => {
          const a: Array<[string, number]> = keys.map((k, i) => [k, i + 1]);
          // Change 0: same; 1: other state hash; 2: missing on b; 3: same.
          const b: Array<[string, number]> = [];
          const expected = new Set<number>();
          const reference = new MerkleTree({ branching: 4, depth: 2 });
          keys.forEach((key, i) => {
            const change = changes[i] ?? 0;
            if (change === 1) b.push([key, i + 1000]);
            else if (change !== 2) b.push([key, i + 1]);
            if (change === 1 || change === 2) expected.add(reference.bucketOf(key));
          });
          const diff = merkleDiff(treeOf(a), treeOf(b));
          expect(diff.buckets.sort((x, y) => x - y)).toEqual([...expected].sort((x, y) => x - y));
        },
      ),
      PROPERTY,
    );
  });

  it('an update after a read is seen by the next read (incremental recomputation)', () => {
    const tree = treeOf([['a', 1], ['b', 2]]);
    const before = tree.root();
    tree.set('a', 3);
    expect(tree.root()).not.toBe(before);
    tree.set('a', 1);
    expect(tree.root()).toBe(before);
  });

  it('comparing equal trees costs one hash; one differing key costs one branch per level', () => {
    const entries: Array<[string, number]> = Array.from({ length: 500 }, (_, i) => [`sku:${i}`, i + 1]);
    const a = treeOf(entries, { branching: 16, depth: 2 });
    const b = treeOf(entries, { branching: 16, depth: 2 });
    expect(merkleDiff(a, b)).toEqual({ buckets: [], hashesCompared: 1 });
    b.set('sku:7', 999);
    const diff = merkleDiff(a, b);
    expect(diff.buckets).toEqual([a.bucketOf('sku:7')]);
    expect(diff.hashesCompared).toBe(1 + 16 + 16);
  });

  it('rejects bad shapes and indices with messages naming the option', () => {
    expect(() => new MerkleTree({ branching: 1 })).toThrow(/merkle.branching: got 1; allowed: an integer between 2 and 256/);
    expect(() => new MerkleTree({ branching: 256, depth: 3 })).toThrow(/16777216 leaf buckets; allowed: at most 65536/);
    expect(() => new MerkleTree().hashesAt(3, [0])).toThrow(/level: got 3; allowed: 0 \(root\) to 2 \(leaves\)/);
    expect(() => new MerkleTree().childrenOf(2, [0])).toThrow(/leaf level/);
    expect(() => new MerkleTree().keysIn([256])).toThrow(/bucket 256; allowed: 0 to 255/);
    expect(() => differingIndices([1, 2], [1], [1, 2])).toThrow(/three lists of equal length/);
    expect(() => merkleDiff(new MerkleTree({ depth: 1 }), new MerkleTree())).toThrow(/same shape/);
  });
});
