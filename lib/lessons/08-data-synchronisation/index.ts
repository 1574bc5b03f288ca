/**
 * Notebook 08 — data synchronisation without dual writes: the dual-write failure sweep, the
 * outbox and CDC fixes with idempotent consumers, and event sourcing (replay, snapshots,
 * optimistic concurrency, upcasting).
 */
export * from './scenario';
export * from './dual-writes';
export * from './fixes';
export * from './event-sourcing';
export * from './real-postgres';
