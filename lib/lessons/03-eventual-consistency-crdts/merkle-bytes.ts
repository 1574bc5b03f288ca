/** Notebook 03, section 4: what Merkle digests save against sending full state. */
import { stockPartitionExperiment } from './stock-partition';

export interface MerkleBytesRow {
  skuCount: number;
  antiEntropy: 'merkle' | 'full-state';
  /** Bytes of anti-entropy messages over the whole run. */
  antiEntropyKiB: number;
  /** Key states shipped by anti-entropy. */
  keyStatesSent: number;
  convergenceMs: number | null;
}

/**
 * Anti-entropy traffic over one partition-and-heal run, with and without Merkle digests,
 * as the catalogue grows. Sales hit only `hotSkuCount` SKUs, so most keys never differ:
 * full-state gossip ships all of them every round anyway; Merkle gossip compares hashes
 * and ships the few that differ.
 */
export function merkleBytesExperiment(options: {
  seed: number;
  skuCounts: readonly number[];
  hotSkuCount?: number;
  gossipIntervalMs?: number;
  /** Merkle tree depth (16-way branching): 2 gives 256 leaf buckets, 3 gives 4096. Default 2. */
  merkleDepth?: number;
}): MerkleBytesRow[] {
  const rows: MerkleBytesRow[] = [];
  for (const skuCount of options.skuCounts) {
    for (const antiEntropy of ['full-state', 'merkle'] as const) {
      const result = stockPartitionExperiment({
        seed: options.seed,
        skuCount,
        hotSkuCount: Math.min(skuCount, options.hotSkuCount ?? 10),
        antiEntropy,
        merkleDepth: options.merkleDepth,
        gossipIntervalMs: options.gossipIntervalMs ?? 200,
        partitionMs: 3000,
        settleMs: 3000,
        divergenceEveryMs: 0,
      });
      rows.push({
        skuCount,
        antiEntropy,
        antiEntropyKiB: result.antiEntropyBytes / 1024,
        keyStatesSent: result.store.metrics.keyStatesSentByAntiEntropy,
        convergenceMs: result.convergenceMs,
      });
    }
  }
  return rows;
}
