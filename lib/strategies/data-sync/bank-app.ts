/**
 * The bank's core application node: a lib/storage Database plus a workload of balance updates,
 * and one of three ways of getting every change to the downstream services:
 *
 * - 'dual-write': the application itself writes twice — the database, and the log. In
 *   'commit-then-publish' order a crash after the commit, or a log that stays down longer than
 *   the retries, loses the event; a retry that lands after a newer event reorders the key. In
 *   'publish-then-commit' order, an event goes out for a transaction that then rolls back.
 * - 'outbox': the event is a row written in the same transaction (outbox-relay.ts).
 * - 'cdc': the application writes only its row; the connector tails the WAL (cdc-connector.ts).
 *
 * Each update reads an account row `{ balancePaise, v }` and writes it back with v + 1. A
 * fraction of the transactions is rolled back by the application (a business rule rejects them
 * after the write), and a crash rolls back whatever had not committed.
 */
import type { NodeBehaviour, NodeContext } from '../../sim';
import { Database, DatabaseUnavailableError } from '../../storage/database';
import { TransactionAbortedError } from '../../storage/transaction';
import type { JsonValue } from '../../storage/version-store';
import { CdcConnector, CdcStats } from './cdc-connector';
import { LogProducer } from './log-producer';
import { OutboxRelay, RelayStats, outboxKey } from './outbox-relay';
import { isLogMessage } from './partitioned-log';
import { AccountRow, Capture, SyncEvent, syncAccountKey, eventId } from './sync-event';

export type DualWriteOrder = 'commit-then-publish' | 'publish-then-commit';

export interface BankAppOptions {
  broker: string;
  capture: Capture;
  dualWriteOrder: DualWriteOrder;
  accounts: number;
  /** Mean time between updates, ms (Poisson arrivals). */
  updateEveryMs: number;
  /** No new updates from this time on. */
  workloadEndMs: number;
  /** Fraction of updates the application rolls back. */
  rollbackFraction: number;
  /** Fraction of updates that are transfers: two rows in one transaction. */
  transferFraction: number;
  publishTimeoutMs: number;
  /** Dual write: resends before the application gives an event up. */
  publishRetries: number;
  /**
   * Dual write: the producer buffers a record this long before sending it (Kafka's linger.ms),
   * so a crash in that window loses it.
   */
  lingerMs: number;
  relayEveryMs: number;
  batchMax: number;
}

/** Counters that outlive crashes (the harness owns them). */
export interface BankAppStats {
  updatesStarted: number;
  committed: number;
  rolledBack: number;
  conflicts: number;
  /** Dual write: events given up after the retries. */
  publishGivenUp: number;
  relay: RelayStats;
  cdc: CdcStats;
  /** Commit time of every committed change, by event id (when the node saw it commit). */
  commitAtMs: Map<string, number>;
}

export function newBankAppStats(): BankAppStats {
  return {
    updatesStarted: 0,
    committed: 0,
    rolledBack: 0,
    conflicts: 0,
    publishGivenUp: 0,
    relay: { polls: 0, batchesPublished: 0, eventsPublished: 0, rowsMarked: 0 },
    cdc: { polls: 0, batchesPublished: 0, eventsPublished: 0, confirmedLsn: 0 },
    commitAtMs: new Map(),
  };
}

export interface BankAppBehaviour extends NodeBehaviour {
  readonly db: Database;
  /** True when nothing is waiting to be published (dual-write batches, outbox rows, undecoded WAL). */
  captureIdle(): boolean;
  readonly cdc: CdcConnector | null;
}

