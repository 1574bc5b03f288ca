/**
 * A small but real storage engine for one simulated node: MVCC key-value store, WAL with
 * group commit, row locks, snapshot isolation and a serializable mode (strict two-phase
 * locking), 2PC prepare, checkpoints, crash recovery, and WAL-shipping replication.
 *
 * Lifecycle: a node's create(ctx) calls Database.open(ctx, options). open() recovers from
 * the disk at once (load the checkpoint image, replay the WAL after it), then the
 * database stays "recovering" for the simulated time that replay would take on a real
 * machine (RecoveryCostModel) and becomes ready. A crash discards the object; the next
 * incarnation opens a new one from whatever the disk kept.
 *
 * Commit path (the WAL rule): append the commit record, wait for the WAL to be fsynced
 * up to it (and, with a synchronous standby, for the standby to have flushed it), then
 * install the writes as new versions, release the locks and acknowledge. Nothing is
 * visible to others, or acknowledged, before it is durable.
 *
 * This file is the facade: the Database class, its state, and one method per operation, each
 * delegating to the file of its concern — recovery.ts, transactions.ts, prepared-transactions.ts
 * (2PC), checkpoints.ts, promotion.ts (replication and pg_promote). Options, events and reports
 * are in database-types.ts.
 */
import type { NodeContext } from '../sim';
import { OptionError, checkKnownKeys, checkNumber, checkOneOf } from '../sim';
import { LockTable } from './lock-table';
import { RedoApplier } from './redo-applier';
import { StandbyProgress, WalReceiver, WalSender } from './replication';
import { AbortReason, CommitOutcome, Isolation, PrepareOutcome, Transaction, TransactionEngine } from './transaction';
import { DbWalRecord, GidOutcome } from './wal-records';
import { JsonValue, VersionStore } from './version-store';
import { WalEntry, WriteAheadLog } from './write-ahead-log';
import { DatabaseRole, RecoveryCostModel, ReplicationOptions, DatabaseEvent, DatabaseOptions, OPTION_KEYS, REPLICATION_KEYS, ROLE_FILE, RecoveryReport, CheckpointReport, PromotionReport, DatabaseCounters, PendingCommit, resolveCost } from './database-types';
import * as crashRecovery from './recovery';
import * as transactions from './transactions';
import * as preparedTransactions from './prepared-transactions';
import * as checkpoints from './checkpoints';
import * as promotion from './promotion';

export { DEFAULT_RECOVERY_COST, DatabaseUnavailableError } from './database-types';
export type { DatabaseRole, RecoveryCostModel, ReplicationOptions, DatabaseEvent, DatabaseOptions, RecoveryReport, CheckpointReport, PromotionReport, DatabaseCounters } from './database-types';

export class Database implements TransactionEngine {
  readonly store = new VersionStore();
  readonly locks = new LockTable();
  readonly counters: DatabaseCounters = {
    committed: 0,
    readOnlyCommitted: 0,
    aborted: { 'lock-conflict': 0, 'serialization-failure': 0, requested: 0, 'global-abort': 0 },
    prepared: 0,
    checkpoints: 0,
  };
  readonly wal: WriteAheadLog<DbWalRecord>;
  /** Filled by open(): what recovery found. */
  readonly recovery: RecoveryReport;
  lastCheckpoint: CheckpointReport | null = null;

  // Engine state below is shared with the files that implement each concern (recovery.ts,
  // transactions.ts, prepared-transactions.ts, checkpoints.ts, promotion.ts): internal, not API.
  roleNow: DatabaseRole;
  ready = false;
  readonly imageFile: string;
  readonly cost: RecoveryCostModel;
  readonly checkpointEveryMs: number | null;
  readonly checkpointEveryFrames: number | null;
  readonly maxActive: number;
  readonly maxGids: number;
  readonly onEvent: (event: DatabaseEvent) => void;
  readonly replicationOptions: ReplicationOptions;
  commitSeq = 0;
  nextTxId = 1;
  readonly active = new Map<number, Transaction>();
  readonly preparedByGid = new Map<string, Transaction>();
  readonly gidOutcomes = new Map<string, GidOutcome>();
  commitQueue: PendingCommit[] = [];
  commitQueueHead = 0;
  checkpointInFlight = false;
  lastRedoLsn = 1;
  applier: RedoApplier | null = null;
  sender: WalSender | null = null;
  receiver: WalReceiver | null = null;
  readyListeners: Array<() => void> = [];
  /** Decisions that arrived while their prepare record was still being forced. */
  readonly decisionsAwaitingPrepare = new Map<string, Array<() => void>>();

