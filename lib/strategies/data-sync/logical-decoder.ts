/**
 * Logical decoding of lib/storage's WAL: turns physical log records into the change stream that
 * CDC tools (PostgreSQL's logical decoding, Debezium) publish.
 *
 * The WAL holds each write when it is made ('w'), long before the transaction ends, and
 * interleaves concurrent transactions. The decoder buffers writes per transaction and emits a
 * transaction only at its commit record, so what comes out is
 *   - only committed transactions (writes of an aborted transaction, or of one a crash cut off and
 *     recovery ended with an abort record, are dropped with their buffer),
 *   - in commit order (the order of commit records in the log),
 *   - with transaction boundaries (every change names its transaction, commit LSN and size),
 *   - with before-images: the decoder keeps the last committed value of every key it has decoded
 *     (REPLICA IDENTITY FULL), which is exact when decoding starts at the beginning of the log.
 *
 * It is a pure state machine: feed it WAL entries in LSN order, read decoded transactions back.
 */
import { LimitExceededError } from '../../sim';
import type { JsonValue } from '../../storage/version-store';
import type { DbWalRecord } from '../../storage/wal-records';
import type { WalEntry } from '../../storage/write-ahead-log';
import { tableOf } from './sync-event';

export interface DecodedChange {
  table: string;
  key: string;
  before: JsonValue | null;
  after: JsonValue | null;
  lsn: number;
}

export interface DecodedTransaction {
  txId: number;
  commitLsn: number;
  changes: DecodedChange[];
}

export interface DecoderStats {
  entriesDecoded: number;
  committed: number;
  /** Transactions whose buffered writes were dropped (abort record). */
  discarded: number;
  changesEmitted: number;
}

export class LogicalDecoder {
  readonly stats: DecoderStats = { entriesDecoded: 0, committed: 0, discarded: 0, changesEmitted: 0 };
  private readonly open = new Map<number, Array<{ key: string; value: JsonValue | null; lsn: number }>>();
  private readonly image = new Map<string, JsonValue | null>();
  private lastLsn = 0;

  constructor(
    /** Tables to publish (the publication); other keys are decoded for their before-images only if listed. */
    private readonly tables: readonly string[],
    private readonly maxOpenTransactions = 10_000,
  ) {}

  /** The last LSN decoded. */
  get decodedLsn(): number {
    return this.lastLsn;
  }

  get openTransactions(): number {
    return this.open.size;
  }

  /** Decodes entries (strictly after decodedLsn, in order); returns the transactions that committed among them. */
  decode(entries: ReadonlyArray<WalEntry<DbWalRecord>>): DecodedTransaction[] {
    const out: DecodedTransaction[] = [];
    for (const entry of entries) {
      if (entry.lsn !== this.lastLsn + 1) throw new Error(`logical decoder: got LSN ${entry.lsn} after ${this.lastLsn}; entries must come in order without gaps`);
      this.lastLsn = entry.lsn;
      this.stats.entriesDecoded++;
      const record = entry.payload;
      switch (record.t) {
        case 'w': {
          if (!this.tables.includes(tableOf(record.k))) break;
          let writes = this.open.get(record.tx);
          if (!writes) {
            if (this.open.size >= this.maxOpenTransactions) throw new LimitExceededError(`logical decoder: ${this.open.size} open transactions buffered, its limit (${this.maxOpenTransactions})`);
            writes = [];
            this.open.set(record.tx, writes);
          }
          writes.push({ key: record.k, value: record.v, lsn: entry.lsn });
          break;
        }
        case 'c': {
          const writes = this.open.get(record.tx) ?? [];
          this.open.delete(record.tx);
          this.stats.committed++;
          if (writes.length === 0) break;
          // A transaction that wrote one key twice publishes its last value for it, once.
          const lastWrite = new Map<string, { value: JsonValue | null; lsn: number }>();
          for (const w of writes) lastWrite.set(w.key, { value: w.value, lsn: w.lsn });
          const changes: DecodedChange[] = [];
          for (const [key, w] of lastWrite) {
            const before = this.image.has(key) ? (this.image.get(key) as JsonValue | null) : null;
            changes.push({ table: tableOf(key), key, before, after: w.value, lsn: w.lsn });
            this.image.set(key, w.value);
          }
          changes.sort((a, b) => a.lsn - b.lsn);
          this.stats.changesEmitted += changes.length;
          out.push({ txId: record.tx, commitLsn: entry.lsn, changes });
          break;
        }
        case 'a':
          if (this.open.delete(record.tx)) this.stats.discarded++;
          break;
        case 'p':
          // A prepared (2PC) transaction stays open until its commit or abort record.
          break;
        default:
          break;
      }
    }
    return out;
  }
}
