/**
 * Reads Porcupine's key-value test log (`test_data/kv`), one EDN map per line:
 * `{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}`.
 *
 * `:invoke` opens an operation; `:ok` returns it (a get's value is what it read); `:fail`
 * means it definitely did not take effect; `:info` means it never returned. Keys and values
 * are double-quoted strings without escapes. Line order is real time, so times are line numbers.
 */
import type { CheckedOperation, OperationOutput, ParsedHistory, SourceLines } from './history-types';
import { HistoryInputError } from './history-types';
import { HISTORY_OPERATIONS_MAX } from './validate-history';

const EVENT_LINE =
  /^\s*\{\s*:process\s+(\d+),\s*:type\s+:(invoke|ok|fail|info),\s*:f\s+:(get|put|append),\s*:key\s+"([^"]*)",\s*:value\s+(nil|"([^"]*)")\s*\}\s*$/;

export function parsePorcupineKv(text: string): ParsedHistory {
  const lines = text.split(/\r?\n/);
  const operations: CheckedOperation[] = [];
  const sourceLines: SourceLines[] = [];
  const open = new Map<number, number>();
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i];
    if (line.trim() === '') continue;
    const m = EVENT_LINE.exec(line);
    if (m === null) {
      throw new HistoryInputError(
        `line ${lineNo}: ${JSON.stringify(line.slice(0, 80))} is not a kv event; expected ` +
          '{:process N, :type :invoke|:ok|:fail|:info, :f :get|:put|:append, :key "K", :value "V"|nil}',
      );
    }
    const process = Number(m[1]);
    const type = m[2];
    const f = m[3] as 'get' | 'put' | 'append';
    const key = m[4];
    const value = m[5] === 'nil' ? null : m[6];
    if (type === 'invoke') {
      const already = open.get(process);
      if (already !== undefined) {
        throw new HistoryInputError(
          `line ${lineNo}: process ${process} invokes :${f} while its call on line ${sourceLines[already].callLine} has not completed`,
        );
      }
      if (operations.length >= HISTORY_OPERATIONS_MAX) {
        throw new HistoryInputError(`line ${lineNo}: more than ${HISTORY_OPERATIONS_MAX} operations, the checker's limit`);
      }
      if (f !== 'get' && value === null) {
        throw new HistoryInputError(`line ${lineNo}: :${f} needs a quoted :value; given nil`);
      }
      const input: CheckedOperation['input'] = f === 'get' ? { f, key } : { f, key, value: value as string };
      open.set(process, operations.length);
      operations.push({ process, call: lineNo, return: null, input, output: null });
      sourceLines.push({ callLine: lineNo, returnLine: null });
      continue;
    }
    const index = open.get(process);
    if (index === undefined) {
      throw new HistoryInputError(`line ${lineNo}: process ${process} completes :${f} (:${type}), but it has no open call`);
    }
    const op = operations[index];
    const openInput = op.input as { f: string; key: string };
    if (openInput.f !== f || openInput.key !== key) {
      throw new HistoryInputError(
        `line ${lineNo}: process ${process} completes :${f} on key "${key}", but its open call ` +
          `(line ${sourceLines[index].callLine}) is :${openInput.f} on key "${openInput.key}"`,
      );
    }
    open.delete(process);
    if (type === 'info') continue;
    let output: OperationOutput;
    if (type === 'fail') output = { ok: false };
    else if (f === 'get') output = { value: value === null ? '' : value };
    else output = {};
    op.return = lineNo;
    op.output = output;
    sourceLines[index].returnLine = lineNo;
  }
  return { model: 'kv', operations, format: 'porcupine-kv', sourceLines };
}
