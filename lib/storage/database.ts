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
 */
import type { NodeContext } from '../sim';
import { LimitExceededError, OptionError, checkKnownKeys, checkNumber, checkOneOf } from '../sim';
import { CheckpointImage, readCheckpointImage, writeCheckpointImage } from './checkpoint-image';
import { LockConflict, LockTable } from './lock-table';
import { RedoApplier, UnfinishedTransaction } from './redo-applier';
import { ReplicationMessage, StandbyProgress, WalReceiver, WalSender, isReplicationMessage } from './replication';
import {
  AbortReason,
  CommitOutcome,
  ConflictInfo,
  ISOLATION_LEVELS,
  Isolation,
  PrepareOutcome,
  Transaction,
  TransactionAbortedError,
  TransactionEngine,
} from './transaction';
import { DbWalRecord, GidOutcome } from './wal-records';
import { JsonValue, VersionStore } from './version-store';
import { WalEntry, WalOptions, WalTailCut, WriteAheadLog } from './write-ahead-log';

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

const OPTION_KEYS = ['role', 'wal', 'imageFile', 'recoveryCost', 'checkpointEveryMs', 'checkpointEveryFrames', 'replication', 'maxActiveTransactions', 'maxRememberedGids', 'onEvent'];
const REPLICATION_KEYS = ['standbys', 'mode', 'primary', 'statusEveryMs', 'replayPerFrameMs', 'maxBatchFrames', 'resendAfterMs'];
const COST_KEYS = ['fixedMs', 'perFrameMs', 'perImageRowMs'];
/** A promoted standby writes this file so that it comes back as a primary after a restart. */
const ROLE_FILE = 'promoted';

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

interface PendingCommit {
  tx: Transaction;
  lsn: number;
  done: (outcome: CommitOutcome) => void;
}