export function bankAppNode(ctx: NodeContext, options: BankAppOptions, stats: BankAppStats): BankAppBehaviour {
  const db = Database.open(ctx);
  const producer = new LogProducer(ctx, options.broker, options.publishTimeoutMs, 100_000);
  const relay = options.capture === 'outbox' ? new OutboxRelay(ctx, db, producer, options.relayEveryMs, options.batchMax, stats.relay) : null;
  const cdc = options.capture === 'cdc' ? new CdcConnector(ctx, db, producer, options.relayEveryMs, options.batchMax, stats.cdc) : null;

  /** Dual-write events in the producer's buffer, not yet sent. */
  let lingering = 0;

  function publishNow(event: SyncEvent): void {
    producer.send({
      records: [{ key: event.key, value: event as unknown as JsonValue }],
      retries: options.publishRetries,
      onAck: () => undefined,
      onGiveUp: () => stats.publishGivenUp++,
    });
  }

  function update(): void {
    if (ctx.simTimeMs() >= options.workloadEndMs) return;
    ctx.setTimer(ctx.random.exponential(options.updateEveryMs), update);
    if (!db.isReady) return;
    stats.updatesStarted++;
    // A deposit or withdrawal changes one row; a transfer changes two in one transaction.
    const first = ctx.random.int(1, options.accounts);
    const transfer = options.accounts > 1 && ctx.random.chance(options.transferFraction);
    const amount = ctx.random.int(-500, 1000) * 100;
    const legs: Array<{ key: string; amount: number }> = [{ key: syncAccountKey(first), amount }];
    if (transfer) {
      const second = 1 + ((first + ctx.random.int(0, options.accounts - 2)) % options.accounts);
      legs[0].amount = -Math.abs(amount);
      legs.push({ key: syncAccountKey(second), amount: Math.abs(amount) });
    }
    const rollback = ctx.random.chance(options.rollbackFraction);
    try {
      const tx = db.begin();
      const events: SyncEvent[] = legs.map(({ key, amount: delta }) => {
        const before = (db.readTx(tx, key) as unknown as AccountRow | undefined) ?? null;
        const after: AccountRow = { balancePaise: (before?.balancePaise ?? 0) + delta, v: (before?.v ?? 0) + 1 };
        db.writeTx(tx, key, after as unknown as JsonValue);
        return {
          id: eventId(key, after.v),
          capture: options.capture,
          table: 'accounts',
          key,
          version: after.v,
          position: after.v,
          before: before as unknown as JsonValue,
          after: after as unknown as JsonValue,
          txId: tx.id,
          commitLsn: null,
          lsn: null,
          txChangeCount: legs.length,
        };
      });
      if (options.capture === 'outbox') events.forEach((event, i) => db.writeTx(tx, outboxKey(tx.id, i), event as unknown as JsonValue));
      if (options.capture === 'dual-write' && options.dualWriteOrder === 'publish-then-commit') events.forEach(publishNow);
      if (rollback) {
        db.abort(tx);
        stats.rolledBack++;
        return;
      }
      db.commit(tx, (outcome) => {
        if (outcome.status !== 'committed') {
          stats.rolledBack++;
          return;
        }
        stats.committed++;
        for (const event of events) stats.commitAtMs.set(event.id, ctx.simTimeMs());
        if (options.capture === 'dual-write' && options.dualWriteOrder === 'commit-then-publish') {
          lingering++;
          ctx.setTimer(options.lingerMs, () => {
            lingering--;
            events.forEach(publishNow);
          });
        }
      });
    } catch (error) {
      if (error instanceof TransactionAbortedError) {
        stats.conflicts++;
        return;
      }
      if (error instanceof DatabaseUnavailableError) return;
      throw error;
    }
  }

  return {
    db,
    cdc,
    onStart() {
      relay?.start();
      db.whenReady(() => cdc?.start());
      ctx.setTimer(ctx.random.exponential(options.updateEveryMs), update);
    },
    onMessage(_from, message) {
      if (isLogMessage(message) && message.type === 'produce-ack') producer.onAck(message);
    },
    captureIdle() {
      if (!db.isReady || db.activeTransactionCount() > 0 || producer.pendingCount > 0 || lingering > 0) return false;
      if (relay) return relay.idle && relay.backlog() === 0;
      if (cdc) return cdc.idle;
      return true;
    },
  };
}
