/**
 * The two sequential specifications (register, key-value store) and their compilation into
 * the integer `SearchProblem` the search runs on. Values are interned to small ids (see
 * state-tables.ts) so that model states compare as ints. This module also words operations
 * and states for counterexamples.
 */
import type { CheckedOperation, KvValue, ModelName, RegisterValue } from './history-types';
import {
  SearchProblem,
  STEP_APPEND,
  STEP_CAS_FAIL,
  STEP_CAS_MAYBE,
  STEP_CAS_OK,
  STEP_NOOP,
  STEP_READ,
  STEP_WRITE,
} from './linearizability-search';
import { KvStateTable, RegisterStateTable, StateTable } from './state-tables';

/** A compiled partition plus what is needed to word its results. */
export interface CompiledPartition {
  key: string | null;
  /** Global (history) index of each partition-local operation. */
  globalIndex: number[];
  problem: SearchProblem;
  table: StateTable;
}

/**
 * Compiles the operations `indices` of `operations` (one register, or one key of a kv store).
 * kv values are compared as strings (`put` of 5 stores "5"), because append concatenates.
 */
export function compilePartition(
  model: ModelName,
  key: string | null,
  operations: ReadonlyArray<CheckedOperation>,
  indices: number[],
  statesMax: number,
): CompiledPartition {
  const n = indices.length;
  const table: StateTable = model === 'register' ? new RegisterStateTable(statesMax) : new KvStateTable(statesMax);
  const problem: SearchProblem = {
    opCount: n,
    callTime: new Float64Array(n),
    returnTime: new Float64Array(n),
    kind: new Uint8Array(n),
    argA: new Int32Array(n),
    argB: new Int32Array(n),
    mayBeNoEffect: new Uint8Array(n),
    initialState: 0,
    append: (state, suffix) => table.append(state, suffix),
    mayBePrefix: table instanceof KvStateTable ? (state, value) => table.mayBePrefix(state, value) : null,
  };
  const kvId = (value: KvValue | RegisterValue | undefined): number => table.intern(String(value));
  for (let i = 0; i < n; i++) {
    const op = operations[indices[i]];
    problem.callTime[i] = op.call;
    problem.returnTime[i] = op.return === null ? Infinity : op.return;
    const out = op.output;
    const input = op.input;
    let hasEffect = false;
    let k = STEP_NOOP;
    let a = 0;
    let b = 0;
    switch (input.f) {
      case 'read':
        if (out !== null && out.ok !== false) {
          k = STEP_READ;
          a = table.intern(out.value as RegisterValue);
        }
        break;
      case 'get':
        if (out !== null && out.ok !== false) {
          k = STEP_READ;
          a = kvId(out.value);
        }
        break;
      case 'write':
        if (out === null || out.ok !== false) {
          k = STEP_WRITE;
          a = table.intern(input.value);
          hasEffect = true;
        }
        break;
      case 'put':
        if (out === null || out.ok !== false) {
          k = STEP_WRITE;
          a = kvId(input.value);
          hasEffect = true;
        }
        break;
      case 'append':
        if (out === null || out.ok !== false) {
          k = STEP_APPEND;
          a = kvId(input.value);
          hasEffect = true;
        }
        break;
      case 'cas':
        a = table.intern(input.from);
        b = table.intern(input.to);
        k = out === null ? STEP_CAS_MAYBE : out.ok ? STEP_CAS_OK : STEP_CAS_FAIL;
        hasEffect = out === null;
        break;
    }
    problem.kind[i] = k;
    problem.argA[i] = a;
    problem.argB[i] = b;
    // An unknown outcome with a return time: it took effect inside its interval or never.
    // (One that never returned can simply be left out, which the search handles at the end.)
    problem.mayBeNoEffect[i] = out === null && op.return !== null && hasEffect ? 1 : 0;
  }
  return { key, globalIndex: indices, problem, table };
}

