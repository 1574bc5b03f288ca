/** lib/lessons/04-sync-replication-2pc: the code of notebook 04, synchronous replication and two-phase commit (NEFT/RTGS). See README.md for which section uses what. */
export * from './scenario';
export * from './coordinator-crash';
export * from './latency';
export * from './one-transfer';
export * from './throughput';