  private constructor(
    readonly ctx: NodeContext,
    options: DatabaseOptions,
  ) {
    checkKnownKeys('Database options', options, OPTION_KEYS);
    const disk = ctx.disk;
    const promoted = disk.get<string>(ROLE_FILE) === 'primary';
    this.roleNow = promoted ? 'primary' : checkOneOf<DatabaseRole>('Database role', options.role ?? 'primary', ['primary', 'standby']);
    this.imageFile = options.imageFile ?? 'checkpoint-image';
    this.cost = resolveCost(options.recoveryCost);
    this.checkpointEveryMs = options.checkpointEveryMs == null ? null : checkNumber('checkpointEveryMs', options.checkpointEveryMs, { min: 1 });
    this.checkpointEveryFrames = options.checkpointEveryFrames == null ? null : checkNumber('checkpointEveryFrames', options.checkpointEveryFrames, { integer: true, min: 1 });
    this.maxActive = checkNumber('maxActiveTransactions', options.maxActiveTransactions ?? 10_000, { integer: true, min: 1 });
    this.maxGids = checkNumber('maxRememberedGids', options.maxRememberedGids ?? 100_000, { integer: true, min: 1 });
    this.onEvent = options.onEvent ?? (() => undefined);
    this.replicationOptions = options.replication ?? {};
    checkKnownKeys('replication', this.replicationOptions, REPLICATION_KEYS);
    if (this.replicationOptions.mode !== undefined) checkOneOf('replication.mode', this.replicationOptions.mode, ['async', 'sync']);
    if (this.roleNow === 'standby' && typeof this.replicationOptions.primary !== 'string') {
      throw new OptionError(`Database role 'standby': replication.primary got ${JSON.stringify(this.replicationOptions.primary)}; allowed: the id of the primary node to stream from`);
    }

    // ---- crash recovery (recovery.ts)
    const { wal, recovery } = crashRecovery.recoverFromDisk(this, options.wal ?? {});
    this.wal = wal;
    this.recovery = recovery;
  }

  /**
   * Opens (recovers) the database on a node. It is usable once `isReady`; pass onReady or
   * use whenReady() to act then. Throws on bad options, or when the disk holds an image
   * the WAL does not reach (which the WAL rule makes impossible unless durable data was lost).
   */
  static open(ctx: NodeContext, options: DatabaseOptions = {}): Database {
    const db = new Database(ctx, options);
    db.onEvent({ kind: 'recovered', node: ctx.id, atMs: ctx.simTimeMs(), report: db.recovery });
    // Make a recovery cut durable first, so that no new frame lands behind a torn one;
    // then spend the simulated replay time; then end recovery.
    db.wal.syncCut(() => ctx.setTimer(db.recovery.recoveryMs, () => crashRecovery.finishRecovery(db)));
    return db;
  }

  // ------------------------------------------------------------------ state

  get isReady(): boolean {
    return this.ready;
  }

  get role(): DatabaseRole {
    return this.roleNow;
  }

  /** Runs fn once the database is ready (at once if it is). */
  whenReady(fn: () => void): void {
    if (this.ready) fn();
    else this.readyListeners.push(fn);
  }

  /** The WAL position up to which a standby has replayed (on a primary: the last LSN). */
  get replayedLsn(): number {
    return this.receiver ? this.receiver.replayedLsn : this.wal.lastLsn;
  }

  standbyProgress(): StandbyProgress[] {
    return this.sender ? this.sender.progress() : [];
  }

  activeTransactionCount(): number {
    return this.active.size;
  }

  /** Every remembered global transaction outcome (for atomicity checks). */
  gidOutcomeEntries(): Array<[string, GidOutcome]> {
    return [...this.gidOutcomes.entries()];
  }

  /** The current committed value of a key, outside any transaction. */
  readCommitted(key: string): JsonValue | undefined {
    return this.store.readLatest(key);
  }

