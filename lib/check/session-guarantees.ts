/**
 * Session guarantees (Terry et al. 1994), checked per client ("process") and per key:
 *
 * - read-your-writes: a read sees every write the same client completed before the read began;
 * - monotonic reads: a read never sees an older state than a read the same client completed
 *   before it began.
 *
 * "Older" needs an order of versions, which a history of values alone does not give (two
 * appends can produce states a checker cannot rank). So these checks read `output.version`:
 * for a write, the position the system gave it in its order of writes (for example the
 * replication-log LSN of the write); for a read, the version of the newest write it observed
 * (for example the LSN the replica had applied for that key). Any numbering works as long as
 * a state that includes write W reports a version ≥ W's version; a per-key counter and a
 * global LSN both do.
 */
import type { CheckedOperation, History, HistoryLike, ModelName } from './history-types';
import { HistoryInputError } from './history-types';
import { describeOperation, formatTimeMs, formatValue } from './sequential-models';
import { validateHistory } from './validate-history';

export type SessionGuarantee = 'read-your-writes' | 'monotonic-reads';

/** A pair that breaks a guarantee: the earlier operation and the read that went backwards. */
export interface SessionViolation {
  guarantee: SessionGuarantee;
  process: number;
  /** The key (kv) or null (register). */
  key: string | null;
  /** History index of the earlier write (read-your-writes) or earlier read (monotonic reads). */
  earlierIndex: number;
  earlierVersion: number;
  /** History index of the read that saw an older version. */
  readIndex: number;
  readVersion: number;
  explanation: string;
}

export interface GuaranteeResult {
  ok: boolean;
  /** How many reads broke the guarantee (each read counts once, against the newest earlier op). */
  violationCount: number;
  /** The violations, at most `violationsMax` of them, in the order the reads began. */
  violations: SessionViolation[];
}

export interface SessionCheckResult {
  ok: boolean;
  model: ModelName;
  readYourWrites: GuaranteeResult;
  monotonicReads: GuaranteeResult;
  /** Reads and writes with a known outcome, the operations the checks looked at. */
  checkedOperationCount: number;
  summary: string;
}

export interface SessionCheckOptions {
  model?: ModelName;
  /** The most violations listed per guarantee (all are counted). Default 1000. */
  violationsMax?: number;
}

const DEFAULT_VIOLATIONS_MAX = 1000;

type Role = 'read' | 'write' | 'none';

function roleOf(op: CheckedOperation): Role {
  const out = op.output;
  if (op.return === null || out === null || out.ok === false) return 'none';
  switch (op.input.f) {
    case 'read':
    case 'get':
      return 'read';
    case 'cas':
      // A failed cas changed nothing; a successful one is a write.
      return out.ok === true ? 'write' : 'none';
    default:
      return 'write';
  }
}

function keyOf(op: CheckedOperation): string | null {
  return 'key' in op.input ? op.input.key : null;
}

/**
 * Checks read-your-writes and monotonic reads. Throws a `HistoryInputError` when a completed
 * read or write lacks `output.version`, because without it "older" is not defined.
 */
