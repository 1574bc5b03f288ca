import * as os from 'os';
/**
 * `checkLinearizable`: is there one order of the operations, consistent with real time and
 * with the sequential model, that explains every output? For a key-value store each key is
 * checked on its own (linearizability is compositional, so the history is linearizable iff
 * every key's sub-history is). A failing key comes with a counterexample a learner can read:
 * the longest linearizable prefix the search found, and why each operation that could come
 * next contradicts the state that prefix leaves.
 */
import type { CheckedOperation, History, HistoryLike, KvValue, ModelName, RegisterValue, Verdict } from './history-types';
import { LinearizationSearch, SearchOutcome } from './linearizability-search';
import {
  compilePartition,
  CompiledPartition,
  describeOperation,
  explainRejection,
  formatTimeMs,
  formatValue,
} from './sequential-models';
import { StatesLimitError } from './state-tables';
import { validateHistory } from './validate-history';

export interface LinearizabilityOptions {
  /** The model, when the history is a bare array of records (otherwise inferred from op names). */
  model?: ModelName;
  /** Wall-clock budget for the whole check; past it the verdict is "unknown". Default 10 000. */
  timeoutMs?: number;
  /** A deterministic budget: the most search steps per key before "unknown". Default: none. */
  stepsMax?: number;
  /**
   * Memory for the memo of explored configurations, per key, before "unknown". Default: half the
   * machine's free memory when the check starts, between 256 MiB and 16 GiB (`defaultMemoBytesMax()`).
   */
  memoBytesMax?: number;
  /** The most distinct model states (values) per key before "unknown". Default 2 000 000. */
  statesMax?: number;
  /**
   * How a return and a call at the same time are ordered. "concurrent" (default, as Porcupine):
   * the two operations overlap. "return-first": the returned operation precedes the called one,
   * right for simulated histories where every message takes positive time.
   */
  equalTimes?: 'concurrent' | 'return-first';
  /**
   * Stop at the first key found not linearizable (default true, as Porcupine): the verdict is
   * decided, and another key's search may be exponential. The unfinished keys are "unknown".
   */
  stopAtFirstViolation?: boolean;
  /** The clock for the time budget (ms). Default: `performance.now`. */
  now?: () => number;
}

/** One operation of a linearization, with the state it leaves. */
export interface LinearizedOperation {
  index: number;
  process: number;
  description: string;
  stateAfter: RegisterValue | KvValue;
}

/** An operation that could not be placed after the longest prefix, and why. */
export interface BlockedOperation {
  index: number;
  process: number;
  description: string;
  call: number;
  return: number | null;
  reason: string;
  /** True when its output contradicts the state after the prefix (false: it fits, but leads nowhere). */
  contradicts: boolean;
  /**
   * The last operation of the prefix that had returned before this one was called (so this
   * one cannot move in front of it), or null.
   */
  calledAfterIndex: number | null;
}

export interface Counterexample {
  /** The key (kv) or null (register). */
  key: string | null;
  /**
   * The longest linearizable prefix the search found, in order: the most operations that surely
   * happened, and on a tie the fewest that never returned or have an unknown outcome.
   */
  prefix: LinearizedOperation[];
  stateAfterPrefix: RegisterValue | KvValue;
  /** The operations that were callable right after the prefix; none of them fits. */
  blocked: BlockedOperation[];
  /** The operation whose return was reached before it could be linearized. */
  mustPrecedeIndex: number;
  /** The same, as a few lines of text. */
  text: string;
}

export interface KeyResult {
  key: string | null;
  verdict: Verdict;
  operationCount: number;
  /** History indices in a valid order (operations that never returned may be left out). */
  linearization: number[] | null;
  counterexample: Counterexample | null;
  unknownReason: string | null;
  searchSteps: number;
  memoEntries: number;
  /** Memory the memo held at the end, bytes. */
  memoBytes: number;
  elapsedMs: number;
}

