/**
 * Transaction histories: what clients asked and saw, one transaction at a time, for the
 * transactional checker (`checkTransactions`). Two workloads, as in Elle:
 *
 * - `list-append`: every key holds a list, initially empty. `['append', k, v]` appends a value
 *   unique per key; `['r', k, [..]]` reads the whole list (`null` = empty), so the reads of a key
 *   put its versions in order by themselves.
 * - `rw-register`: every key holds one value, initially `null`. `['w', k, v]` writes a value
 *   unique per key; `['r', k, v]` reads it.
 *
 * Two shapes are accepted and normalised to the same `TxnOp[]`:
 * - Jepsen/Elle operations: `{index, process, type: invoke|ok|fail|info, value: [mops]}` in history
 *   order (completions alone are allowed: then nothing is known about real time);
 * - the workbook's own record, one per transaction, with times:
 *   `{process, callMs, returnMs | null, outcome: committed|aborted|unknown, ops: [mops]}`.
 */
import { OptionError } from '../util/option-error';

export type TxnWorkload = 'list-append' | 'rw-register';
export type TxnKey = string | number;
export type TxnElement = string | number;
/** One micro-operation. Reads carry what they returned (`null` before completion). */
export type Mop =
  | ['append', TxnKey, TxnElement]
  | ['w', TxnKey, TxnElement]
  | ['r', TxnKey, TxnElement | TxnElement[] | null];

export type TxnOpType = 'invoke' | 'ok' | 'fail' | 'info';

/** One history event, Jepsen's shape: an invocation or a completion of a transaction. */
export interface TxnOp {
  index: number;
  process: number | string;
  type: TxnOpType;
  value: Mop[];
  time?: number;
}

/** The workbook's record of one transaction, with its outcome and times. */
export interface TransactionRecord {
  process: number | string;
  callMs: number;
  /** `null` when the client never heard back (the outcome is then `unknown`). */
  returnMs: number | null;
  outcome: 'committed' | 'aborted' | 'unknown';
  ops: Mop[];
}

/** A transaction as the checker sees it: its completion, and where it was invoked. */
export interface Txn {
  /** The completion's history index: the name the checker gives this transaction ("T12"). */
  id: number;
  process: number | string;
  type: 'ok' | 'fail' | 'info';
  /** History index of the invocation, or null when the history has completions only. */
  invokeIndex: number | null;
  mops: Mop[];
}

export class TxnHistoryError extends OptionError {}

const MOP_FUNCTIONS: Record<TxnWorkload, readonly string[]> = {
  'list-append': ['append', 'r'],
  'rw-register': ['w', 'r'],
};

function isKey(k: unknown): k is TxnKey {
  return (typeof k === 'string' && k.length > 0) || (typeof k === 'number' && Number.isFinite(k));
}

