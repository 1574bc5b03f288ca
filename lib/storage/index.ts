/**
 * lib/storage: a small but real storage engine per simulated node — write-ahead log with
 * checksums and group commit, MVCC key-value store with snapshot isolation and a
 * serializable mode (strict two-phase locking), checkpoints, crash recovery, and
 * physical replication by WAL shipping. The core-banking ledger built on it is a strategy:
 * lib/strategies/banking.
 */
export { crc32 } from './crc32';
export { encodeFrame, decodeFrames, chunkText, FRAME_HEADER_CHARS, LSN_MAX } from './wal-frame';
export type { FrameProblem, DecodedFrame, DecodeResult } from './wal-frame';
export { WriteAheadLog, walSegmentFiles } from './write-ahead-log';
export type { WalIo, WalOptions, WalEntry, WalTailCut, WalOpenReport, WalStats } from './write-ahead-log';
export { crashWithTornWrite, scheduleFaultsWithTornWrites } from './torn-write';
export type { TornWriteOptions, TornWriteReport } from './torn-write';
export { VersionStore, FROZEN_TX_ID } from './version-store';
export type { JsonValue, Version } from './version-store';
export { LockTable } from './lock-table';
export type { LockConflict, LockMode } from './lock-table';
export { Transaction, TransactionAbortedError, ISOLATION_LEVELS } from './transaction';
export type { Isolation, TxStatus, AbortReason, ConflictInfo, CommitOutcome, PrepareOutcome } from './transaction';
export { describeRecord } from './wal-records';
export type { DbWalRecord, GidOutcome } from './wal-records';
export { readCheckpointImage, writeCheckpointImage } from './checkpoint-image';
export type { CheckpointImage, CheckpointImageHeader } from './checkpoint-image';
export { RedoApplier } from './redo-applier';
export type { RedoTarget, RedoCounters, UnfinishedTransaction } from './redo-applier';
export { WalSender, WalReceiver, isReplicationMessage } from './replication';
export type { ReplicationMessage, StandbyProgress } from './replication';
export { Database, DatabaseUnavailableError, DEFAULT_RECOVERY_COST } from './database';
export type {
  DatabaseOptions,
  DatabaseRole,
  DatabaseEvent,
  DatabaseCounters,
  RecoveryCostModel,
  RecoveryReport,
  CheckpointReport,
  PromotionReport,
  ReplicationOptions,
} from './database';
export { singleNodeDatabase, databaseNode } from './single-node';
export type { SingleNodeDatabase, SingleNodeOptions, DatabaseNodeBehaviour } from './single-node';
export { walTable, versionsTable } from './inspect';
export type { WalRow, VersionRow } from './inspect';