export interface LinearizabilityResult {
  verdict: Verdict;
  model: ModelName;
  operationCount: number;
  keyCount: number;
  elapsedMs: number;
  /** The memo budget each key had, bytes (see option memoBytesMax). */
  memoBytesMax: number;
  unknownReason: string | null;
  /** One result per key, sorted by key (one entry with key null for a register). */
  keys: KeyResult[];
  /**
   * History indices of the operations to blame, over every counterexample: the blocked ones
   * whose output contradicts the state after the prefix (all blocked ones if none does).
   */
  offendingOperations: number[];
  counterexamples: Counterexample[];
  /** One or two sentences that say what was found. */
  summary: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const MEMO_BYTES_FLOOR = 256 * 1024 * 1024;
const MEMO_BYTES_CEILING = 16 * 1024 * 1024 * 1024;

/**
 * The memo budget when none is given: half the memory free right now, so a large history may use
 * what the machine has (a 24 GiB machine gives several GiB) while a small machine is not pushed
 * into swap; never below 256 MiB nor above 16 GiB. `freeBytes` is there for tests.
 */
export function defaultMemoBytesMax(freeBytes: number = os.freemem()): number {
  return Math.min(MEMO_BYTES_CEILING, Math.max(MEMO_BYTES_FLOOR, Math.floor(freeBytes / 2)));
}
const DEFAULT_STATES_MAX = 2_000_000;
/** Search steps one key gets per turn before the next key's turn. */
const SLICE_STEPS = 1 << 15;
/** How many prefix operations the counterexample text lists before eliding older ones. */
const PREFIX_LINES_SHOWN = 8;

/**
 * The time budget is wall-clock on purpose: it bounds how long a learner waits, not anything
 * simulated. The checker runs after a simulation, on its recorded history, so this clock never
 * touches a seeded run; only the verdict 'unknown' can depend on it (stepsMax is the
 * deterministic bound, and tests inject `now`).
 */
function defaultNow(): number {
  return performance.now();
}

function checkNumberOption(name: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw new Error(`option "${name}" is ${String(value)}; allowed: a number ≥ ${min}`);
  }
}

/** The options with every default filled in (see `LinearizabilityOptions` for each default). */
export type ResolvedLinearizabilityOptions = Required<Omit<LinearizabilityOptions, 'model'>>;

/** Checks the options (a bad one throws, naming it, what was given and what is allowed) and fills in the defaults. */
export function resolveLinearizabilityOptions(options: LinearizabilityOptions): ResolvedLinearizabilityOptions {
  checkNumberOption('timeoutMs', options.timeoutMs, 0);
  checkNumberOption('stepsMax', options.stepsMax, 1);
  checkNumberOption('memoBytesMax', options.memoBytesMax, 1024);
  checkNumberOption('statesMax', options.statesMax, 2);
  if (options.equalTimes !== undefined && options.equalTimes !== 'concurrent' && options.equalTimes !== 'return-first') {
    throw new Error(`option "equalTimes" is ${JSON.stringify(options.equalTimes)}; allowed: "concurrent", "return-first"`);
  }
  return {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    stepsMax: options.stepsMax ?? Infinity,
    memoBytesMax: options.memoBytesMax ?? defaultMemoBytesMax(),
    statesMax: options.statesMax ?? DEFAULT_STATES_MAX,
    equalTimes: options.equalTimes ?? 'concurrent',
    stopAtFirstViolation: options.stopAtFirstViolation !== false,
    now: options.now ?? defaultNow,
  };
}

/**
 * Checks a history for linearizability. `history` is `{model, operations}` or an array of
 * `OperationRecord`s (the model then comes from `options.model` or the operation names).
 * Malformed records throw a `HistoryInputError` naming the operation and field.
 */
export function checkLinearizable(
  history: HistoryLike,
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  resolveLinearizabilityOptions(options);
  return checkValidatedHistory(validateHistory(history, options.model), options);
}

/** Splits a history into its partitions: one for a register, one per key (sorted) for kv. */
export function partitionHistory(history: History): Array<{ key: string | null; indices: number[] }> {
  const ops = history.operations;
  if (history.model === 'register') return [{ key: null, indices: ops.map((_, i) => i) }];
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < ops.length; i++) {
    const key = (ops[i].input as { key: string }).key;
    let list = byKey.get(key);
    if (list === undefined) {
      list = [];
      byKey.set(key, list);
    }
    list.push(i);
  }
  const keys = Array.from(byKey.keys()).sort();
  return keys.map((key) => ({ key, indices: byKey.get(key) as number[] }));
}

