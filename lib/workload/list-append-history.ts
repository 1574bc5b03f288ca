/**
 * Generated list-append transaction histories, for benchmarking and testing the transactional
 * checker at sizes no hand-made history reaches. Each of `concurrency` clients runs transactions
 * back to back; every transaction takes effect atomically at one instant inside its
 * call–return interval (so the history is strictly serializable), or, with `isolation:
 * 'snapshot'`, reads a snapshot taken at its call and installs its appends at its return unless a
 * concurrent transaction already appended to the same key (first-committer-wins): the snapshot
 * isolation that permits write skew. Output is in Jepsen's shape (`invoke`/`ok`/`fail` events in
 * time order), with values unique per key. Seeded: one seed, one history.
 */
import { Rng } from '../sim/rng';
import { OptionError } from '../util/option-error';

export interface ListAppendHistoryOptions {
  seed: number;
  transactionCount: number;
  concurrency: number;
  keyCount?: number;
  /** Micro-operations per transaction, 1..this. */
  opsPerTransactionMax?: number;
  isolation?: 'strict-serializable' | 'snapshot';
}

export type ListAppendMop = ['append', number, number] | ['r', number, number[] | null];
export interface ListAppendEvent {
  index: number;
  process: number;
  type: 'invoke' | 'ok' | 'fail';
  value: ListAppendMop[];
  time: number;
}

const TRANSACTIONS_MAX = 1_000_000;

export function generateListAppendHistory(options: ListAppendHistoryOptions): ListAppendEvent[] {
  const { seed, transactionCount, concurrency, keyCount = 8, opsPerTransactionMax = 4, isolation = 'strict-serializable' } = options;
  const int = (name: string, v: unknown, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new OptionError(`generateListAppendHistory: ${name} = ${JSON.stringify(v)} is not allowed; allowed: an integer from ${min} to ${max}`);
    }
  };
  int('seed', seed, 0, 2 ** 31 - 1);
  int('transactionCount', transactionCount, 1, TRANSACTIONS_MAX);
  int('concurrency', concurrency, 1, 1000);
  int('keyCount', keyCount, 1, 1_000_000);
  int('opsPerTransactionMax', opsPerTransactionMax, 1, 100);
  if (isolation !== 'strict-serializable' && isolation !== 'snapshot') {
    throw new OptionError(`generateListAppendHistory: isolation = ${JSON.stringify(isolation)} is not allowed; allowed: "strict-serializable" | "snapshot"`);
  }
  const rng = new Rng(seed);
  interface Planned { process: number; callMs: number; returnMs: number; atMs: number; mops: Array<['append' | 'r', number]> }
  const planned: Planned[] = [];
  const clock = new Array<number>(concurrency).fill(0);
  for (let i = 0; i < transactionCount; i++) {
    const process = i % concurrency;
    const callMs = clock[process] + rng.exponential(1);
    const returnMs = callMs + 0.5 + rng.exponential(2);
    clock[process] = returnMs;
    const n = rng.int(1, opsPerTransactionMax);
    const mops: Array<['append' | 'r', number]> = [];
    for (let j = 0; j < n; j++) mops.push([rng.chance(0.5) ? 'append' : 'r', rng.int(0, keyCount - 1)]);
    planned.push({ process, callMs, returnMs, atMs: callMs + rng.float() * (returnMs - callMs), mops });
  }
  const lists = new Map<number, number[]>();
  const nextValue = new Map<number, number>();
  const results = new Map<Planned, { ok: boolean; value: ListAppendMop[] }>();
  const fresh = (k: number) => {
    const v = (nextValue.get(k) ?? 0) + 1;
    nextValue.set(k, v);
    return v;
  };
  if (isolation === 'strict-serializable') {
    for (const t of [...planned].sort((a, b) => a.atMs - b.atMs)) {
      const value: ListAppendMop[] = t.mops.map(([f, k]) => {
        if (f === 'r') return ['r', k, (lists.get(k) ?? []).slice()];
        const v = fresh(k);
        lists.set(k, [...(lists.get(k) ?? []), v]);
        return ['append', k, v];
      });
      results.set(t, { ok: true, value });
    }
  } else {
    // Snapshot isolation: events in time order; a snapshot at call, commit at return.
    const lastCommitMs = new Map<number, number>();
    const snapshots = new Map<Planned, Map<number, number[]>>();
    const events = planned.flatMap((t) => [{ t, atMs: t.callMs, kind: 0 }, { t, atMs: t.returnMs, kind: 1 }])
      .sort((a, b) => a.atMs - b.atMs || a.kind - b.kind);
    for (const e of events) {
      if (e.kind === 0) {
        snapshots.set(e.t, new Map([...lists].map(([k, l]) => [k, l.slice()])));
        continue;
      }
      const snap = snapshots.get(e.t) as Map<number, number[]>;
      const own = new Map<number, number[]>();
      const value: ListAppendMop[] = e.t.mops.map(([f, k]) => {
        const view = [...(snap.get(k) ?? []), ...(own.get(k) ?? [])];
        if (f === 'r') return ['r', k, view];
        const v = fresh(k);
        own.set(k, [...(own.get(k) ?? []), v]);
        return ['append', k, v];
      });
      const conflict = [...own.keys()].some((k) => (lastCommitMs.get(k) ?? -Infinity) > e.t.callMs);
      if (!conflict) {
        for (const [k, vs] of own) {
          lists.set(k, [...(lists.get(k) ?? []), ...vs]);
          lastCommitMs.set(k, e.atMs);
        }
      }
      results.set(e.t, { ok: !conflict, value });
    }
  }
  const out: Array<Omit<ListAppendEvent, 'index'>> = [];
  const events = planned.flatMap((t) => [{ t, atMs: t.callMs, kind: 0 }, { t, atMs: t.returnMs, kind: 1 }])
    .sort((a, b) => a.atMs - b.atMs || a.kind - b.kind);
  for (const e of events) {
    const r = results.get(e.t) as { ok: boolean; value: ListAppendMop[] };
    if (e.kind === 0) out.push({ process: e.t.process, type: 'invoke', value: r.value.map((m) => (m[0] === 'r' ? ['r', m[1], null] : m)), time: e.atMs });
    else out.push({ process: e.t.process, type: r.ok ? 'ok' : 'fail', value: r.value, time: e.atMs });
  }
  return out.map((e, index) => ({ index, ...e }));
}
