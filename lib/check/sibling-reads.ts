/**
 * Stale reads in a key-value history whose reads may return several values: the siblings a
 * multi-leader store keeps when it resolves a conflict by keeping every concurrent write
 * (Dynamo, Riak's allow_mult; lib/strategies/multi-leader's 'siblings' policy).
 *
 * The linearizability checker models a register: a read returns one value. A read that returns
 * a set of siblings is not something a register does, so that checker cannot judge it, and
 * calling every such history "not linearizable" says nothing about freshness. This check asks a
 * question per read that does have an answer: **does the set the read returned contain a value
 * a linearizable read could have returned?** If it does, the read is *fresh* (the application,
 * which merges siblings, has the latest value in hand); if not, it is *stale*. Multi-value reads
 * are counted apart.
 *
 * A read r may return the value of put p when some order of the operations that respects real
 * time (a precedes b when a returned before b was called) puts p last among the puts before r;
 * "" (never written) when some such order puts no put before r. That holds exactly when
 *
 * - p could come before r: r did not return before p was called, and
 * - every other put q that must come before r (q returned before r was called) can come before
 *   p: p did not return before q was called.
 *
 * A put whose outcome is unknown (output null) may be left out, so it never forces anything;
 * a put that returned { ok: false } did not happen. Put values must be unique per key (the
 * benchmark driver numbers them), so a value names its put. Each read is judged on its own, which
 * is weaker than linearizability of the whole history (two fresh reads may still disagree on an
 * order), and is what "stale read" means in the benchmark table.
 *
 * Ties: an operation that returns at the very moment another is called overlaps it (as
 * checkLinearizable's default equalTimes 'concurrent' has it). Its 'return-first' alternative is
 * not offered: with operations that take no time (a local read answers at once) it makes two of
 * them at one instant each precede the other, and no order exists.
 */
import { OptionError, checkKnownKeys } from '../util';

export interface SiblingReadOperation {
  call: number;
  /** null: never returned. */
  return: number | null;
  input: { f: string; key: string; value?: string };
  /** For a get: values (all siblings) or value (one); [] or "" for a key never written. null: outcome unknown. */
  output: { value?: string; values?: readonly string[]; ok?: boolean } | null;
}

export interface SiblingReadsOptions {
  /** Stale reads listed in the result (all are counted); default 20. */
  examplesMax?: number;
}

export interface StaleSiblingRead {
  /** Index of the read in the operations given. */
  index: number;
  key: string;
  values: string[];
  /** Values a linearizable read could have returned (at most 10 listed). */
  allowed: string[];
}

export interface SiblingReadsResult {
  /** Reads that returned (a read with no answer saw nothing and is not judged). */
  reads: number;
  /** Reads whose set holds no value a linearizable read could have returned. */
  staleReads: number;
  /** Reads that returned more than one value (siblings). */
  multiValueReads: number;
  /** The most values one read returned. */
  valuesMax: number;
  stale: StaleSiblingRead[];
  summary: string;
}

interface Put {
  value: string;
  call: number;
  /** Infinity when it never returned. */
  ret: number;
  /** False when its outcome is unknown: it may be left out, so it forces nothing. */
  definite: boolean;
}

/** The set a read returned: [""] for a key never written. */
export function readValues(output: { value?: string; values?: readonly string[] }): string[] {
  const values = output.values !== undefined ? [...output.values] : [output.value ?? ''];
  return values.length === 0 ? [''] : values;
}

function validate(ops: readonly SiblingReadOperation[]): void {
  if (!Array.isArray(ops)) throw new OptionError(`checkSiblingReads operations: got ${typeof ops}; allowed: an array of operations`);
  ops.forEach((op, i) => {
    const f = op?.input?.f;
    if (f !== 'put' && f !== 'get') throw new OptionError(`checkSiblingReads operations[${i}].input.f: got ${JSON.stringify(f)}; allowed: "put", "get"`);
    if (typeof op.input.key !== 'string') throw new OptionError(`checkSiblingReads operations[${i}].input.key: got ${JSON.stringify(op.input.key)}; allowed: a string`);
    if (f === 'put' && typeof op.input.value !== 'string') throw new OptionError(`checkSiblingReads operations[${i}].input.value: got ${JSON.stringify(op.input.value)}; allowed: a string (puts carry the value they write)`);
    if (!Number.isFinite(op.call)) throw new OptionError(`checkSiblingReads operations[${i}].call: got ${op.call}; allowed: a finite number of ms`);
    if (op.return !== null && !(Number.isFinite(op.return) && op.return >= op.call)) throw new OptionError(`checkSiblingReads operations[${i}].return: got ${op.return}; allowed: null or a number ≥ call (${op.call})`);
  });
}