/** The same check for a history that already passed `validateHistory` (e.g. from a parser). */
export function checkValidatedHistory(history: History, options: LinearizabilityOptions = {}): LinearizabilityResult {
  const { now, timeoutMs, stepsMax, memoBytesMax, statesMax, equalTimes, stopAtFirstViolation } = resolveLinearizabilityOptions(options);
  const started = now();
  const deadlineMs = started + timeoutMs;
  const partitions = partitionHistory(history);
  const compiled: CompiledPartition[] = [];
  const searches: LinearizationSearch[] = [];
  // A partition whose history alone holds more distinct values than statesMax cannot even be
  // compiled: it gets an empty search, is judged "unknown" with the limit named, and the other
  // keys are still checked.
  const compileLimitMessages: Array<string | null> = partitions.map(() => null);
  for (const [i, partition] of partitions.entries()) {
    let c: CompiledPartition;
    try {
      c = compilePartition(history.model, partition.key, history.operations, partition.indices, statesMax);
    } catch (error) {
      if (!(error instanceof StatesLimitError)) throw error;
      compileLimitMessages[i] = error.message;
      c = { ...compilePartition(history.model, partition.key, history.operations, [], statesMax), globalIndex: partition.indices };
    }
    compiled.push(c);
    searches.push(
      new LinearizationSearch(c.problem, { deadlineMs, stepsMax, memoBytesMax, equalTimes, now }),
    );
  }
  // The keys are searched in turns of SLICE_STEPS steps, so one key whose search explodes
  // cannot hide a cheap violation on another (Porcupine gets the same from goroutines).
  // Stryker disable next-line ArrowFunction: undefined would do as well as null, both mean "no outcome yet" to the ?? below
  const outcomes: Array<SearchOutcome | null> = partitions.map(() => null);
  const statesLimitMessages: Array<string | null> = [...compileLimitMessages];
  const elapsedMs: number[] = partitions.map(() => 0);
  for (const [i, message] of compileLimitMessages.entries()) {
    if (message !== null) outcomes[i] = { verdict: 'unknown', limitHit: 'states', order: null, orderStates: null, deepest: null, steps: 0, memoEntries: 0, memoBytes: 0, memoWindowWordsMax: 0 };
  }
  let pending = partitions.map((_, i) => i).filter((i) => compileLimitMessages[i] === null);
  let violated = false;
  while (pending.length > 0 && !violated) {
    const stillPending: number[] = [];
    for (const i of pending) {
      if (violated) {
        stillPending.push(i);
        continue;
      }
      const sliceStarted = now();
      let outcome: SearchOutcome | null;
      try {
        outcome = searches[i].run(SLICE_STEPS);
      } catch (error) {
        if (!(error instanceof StatesLimitError)) throw error;
        statesLimitMessages[i] = error.message;
        outcome = searches[i].abandon();
      }
      elapsedMs[i] += now() - sliceStarted;
      if (outcome === null) {
        stillPending.push(i);
      } else {
        outcomes[i] = outcome;
        if (outcome.verdict === 'not-linearizable' && stopAtFirstViolation) violated = true;
      }
    }
    pending = stillPending;
  }
  // What is still pending was left unfinished because a key failed.
  const finished = outcomes.map((o, i) => o ?? searches[i].abandon());
  const firstFailing = finished.findIndex((o) => o.verdict === 'not-linearizable');
  const keys = partitions.map((_, i) =>
    keyResult(history, compiled[i], finished[i], elapsedMs[i], timeoutMs, memoBytesMax, stepsMax, statesLimitMessages[i],
      firstFailing >= 0 ? compiled[firstFailing].key : null),
  );
  return { ...overallResult(history, keys, partitions.length, now() - started), memoBytesMax };
}

