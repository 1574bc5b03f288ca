/** lib/lessons/05-banking-acid: the code of notebook 05, ACID in a core-banking ledger. See README.md for which section uses what. */
export * from './crash-checkpoint-standby';
export * from './transactional-anomalies';
export * from './write-skew';
