/**
 * The shapes of the histories that lib/check reads. An operation is the same
 * `OperationRecord` that simulated clients record (lib/sim/history.ts); this module
 * only narrows its `input` and `output` to the two models the checker knows.
 */
import type { OperationRecord } from '../sim/history';

/** The sequential specifications the linearizability checker can hold a history against. */
export type ModelName = 'register' | 'kv';

/** The file formats that `parseHistory` and the `check-history` command read. */
export type HistoryFormat = 'json' | 'jepsen' | 'porcupine-kv';

export type Verdict = 'linearizable' | 'not-linearizable' | 'unknown';

/** A register value: a register starts as null ("never written"). */
export type RegisterValue = string | number | boolean | null;

/** A key-value store value: every key starts as "" and append concatenates strings. */
export type KvValue = string | number;

export type RegisterInput =
  | { f: 'read' }
  | { f: 'write'; value: RegisterValue }
  | { f: 'cas'; from: RegisterValue; to: RegisterValue };

export type KvInput =
  | { f: 'get'; key: string }
  | { f: 'put'; key: string; value: KvValue }
  | { f: 'append'; key: string; value: KvValue };

/**
 * What an operation returned. Every output may carry `version`: the position, in the
 * system's own order of writes (for example the replication-log LSN), of the write an
 * operation made or the newest write a read observed. Only the session checks use it.
 * `ok: false` on a write, put or append means it definitely did not take effect.
 */
export interface OperationOutput {
  value?: RegisterValue | KvValue;
  ok?: boolean;
  version?: number;
}

export type HistoryInput = RegisterInput | KvInput;

/** One checked operation: an `OperationRecord` whose input and output the checker understands. */
export type CheckedOperation = OperationRecord<HistoryInput, OperationOutput>;

/** A history that has passed validation: a model and its operations, in recording order. */
export interface History {
  model: ModelName;
  operations: CheckedOperation[];
}

/**
 * What the checkers accept: a `{model, operations}` history, or a bare array of records (the
 * model then comes from an option or from the operation names). Records are validated first.
 */
export type HistoryLike =
  | History
  | { model?: string; operations: ReadonlyArray<unknown> }
  | ReadonlyArray<OperationRecord<object, object>>;

/** Where an operation came from in a parsed log file, for error messages and counterexamples. */
export interface SourceLines {
  callLine: number;
  returnLine: number | null;
}

/** A history read from a file, with the format it was read in. */
export interface ParsedHistory extends History {
  format: HistoryFormat;
  /**
   * For the line-based logs (jepsen, porcupine-kv): the 1-based line of each operation's call
   * and return. Their `call`/`return` times are these line numbers, because the log's line
   * order is its real-time order.
   */
  sourceLines: SourceLines[] | null;
}

/**
 * Raised for input that cannot be read as a history: the message names the operation index
 * or line, the field, what was given and what is allowed. The CLI prints only the message.
 */
export class HistoryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryInputError';
  }
}
