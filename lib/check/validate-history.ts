/**
 * Turns untrusted data (parsed JSON, or records from a simulation) into a `History`,
 * or throws a `HistoryInputError` that says which operation, which field, what was given
 * and what is allowed. Both the JSON parser and `checkLinearizable` go through here, so a
 * typo in a notebook gets the same precise message as a typo in a file.
 */
import {
  CheckedOperation,
  History,
  HistoryInput,
  HistoryInputError,
  ModelName,
  OperationOutput,
} from './history-types';

export const MODEL_NAMES: ReadonlyArray<ModelName> = ['register', 'kv'];

const OPERATIONS_BY_MODEL: Record<ModelName, ReadonlyArray<string>> = {
  register: ['read', 'write', 'cas'],
  kv: ['get', 'put', 'append'],
};

/** The most operations one history may hold; the search's bitsets and stacks are sized by it. */
export const HISTORY_OPERATIONS_MAX = 1_000_000;

/** Shows a given value in an error message, cut short so one bad field cannot flood a terminal. */
export function describeGiven(value: unknown): string {
  if (value === undefined) return 'missing';
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRegisterValue(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function isKvValue(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Infers the model from the operation names, for callers that pass a bare array of records. */
export function inferModel(operations: ReadonlyArray<unknown>): ModelName {
  let found: ModelName | null = null;
  for (let i = 0; i < operations.length; i++) {
    const op = operations[i];
    const f = isPlainObject(op) && isPlainObject(op.input) ? op.input.f : undefined;
    for (const model of MODEL_NAMES) {
      if (typeof f === 'string' && OPERATIONS_BY_MODEL[model].indexOf(f) >= 0) {
        if (found !== null && found !== model) {
          throw new HistoryInputError(
            `operation ${i}: field "input.f" is ${describeGiven(f)}, a ${model} operation, but earlier ` +
              `operations are ${found} operations; one history uses one model ` +
              `(register: read, write, cas; kv: get, put, append)`,
          );
        }
        found = model;
      }
    }
  }
  if (found === null) {
    throw new HistoryInputError(
      'cannot tell the model from the operations; pass option "model" with one of: "register", "kv"',
    );
  }
  return found;
}

function fail(index: number, field: string, given: unknown, allowed: string): never {
  throw new HistoryInputError(`operation ${index}: field "${field}" is ${describeGiven(given)}; ${allowed}`);
}

function validateInput(index: number, model: ModelName, raw: unknown): HistoryInput {
  if (!isPlainObject(raw)) fail(index, 'input', raw, 'expected an object such as {"f": "read"}');
  const f = raw.f;
  const allowedNames = OPERATIONS_BY_MODEL[model];
  if (typeof f !== 'string' || allowedNames.indexOf(f) < 0) {
    fail(index, 'input.f', f, `allowed for model "${model}": ${allowedNames.map((n) => `"${n}"`).join(', ')}`);
  }
  if (model === 'register') {
    const registerValues = 'allowed: a string, a finite number, a boolean or null';
    if (f === 'read') return { f: 'read' };
    if (f === 'write') {
      if (!('value' in raw) || !isRegisterValue(raw.value)) fail(index, 'input.value', raw.value, registerValues);
      return { f: 'write', value: raw.value as string | number | boolean | null };
    }
    if (!('from' in raw) || !isRegisterValue(raw.from)) fail(index, 'input.from', raw.from, registerValues);
    if (!('to' in raw) || !isRegisterValue(raw.to)) fail(index, 'input.to', raw.to, registerValues);
    return {
      f: 'cas',
      from: raw.from as string | number | boolean | null,
      to: raw.to as string | number | boolean | null,
    };
  }
  const key = raw.key;
  if (typeof key !== 'string' && !(typeof key === 'number' && Number.isFinite(key))) {
    fail(index, 'input.key', key, 'allowed: a string (a number is read as its decimal string)');
  }
  const keyText = String(key);
  if (f === 'get') return { f: 'get', key: keyText };
  if (!isKvValue(raw.value)) fail(index, 'input.value', raw.value, 'allowed: a string or a finite number');
  return { f: f as 'put' | 'append', key: keyText, value: raw.value as string | number };
}

function validateOutput(
  index: number,
  model: ModelName,
  input: HistoryInput,
  returned: boolean,
  raw: unknown,
): OperationOutput | null {
  if (raw === null || raw === undefined) return null;
  if (!returned) {
    fail(index, 'output', raw, 'an operation that never returned ("return": null) must have "output": null');
  }
  if (!isPlainObject(raw)) fail(index, 'output', raw, 'expected an object, or null when the outcome is unknown');
  const out: OperationOutput = {};
  if ('version' in raw && raw.version !== undefined && raw.version !== null) {
    if (typeof raw.version !== 'number' || !Number.isFinite(raw.version)) {
      fail(index, 'output.version', raw.version, 'allowed: a finite number (e.g. the replication-log LSN)');
    }
    out.version = raw.version;
  }
  if ('ok' in raw && raw.ok !== undefined) {
    if (typeof raw.ok !== 'boolean') fail(index, 'output.ok', raw.ok, 'allowed: true or false');
    out.ok = raw.ok;
  }
  // A read or get that failed told the client nothing, so it constrains nothing.
  if ((input.f === 'read' || input.f === 'get') && out.ok === false) return out;
  switch (input.f) {
    case 'read':
      if (!('value' in raw) || !isRegisterValue(raw.value)) {
        fail(index, 'output.value', raw.value, 'a read returns {"value": V} with V a string, finite number, boolean or null');
      }
      out.value = raw.value as string | number | boolean | null;
      break;
    case 'get':
      // A store that reports an absent key as null means the same as the initial "".
      if (raw.value === null) {
        out.value = '';
      } else if (!isKvValue(raw.value)) {
        fail(index, 'output.value', raw.value, 'a get returns {"value": V} with V a string or finite number ("" or null for an absent key)');
      } else {
        out.value = raw.value as string | number;
      }
      break;
    case 'cas':
      if (typeof raw.ok !== 'boolean') fail(index, 'output.ok', raw.ok, 'a cas returns {"ok": true} or {"ok": false}');
      break;
    default:
      // write, put and append return {} (or {"ok": false} when they definitely failed).
      break;
  }
  void model;
  return out;
}

function validateTime(index: number, field: string, raw: unknown, allowNull: boolean): number | null {
  if (raw === null && allowNull) return null;
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    fail(
      index,
      field,
      raw,
      allowNull
        ? 'allowed: a finite number of ms, or null when the operation never returned'
        : 'allowed: a finite number of ms',
    );
  }
  return raw;
}

/** Checks one raw record against the model and returns it in checked form. */
export function validateOperation(index: number, model: ModelName, raw: unknown): CheckedOperation {
  if (!isPlainObject(raw)) {
    throw new HistoryInputError(
      `operation ${index}: is ${describeGiven(raw)}; expected an object with fields process, call, return, input, output`,
    );
  }
  if (typeof raw.process !== 'number' || !Number.isInteger(raw.process)) {
    fail(index, 'process', raw.process, 'allowed: an integer naming the client');
  }
  const call = validateTime(index, 'call', raw.call, false) as number;
  if (!('return' in raw)) fail(index, 'return', undefined, 'allowed: a finite number of ms, or null when the operation never returned');
  const ret = validateTime(index, 'return', raw.return, true);
  if (ret !== null && ret < call) {
    fail(index, 'return', ret, `an operation cannot return before its call (call is ${call})`);
  }
  if (!('input' in raw)) fail(index, 'input', undefined, 'expected an object such as {"f": "read"}');
  const input = validateInput(index, model, raw.input);
  if (!('output' in raw)) {
    fail(index, 'output', undefined, 'expected an object, or null when the operation never returned or its outcome is unknown');
  }
  const output = validateOutput(index, model, input, ret !== null, raw.output);
  return { process: raw.process, call, return: ret, input, output };
}

/**
 * Validates a whole history. `raw` is `{model, operations}` or a bare array of records;
 * `model` (when given) wins over, and must agree with, the one in `raw`.
 */
export function validateHistory(raw: unknown, model?: ModelName): History {
  let operations: unknown;
  let declared: unknown = undefined;
  if (Array.isArray(raw)) {
    operations = raw;
  } else if (isPlainObject(raw)) {
    operations = raw.operations;
    declared = raw.model;
  } else {
    throw new HistoryInputError(
      `the history is ${describeGiven(raw)}; expected {"model": "register" | "kv", "operations": [...]}`,
    );
  }
  if (!Array.isArray(operations)) {
    throw new HistoryInputError(`field "operations" is ${describeGiven(operations)}; expected an array of operations`);
  }
  if (declared !== undefined && (typeof declared !== 'string' || MODEL_NAMES.indexOf(declared as ModelName) < 0)) {
    throw new HistoryInputError(`field "model" is ${describeGiven(declared)}; allowed: "register", "kv"`);
  }
  if (model !== undefined && MODEL_NAMES.indexOf(model) < 0) {
    throw new HistoryInputError(`option "model" is ${describeGiven(model)}; allowed: "register", "kv"`);
  }
  if (model !== undefined && declared !== undefined && model !== declared) {
    throw new HistoryInputError(`option "model" is "${model}" but the history says "model": "${String(declared)}"`);
  }
  if (operations.length > HISTORY_OPERATIONS_MAX) {
    throw new HistoryInputError(
      `the history has ${operations.length} operations; the checker's limit is ${HISTORY_OPERATIONS_MAX}`,
    );
  }
  const chosen: ModelName =
    model !== undefined ? model : declared !== undefined ? (declared as ModelName) : inferModel(operations);
  const checked: CheckedOperation[] = new Array(operations.length);
  for (let i = 0; i < operations.length; i++) checked[i] = validateOperation(i, chosen, operations[i]);
  return { model: chosen, operations: checked };
}
