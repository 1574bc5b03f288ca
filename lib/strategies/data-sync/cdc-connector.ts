/**
 * Change data capture by tailing lib/storage's WAL, the way a logical replication slot works:
 * the connector runs beside the database (as PostgreSQL's walsender runs logical decoding on the
 * primary), reads only durable WAL, decodes it (logical-decoder.ts), publishes each committed
 * transaction's changes to the log, and after the broker's acknowledgement makes the transaction's
 * commit LSN durable as its confirmed position (the slot's confirmed_flush_lsn).
 *
 * After a crash it decodes again from the start of the retained WAL (the slot's restart point:
 * before-images and open transactions must be rebuilt) but publishes only transactions that
 * commit after the confirmed LSN. A crash between publish and confirm republishes: duplicates,
 * never loss. The application does nothing: no second write, no outbox table.
 */
import type { NodeContext } from '../../sim';
import type { Database } from '../../storage/database';
import type { JsonValue } from '../../storage/version-store';
import { LogicalDecoder } from './logical-decoder';
import { LogProducer } from './log-producer';
import { ACCOUNTS_TABLE, SyncEvent, eventId, rowVersion } from './sync-event';

const SLOT_FILE = 'cdc-slot';
const MAX_SCAN_ENTRIES = 2_000;

export interface CdcStats {
  polls: number;
  batchesPublished: number;
  eventsPublished: number;
  confirmedLsn: number;
}

export class CdcConnector {
  private readonly decoder = new LogicalDecoder([ACCOUNTS_TABLE]);
  private confirmedLsn: number;
  private busy = false;
  private queue: SyncEvent[] = [];

  constructor(
    private readonly ctx: NodeContext,
    private readonly db: Database,
    private readonly producer: LogProducer,
    private readonly everyMs: number,
    private readonly batchMax: number,
    private readonly stats: CdcStats,
  ) {
    this.confirmedLsn = ctx.disk.get<number>(SLOT_FILE) ?? 0;
    stats.confirmedLsn = this.confirmedLsn;
  }

  start(): void {
    this.ctx.setTimer(this.everyMs, () => this.poll());
  }

  get confirmed(): number {
    return this.confirmedLsn;
  }

  /** Durable WAL the slot has not confirmed yet (frames). */
  lagFrames(): number {
    return Math.max(0, this.db.wal.durableLsn - this.confirmedLsn);
  }

  get idle(): boolean {
    return !this.busy && this.queue.length === 0 && this.decoder.decodedLsn >= this.db.wal.durableLsn;
  }

  private poll(): void {
    this.ctx.setTimer(this.everyMs, () => this.poll());
    if (!this.db.isReady) return;
    this.stats.polls++;
    const entries = this.db.wal.durableEntriesFrom(this.decoder.decodedLsn + 1, MAX_SCAN_ENTRIES);
    for (const tx of this.decoder.decode(entries)) {
      if (tx.commitLsn <= this.confirmedLsn) continue; // published and confirmed before a restart
      for (const change of tx.changes) {
        const version = rowVersion(change.after);
        this.queue.push({
          id: eventId(change.key, version),
          capture: 'cdc',
          table: change.table,
          key: change.key,
          version,
          position: tx.commitLsn,
          before: change.before,
          after: change.after,
          txId: tx.txId,
          commitLsn: tx.commitLsn,
          lsn: change.lsn,
          txChangeCount: tx.changes.length,
        });
      }
    }
    if (this.busy || this.queue.length === 0) return;
    // Whole transactions per batch, so the confirmed LSN never splits one.
    let take = Math.min(this.batchMax, this.queue.length);
    while (take < this.queue.length && this.queue[take].commitLsn === this.queue[take - 1].commitLsn) take++;
    const batch = this.queue.slice(0, take);
    this.busy = true;
    this.producer.send({
      records: batch.map((e) => ({ key: e.key, value: e as unknown as JsonValue })),
      retries: Infinity,
      onAck: () => {
        this.queue = this.queue.slice(take);
        this.stats.batchesPublished++;
        this.stats.eventsPublished += batch.length;
        const lsn = batch[batch.length - 1].commitLsn as number;
        this.ctx.disk.put(SLOT_FILE, lsn);
        this.ctx.fsync(() => {
          this.confirmedLsn = Math.max(this.confirmedLsn, lsn);
          this.stats.confirmedLsn = this.confirmedLsn;
          this.busy = false;
        });
      },
    });
  }
}
