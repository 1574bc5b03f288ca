/**
 * A deliberately naive linearizability checker for tiny histories, written without any of
 * lib/check's machinery: it tries every subset of the optional operations and every order
 * that respects real time, running a plain JavaScript model. The property tests compare
 * the real checker against it.
 */
import type { CheckedOperation } from '../../lib/check';

type State = Map<string, unknown>;

/** Whether `a` must come before `b` in any linearization (a returned before b was called). */
export function precedes(a: CheckedOperation, b: CheckedOperation, equalTimes: 'concurrent' | 'return-first'): boolean {
  if (a.return === null) return false;
  if (a.return < b.call) return true;
  // Under return-first, a return at the instant of a call comes first, unless the returning
  // operation took no time at all.
  return equalTimes === 'return-first' && a.return === b.call && a.call < a.return;
}

/** Applies `op` to `state`: the next state, or null when the output contradicts the state. */
function apply(model: 'register' | 'kv', op: CheckedOperation, state: State): State | null {
  const input = op.input as { f: string; key?: string; value?: unknown; from?: unknown; to?: unknown };
  const key = input.key === undefined ? '' : input.key;
  const initial = model === 'register' ? null : '';
  const current = state.has(key) ? state.get(key) : initial;
  const out = op.output;
  const next = new Map(state);
  switch (input.f) {
    case 'read':
      return out === null || out.ok === false || out.value === current ? state : null;
    case 'get':
      return out === null || out.ok === false || String(out.value) === current ? state : null;
    case 'write':
      if (out !== null && out.ok === false) return state;
      next.set(key, input.value);
      return next;
    case 'put':
      if (out !== null && out.ok === false) return state;
      next.set(key, String(input.value));
      return next;
    case 'append':
      if (out !== null && out.ok === false) return state;
      next.set(key, String(current) + String(input.value));
      return next;
    case 'cas': {
      const matches = current === input.from;
      if (out === null) {
        if (matches) next.set(key, input.to);
        return next;
      }
      if (out.ok !== matches) return null;
      if (matches) next.set(key, input.to);
      return next;
    }
    default:
      throw new Error(`unknown op ${input.f}`);
  }
}

/** True when some subset of the optional operations plus all the others has a legal order. */
export function bruteForceLinearizable(
  model: 'register' | 'kv',
  ops: CheckedOperation[],
  equalTimes: 'concurrent' | 'return-first' = 'concurrent',
): boolean {
  // Optional: never returned, or returned with an unknown outcome (taking no effect is then
  // the same as being left out, since a no-op can sit anywhere in its interval).
  const optional = ops.map((op, i) => (op.return === null || op.output === null ? i : -1)).filter((i) => i >= 0);
  if (ops.length > 9) throw new Error('brute force is for tiny histories only');
  for (let mask = 0; mask < 1 << optional.length; mask++) {
    const included = ops.map((op, i) => optional.indexOf(i) < 0 || (mask & (1 << optional.indexOf(i))) !== 0);
    const chosen = ops.map((_, i) => i).filter((i) => included[i]);
    if (search(model, ops, chosen, [], new Map(), equalTimes)) return true;
  }
  return false;
}

function search(
  model: 'register' | 'kv',
  ops: CheckedOperation[],
  remaining: number[],
  done: number[],
  state: State,
  equalTimes: 'concurrent' | 'return-first',
): boolean {
  if (remaining.length === 0) return true;
  for (const i of remaining) {
    // i may go next only if no other remaining operation must precede it.
    if (remaining.some((j) => j !== i && precedes(ops[j], ops[i], equalTimes))) continue;
    const next = apply(model, ops[i], state);
    if (next === null) continue;
    if (search(model, ops, remaining.filter((j) => j !== i), [...done, i], next, equalTimes)) return true;
  }
  return false;
}