  /** Every committed [key, value] with the prefix, sorted by key. */
  committedRows(prefix = ''): Array<[string, JsonValue]> {
    const out: Array<[string, JsonValue]> = [];
    for (const key of this.store.keys(prefix)) {
      const value = this.store.readLatest(key);
      if (value !== undefined) out.push([key, value]);
    }
    return out;
  }

  /**
   * Starts a transaction. isolation: 'snapshot' (default) or 'serializable' (strict 2PL).
   * On a standby only read-only snapshot transactions are allowed.
   */
  begin(options: { isolation?: Isolation; readOnly?: boolean } = {}): Transaction {
    return transactions.begin(this, options);
  }

  readTx(tx: Transaction, key: string): JsonValue | undefined {
    return transactions.readTx(this, tx, key);
  }

  writeTx(tx: Transaction, key: string, value: JsonValue | null): void {
    transactions.writeTx(this, tx, key, value);
  }

  scanTx(tx: Transaction, prefix: string): Array<[string, JsonValue]> {
    return transactions.scanTx(this, tx, prefix);
  }

  /**
   * Commits: durable first, visible and acknowledged after. `done` runs when the commit
   * record is durable (and flushed by the synchronous standby, if any); a read-only
   * transaction commits at once.
   */
  commit(tx: Transaction, done: (outcome: CommitOutcome) => void = () => undefined): void {
    transactions.commit(this, tx, done);
  }

  /** Aborts an active (or prepared, see finishPrepared) transaction: its writes are discarded and its locks released. */
  abort(tx: Transaction, reason: AbortReason = 'requested'): void {
    transactions.abort(this, tx, reason);
  }

  /** Global (2PC) transactions prepared here and waiting for a decision. */
  inDoubt(): Array<{ gid: string; txId: number; keys: string[]; meta: JsonValue | null; status: 'preparing' | 'prepared' | 'committing' }> {
    return preparedTransactions.inDoubt(this);
  }

  /** What this node knows of a global transaction: its local outcome, 'prepared', or undefined. */
  gidState(gid: string): GidOutcome | 'prepared' | 'preparing' | 'active' | undefined {
    return preparedTransactions.gidState(this, gid);
  }

  /**
   * Phase one of 2PC on this node: writes a prepare record for the global transaction
   * `gid` and forces it to disk. From then on this node may no longer abort on its own:
   * the writes and their locks survive any crash until finishPrepared() is called.
   */
  prepare(tx: Transaction, gid: string, done: (outcome: PrepareOutcome) => void, meta: JsonValue | null = null): void {
    preparedTransactions.prepare(this, tx, gid, done, meta);
  }

  /**
   * Phase two on this node: applies the coordinator's decision to the prepared
   * transaction. 'commit' writes and forces a commit record (done runs when durable);
   * 'abort' writes an abort record and releases at once. Repeating a decision already
   * applied is harmless (the coordinator resends until it hears back).
   */
  finishPrepared(gid: string, decision: 'commit' | 'abort', done: (outcome: GidOutcome) => void): void {
    preparedTransactions.finishPrepared(this, gid, decision, done);
  }

  /**
   * Cooperative termination: a peer asked about `gid`, which this node has not prepared.
   * By answering "aborted" it promises never to vote yes for it; the promise is forced to
   * the WAL before the answer goes out, so it survives a crash. Returns what the node can
   * say now ('refused' promises abort; 'prepared' means "I am in doubt too").
   */
  refuse(gid: string, done: (state: GidOutcome | 'prepared') => void): void {
    preparedTransactions.refuse(this, gid, done);
  }

  /**
   * Writes a checkpoint image of every committed row, forces it, then records the new
   * redo point and drops WAL segments entirely before it (and not needed by a standby).
   * Returns false when one is already running or the database is not ready.
   */
  checkpoint(done: (report: CheckpointReport) => void = () => undefined): boolean {
    return checkpoints.checkpoint(this, done);
  }

  /** Feed replication messages here from the node's onMessage; returns false for other messages. */
  handleReplicationMessage(from: string, message: unknown): boolean {
    return promotion.handleReplicationMessage(this, from, message);
  }

  /**
   * Promotes a standby to primary (pg_promote): stop streaming, make everything received
   * durable and replay it, discard transactions whose commit never arrived, and start
   * accepting writes. The role is written to disk so a restart keeps it.
   */
  promote(done: (report: PromotionReport) => void = () => undefined): void {
    promotion.promote(this, done);
  }
}

export type { WalEntry };
