/**
 * The transactional outbox's relay. The application writes the event as a row of the `outbox/`
 * table in the same lib/storage transaction as the business change, so the event exists if and
 * only if the change committed. The relay, running beside the database, polls committed outbox
 * rows in id order, publishes them, and after the broker's acknowledgement deletes them in a
 * transaction of its own ("marks them sent").
 *
 * A crash between the acknowledgement and the delete leaves the rows in place: the next relay
 * incarnation publishes them again. Duplicates, never loss.
 */
import type { Database } from '../../storage/database';
import type { JsonValue } from '../../storage/version-store';
import type { NodeContext } from '../../sim';
import { LogProducer } from './log-producer';
import type { SyncEvent } from './sync-event';

export const OUTBOX_TABLE = 'outbox';

/** Outbox row key: zero-padded transaction id, so key order is id order. */
export function outboxKey(txId: number, index: number): string {
  return `${OUTBOX_TABLE}/${String(txId).padStart(10, '0')}-${String(index).padStart(3, '0')}`;
}

export interface RelayStats {
  polls: number;
  batchesPublished: number;
  eventsPublished: number;
  rowsMarked: number;
}

export class OutboxRelay {
  private busy = false;

  constructor(
    private readonly ctx: NodeContext,
    private readonly db: Database,
    private readonly producer: LogProducer,
    private readonly everyMs: number,
    private readonly batchMax: number,
    private readonly stats: RelayStats,
  ) {}

  start(): void {
    this.ctx.setTimer(this.everyMs, () => this.poll());
  }

  /** Outbox rows not yet marked sent. */
  backlog(): number {
    return this.db.isReady ? this.db.committedRows(`${OUTBOX_TABLE}/`).length : 0;
  }

  get idle(): boolean {
    return !this.busy;
  }

  private poll(): void {
    this.ctx.setTimer(this.everyMs, () => this.poll());
    if (this.busy || !this.db.isReady) return;
    this.stats.polls++;
    const rows = this.db.committedRows(`${OUTBOX_TABLE}/`).slice(0, this.batchMax);
    if (rows.length === 0) return;
    this.busy = true;
    const records = rows.map(([, value]) => ({ key: (value as unknown as SyncEvent).key, value: value as JsonValue }));
    this.producer.send({
      records,
      retries: Infinity,
      onAck: () => {
        this.stats.batchesPublished++;
        this.stats.eventsPublished += records.length;
        this.mark(rows.map(([key]) => key));
      },
    });
  }

  private mark(keys: string[]): void {
    const tx = this.db.begin();
    for (const key of keys) this.db.writeTx(tx, key, null);
    this.db.commit(tx, (outcome) => {
      if (outcome.status === 'committed') this.stats.rowsMarked += keys.length;
      this.busy = false;
    });
  }
}