function isElement(v: unknown): v is TxnElement {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** Checks one micro-operation; `where` names the transaction and position for the error. */
function checkMop(workload: TxnWorkload, where: string, mop: unknown, completed: boolean): Mop {
  if (!Array.isArray(mop) || mop.length !== 3) {
    throw new TxnHistoryError(`${where}: got ${JSON.stringify(mop)}; allowed: a micro-op [f, key, value]`);
  }
  const [f, k, v] = mop as unknown[];
  if (typeof f !== 'string' || !MOP_FUNCTIONS[workload].includes(f)) {
    throw new TxnHistoryError(`${where}: function ${JSON.stringify(f)} is not allowed in ${workload}; allowed: ${MOP_FUNCTIONS[workload].join(', ')}`);
  }
  if (!isKey(k)) throw new TxnHistoryError(`${where}: key ${JSON.stringify(k)} is not allowed; allowed: a non-empty string or a number`);
  if (f === 'append' || f === 'w') {
    if (!isElement(v)) throw new TxnHistoryError(`${where}: ${f} value ${JSON.stringify(v)} is not allowed; allowed: a number or a string`);
    return [f, k, v] as Mop;
  }
  if (v === null) return ['r', k, null];
  if (workload === 'list-append') {
    if (!Array.isArray(v) || !v.every(isElement)) {
      throw new TxnHistoryError(`${where}: read value ${JSON.stringify(v)} is not allowed; allowed: null or a list of numbers/strings`);
    }
    return ['r', k, v.slice()];
  }
  if (!isElement(v)) throw new TxnHistoryError(`${where}: read value ${JSON.stringify(v)} is not allowed; allowed: null, a number or a string`);
  void completed;
  return ['r', k, v];
}

/**
 * Pairs invocations with completions and returns the transactions. A completion without an
 * invocation is allowed (many of Elle's tests give completions only); an invocation never
 * completed becomes an `info` transaction with the invocation's micro-ops.
 */
export function transactionsOf(workload: TxnWorkload, ops: readonly unknown[]): Txn[] {
  if (!Array.isArray(ops)) throw new TxnHistoryError(`history: got ${typeof ops}; allowed: an array of operations`);
  const open = new Map<string, { index: number; value: Mop[] }>();
  const txns: Txn[] = [];
  const seenIndex = new Set<number>();
  let lastIndex = -Infinity;
  ops.forEach((raw, position) => {
    const where = `operation ${position}`;
    if (typeof raw !== 'object' || raw === null) throw new TxnHistoryError(`${where}: got ${JSON.stringify(raw)}; allowed: an object`);
    const op = raw as Record<string, unknown>;
    const index = op.index === undefined ? position : op.index;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      throw new TxnHistoryError(`${where}: index ${JSON.stringify(op.index)} is not allowed; allowed: a whole number ≥ 0`);
    }
    if (seenIndex.has(index) || index <= lastIndex) {
      throw new TxnHistoryError(`${where}: index ${index} repeats or goes backwards; allowed: increasing indices in history order`);
    }
    seenIndex.add(index);
    lastIndex = index;
    const process = op.process;
    if (!(typeof process === 'number' || typeof process === 'string')) {
      throw new TxnHistoryError(`${where} (index ${index}): process ${JSON.stringify(process)} is not allowed; allowed: a number or a string`);
    }
    const type = op.type;
    if (type !== 'invoke' && type !== 'ok' && type !== 'fail' && type !== 'info') {
      throw new TxnHistoryError(`${where} (index ${index}): type ${JSON.stringify(type)} is not allowed; allowed: invoke, ok, fail, info`);
    }
    if (!Array.isArray(op.value)) {
      throw new TxnHistoryError(`${where} (index ${index}): value ${JSON.stringify(op.value)} is not allowed; allowed: a list of micro-ops`);
    }
    const value = (op.value as unknown[]).map((m, i) => checkMop(workload, `${where} (index ${index}) micro-op ${i}`, m, type === 'ok'));
    const processKey = `${typeof process}:${process}`;
    if (type === 'invoke') {
      if (open.has(processKey)) {
        throw new TxnHistoryError(`${where} (index ${index}): process ${process} invokes again before its previous transaction completed; allowed: one open transaction per process`);
      }
      open.set(processKey, { index, value });
      return;
    }
    const invocation = open.get(processKey);
    open.delete(processKey);
    txns.push({ id: index, process, type, invokeIndex: invocation ? invocation.index : null, mops: value });
  });
  // Invocations that never completed: the transaction may or may not have happened.
  for (const [, invocation] of open) {
    const process = (ops[findPosition(ops, invocation.index)] as { process: number | string }).process;
    txns.push({ id: invocation.index, process, type: 'info', invokeIndex: invocation.index, mops: invocation.value });
  }
  return txns;
}

function findPosition(ops: readonly unknown[], index: number): number {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as { index?: number };
    if ((op.index === undefined ? i : op.index) === index) return i;
  }
  return -1;
}

/**
 * Turns the workbook's transaction records into a Jepsen-shaped history: events sorted by time
 * (an invocation before a completion at the same instant, so equal times count as concurrent).
 */