export function checkSiblingReads(operations: readonly SiblingReadOperation[], options: SiblingReadsOptions = {}): SiblingReadsResult {
  validate(operations);
  checkKnownKeys('checkSiblingReads options', options, ['examplesMax']);
  const examplesMax = options.examplesMax ?? 20;
  if (!Number.isInteger(examplesMax) || examplesMax < 0) throw new OptionError(`checkSiblingReads examplesMax: got ${examplesMax}; allowed: an integer ≥ 0`);
  // a precedes b: a returned before b was called.
  const precedes = (aReturn: number, bCall: number): boolean => aReturn < bCall;

  const byKey = new Map<string, number[]>();
  operations.forEach((op, i) => {
    const list = byKey.get(op.input.key);
    if (list) list.push(i);
    else byKey.set(op.input.key, [i]);
  });
  let reads = 0;
  let staleReads = 0;
  let multiValueReads = 0;
  let valuesMax = 0;
  const stale: StaleSiblingRead[] = [];
  for (const [key, indices] of byKey) {
    const putOf = new Map<string, Put>();
    for (const i of indices) {
      const op = operations[i];
      if (op.input.f !== 'put' || op.output?.ok === false) continue;
      const value = op.input.value as string;
      if (putOf.has(value)) throw new OptionError(`checkSiblingReads operations[${i}]: key "${key}" is put to ${JSON.stringify(value)} twice; allowed: unique put values per key (a value must name its put)`);
      putOf.set(value, { value, call: op.call, ret: op.return ?? Infinity, definite: op.output !== null && op.return !== null });
    }
    // Puts that must come before a read are the definite ones that returned before it was called:
    // sorted by return, with the latest call among each prefix. (p itself may be that latest
    // call: it can still come last, since it did not return before its own call.)
    const forced = [...putOf.values()].filter((p) => p.definite).sort((a, b) => a.ret - b.ret);
    const latestCall: number[] = [];
    let m = -Infinity;
    for (const p of forced) latestCall.push((m = Math.max(m, p.call)));
    for (const i of indices) {
      const op = operations[i];
      if (op.input.f !== 'get' || op.return === null || op.output === null) continue;
      reads++;
      const values = readValues(op.output);
      if (values.length > 1) multiValueReads++;
      valuesMax = Math.max(valuesMax, values.length);
      const r = { call: op.call, ret: op.return };
      // How many forced puts precede r: the prefix of `forced` that returned before r was called.
      let lo = 0;
      let hi = forced.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (precedes(forced[mid].ret, r.call)) lo = mid + 1;
        else hi = mid;
      }
      const allowed = (value: string): boolean => {
        if (value === '' && !putOf.has('')) return lo === 0;
        const p = putOf.get(value);
        if (!p || precedes(r.ret, p.call)) return false;
        return lo === 0 || !precedes(p.ret, latestCall[lo - 1]);
      };
      if (values.some(allowed)) continue;
      staleReads++;
      if (stale.length < examplesMax) {
        const allowedValues = [...(lo === 0 ? [''] : []), ...[...putOf.keys()].filter((v) => allowed(v))].slice(0, 10);
        stale.push({ index: i, key, values, allowed: allowedValues });
      }
    }
  }
  const summary = `${reads} reads: ${staleReads} stale (no value a linearizable read could return), ${multiValueReads} returned several values (at most ${valuesMax})`;
  return { reads, staleReads, multiValueReads, valuesMax, stale, summary };
}
