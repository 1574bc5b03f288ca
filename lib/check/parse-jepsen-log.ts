/**
 * Reads Jepsen's etcd test log (the format of Porcupine's `test_data/jepsen`): one CAS
 * register, one event per line, `INFO  jepsen.util - <process> :<type> :<f> <value>`.
 *
 * - `:invoke` opens an operation; `:ok` and `:fail` return the open operation of that process.
 * - `:fail :cas` is a definite non-effect (the compare did not match): output `{ok: false}`.
 * - `:fail :read :timed-out` returns with an unknown outcome: output null, return at that line.
 * - `:info ...` means the operation never returned: it may or may not have taken effect, so it
 *   gets `return: null`; Jepsen never calls again on that process.
 *
 * The order of lines is real time, so an operation's call and return times are its line numbers.
 * Lines without `jepsen.util -` (other loggers) are skipped; malformed event lines are errors.
 */
import type { CheckedOperation, OperationOutput, ParsedHistory, RegisterValue, SourceLines } from './history-types';
import { HistoryInputError } from './history-types';
import { HISTORY_OPERATIONS_MAX } from './validate-history';

const EVENT_LINE = /^\s*INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s*(.*?)\s*$/;

function parseScalar(text: string): RegisterValue | undefined {
  if (text === 'nil') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const quoted = /^"([^"\\]*)"$/.exec(text);
  if (quoted !== null) return quoted[1];
  return undefined;
}

function parsePair(text: string): [RegisterValue, RegisterValue] | undefined {
  const m = /^\[\s*(\S+)\s+(\S+)\s*\]$/.exec(text);
  if (m === null) return undefined;
  const from = parseScalar(m[1]);
  const to = parseScalar(m[2]);
  if (from === undefined || to === undefined) return undefined;
  return [from, to];
}

export function parseJepsenLog(text: string): ParsedHistory {
  const lines = text.split(/\r?\n/);
  const operations: CheckedOperation[] = [];
  const sourceLines: SourceLines[] = [];
  const open = new Map<number, number>(); // process -> index of its open operation
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i];
    if (line.trim() === '' || line.indexOf('jepsen.util') < 0) continue;
    const m = EVENT_LINE.exec(line);
    if (m === null) {
      throw new HistoryInputError(
        `line ${lineNo}: ${JSON.stringify(line.slice(0, 80))} is not a Jepsen event; expected ` +
          '"INFO jepsen.util - <process> :invoke|:ok|:fail|:info :read|:write|:cas <value>"',
      );
    }
    const process = Number(m[1]);
    const type = m[2];
    const f = m[3] as 'read' | 'write' | 'cas';
    const valueText = m[4];
    const badValue = (allowed: string): never => {
      throw new HistoryInputError(`line ${lineNo}: value ${JSON.stringify(valueText)} for :${type} :${f}; allowed: ${allowed}`);
    };
    if (type === 'invoke') {
      const already = open.get(process);
      if (already !== undefined) {
        throw new HistoryInputError(
          `line ${lineNo}: process ${process} invokes :${f} while its :${operations[already].input.f} ` +
            `from line ${sourceLines[already].callLine} has not completed`,
        );
      }
      if (operations.length >= HISTORY_OPERATIONS_MAX) {
        throw new HistoryInputError(`line ${lineNo}: more than ${HISTORY_OPERATIONS_MAX} operations, the checker's limit`);
      }
      let input: CheckedOperation['input'];
      if (f === 'read') {
        input = { f: 'read' };
      } else if (f === 'write') {
        const value = parseScalar(valueText);
        if (value === undefined) badValue('nil, a number or a quoted string');
        input = { f: 'write', value: value as RegisterValue };
      } else {
        const pair = parsePair(valueText);
        if (pair === undefined) badValue('[FROM TO]');
        input = { f: 'cas', from: (pair as [RegisterValue, RegisterValue])[0], to: (pair as [RegisterValue, RegisterValue])[1] };
      }
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
    if (op.input.f !== f) {
      throw new HistoryInputError(
        `line ${lineNo}: process ${process} completes :${f}, but its open call (line ${sourceLines[index].callLine}) is :${op.input.f}`,
      );
    }
    open.delete(process);
    if (type === 'info') continue; // never returned: return and output stay null
    let output: OperationOutput | null;
    if (type === 'ok') {
      if (f === 'read') {
        const value = parseScalar(valueText);
        if (value === undefined) badValue('nil, a number or a quoted string');
        output = { value: value as RegisterValue };
      } else if (f === 'write') {
        output = {};
      } else {
        output = { ok: true };
      }
    } else if (f === 'cas') {
      output = { ok: false };
    } else if (valueText === ':timed-out') {
      // The client gave up; a read has no effect, so only its value is unknown.
      output = null;
    } else {
      output = { ok: false };
    }
    op.return = lineNo;
    op.output = output;
    sourceLines[index].returnLine = lineNo;
  }
  return { model: 'register', operations, format: 'jepsen', sourceLines };
}