function resolveCost(cost: Partial<RecoveryCostModel> | undefined): RecoveryCostModel {
  if (cost === undefined) return DEFAULT_RECOVERY_COST;
  checkKnownKeys('recoveryCost', cost, COST_KEYS);
  return {
    fixedMs: checkNumber('recoveryCost.fixedMs', cost.fixedMs ?? DEFAULT_RECOVERY_COST.fixedMs, { min: 0 }),
    perFrameMs: checkNumber('recoveryCost.perFrameMs', cost.perFrameMs ?? DEFAULT_RECOVERY_COST.perFrameMs, { min: 0 }),
    perImageRowMs: checkNumber('recoveryCost.perImageRowMs', cost.perImageRowMs ?? DEFAULT_RECOVERY_COST.perImageRowMs, { min: 0 }),
  };
}

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

  private roleNow: DatabaseRole;
  private ready = false;
  private readonly imageFile: string;
  private readonly cost: RecoveryCostModel;
  private readonly checkpointEveryMs: number | null;
  private readonly checkpointEveryFrames: number | null;
  private readonly maxActive: number;
  private readonly maxGids: number;
  private readonly onEvent: (event: DatabaseEvent) => void;
  private readonly replicationOptions: ReplicationOptions;
  private commitSeq = 0;
  private nextTxId = 1;
  private readonly active = new Map<number, Transaction>();
  private readonly preparedByGid = new Map<string, Transaction>();
  private readonly gidOutcomes = new Map<string, GidOutcome>();
  private commitQueue: PendingCommit[] = [];
  private commitQueueHead = 0;
  private checkpointInFlight = false;
  private lastRedoLsn = 1;
  private applier: RedoApplier | null;
  private sender: WalSender | null = null;
  private receiver: WalReceiver | null = null;
  private readyListeners: Array<() => void> = [];
  /** Decisions that arrived while their prepare record was still being forced. */
  private readonly decisionsAwaitingPrepare = new Map<string, Array<() => void>>();

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

    // ---- crash recovery
    const image = readCheckpointImage(disk, this.imageFile);
    const opened = WriteAheadLog.open<DbWalRecord>(ctx, options.wal ?? {}, image ? image.header.imageLsn + 1 : 1);
    this.wal = opened.wal;
    const imageLsn = image ? image.header.imageLsn : 0;
    const redoLsn = image ? image.header.redoLsn : 1;
    if (image) {
      for (const [key, value] of image.rows) this.store.loadFrozen(key, value);
      for (const [gid, outcome] of image.header.gidOutcomes) this.rememberGid(gid, outcome);
      this.nextTxId = image.header.nextTxId;
    }
    if (this.wal.lastLsn < imageLsn) {
      throw new Error(`recovery on ${ctx.id}: the checkpoint image covers LSN ${imageLsn} but the WAL ends at ${this.wal.lastLsn}; durable WAL was lost`);
    }
    if (opened.entries.length > 0 && opened.entries[0].lsn > redoLsn) {
      throw new Error(`recovery on ${ctx.id}: replay must start at LSN ${redoLsn} but the oldest WAL frame on disk is ${opened.entries[0].lsn}`);
    }
    const applier = new RedoApplier(this.redoTarget(), imageLsn);
    for (const entry of opened.entries) if (entry.lsn >= redoLsn) applier.apply(entry);
    this.applier = applier;
    this.lastRedoLsn = redoLsn;
    this.nextTxId = Math.max(this.nextTxId, applier.maxTxIdSeen + 1);
    const unfinished = [...applier.unfinished.values()];
    const imageRows = image ? image.rows.length : 0;
    this.recovery = {
      imageRows,
      imageLsn,
      redoLsn,
      walFramesOnDisk: opened.report.framesRead,
      walCharsOnDisk: opened.report.charsRead,
      framesReplayed: applier.counters.framesApplied,
      commitsReplayed: applier.counters.commitsApplied,
      unfinishedTxIds: unfinished.filter((t) => t.gid === null).map((t) => t.txId),
      inDoubtGids: unfinished.filter((t) => t.gid !== null).map((t) => t.gid as string),
      tailCut: opened.report.tailCut,
      lastLsn: this.wal.lastLsn,
      recoveryMs: this.cost.fixedMs + imageRows * this.cost.perImageRowMs + applier.counters.framesApplied * this.cost.perFrameMs,
    };
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
    db.wal.syncCut(() => ctx.setTimer(db.recovery.recoveryMs, () => db.finishRecovery()));
    return db;
  }

  private redoTarget() {
    return {
      applyCommitted: (txId: number, writes: Map<string, JsonValue | null>) => this.installWrites(txId, writes),
      noteGidOutcome: (gid: string, outcome: GidOutcome) => this.rememberGid(gid, outcome),
    };
  }

  private finishRecovery(): void {
    if (this.roleNow === 'primary') {
      this.endRecovery();
    } else {
      const primary = this.replicationOptions.primary as string;
      this.receiver = new WalReceiver(
        {
          ctx: this.ctx,
          wal: this.wal,
          replay: (entry) => (this.applier as RedoApplier).apply(entry),
          onCommitReplayed: (lsn, primaryDurableAtMs) => {
            const atMs = this.ctx.simTimeMs();
            this.onEvent({ kind: 'commit-replayed', node: this.ctx.id, atMs, lsn, lagMs: atMs - primaryDurableAtMs });
          },
        },
        primary,
        {
          statusEveryMs: checkNumber('replication.statusEveryMs', this.replicationOptions.statusEveryMs ?? 50, { min: 1 }),
          replayPerFrameMs: checkNumber('replication.replayPerFrameMs', this.replicationOptions.replayPerFrameMs ?? 0.01, { min: 0 }),
          replayBatchFrames: 64,
          maxPendingStamps: 1_000_000,
        },
        this.wal.lastLsn,
      );
      this.receiver.start();
    }
    this.ready = true;
    this.startCheckpointTimer();
    this.onEvent({ kind: 'ready', node: this.ctx.id, atMs: this.ctx.simTimeMs(), role: this.roleNow });
    const listeners = this.readyListeners;
    this.readyListeners = [];
    for (const listener of listeners) listener();
  }

  /**
   * End of recovery on a primary (or at promotion): transactions that never committed are
   * discarded (an abort record says so), prepared ones are restored in doubt with their
   * write locks, and the WAL sender starts.
   */
  private endRecovery(): { discarded: number[]; inDoubt: string[] } {
    const applier = this.applier as RedoApplier;
    const discarded: number[] = [];
    const inDoubt: string[] = [];
    const unfinished: UnfinishedTransaction[] = [...applier.unfinished.values()].sort((a, b) => a.firstLsn - b.firstLsn);
    for (const u of unfinished) {
      if (u.gid === null) {
        this.wal.append({ t: 'a', tx: u.txId });
        discarded.push(u.txId);
        continue;
      }
      const tx = new Transaction(this, u.txId, 'snapshot', this.commitSeq, false, this.ctx.simTimeMs());
      tx.status = 'prepared';
      tx.gid = u.gid;
      tx.prepareMeta = u.meta;
      tx.firstLsn = u.firstLsn;
      for (const [key, value] of u.writes) {
        tx.writes.set(key, value);
        const conflict = this.locks.acquireExclusive(tx.id, key);
        if (conflict) throw new Error(`recovery on ${this.ctx.id}: two in-doubt transactions both hold ${key} (tx ${tx.id} and tx ${conflict.holderTxId})`);
      }
      this.active.set(tx.id, tx);
      this.preparedByGid.set(u.gid, tx);
      inDoubt.push(u.gid);
    }
    this.nextTxId = Math.max(this.nextTxId, applier.maxTxIdSeen + 1);
    this.applier = null;
    const standbys = this.replicationOptions.standbys ?? [];
    if (standbys.length > 0) {
      this.sender = new WalSender(
        this.ctx,
        this.wal,
        standbys,
        {
          maxBatchFrames: checkNumber('replication.maxBatchFrames', this.replicationOptions.maxBatchFrames ?? 500, { integer: true, min: 1 }),
          resendAfterMs: checkNumber('replication.resendAfterMs', this.replicationOptions.resendAfterMs ?? 200, { min: 1 }),
        },
        () => this.drainCommits(),
      );
      this.wal.onDurable(() => (this.sender as WalSender).pump());
    }
    return { discarded, inDoubt };
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

  /** Global (2PC) transactions prepared here and waiting for a decision. */
  inDoubt(): Array<{ gid: string; txId: number; keys: string[]; meta: JsonValue | null; status: 'preparing' | 'prepared' | 'committing' }> {
    const out = [];
    for (const tx of this.preparedByGid.values()) {
      const status: 'preparing' | 'prepared' | 'committing' = tx.status === 'preparing' || tx.status === 'committing' ? tx.status : 'prepared';
      out.push({ gid: tx.gid as string, txId: tx.id, keys: [...tx.writes.keys()].sort(), meta: tx.prepareMeta, status });
    }
    return out;
  }

  /** What this node knows of a global transaction: its local outcome, 'prepared', or undefined. */
  gidState(gid: string): GidOutcome | 'prepared' | 'preparing' | 'active' | undefined {
    const prepared = this.preparedByGid.get(gid);
    if (prepared) return prepared.status === 'prepared' ? 'prepared' : prepared.status === 'committing' ? 'prepared' : 'preparing';
    return this.gidOutcomes.get(gid);
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

  private rememberGid(gid: string, outcome: GidOutcome): void {
    this.gidOutcomes.delete(gid);
    this.gidOutcomes.set(gid, outcome);
    if (this.gidOutcomes.size > this.maxGids) {
      const oldest = this.gidOutcomes.keys().next().value as string;
      this.gidOutcomes.delete(oldest);
    }
  }

  // ------------------------------------------------------------------ transactions

  /**
   * Starts a transaction. isolation: 'snapshot' (default) or 'serializable' (strict 2PL).
   * On a standby only read-only snapshot transactions are allowed.
   */
  begin(options: { isolation?: Isolation; readOnly?: boolean } = {}): Transaction {
    checkKnownKeys('begin options', options, ['isolation', 'readOnly']);
    const isolation = checkOneOf<Isolation>('begin isolation', options.isolation ?? 'snapshot', ISOLATION_LEVELS);
    if (!this.ready) throw new DatabaseUnavailableError(`database on ${this.ctx.id} is still recovering; it is ready in ${this.recovery.recoveryMs.toFixed(1)} ms of replay`);
    const readOnly = options.readOnly ?? false;
    if (this.roleNow !== 'primary' && (!readOnly || isolation !== 'snapshot')) {
      throw new DatabaseUnavailableError(`database on ${this.ctx.id} is a standby: only begin({ readOnly: true }) with snapshot isolation is allowed`);
    }
    if (this.active.size >= this.maxActive) throw new LimitExceededError(`database on ${this.ctx.id}: ${this.active.size} transactions are open, its limit (maxActiveTransactions = ${this.maxActive})`);
    const tx = new Transaction(this, this.nextTxId++, isolation, this.commitSeq, readOnly, this.ctx.simTimeMs());
    this.active.set(tx.id, tx);
    return tx;
  }

  private requireActive(tx: Transaction, what: string): void {
    if (tx.status !== 'active') throw new Error(`tx ${tx.id} ${what}: the transaction is ${tx.status}; allowed only while active`);
    if (this.active.get(tx.id) !== tx) throw new Error(`tx ${tx.id} ${what}: this transaction belongs to another database incarnation`);
  }

  private conflictInfo(conflict: LockConflict): ConflictInfo {
    const holder = this.active.get(conflict.holderTxId);
    return { ...conflict, holderGid: holder && holder.gid && holder.status !== 'active' ? holder.gid : null };
  }

  private failWith(tx: Transaction, reason: AbortReason, conflict: ConflictInfo | null, message: string): never {
    this.abort(tx, reason);
    throw new TransactionAbortedError(tx.id, reason, conflict, message);
  }

  private lockConflict(tx: Transaction, conflict: LockConflict): never {
    const info = this.conflictInfo(conflict);
    const inDoubt = info.holderGid ? ` (prepared, in doubt, for ${info.holderGid})` : '';
    return this.failWith(tx, 'lock-conflict', info, `tx ${tx.id}: ${info.requested} lock on ${info.key} refused: tx ${info.holderTxId}${inDoubt} holds it ${info.held} (NOWAIT)`);
  }

  readTx(tx: Transaction, key: string): JsonValue | undefined {
    this.requireActive(tx, `read(${key})`);
    if (tx.writes.has(key)) {
      const own = tx.writes.get(key);
      return own === null ? undefined : own;
    }
    if (tx.isolation === 'serializable') {
      const conflict = this.locks.acquireShared(tx.id, key);
      if (conflict) this.lockConflict(tx, conflict);
      return this.store.readLatest(key);
    }
    return this.store.readAt(key, tx.snapshotSeq);
  }

  writeTx(tx: Transaction, key: string, value: JsonValue | null): void {
    this.requireActive(tx, `write(${key})`);
    if (tx.readOnly) throw new Error(`tx ${tx.id} write(${key}): the transaction is read-only`);
    if (typeof key !== 'string' || key.length === 0) throw new Error(`tx ${tx.id} write: key got ${JSON.stringify(key)}; allowed: a non-empty string`);
    const conflict = this.locks.acquireExclusive(tx.id, key);
    if (conflict) this.lockConflict(tx, conflict);
    if (tx.isolation === 'snapshot') {
      const latest = this.store.latest(key);
      if (latest && latest.beginSeq > tx.snapshotSeq) {
        this.failWith(tx, 'serialization-failure', null, `tx ${tx.id}: could not serialize access due to concurrent update of ${key} (tx ${latest.xmin} committed it after this snapshot)`);
      }
    }
    const lsn = this.wal.append({ t: 'w', tx: tx.id, k: key, v: value });
    if (tx.firstLsn === 0) tx.firstLsn = lsn;
    tx.writes.set(key, value);
  }

  scanTx(tx: Transaction, prefix: string): Array<[string, JsonValue]> {
    this.requireActive(tx, `scan(${prefix})`);
    const keys = new Set(this.store.keys(prefix));
    for (const key of tx.writes.keys()) if (key.startsWith(prefix)) keys.add(key);
    if (tx.isolation === 'serializable') {
      const conflict = this.locks.acquirePrefixShared(tx.id, prefix);
      if (conflict) this.lockConflict(tx, conflict);
    }
    const out: Array<[string, JsonValue]> = [];
    for (const key of [...keys].sort()) {
      const value = this.readTx(tx, key);
      if (value !== undefined) out.push([key, value]);
    }
    return out;
  }

  /**
   * Commits: durable first, visible and acknowledged after. `done` runs when the commit
   * record is durable (and flushed by the synchronous standby, if any); a read-only
   * transaction commits at once.
   */
  commit(tx: Transaction, done: (outcome: CommitOutcome) => void = () => undefined): void {
    this.requireActive(tx, 'commit');
    if (tx.writes.size === 0) {
      this.locks.releaseAll(tx.id);
      this.active.delete(tx.id);
      tx.status = 'committed';
      this.counters.readOnlyCommitted++;
      done({ status: 'committed', txId: tx.id, commitLsn: null });
      return;
    }
    this.enqueueCommit(tx, done);
  }

  private enqueueCommit(tx: Transaction, done: (outcome: CommitOutcome) => void): void {
    const lsn = this.wal.append({ t: 'c', tx: tx.id });
    tx.status = 'committing';
    this.commitQueue.push({ tx, lsn, done });
    this.wal.flush(lsn, () => this.drainCommits());
  }

  /** Installs, in LSN order, every queued commit that is durable (and replicated, in sync mode). */
  private drainCommits(): void {
    const queue = this.commitQueue;
    const syncLsn = this.sender && this.replicationOptions.mode === 'sync' ? this.sender.syncFlushedLsn() : Infinity;
    while (this.commitQueueHead < queue.length) {
      const head = queue[this.commitQueueHead];
      if (head.lsn > this.wal.durableLsn || head.lsn > syncLsn) break;
      this.commitQueueHead++;
      this.installWrites(head.tx.id, head.tx.writes);
      this.finish(head.tx, 'committed');
      this.counters.committed++;
      head.done({ status: 'committed', txId: head.tx.id, commitLsn: head.lsn });
    }
    if (this.commitQueueHead > 1024 && this.commitQueueHead * 2 > queue.length) {
      this.commitQueue = queue.slice(this.commitQueueHead);
      this.commitQueueHead = 0;
    }
    if (this.checkpointEveryFrames !== null && this.ready && this.wal.lastLsn - this.lastRedoLsn >= this.checkpointEveryFrames) this.checkpoint();
  }

  private installWrites(txId: number, writes: Map<string, JsonValue | null>): void {
    const seq = ++this.commitSeq;
    const horizon = this.oldestSnapshotSeq();
    for (const [key, value] of writes) this.store.install(key, value, txId, seq, horizon);
  }

  /** Versions older than every running snapshot can go. */
  private oldestSnapshotSeq(): number {
    let oldest = this.commitSeq;
    for (const tx of this.active.values()) if (tx.isolation === 'snapshot' && tx.snapshotSeq < oldest) oldest = tx.snapshotSeq;
    return oldest;
  }

  private finish(tx: Transaction, status: 'committed' | 'aborted'): void {
    tx.status = status;
    this.locks.releaseAll(tx.id);
    this.active.delete(tx.id);
    if (tx.gid) {
      this.preparedByGid.delete(tx.gid);
      this.rememberGid(tx.gid, status);
    }
  }

  /** Aborts an active (or prepared, see finishPrepared) transaction: its writes are discarded and its locks released. */
  abort(tx: Transaction, reason: AbortReason = 'requested'): void {
    if (tx.status === 'aborted') return;
    if (tx.status !== 'active' && tx.status !== 'prepared') throw new Error(`tx ${tx.id} abort: the transaction is ${tx.status}; allowed only while active or prepared`);
    // The abort record need not be forced: if it is lost, recovery aborts the transaction anyway.
    if (tx.firstLsn > 0) this.wal.append({ t: 'a', tx: tx.id });
    tx.abortReason = reason;
    this.finish(tx, 'aborted');
    this.counters.aborted[reason]++;
  }

  // ------------------------------------------------------------------ 2PC participant side

  /**
   * Phase one of 2PC on this node: writes a prepare record for the global transaction
   * `gid` and forces it to disk. From then on this node may no longer abort on its own:
   * the writes and their locks survive any crash until finishPrepared() is called.
   */
  prepare(tx: Transaction, gid: string, done: (outcome: PrepareOutcome) => void, meta: JsonValue | null = null): void {
    this.requireActive(tx, `prepare(${gid})`);
    if (this.preparedByGid.has(gid) || this.gidOutcomes.has(gid)) throw new Error(`tx ${tx.id} prepare: global transaction ${gid} is already known here (${this.gidState(gid)})`);
    const lsn = this.wal.append(meta === null ? { t: 'p', tx: tx.id, gid } : { t: 'p', tx: tx.id, gid, meta });
    if (tx.firstLsn === 0) tx.firstLsn = lsn;
    tx.gid = gid;
    tx.prepareMeta = meta;
    tx.status = 'preparing';
    this.preparedByGid.set(gid, tx);
    this.wal.flush(lsn, () => {
      tx.status = 'prepared';
      // Strict 2PL may drop read locks once nothing more will be locked; write locks stay.
      this.locks.releaseShared(tx.id);
      this.counters.prepared++;
      done({ status: 'prepared', txId: tx.id, prepareLsn: lsn });
      const waiting = this.decisionsAwaitingPrepare.get(gid);
      this.decisionsAwaitingPrepare.delete(gid);
      if (waiting) for (const apply of waiting) apply();
    });
  }

  /**
   * Phase two on this node: applies the coordinator's decision to the prepared
   * transaction. 'commit' writes and forces a commit record (done runs when durable);
   * 'abort' writes an abort record and releases at once. Repeating a decision already
   * applied is harmless (the coordinator resends until it hears back).
   */
  finishPrepared(gid: string, decision: 'commit' | 'abort', done: (outcome: GidOutcome) => void): void {
    const tx = this.preparedByGid.get(gid);
    if (tx && tx.status === 'preparing') {
      // The coordinator gave up waiting (abort) while our prepare record was being forced.
      const waiting = this.decisionsAwaitingPrepare.get(gid) ?? [];
      waiting.push(() => this.finishPrepared(gid, decision, done));
      this.decisionsAwaitingPrepare.set(gid, waiting);
      return;
    }
    if (!tx || tx.status !== 'prepared') {
      const known = this.gidOutcomes.get(gid);
      if (known === 'committed' && decision === 'commit') return done('committed');
      if ((known === 'aborted' || known === 'refused') && decision === 'abort') return done(known);
      if (tx && tx.status === 'committing' && decision === 'commit') {
        this.whenCommitted(tx, () => done('committed'));
        return;
      }
      throw new Error(`finishPrepared(${gid}, ${decision}) on ${this.ctx.id}: the global transaction is ${tx ? tx.status : known ?? 'unknown'} here; a decision to ${decision} contradicts it`);
    }
    if (decision === 'abort') {
      this.abort(tx, 'global-abort');
      done('aborted');
      return;
    }
    this.enqueueCommit(tx, () => done('committed'));
  }

  private whenCommitted(tx: Transaction, fn: () => void): void {
    for (let i = this.commitQueueHead; i < this.commitQueue.length; i++) {
      const pending = this.commitQueue[i];
      if (pending.tx === tx) {
        const previous = pending.done;
        pending.done = (outcome) => {
          previous(outcome);
          fn();
        };
        return;
      }
    }
    throw new Error(`tx ${tx.id} is committing but not in the commit queue`);
  }

  /**
   * Cooperative termination: a peer asked about `gid`, which this node has not prepared.
   * By answering "aborted" it promises never to vote yes for it; the promise is forced to
   * the WAL before the answer goes out, so it survives a crash. Returns what the node can
   * say now ('refused' promises abort; 'prepared' means "I am in doubt too").
   */
  refuse(gid: string, done: (state: GidOutcome | 'prepared') => void): void {
    const state = this.gidState(gid);
    if (state === 'committed' || state === 'aborted' || state === 'refused') return done(state);
    if (state === 'prepared' || state === 'preparing') return done('prepared');
    this.rememberGid(gid, 'refused');
    const lsn = this.wal.append({ t: 'refuse', gid });
    this.wal.flush(lsn, () => done('refused'));
  }

  // ------------------------------------------------------------------ checkpoints

  private startCheckpointTimer(): void {
    const every = this.checkpointEveryMs;
    if (every === null) return;
    const tick = () => {
      this.checkpoint();
      this.ctx.setTimer(every, tick);
    };
    this.ctx.setTimer(every, tick);
  }

  /**
   * Writes a checkpoint image of every committed row, forces it, then records the new
   * redo point and drops WAL segments entirely before it (and not needed by a standby).
   * Returns false when one is already running or the database is not ready.
   */
  checkpoint(done: (report: CheckpointReport) => void = () => undefined): boolean {
    if (this.checkpointInFlight || !this.ready) return false;
    this.checkpointInFlight = true;
    const startedAtMs = this.ctx.simTimeMs();
    let imageLsn: number;
    let redoLsn: number;
    if (this.receiver) {
      // A standby's restartpoint: its store is exactly what it replayed.
      imageLsn = Math.min(this.receiver.replayedLsn, this.wal.durableLsn);
      redoLsn = Math.min(imageLsn + 1, (this.applier as RedoApplier).oldestUnfinishedLsn());
    } else {
      const pending = this.commitQueueHead < this.commitQueue.length ? this.commitQueue[this.commitQueueHead].lsn : Infinity;
      imageLsn = Math.min(pending - 1, this.wal.durableLsn);
      redoLsn = imageLsn + 1;
      for (const tx of this.active.values()) if (tx.firstLsn > 0 && tx.firstLsn < redoLsn) redoLsn = tx.firstLsn;
    }
    const image: CheckpointImage = {
      header: {
        kind: 'checkpoint-image',
        imageLsn,
        redoLsn,
        nextTxId: this.receiver ? Math.max(this.nextTxId, (this.applier as RedoApplier).maxTxIdSeen + 1) : this.nextTxId,
        rowCount: 0,
        gidOutcomes: [...this.gidOutcomes.entries()],
        takenAtMs: startedAtMs,
      },
      rows: this.store.committedRows(),
    };
    image.header.rowCount = image.rows.length;
    writeCheckpointImage(this.ctx.disk, this.imageFile, image);
    this.ctx.fsync(() => {
      this.checkpointInFlight = false;
      // Only a primary writes WAL of its own; a standby's WAL must stay identical to its primary's.
      if (this.roleNow === 'primary' && !this.receiver) this.wal.append({ t: 'ckpt', redoLsn, imageLsn });
      const keepFrom = Math.min(redoLsn, this.sender ? this.sender.slotLsn() : Infinity);
      const segmentsEmptied = this.wal.truncateBefore(Math.min(keepFrom, this.wal.durableLsn + 1));
      this.lastRedoLsn = redoLsn;
      const report: CheckpointReport = {
        imageLsn,
        redoLsn,
        rows: image.rows.length,
        segmentsEmptied,
        walFramesRetained: this.wal.retainedFrames,
        walCharsRetained: this.wal.sizeChars,
        startedAtMs,
        durableAtMs: this.ctx.simTimeMs(),
      };
      this.lastCheckpoint = report;
      this.counters.checkpoints++;
      this.onEvent({ kind: 'checkpoint', node: this.ctx.id, atMs: report.durableAtMs, report });
      done(report);
    });
    return true;
  }

  // ------------------------------------------------------------------ replication

  /** Feed replication messages here from the node's onMessage; returns false for other messages. */
  handleReplicationMessage(from: string, message: unknown): boolean {
    if (!isReplicationMessage(message)) return false;
    const m = message as ReplicationMessage;
    if (m.type === 'standby-status') {
      if (this.sender && this.ready) this.sender.onStatus(from, m);
    } else if (this.receiver) {
      this.receiver.onBatch(from, m.entries);
    }
    return true;
  }

  /**
   * Promotes a standby to primary (pg_promote): stop streaming, make everything received
   * durable and replay it, discard transactions whose commit never arrived, and start
   * accepting writes. The role is written to disk so a restart keeps it.
   */
  promote(done: (report: PromotionReport) => void = () => undefined): void {
    if (this.roleNow !== 'standby' || !this.receiver) throw new Error(`promote on ${this.ctx.id}: the database is ${this.ready ? this.roleNow : 'still recovering'}; allowed: a ready standby`);
    const receiver = this.receiver;
    receiver.stop();
    this.ready = false;
    this.ctx.disk.put(ROLE_FILE, 'primary');
    const finish = () => {
      const replayed = receiver.replayEverythingReceived();
      this.ctx.setTimer(replayed * this.cost.perFrameMs, () => {
        this.receiver = null;
        this.roleNow = 'primary';
        const { discarded, inDoubt } = this.endRecovery();
        this.ready = true;
        const report: PromotionReport = { lastLsn: this.wal.lastLsn, framesReplayedAtPromotion: replayed, discardedTxIds: discarded, inDoubtGids: inDoubt };
        this.onEvent({ kind: 'promoted', node: this.ctx.id, atMs: this.ctx.simTimeMs(), report });
        this.onEvent({ kind: 'ready', node: this.ctx.id, atMs: this.ctx.simTimeMs(), role: 'primary' });
        done(report);
      });
    };
    if (this.wal.lastLsn > this.wal.durableLsn) this.wal.flush(this.wal.lastLsn, finish);
    else this.ctx.fsync(finish); // the role file must be durable too
  }
}

/** Thrown by begin() while recovering, or for writes on a standby. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

export type { WalEntry };
