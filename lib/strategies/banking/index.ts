/**
 * The core-banking ledger built on lib/storage's database: a transfer as one transaction, and a
 * simulated cluster (a primary, optionally a standby fed by WAL shipping, teller clients). Its
 * invariants are checked by lib/check's checkLedger; notebook 05's experiments are in
 * lib/lessons/05-banking-acid.
 */
export { runTransfer, openAccountsOnce, accountKey, transferKey, transferOutcomes, ACCOUNT_PREFIX, TRANSFER_PREFIX } from './transfer';
export type { TransferRequest, TransferResult, TransferRejection, TransferRecord, TransferHooks } from './transfer';
export { ledgerCluster } from './ledger-cluster';
export type { LedgerCluster, LedgerClusterOptions, LedgerLoadOptions, LedgerNodeOptions, TransferOperation } from './ledger-cluster';
