/**
 * lib/strategies/data-sync: moving a bank's changes to other systems without dual writes.
 * A durable partitioned log with consumer groups (partitioned-log.ts), the failing dual write and
 * the two fixes — the transactional outbox (outbox-relay.ts) and CDC by logical decoding of
 * lib/storage's WAL (logical-decoder.ts, cdc-connector.ts) — idempotent consumers (consumer.ts),
 * the pipeline builder (pipeline.ts), and event sourcing (event-store.ts).
 */
export * from './sync-event';
export * from './partitioned-log';
export * from './log-producer';
export * from './logical-decoder';
export * from './cdc-connector';
export * from './outbox-relay';
export * from './consumer';
export * from './bank-app';
export * from './pipeline';
export * from './event-store';
export * from './account-events';
export * from './fault-schedule';
