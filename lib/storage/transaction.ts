/**
 * A transaction handle and the ways a transaction can end. The engine logic lives in
 * Database; a Transaction is the learner-facing handle: tx.read, tx.write, tx.scan.
 */
import type { JsonValue } from './version-store';
import type { LockMode } from './lock-table';

/**
 * - 'snapshot': snapshot isolation. Reads see the database as of the transaction's start
 *   and take no locks; writers take row locks; the first updater wins (a transaction that
 *   writes a row someone else committed after its snapshot is aborted). Allows write skew.
 * - 'serializable': strict two-phase locking. Reads take shared locks, writes exclusive
 *   locks, scans a shared lock on the key prefix; all are held until commit or abort
 *   (read locks until prepare in 2PC). This is what MySQL/InnoDB's SERIALIZABLE does.
 *   PostgreSQL instead uses SSI (serializable snapshot isolation), which detects the
 *   dangerous read-write patterns without blocking readers; see the notebook's exercises.
 */
export type Isolation = 'snapshot' | 'serializable';
export const ISOLATION_LEVELS: readonly Isolation[] = ['snapshot', 'serializable'];

export type TxStatus = 'active' | 'preparing' | 'prepared' | 'committing' | 'committed' | 'aborted';

export type AbortReason =
  /** A lock another transaction holds (NOWAIT). */
  | 'lock-conflict'
  /** Snapshot isolation's first-updater-wins: the row changed after this snapshot. */
  | 'serialization-failure'
  /** The application asked for it (e.g. insufficient funds). */
  | 'requested'
  /** 2PC: the coordinator decided to abort the global transaction. */
  | 'global-abort';

export interface ConflictInfo {
  key: string;
  requested: LockMode;
  held: LockMode;
  holderTxId: number;
  /** When the holder is a prepared 2PC transaction: its global id (the row is locked "in doubt"). */
  holderGid: string | null;
}

export class TransactionAbortedError extends Error {
  constructor(
    readonly txId: number,
    readonly reason: AbortReason,
    readonly conflict: ConflictInfo | null,
    message: string,
  ) {
    super(message);
    this.name = 'TransactionAbortedError';
  }
}

/** The engine behind a handle; implemented by Database. */
export interface TransactionEngine {
  readTx(tx: Transaction, key: string): JsonValue | undefined;
  writeTx(tx: Transaction, key: string, value: JsonValue | null): void;
  scanTx(tx: Transaction, prefix: string): Array<[string, JsonValue]>;
}

export class Transaction {
  status: TxStatus = 'active';
  /** LSN of this transaction's first WAL record (0 while it has logged nothing). */
  firstLsn = 0;
  /** The global transaction id once prepared for 2PC. */
  gid: string | null = null;
  /** What the prepare record carried besides the gid (2PC: coordinator and peers). */
  prepareMeta: JsonValue | null = null;
  /** Pending writes, applied to the store only at commit (null: delete). */
  readonly writes = new Map<string, JsonValue | null>();
  abortReason: AbortReason | null = null;

  constructor(
    private readonly engine: TransactionEngine,
    readonly id: number,
    readonly isolation: Isolation,
    /** Commit sequence number this transaction's snapshot sees up to. */
    readonly snapshotSeq: number,
    readonly readOnly: boolean,
    readonly beganAtMs: number,
  ) {}

  /** The value of key, or undefined when absent. May throw TransactionAbortedError (serializable mode: lock conflict). */
  read(key: string): JsonValue | undefined {
    return this.engine.readTx(this, key);
  }

  /** Writes key. May throw TransactionAbortedError (lock conflict, or a concurrent update under snapshot isolation). */
  write(key: string, value: JsonValue): void {
    if (value === null || value === undefined) throw new Error(`tx ${this.id} write(${key}): value got ${String(value)}; allowed: a JSON value (use delete to remove a key)`);
    this.engine.writeTx(this, key, value);
  }

  delete(key: string): void {
    this.engine.writeTx(this, key, null);
  }

  /** Every [key, value] whose key starts with prefix, sorted by key. */
  scan(prefix: string): Array<[string, JsonValue]> {
    return this.engine.scanTx(this, prefix);
  }
}

export type CommitOutcome =
  | { status: 'committed'; txId: number; /** null for a read-only transaction, which writes no WAL. */ commitLsn: number | null }
  | { status: 'aborted'; txId: number; reason: AbortReason; detail: string };

export type PrepareOutcome = { status: 'prepared'; txId: number; prepareLsn: number };