export function opsFromRecords(workload: TxnWorkload, records: readonly unknown[]): TxnOp[] {
  if (!Array.isArray(records)) throw new TxnHistoryError(`transactions: got ${typeof records}; allowed: an array`);
  interface Event { timeMs: number; order: number; op: Omit<TxnOp, 'index'> }
  const events: Event[] = [];
  records.forEach((raw, i) => {
    const where = `transactions[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new TxnHistoryError(`${where}: got ${JSON.stringify(raw)}; allowed: an object`);
    const r = raw as Record<string, unknown>;
    if (!(typeof r.process === 'number' || typeof r.process === 'string')) {
      throw new TxnHistoryError(`${where}.process: got ${JSON.stringify(r.process)}; allowed: a number or a string`);
    }
    if (typeof r.callMs !== 'number' || !Number.isFinite(r.callMs)) {
      throw new TxnHistoryError(`${where}.callMs: got ${JSON.stringify(r.callMs)}; allowed: a finite number`);
    }
    if (r.returnMs !== null && (typeof r.returnMs !== 'number' || !Number.isFinite(r.returnMs) || r.returnMs < r.callMs)) {
      throw new TxnHistoryError(`${where}.returnMs: got ${JSON.stringify(r.returnMs)}; allowed: null or a number ≥ callMs (${r.callMs})`);
    }
    if (r.outcome !== 'committed' && r.outcome !== 'aborted' && r.outcome !== 'unknown') {
      throw new TxnHistoryError(`${where}.outcome: got ${JSON.stringify(r.outcome)}; allowed: committed, aborted, unknown`);
    }
    if (!Array.isArray(r.ops)) throw new TxnHistoryError(`${where}.ops: got ${JSON.stringify(r.ops)}; allowed: a list of micro-ops`);
    const mops = (r.ops as unknown[]).map((m, j) => checkMop(workload, `${where}.ops[${j}]`, m, r.outcome === 'committed'));
    const invokeValue = mops.map((m) => (m[0] === 'r' ? (['r', m[1], null] as Mop) : m));
    const callMs = r.callMs as number;
    events.push({ timeMs: callMs, order: 0, op: { process: r.process, type: 'invoke', value: invokeValue, time: callMs } });
    const type = r.outcome === 'committed' ? 'ok' : r.outcome === 'aborted' ? 'fail' : 'info';
    if (r.returnMs === null && type !== 'info') {
      throw new TxnHistoryError(`${where}: outcome ${r.outcome} needs a returnMs; allowed: returnMs null only with outcome "unknown"`);
    }
    // Typed once here: narrowing through the checks above differs between TypeScript versions (tslab's).
    const returnMs = r.returnMs as number | null;
    const at = returnMs === null ? Infinity : returnMs;
    events.push({ timeMs: at, order: 1, op: { process: r.process, type, value: mops, time: returnMs ?? undefined } });
  });
  // By time. At one instant, invocations come before completions (equal times count as
  // concurrent), except that a process which completes a transaction at that instant and starts
  // its next one at the same instant must complete first: a process runs one transaction at a time.
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.timeMs - b.e.timeMs || a.i - b.i);
  const ordered: typeof sorted = [];
  for (let start = 0; start < sorted.length;) {
    let end = start;
    while (end < sorted.length && sorted[end].e.timeMs === sorted[start].e.timeMs) end += 1;
    const group = sorted.slice(start, end);
    const completing = new Set(group.filter((g) => g.e.order === 1).map((g) => `${typeof g.e.op.process}:${g.e.op.process}`));
    const key = (g: (typeof group)[number]) => (g.e.order === 1 ? 1 : completing.has(`${typeof g.e.op.process}:${g.e.op.process}`) ? 2 : 0);
    ordered.push(...group.sort((a, b) => key(a) - key(b) || a.i - b.i));
    start = end;
  }
  return ordered.map(({ e }, index) => ({ index, ...e.op }));
}
