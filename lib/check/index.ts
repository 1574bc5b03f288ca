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
export { checkStockInvariant } from './stock-invariant';
export type { StockSale, StockInvariantResult, StockInvariantViolation } from './stock-invariant';