export function checkSessionGuarantees(
  history: HistoryLike,
  options: SessionCheckOptions = {},
): SessionCheckResult {
  const violationsMax = options.violationsMax !== undefined ? options.violationsMax : DEFAULT_VIOLATIONS_MAX;
  if (typeof violationsMax !== 'number' || !(violationsMax >= 0)) {
    throw new Error(`option "violationsMax" is ${String(violationsMax)}; allowed: a number ≥ 0`);
  }
  const checked = validateHistory(history, options.model);
  const ops = checked.operations;
  const roles: Role[] = ops.map(roleOf);
  for (let i = 0; i < ops.length; i++) {
    if (roles[i] === 'none') continue;
    const version = (ops[i].output as { version?: number }).version;
    if (version === undefined) {
      throw new HistoryInputError(
        `operation ${i} (client ${ops[i].process}, ${describeOperation(ops[i])}) has output ` +
          `${JSON.stringify(ops[i].output)} without "version"; the session checks need output.version on every ` +
          'completed read and write: the version the system gave the write, or the newest write the read saw ' +
          '(e.g. the replication-log LSN). Histories from Jepsen or Porcupine logs carry no versions.',
      );
    }
  }

  // Per client: its reads and writes in program order (by call time).
  const byProcess = new Map<number, number[]>();
  let checkedCount = 0;
  for (let i = 0; i < ops.length; i++) {
    if (roles[i] === 'none') continue;
    checkedCount++;
    let list = byProcess.get(ops[i].process);
    if (list === undefined) {
      list = [];
      byProcess.set(ops[i].process, list);
    }
    list.push(i);
  }
  const ryw: GuaranteeResult = { ok: true, violationCount: 0, violations: [] };
  const mr: GuaranteeResult = { ok: true, violationCount: 0, violations: [] };
  const processes = Array.from(byProcess.keys()).sort((a, b) => a - b);
  for (const process of processes) {
    checkProcess(checked, roles, byProcess.get(process) as number[], ryw, mr, violationsMax);
  }
  const order = (a: SessionViolation, b: SessionViolation): number =>
    ops[a.readIndex].call - ops[b.readIndex].call || a.readIndex - b.readIndex;
  ryw.violations.sort(order);
  mr.violations.sort(order);
  const ok = ryw.ok && mr.ok;
  const summary = ok
    ? `Both session guarantees hold for ${processes.length} client(s) over ${checkedCount} read(s) and write(s).`
    : [
        ryw.ok ? 'read-your-writes holds' : `read-your-writes broken by ${ryw.violationCount} read(s)`,
        mr.ok ? 'monotonic reads hold' : `monotonic reads broken by ${mr.violationCount} read(s)`,
      ].join('; ') + (ryw.violations.length > 0 ? `. First: ${ryw.violations[0].explanation}` : mr.violations.length > 0 ? `. First: ${mr.violations[0].explanation}` : '.');
  return {
    ok,
    model: checked.model,
    readYourWrites: ryw,
    monotonicReads: mr,
    checkedOperationCount: checkedCount,
    summary,
  };
}

interface Newest {
  version: number;
  index: number;
}

function checkProcess(
  history: History,
  roles: Role[],
  indices: number[],
  ryw: GuaranteeResult,
  mr: GuaranteeResult,
  violationsMax: number,
): void {
  const ops = history.operations;
  // A sweep over this client's events: an operation counts as "before" a read once it has
  // returned, and a return at the same time as a call comes first (the client's own order).
  const events: Array<{ time: number; isReturn: boolean; index: number }> = [];
  for (const i of indices) {
    events.push({ time: ops[i].return as number, isReturn: true, index: i });
    if (roles[i] === 'read') events.push({ time: ops[i].call, isReturn: false, index: i });
  }
  events.sort((a, b) => a.time - b.time || (a.isReturn === b.isReturn ? a.index - b.index : a.isReturn ? -1 : 1));
  const newestWrite = new Map<string | null, Newest>();
  const newestRead = new Map<string | null, Newest>();
  for (const e of events) {
    const op = ops[e.index];
    const key = keyOf(op);
    const version = (op.output as { version: number }).version;
    if (e.isReturn) {
      const table = roles[e.index] === 'write' ? newestWrite : newestRead;
      const seen = table.get(key);
      if (seen === undefined || version > seen.version) table.set(key, { version, index: e.index });
      continue;
    }
    const w = newestWrite.get(key);
    if (w !== undefined && w.version > version) {
      record(ryw, violationsMax, {
        guarantee: 'read-your-writes',
        process: op.process,
        key,
        earlierIndex: w.index,
        earlierVersion: w.version,
        readIndex: e.index,
        readVersion: version,
        explanation:
          `client ${op.process} wrote ${where(history.model, key)} at version ${w.version} ` +
          `(op ${w.index}, ${describeOperation(ops[w.index])}, returned at ${formatTimeMs(ops[w.index].return)}), then read ` +
          `version ${version} (op ${e.index}, ${describeOperation(op)}, called at ${formatTimeMs(op.call)}): it did not see its own write`,
      });
    }
    const r = newestRead.get(key);
    if (r !== undefined && r.version > version) {
      record(mr, violationsMax, {
        guarantee: 'monotonic-reads',
        process: op.process,
        key,
        earlierIndex: r.index,
        earlierVersion: r.version,
        readIndex: e.index,
        readVersion: version,
        explanation:
          `client ${op.process} read ${where(history.model, key)} at version ${r.version} ` +
          `(op ${r.index}, ${describeOperation(ops[r.index])}), then an older version ${version} ` +
          `(op ${e.index}, ${describeOperation(op)}): its reads went back in time`,
      });
    }
  }
}

function where(model: ModelName, key: string | null): string {
  return model === 'register' ? 'the register' : `key ${formatValue(key === null ? '' : key)}`;
}

function record(result: GuaranteeResult, violationsMax: number, violation: SessionViolation): void {
  result.ok = false;
  result.violationCount++;
  if (result.violations.length < violationsMax) result.violations.push(violation);
}
