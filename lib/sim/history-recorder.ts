import { OperationRecord } from './history';
import { LimitExceededError } from '../util/option-error';

/**
 * Records a client history as it happens: `invoke` when a client sends an operation,
 * `complete` when the answer arrives. Operations never completed keep `return: null`:
 * the checker must assume they may or may not have taken effect.
 */
export class HistoryRecorder<I = Record<string, unknown>, O = Record<string, unknown>> {
  private readonly records: OperationRecord<I, O>[] = [];

  constructor(private readonly maxOperations = 100_000) {}

  invoke(process: number, input: I, callMs: number): number {
    if (this.records.length >= this.maxOperations) {
      throw new LimitExceededError(`history holds ${this.records.length} operations, its limit (maxOperations = ${this.maxOperations})`);
    }
    this.records.push({ process, call: callMs, return: null, input, output: null });
    return this.records.length - 1;
  }

  complete(operationIndex: number, output: O, returnMs: number): void {
    const record = this.records[operationIndex];
    if (!record) throw new Error(`history: no operation ${operationIndex}`);
    if (record.return !== null) throw new Error(`history: operation ${operationIndex} already completed at ${record.return} ms`);
    if (returnMs < record.call) throw new Error(`history: operation ${operationIndex} returns at ${returnMs} ms, before its call at ${record.call} ms`);
    record.return = returnMs;
    record.output = output;
  }

  get length(): number {
    return this.records.length;
  }

  /** A snapshot of the operations, in call order. */
  operations(): OperationRecord<I, O>[] {
    return this.records.map((r) => ({ ...r }));
  }

  pendingCount(): number {
    return this.records.filter((r) => r.return === null).length;
  }
}