/** Strings longer than this are shown by their two ends (kv values grow with every append). */
const VALUE_CHARS_SHOWN = 48;

/**
 * Writes a value the way counterexamples show it: strings quoted, null as null. A long
 * string keeps its first and last 20 characters and says how long it is, because two
 * versions of an appended value differ at the end.
 */
export function formatValue(value: RegisterValue | KvValue | undefined): string {
  if (value === undefined) return '?';
  if (typeof value !== 'string') return String(value);
  if (value.length <= VALUE_CHARS_SHOWN) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, 20) + '…' + value.slice(-20))} (${value.length} chars)`;
}

/** A one-line description of an operation, e.g. `cas(1→2) → ok` or `get("x") → "ab"`. */
/** A time for a sentence: whole numbers as they are, others to 0.1 ms (simulated times have long fractions). */
export function formatTimeMs(timeMs: number | null): string {
  if (timeMs === null) return 'never';
  return `${Number.isInteger(timeMs) ? timeMs : timeMs.toFixed(1)} ms`;
}

export function describeOperation(op: CheckedOperation): string {
  const out = op.output;
  const unknownText = op.return === null ? ' (never returned)' : ' → unknown';
  const input = op.input;
  switch (input.f) {
    case 'read':
      if (out === null) return `read()${unknownText}`;
      if (out.ok === false) return 'read() → failed';
      return `read() → ${formatValue(out.value)}`;
    case 'get':
      if (out === null) return `get(${formatValue(input.key)})${unknownText}`;
      if (out.ok === false) return `get(${formatValue(input.key)}) → failed`;
      return `get(${formatValue(input.key)}) → ${formatValue(out.value)}`;
    case 'write':
      return `write(${formatValue(input.value)})${suffixOfUpdate(op)}`;
    case 'put':
      return `put(${formatValue(input.key)}, ${formatValue(input.value)})${suffixOfUpdate(op)}`;
    case 'append':
      return `append(${formatValue(input.key)}, ${formatValue(input.value)})${suffixOfUpdate(op)}`;
    case 'cas': {
      const head = `cas(${formatValue(input.from)}→${formatValue(input.to)})`;
      if (out === null) return head + unknownText;
      return head + (out.ok ? ' → ok' : ' → failed');
    }
  }
}

function suffixOfUpdate(op: CheckedOperation): string {
  if (op.return === null) return ' (never returned)';
  if (op.output === null) return ' → unknown';
  if (op.output.ok === false) return ' → failed';
  return '';
}

/**
 * Says, in a sentence, why `op` cannot be the next operation after a prefix that left the
 * model in `state`; `null` when it could be (the search then found no way on after it).
 */
export function explainRejection(
  model: ModelName,
  key: string | null,
  op: CheckedOperation,
  stateValue: RegisterValue | KvValue,
): string | null {
  const holder = model === 'register' ? 'the register holds' : `key ${formatValue(key === null ? '' : key)} holds`;
  const out = op.output;
  const input = op.input;
  // Unknown outcomes and failed reads or updates fit any state; a failed cas does not.
  if (out === null || (out.ok === false && input.f !== 'cas')) return null;
  switch (input.f) {
    case 'read':
      return out.value === stateValue ? null : `it returned ${formatValue(out.value)}, but ${holder} ${formatValue(stateValue)} here`;
    case 'get':
      return String(out.value) === String(stateValue)
        ? null
        : `it returned ${formatValue(String(out.value))}, but ${holder} ${formatValue(stateValue)} here`;
    case 'cas':
      if (out.ok && stateValue !== input.from) {
        return `it reported success, but ${holder} ${formatValue(stateValue)} here, not ${formatValue(input.from)}`;
      }
      if (!out.ok && stateValue === input.from) {
        return `it reported failure, but ${holder} ${formatValue(input.from)} here, so it would have succeeded`;
      }
      return null;
    default:
      return null;
  }
}
