/**
 * lib/strategies/eventual: leaderless, eventually consistent replication of a CRDT store
 * (notebook 03). Writes at any replica; convergence by push on write, hinted handoff,
 * push–pull anti-entropy with Merkle-tree digests (or full state), and read repair.
 */
export { eventualStore } from './eventual-store';
export type { EventualStore, EventualStoreOptions, UpdateRecord, DivergenceSample } from './eventual-store';
export { CrdtReplicaNode, PENDING_COUNT_MAX } from './crdt-replica-node';
export type { AntiEntropyMode, ReadResult, CrdtReplicaConfig, EventualMessage } from './crdt-replica-node';
export { MerkleTree, merkleDiff, differingIndices, MERKLE_LEAF_COUNT_MAX } from './merkle-tree';
export type { MerkleTreeOptions } from './merkle-tree';
export { EventualMetrics, ANTI_ENTROPY_MESSAGE_TYPES } from './eventual-metrics';
// Measurement helpers shared with multi-leader live in lib/sim; re-exported for existing imports.
export { MessageMeter, wireSizeBytes, sampleEvery, convergenceDelayMs } from '../../sim';
export type { MessageCount, SamplingOptions } from '../../sim';
export { contentHash } from './content-hash';