function keyLabel(model: ModelName, key: string | null): string {
  return model === 'register' ? 'the register' : `key ${formatValue(key ?? '')}`;
}

function keyResult(
  history: History,
  compiled: CompiledPartition,
  outcome: SearchOutcome,
  elapsedMs: number,
  timeoutMs: number,
  memoBytesMax: number,
  stepsMax: number,
  statesLimitMessage: string | null,
  failedKey: string | null,
): KeyResult {
  const toGlobal = (local: number): number => compiled.globalIndex[local];
  let unknownReason: string | null = null;
  if (outcome.verdict === 'unknown') {
    const where = keyLabel(history.model, compiled.key);
    if (statesLimitMessage !== null) unknownReason = `${where}: ${statesLimitMessage}`;
    else if (outcome.limitHit === 'time') unknownReason = `${where}: the search passed its time budget of ${timeoutMs} ms (option "timeoutMs")`;
    else if (outcome.limitHit === 'abandoned') {
      unknownReason =
        `${where}: not checked to the end, because ${keyLabel(history.model, failedKey)} was already found ` +
        'not linearizable (option "stopAtFirstViolation": false checks every key)';
    } else if (outcome.limitHit === 'steps') unknownReason = `${where}: the search took ${stepsMax} steps, the limit set by option "stepsMax"`;
    else {
      unknownReason =
        `${where}: the memo of explored configurations filled its budget of ${Math.round(memoBytesMax / 1048576)} MiB ` +
        '(raise option "memoBytesMax", or check-history --memo-mb)';
    }
  }
  return {
    key: compiled.key,
    verdict: outcome.verdict,
    operationCount: compiled.globalIndex.length,
    linearization: outcome.order !== null ? outcome.order.map(toGlobal) : null,
    counterexample: outcome.verdict === 'not-linearizable' ? buildCounterexample(history, compiled, outcome) : null,
    unknownReason,
    searchSteps: outcome.steps,
    memoEntries: outcome.memoEntries,
    memoBytes: outcome.memoBytes,
    elapsedMs,
  };
}

function buildCounterexample(history: History, compiled: CompiledPartition, outcome: SearchOutcome): Counterexample {
  const deepest = outcome.deepest;
  // Stryker disable next-line ConditionalExpression: unreachable guard (a failed search always records its deepest point); without it the next line throws on null anyway
  if (deepest === null) throw new Error('internal: a failed search must report its deepest point');
  const ops = history.operations;
  const table = compiled.table;
  const prefix: LinearizedOperation[] = deepest.order.map((local, i) => {
    const index = compiled.globalIndex[local];
    return {
      index,
      process: ops[index].process,
      description: describeOperation(ops[index]),
      stateAfter: table.valueOf(deepest.states[i]),
    };
  });
  const stateAfterPrefix = prefix.length > 0 ? prefix[prefix.length - 1].stateAfter : table.valueOf(compiled.problem.initialState);
  const blocked: BlockedOperation[] = deepest.candidates.map((local) => {
    const index = compiled.globalIndex[local];
    const op: CheckedOperation = ops[index];
    const rejection = explainRejection(history.model, compiled.key, op, stateAfterPrefix);
    let calledAfterIndex: number | null = null;
    for (let p = prefix.length - 1; p >= 0; p--) {
      const earlier = ops[prefix[p].index];
      if (earlier.return !== null && earlier.return < op.call) {
        calledAfterIndex = prefix[p].index;
        break;
      }
    }
    return {
      index,
      process: op.process,
      description: describeOperation(op),
      call: op.call,
      return: op.return,
      reason:
        rejection !== null
          ? rejection
          : op.return === null
            ? 'it never returned, so it may take effect here, but no order of the operations left works after it'
            : 'it fits here, but no order of the operations left works after it',
      contradicts: rejection !== null,
      calledAfterIndex,
    };
  });
  const mustPrecedeIndex = compiled.globalIndex[deepest.blockingOp];
  return {
    key: compiled.key,
    prefix,
    stateAfterPrefix,
    blocked,
    mustPrecedeIndex,
    text: counterexampleText(history, compiled.key, prefix, stateAfterPrefix, blocked, mustPrecedeIndex),
  };
}

