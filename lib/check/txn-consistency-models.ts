/**
 * Consistency models and transactional anomalies, and how they relate: which anomalies imply
 * which, which models are stronger than which, and which anomalies each model rules out. From
 * these three relations the checker answers "which is the weakest model this history rules
 * out" (`boundary`) and "which anomalies would make this test fail" (`prohibitedAnomalies`).
 *
 * The relations follow Adya's "Weak Consistency" (PL-1 … PL-3, G0/G1/G2, G-single, G-SI),
 * Bailis et al.'s "Highly Available Transactions", Cerone et al.'s framework (read atomic,
 * update atomic, prefix, PSI), Daudjee and Salem's strong session variants, and Elle's
 * arrangement of them (jepsen-io/elle, `consistency-model`), so our verdicts use Elle's names
 * and agree with Elle's on its own test suite. Friendly names (read-committed, serializable)
 * are used throughout; Adya's PL names are accepted as aliases.
 */
import { OptionError } from '../util/option-error';

/** Each anomaly → the anomalies its presence implies (e.g. G0 is also a G1c; G1c is also G1). */
const IMPLIED_ANOMALIES: Record<string, string[]> = {
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'GSIb', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],
  GSIa: ['GSI'],
  GSIb: ['GSI'],
  // Two committed reads of one key that cannot come from one timeline imply a dirty read.
  'incompatible-order': ['G1a'],
  // Reading one's own later write is a trivial wr cycle T → T.
  'future-read': ['G1c'],
  // Building on an aborted transaction's write is a dirty read that also writes.
  'dirty-update': ['G1a'],
  // Two transactions read one version and both overwrote it: write skew on one item.
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
};

/** Friendly model → the weaker models it implies (a history satisfying it satisfies those). */
const MODEL_IMPLIES: Record<string, string[]> = {
  'causal-cerone': ['read-atomic'],
  'consistent-view': ['cursor-stability', 'monotonic-view'],
  'cursor-stability': ['read-committed'],
  'forward-consistent-view': ['consistent-view'],
  'read-committed': ['read-uncommitted'],
  serializable: ['repeatable-read', 'update-serializable', 'snapshot-isolation', 'view-serializable'],
  'update-serializable': ['forward-consistent-view'],
  'monotonic-atomic-view': ['read-committed'],
  'monotonic-view': ['read-committed'],
  'monotonic-snapshot-read': ['read-committed'],
  'parallel-snapshot-isolation': ['causal-cerone', 'update-atomic'],
  prefix: ['causal-cerone'],
  'read-atomic': ['monotonic-atomic-view'],
  'repeatable-read': ['cursor-stability', 'monotonic-atomic-view'],
  'update-atomic': ['read-atomic'],
  'session-serializable': ['1SR'],
  'snapshot-isolation': [
    'forward-consistent-view', 'monotonic-atomic-view', 'monotonic-snapshot-read', 'parallel-snapshot-isolation', 'prefix',
  ],
  'strict-serializable': [
    'serializable', 'linearizable', 'snapshot-isolation', 'strong-snapshot-isolation', 'strong-session-serializable',
    'session-serializable',
  ],
  'strong-session-read-uncommitted': ['read-uncommitted'],
  'strong-session-read-committed': ['read-committed', 'strong-session-read-uncommitted'],
  'strong-read-uncommitted': ['strong-session-read-uncommitted'],
  'strong-read-committed': ['strong-session-read-committed', 'strong-read-uncommitted'],
  'strong-session-serializable': ['serializable', 'strong-session-snapshot-isolation'],
  'strong-session-snapshot-isolation': ['snapshot-isolation', 'strong-session-read-committed'],
  'strong-snapshot-isolation': ['strong-session-snapshot-isolation', 'strong-read-committed'],
  linearizable: ['sequential'],
  sequential: ['causal'],
  causal: ['writes-follow-reads', 'PRAM'],
  PRAM: ['monotonic-reads', 'monotonic-writes', 'read-your-writes'],
};

/** Friendly model → the anomalies it rules out directly (weaker models' bans apply too). */
const MODEL_PROSCRIBES: Record<string, string[]> = {
  'causal-cerone': ['internal', 'G1a'],
  'cursor-stability': ['G1', 'G-cursor', 'lost-update'],
  'monotonic-view': ['G1', 'G-monotonic'],
  'monotonic-snapshot-read': ['G1', 'G-MSR'],
  'consistent-view': ['G1', 'G-single'],
  'forward-consistent-view': ['G1', 'G-SIb'],
  'parallel-snapshot-isolation': ['internal', 'G1a'],
  serializable: ['G1', 'G2', 'internal', 'predicate-read-miss'],
  'read-committed': ['G1'],
  'read-uncommitted': ['G0', 'duplicate-elements', 'cyclic-versions'],
  prefix: ['internal', 'G1a'],
  'snapshot-isolation': ['internal', 'G1', 'G-SI', 'G-nonadjacent'],
  'read-atomic': ['internal', 'G1a', 'future-read'],
  'repeatable-read': ['G1', 'G2-item', 'lost-update'],
  'update-atomic': ['lost-update'],
  'strict-serializable': ['G1', 'G1c-realtime', 'G2-realtime'],
  'strong-session-read-uncommitted': ['G0-process'],
  'strong-session-read-committed': ['G1c-process'],
  'strong-read-uncommitted': ['G0-realtime'],
  'strong-read-committed': ['G1c-realtime'],
  'strong-session-snapshot-isolation': ['internal', 'G1-process', 'G-nonadjacent-process'],
  'strong-snapshot-isolation': ['internal', 'G1-realtime', 'G-nonadjacent-realtime'],
  'strong-session-serializable': ['G1-process', 'G2-process'],
  'update-serializable': ['G1', 'G-update'],
};

