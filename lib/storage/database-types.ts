/** The options, events, reports and errors of lib/storage's Database (database.ts re-exports them all). */
import { checkKnownKeys, checkNumber } from '../sim';
import { AbortReason, CommitOutcome, Transaction } from './transaction';
import { WalOptions, WalTailCut } from './write-ahead-log';

export type DatabaseRole = 'primary' | 'standby';

/**
 * How long recovery takes in simulated time. Defaults: 20 ms to start the process,
 * 0.01 ms per WAL frame replayed (100,000 frames/s, the order of magnitude PostgreSQL
 * replays simple records at), 0.002 ms per checkpoint-image row loaded.
 */
export interface RecoveryCostModel {
  fixedMs: number;
  perFrameMs: number;
  perImageRowMs: number;
}

export const DEFAULT_RECOVERY_COST: RecoveryCostModel = { fixedMs: 20, perFrameMs: 0.01, perImageRowMs: 0.002 };

export interface ReplicationOptions {
  /** On a primary: the standbys that stream from it (each gets a replication slot). */
  standbys?: string[];
  /** On a primary: 'sync' acknowledges a commit only after the first standby flushed it. Default 'async'. */
  mode?: 'async' | 'sync';
  /** On a standby: the primary to stream from. */
  primary?: string;
  /** Standby status interval. Default 50 ms. */
  statusEveryMs?: number;
  /** Simulated replay cost on the standby per frame. Default 0.01 ms. */
  replayPerFrameMs?: number;
  /** Frames per shipped batch. Default 500. */
  maxBatchFrames?: number;
  /** Reship after this long without progress. Default 200 ms. */
  resendAfterMs?: number;
}

export type DatabaseEvent =
  | { kind: 'recovered'; node: string; atMs: number; report: RecoveryReport }
  | { kind: 'ready'; node: string; atMs: number; role: DatabaseRole }
  | { kind: 'checkpoint'; node: string; atMs: number; report: CheckpointReport }
  | { kind: 'commit-replayed'; node: string; atMs: number; lsn: number; lagMs: number }
  | { kind: 'promoted'; node: string; atMs: number; report: PromotionReport };

export interface DatabaseOptions {
  role?: DatabaseRole;
  wal?: WalOptions;
  /** File name of the checkpoint image. Default 'checkpoint-image'. */
  imageFile?: string;
  recoveryCost?: Partial<RecoveryCostModel>;
  /** Take a checkpoint every this many ms (null: only when checkpoint() is called). Default null. */
  checkpointEveryMs?: number | null;
  /** Also take one when this many WAL frames were written since the last redo point (max_wal_size). Default null. */
  checkpointEveryFrames?: number | null;
  replication?: ReplicationOptions;
  maxActiveTransactions?: number;
  /** Global transaction outcomes remembered for 2PC peers. Default 100,000. */
  maxRememberedGids?: number;
  /** Metrics hook; it outlives crashes because the node builder owns it. */
  onEvent?: (event: DatabaseEvent) => void;
}

export const OPTION_KEYS = ['role', 'wal', 'imageFile', 'recoveryCost', 'checkpointEveryMs', 'checkpointEveryFrames', 'replication', 'maxActiveTransactions', 'maxRememberedGids', 'onEvent'];
export const REPLICATION_KEYS = ['standbys', 'mode', 'primary', 'statusEveryMs', 'replayPerFrameMs', 'maxBatchFrames', 'resendAfterMs'];
const COST_KEYS = ['fixedMs', 'perFrameMs', 'perImageRowMs'];
/** A promoted standby writes this file so that it comes back as a primary after a restart. */
export const ROLE_FILE = 'promoted';

export interface RecoveryReport {
  imageRows: number;
  imageLsn: number;
  redoLsn: number;
  /** WAL frames on disk, all segments. */
  walFramesOnDisk: number;
  walCharsOnDisk: number;
  /** Frames replayed from the redo point on: what recovery time follows. */
  framesReplayed: number;
  commitsReplayed: number;
  /** Transactions with writes in the log but no commit: discarded (primary) or still open (standby). */
  unfinishedTxIds: number[];
  /** Prepared 2PC transactions restored with their locks, waiting for a decision. */
  inDoubtGids: string[];
  tailCut: WalTailCut | null;
  lastLsn: number;
  /** Simulated recovery time from the cost model. */
  recoveryMs: number;
}

export interface CheckpointReport {
  imageLsn: number;
  redoLsn: number;
  rows: number;
  /** Segments emptied because every frame in them was before the new redo point (and no standby needed them). */
  segmentsEmptied: number;
  walFramesRetained: number;
  walCharsRetained: number;
  startedAtMs: number;
  durableAtMs: number;
}

export interface PromotionReport {
  lastLsn: number;
  framesReplayedAtPromotion: number;
  /** Transactions open on the old primary whose commit never arrived: discarded. */
  discardedTxIds: number[];
  inDoubtGids: string[];
}

export interface DatabaseCounters {
  committed: number;
  readOnlyCommitted: number;
  aborted: Record<AbortReason, number>;
  prepared: number;
  checkpoints: number;
}

/** A commit waiting for its record to be durable (and replicated, in sync mode). */
export interface PendingCommit {
  tx: Transaction;
  lsn: number;
  done: (outcome: CommitOutcome) => void;
}

export function resolveCost(cost: Partial<RecoveryCostModel> | undefined): RecoveryCostModel {
  if (cost === undefined) return DEFAULT_RECOVERY_COST;
  checkKnownKeys('recoveryCost', cost, COST_KEYS);
  return {
    fixedMs: checkNumber('recoveryCost.fixedMs', cost.fixedMs ?? DEFAULT_RECOVERY_COST.fixedMs, { min: 0 }),
    perFrameMs: checkNumber('recoveryCost.perFrameMs', cost.perFrameMs ?? DEFAULT_RECOVERY_COST.perFrameMs, { min: 0 }),
    perImageRowMs: checkNumber('recoveryCost.perImageRowMs', cost.perImageRowMs ?? DEFAULT_RECOVERY_COST.perImageRowMs, { min: 0 }),
  };
}

/** Thrown by begin() while recovering, or for writes on a standby. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}