function counterexampleText(
  history: History,
  key: string | null,
  prefix: LinearizedOperation[],
  stateAfterPrefix: RegisterValue | KvValue,
  blocked: BlockedOperation[],
  mustPrecedeIndex: number,
): string {
  const where = keyLabel(history.model, key);
  const lines: string[] = [];
  const holds = `${where} holds`;
  if (prefix.length === 0) {
    lines.push(`${capitalise(where)}: not even the first operation fits (${holds} ${formatValue(stateAfterPrefix)} at the start).`);
  } else {
    lines.push(`${capitalise(where)}: the longest linearizable prefix found has ${prefix.length} operation(s):`);
    const first = Math.max(0, prefix.length - PREFIX_LINES_SHOWN);
    if (first > 0) lines.push(`  ... ${first} earlier operation(s)`);
    for (let i = first; i < prefix.length; i++) {
      const step = prefix[i];
      lines.push(`  ${i + 1}. ${step.description}  [op ${step.index}, client ${step.process}]  → ${formatValue(step.stateAfter)}`);
    }
    lines.push(`After it ${holds} ${formatValue(stateAfterPrefix)}, and no operation that could come next fits:`);
  }
  for (const b of blocked) {
    const after =
      b.calledAfterIndex !== null
        ? `; it was called at ${formatTimeMs(b.call)}, after op ${b.calledAfterIndex} had returned, so it cannot move before it`
        : '';
    lines.push(`  - ${b.description}  [op ${b.index}, client ${b.process}]: ${b.reason}${after}`);
  }
  const must = history.operations[mustPrecedeIndex];
  lines.push(`Op ${mustPrecedeIndex} returned at ${formatTimeMs(must.return)} without a place in the order, so none exists.`);
  return lines.join('\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The blocked operations whose outputs contradict the state, or all blocked ones if none does. */
export function blamed(c: Counterexample): BlockedOperation[] {
  const contradicting = c.blocked.filter((b) => b.contradicts);
  return contradicting.length > 0 ? contradicting : c.blocked;
}

function overallResult(history: History, keys: KeyResult[], keyCount: number, elapsedMs: number): Omit<LinearizabilityResult, 'memoBytesMax'> {
  const failing = keys.filter((k) => k.verdict === 'not-linearizable');
  const unknown = keys.filter((k) => k.verdict === 'unknown');
  // Keys left unfinished because another failed do not make the verdict less certain.
  const verdict: Verdict = failing.length > 0 ? 'not-linearizable' : unknown.length > 0 ? 'unknown' : 'linearizable';
  const counterexamples = failing.map((k) => k.counterexample as Counterexample);
  const offending: number[] = [];
  for (const c of counterexamples) for (const b of blamed(c)) offending.push(b.index);
  offending.sort((x, y) => x - y);
  const opCount = history.operations.length;
  const what = history.model === 'register' ? 'a register' : `${keyCount} key(s) of a key-value store`;
  let summary: string;
  if (verdict === 'linearizable') {
    summary = `Linearizable: ${opCount} operation(s) on ${what} fit one order that respects real time.`;
  } else if (verdict === 'not-linearizable') {
    const c = counterexamples[0];
    const more = failing.length > 1 ? ` (${failing.length} keys fail; the first is shown)` : '';
    summary =
      `Not linearizable: on ${keyLabel(history.model, c.key)}, after ${c.prefix.length} operation(s) in order ` +
      `the state is ${formatValue(c.stateAfterPrefix)}, and ${blamed(c).map((b) => `op ${b.index} ${b.description}`).join(', ')} ` +
      `cannot come next${more}.`;
  } else {
    summary = `Unknown: ${unknown[0].unknownReason}; no key was found to be not linearizable.`;
  }
  return {
    verdict,
    model: history.model,
    operationCount: opCount,
    keyCount,
    elapsedMs,
    unknownReason: verdict === 'unknown' ? (unknown[0].unknownReason as string) : null,
    keys,
    offendingOperations: offending,
    counterexamples,
    summary,
  };
}
