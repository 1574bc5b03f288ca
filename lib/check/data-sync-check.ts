/**
 * The invariants of data synchronisation from a source database to a downstream service, checked
 * after the pipeline has drained:
 *
 * 1. No committed change lost: every committed change (key, version) was applied downstream.
 * 2. Nothing from a rolled-back transaction: every applied change is a committed one — same key,
 *    same version, same value. An applied change that matches a rolled-back write is named so.
 * 3. Exactly-once effect: no committed change was applied more than once.
 * 4. Per-key order: for each key, a change is never applied after a newer version of that key.
 *    A redelivered change that was already applied is reported once, as a duplicate (a replay of
 *    old records after a consumer crash is a duplication, not a reordering of the stream).
 * 5. Convergence: the downstream rows equal the upstream rows.
 *
 * It reports counts per kind and the first violation: the earliest applied effect that breaks
 * 2–4, else the first lost change in commit order, else the first diverged key in key order.
 */
import type { JsonValue } from '../storage/version-store';

/** One change written by a transaction: the row at `key` became `value` at `version`. */
export interface SyncChange {
  key: string;
  version: number;
  value: JsonValue | null;
}

/** One change applied downstream, in the order they were applied. */
export interface SyncEffect extends SyncChange {
  eventId: string;
}

export interface DataSyncHistory {
  /** Changes of committed transactions, in commit order. */
  committed: readonly SyncChange[];
  /** Changes written by transactions that rolled back (requested, or cut by a crash). */
  rolledBack: readonly SyncChange[];
  /** Effects the downstream applied, in order. */
  applied: readonly SyncEffect[];
  /** Final rows on each side (a deleted row is absent). */
  upstreamRows: Readonly<Record<string, JsonValue | null>>;
  downstreamRows: Readonly<Record<string, JsonValue | null>>;
}

export type DataSyncViolationKind = 'lost' | 'rolled-back' | 'never-written' | 'duplicate' | 'out-of-order' | 'diverged';

export const DATA_SYNC_VIOLATION_KINDS: readonly DataSyncViolationKind[] = ['lost', 'rolled-back', 'never-written', 'duplicate', 'out-of-order', 'diverged'];

export interface DataSyncViolation {
  kind: DataSyncViolationKind;
  key: string;
  version: number | null;
  /** Index in `applied` of the offending effect (null for lost changes and diverged keys). */
  appliedIndex: number | null;
  message: string;
}

export interface DataSyncCheckResult {
  ok: boolean;
  counts: Record<DataSyncViolationKind, number>;
  committedChanges: number;
  effectsApplied: number;
  first: DataSyncViolation | null;
  /** The violations, at most maxViolations of them, first one first. */
  violations: DataSyncViolation[];
}

const sameValue = (a: JsonValue | null | undefined, b: JsonValue | null | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const changeId = (key: string, version: number) => `${key}@${version}`;

export function checkDataSync(history: DataSyncHistory, options: { maxViolations?: number } = {}): DataSyncCheckResult {
  const maxViolations = options.maxViolations ?? 100;
  const counts = Object.fromEntries(DATA_SYNC_VIOLATION_KINDS.map((k) => [k, 0])) as Record<DataSyncViolationKind, number>;
  const violations: DataSyncViolation[] = [];
  const note = (v: DataSyncViolation) => {
    counts[v.kind]++;
    if (violations.length < maxViolations) violations.push(v);
  };

  const committed = new Map<string, SyncChange>();
  for (const c of history.committed) {
    const id = changeId(c.key, c.version);
    if (committed.has(id)) throw new Error(`checkDataSync: committed history has ${id} twice; a version is written by one committed transaction`);
    committed.set(id, c);
  }
  const rolledBack = new Map<string, SyncChange[]>();
  for (const c of history.rolledBack) {
    const id = changeId(c.key, c.version);
    rolledBack.set(id, [...(rolledBack.get(id) ?? []), c]);
  }

  const appliedTimes = new Map<string, number>();
  const lastVersion = new Map<string, number>();
  history.applied.forEach((e, index) => {
    const id = changeId(e.key, e.version);
    const source = committed.get(id);
    if (!source || !sameValue(source.value, e.value)) {
      const ghost = (rolledBack.get(id) ?? []).some((r) => sameValue(r.value, e.value));
      note({
        kind: ghost ? 'rolled-back' : 'never-written',
        key: e.key,
        version: e.version,
        appliedIndex: index,
        message: ghost
          ? `effect #${index} applied ${id} = ${JSON.stringify(e.value)}, written by a transaction that rolled back`
          : `effect #${index} applied ${id} = ${JSON.stringify(e.value)}, which no transaction committed${source ? ` (the committed ${id} is ${JSON.stringify(source.value)})` : ''}`,
      });
    } else {
      const times = (appliedTimes.get(id) ?? 0) + 1;
      appliedTimes.set(id, times);
      if (times > 1) note({ kind: 'duplicate', key: e.key, version: e.version, appliedIndex: index, message: `effect #${index} applied ${id} again (application ${times} of one committed change)` });
    }
    const last = lastVersion.get(e.key);
    const repeat = source !== undefined && sameValue(source.value, e.value) && (appliedTimes.get(id) ?? 0) > 1;
    if (last !== undefined && e.version < last && !repeat) {
      note({ kind: 'out-of-order', key: e.key, version: e.version, appliedIndex: index, message: `effect #${index} applied ${id} after version ${last} of ${e.key}: per-key order broken` });
    }
    lastVersion.set(e.key, Math.max(last ?? -Infinity, e.version));
  });

  for (const c of history.committed) {
    const id = changeId(c.key, c.version);
    if (!appliedTimes.has(id)) note({ kind: 'lost', key: c.key, version: c.version, appliedIndex: null, message: `committed change ${id} = ${JSON.stringify(c.value)} never applied downstream` });
  }

  const keys = [...new Set([...Object.keys(history.upstreamRows), ...Object.keys(history.downstreamRows)])].sort();
  for (const key of keys) {
    const up = history.upstreamRows[key] ?? null;
    const down = history.downstreamRows[key] ?? null;
    if (!sameValue(up, down)) note({ kind: 'diverged', key, version: null, appliedIndex: null, message: `${key}: upstream ${JSON.stringify(up)}, downstream ${JSON.stringify(down)}` });
  }

  // The first violation: the earliest effect, then lost changes in commit order, then diverged keys.
  const ranked = violations.slice().sort((a, b) => rank(a) - rank(b));
  return {
    ok: violations.length === 0,
    counts,
    committedChanges: history.committed.length,
    effectsApplied: history.applied.length,
    first: ranked[0] ?? null,
    violations: ranked,
  };
}

function rank(v: DataSyncViolation): number {
  if (v.appliedIndex !== null) return v.appliedIndex;
  return v.kind === 'lost' ? 1e12 : 2e12;
}
