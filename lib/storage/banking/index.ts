/** The core-banking ledger built on the storage engine: transfers, invariants, a simulated cluster, and the lesson experiments. */
export { runTransfer, openAccountsOnce, accountKey, transferKey, transferOutcomes, ACCOUNT_PREFIX, TRANSFER_PREFIX } from './transfer';
export type { TransferRequest, TransferResult, TransferRejection, TransferRecord, TransferHooks } from './transfer';
export { checkLedger } from './ledger-check';
export type { LedgerCheckInput, LedgerCheckResult } from './ledger-check';
export { ledgerCluster } from './ledger-cluster';
export type { LedgerCluster, LedgerClusterOptions, LedgerLoadOptions, LedgerNodeOptions, TransferOperation } from './ledger-cluster';
export { writeSkewDemo } from './write-skew';
export type { WriteSkewOptions, WriteSkewResult, WriteSkewStep } from './write-skew';
export { crashAtRandomPoints, checkpointIntervalExperiment, standbyExperiment, standbySummaryRow } from './experiments';
export type { CrashPointsOptions, CrashPointRow, CheckpointIntervalOptions, CheckpointIntervalRow, StandbyExperimentOptions, StandbyExperimentResult } from './experiments';