/** Other names for the same model (Adya's PL levels, and Jepsen's synonyms). */
const MODEL_ALIASES: Record<string, string> = {
  'PL-1': 'read-uncommitted',
  'PL-2': 'read-committed',
  'PL-2+': 'consistent-view',
  'PL-2L': 'monotonic-view',
  'PL-2.99': 'repeatable-read',
  'PL-3': 'serializable',
  'conflict-serializable': 'serializable',
  'PL-3U': 'update-serializable',
  'PL-CS': 'cursor-stability',
  'PL-FCV': 'forward-consistent-view',
  'PL-MSR': 'monotonic-snapshot-read',
  'PL-SI': 'snapshot-isolation',
  'PL-SS': 'strict-serializable',
  'strong-serializable': 'strict-serializable',
  'strong-session-PL-1': 'strong-session-read-uncommitted',
  'strong-session-PL-2': 'strong-session-read-committed',
  'strong-PL-1': 'strong-read-uncommitted',
  'strong-PL-2': 'strong-read-committed',
};

function collectModels(): string[] {
  const all = new Set<string>();
  for (const [model, weaker] of Object.entries(MODEL_IMPLIES)) {
    all.add(model);
    for (const w of weaker) all.add(w);
  }
  for (const model of Object.keys(MODEL_PROSCRIBES)) all.add(model);
  return [...all].sort();
}

/** Every model the checker knows, by its friendly name. */
export const CONSISTENCY_MODELS: readonly string[] = collectModels();

function invert(graph: Record<string, string[]>): Map<string, string[]> {
  const inverse = new Map<string, string[]>();
  for (const [from, tos] of Object.entries(graph)) {
    for (const to of tos) {
      const list = inverse.get(to) ?? [];
      list.push(from);
      inverse.set(to, list);
    }
  }
  return inverse;
}

const MODEL_IMPLIED_BY = invert(MODEL_IMPLIES);
const ANOMALY_IMPLIED_BY = invert(IMPLIED_ANOMALIES);
const MODELS_PROSCRIBING = invert(MODEL_PROSCRIBES);

function closure(start: Iterable<string>, next: (x: string) => readonly string[] | undefined): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const x = stack.pop() as string;
    if (seen.has(x)) continue;
    seen.add(x);
    for (const y of next(x) ?? []) if (!seen.has(y)) stack.push(y);
  }
  return seen;
}

/** The friendly name of a model given by any of its names; a precise error for an unknown one. */
export function canonicalModel(option: string, name: unknown): string {
  if (typeof name === 'string') {
    const friendly = MODEL_ALIASES[name] ?? name;
    if (CONSISTENCY_MODELS.includes(friendly)) return friendly;
  }
  throw new OptionError(
    `${option}: got ${JSON.stringify(name)}; allowed: one of ${CONSISTENCY_MODELS.join(', ')} (or an Adya alias such as PL-2)`,
  );
}

/** The anomalies that imply any of `anomalies`, them included (asking for G1 also catches G1a). */
export function anomaliesImplying(anomalies: Iterable<string>): Set<string> {
  return closure(anomalies, (a) => ANOMALY_IMPLIED_BY.get(a));
}

/** `anomalies` and every anomaly they imply. */
export function impliedAnomalies(anomalies: Iterable<string>): Set<string> {
  return closure(anomalies, (a) => IMPLIED_ANOMALIES[a]);
}

/** Anomalies that would break at least one of `models` (a history satisfying them all has none). */
export function anomaliesProhibitedBy(models: Iterable<string>): Set<string> {
  const implied = closure(models, (m) => MODEL_IMPLIES[m]);
  const direct: string[] = [];
  for (const m of implied) direct.push(...(MODEL_PROSCRIBES[m] ?? []));
  return anomaliesImplying(direct);
}

/** Models that cannot hold for a history showing `anomalies`. */
export function impossibleModels(anomalies: Iterable<string>): Set<string> {
  const direct = new Set<string>();
  for (const a of impliedAnomalies(anomalies)) for (const m of MODELS_PROSCRIBING.get(a) ?? []) direct.add(m);
  return closure(direct, (m) => MODEL_IMPLIED_BY.get(m));
}

/**
 * The boundary of what a history rules out: `not`, the weakest impossible models (none of them
 * implied by another impossible one), and `alsoNot`, the stronger ones. "not: read-committed"
 * reads "this history is not even read committed".
 */
export function boundary(anomalies: Iterable<string>): { not: string[]; alsoNot: string[] } {
  const impossible = impossibleModels(anomalies);
  const weakest = [...impossible].filter((m) => {
    const weaker = closure(MODEL_IMPLIES[m] ?? [], (x) => MODEL_IMPLIES[x]);
    for (const w of weaker) if (impossible.has(w)) return false;
    return true;
  });
  return {
    not: weakest.sort(),
    alsoNot: [...impossible].filter((m) => !weakest.includes(m)).sort(),
  };
}
