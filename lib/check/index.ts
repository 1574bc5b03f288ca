/**
 * lib/check: consistency checkers for recorded histories — linearizability (register and
 * key-value store, Porcupine-style search) and session guarantees (read-your-writes,
 * monotonic reads) — plus readers for the JSON, Jepsen and Porcupine-kv history formats.
 * See README.md in this folder.
 */
export type {
  CheckedOperation,
  History,
  HistoryFormat,
  HistoryInput,
  HistoryLike,
  KvInput,
  KvValue,
  ModelName,
  OperationOutput,
  ParsedHistory,
  RegisterInput,
  RegisterValue,
  SourceLines,
  Verdict,
} from './history-types';
export { HistoryInputError } from './history-types';
export { validateHistory, validateOperation, inferModel } from './validate-history';
export { parseHistoryJson } from './parse-history-json';
export { parseJepsenLog } from './parse-jepsen-log';
export { parsePorcupineKv } from './parse-porcupine-kv';
export { detectFormat, parseHistory, HISTORY_FORMATS } from './detect-format';
export type {
  BlockedOperation,
  Counterexample,
  KeyResult,
  LinearizabilityOptions,
  LinearizabilityResult,
  LinearizedOperation,
} from './linearizability';
export { checkLinearizable, checkValidatedHistory, partitionHistory, DEFAULT_TIMEOUT_MS } from './linearizability';
export { describeOperation, formatValue } from './sequential-models';
export type {
  GuaranteeResult,
  SessionCheckOptions,
  SessionCheckResult,
  SessionGuarantee,
  SessionViolation,
} from './session-guarantees';
export { checkSessionGuarantees } from './session-guarantees';
export type { Mop, TransactionRecord, Txn, TxnElement, TxnKey, TxnOp, TxnOpType, TxnWorkload } from './txn-history';
export { TxnHistoryError, opsFromRecords, transactionsOf } from './txn-history';
export { DepGraph, WW, WR, RW, PROCESS, REALTIME, findCycle } from './txn-graph';
export type { CycleShape, CycleStep, EdgeWhy, RelName, SearchBudget } from './txn-graph';
export { inferDependencies } from './txn-infer';
export type { AnomalyCases, Inference, InferOptions } from './txn-infer';
export {
  checkTransactions,
  checkTransactionRecords,
  classifyCycle,
  prohibitedAnomalies,
  DEFAULT_CYCLE_SEARCH_TIMEOUT_MS,
} from './txn-check';
export type { CycleExplanation, TxnCheckOptions, TxnCheckResult } from './txn-check';
export { CONSISTENCY_MODELS, boundary, impossibleModels, anomaliesProhibitedBy, canonicalModel } from './txn-consistency-models';
export { parseJepsenEdn, looksLikeJepsenEdn } from './parse-jepsen-edn';
export type { EdnHistory } from './parse-jepsen-edn';
export { checkSiblingReads, readValues } from './sibling-reads';
export type { SiblingReadOperation, SiblingReadsOptions, SiblingReadsResult, StaleSiblingRead } from './sibling-reads';
export { checkStockInvariant } from './stock-invariant';
export type { StockSale, StockInvariantResult, StockInvariantViolation } from './stock-invariant';
export { checkInventory } from './inventory-check';
export type { InventoryCheckInput, InventoryCheckResult, InventoryLine, InventoryOrderRecord, NonAtomicCart, PaymentOutcome, ReserveOutcome, SellOut, StockEvent, StockEventKind, UndersoldOrder, UnresolvedHold } from './inventory-check';
export { checkLedger, ACCOUNT_PREFIX, TRANSFER_PREFIX } from './ledger-check';
export type { LedgerCheckInput, LedgerCheckResult, TransferRecord } from './ledger-check';
export { checkAtomicity } from './atomicity-check';
export type { AtomicityCheckInput, AtomicityCheckResult, ParticipantState } from './atomicity-check';
export { checkDataSync, DATA_SYNC_VIOLATION_KINDS } from './data-sync-check';
export type { DataSyncHistory, DataSyncCheckResult, DataSyncViolation, DataSyncViolationKind, SyncChange, SyncEffect } from './data-sync-check';
