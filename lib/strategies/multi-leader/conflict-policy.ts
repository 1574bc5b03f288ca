import { Dot, DvvSet, Hlc, HlcTimestamp, VectorClock } from '../../clocks';
import { OptionError } from '../../sim';

/**
 * How a multi-leader register store decides what a key holds when leaders accepted
 * writes the others had not seen. Detection is always the same — version vectors say
 * whether an incoming write follows, or is concurrent with, what a leader holds — but
 * the resolution is pluggable:
 *
 * - 'lww-physical': last writer wins by the origin leader's wall clock (Cassandra,
 *   DynamoDB global tables). Simple and convergent, but "last" means "largest
 *   timestamp": a leader whose clock is 50 ms behind stamps a genuinely newer write as
 *   older, and it is silently thrown away, even when it causally follows the write
 *   that beats it.
 * - 'lww-hlc': last writer wins by hybrid logical clock (CockroachDB, YugabyteDB). A
 *   write that causally follows another always carries a larger HLC, so skew can no
 *   longer throw away a newer write; of two truly concurrent writes, one still loses.
 * - 'siblings': keep every concurrent write (Dynamo, Riak's allow_mult): a read returns
 *   all of them and the next write, made with that read's context, replaces them.
 *   Nothing is lost; the application has to merge.
 *
 * A last-writer-wins policy is any total order on writes; pass your own as
 * `{ kind: 'last-writer-wins', name, compareWrites }` (e.g. "the larger amount wins").
 */
export interface StoredWrite<V> {
  readonly dot: Dot;
  readonly key: string;
  readonly value: V;
  /** The writes the origin leader had seen for this key when it accepted this one. */
  readonly context: VectorClock;
  /**
   * Under last-writer-wins: the write whose value the client read before writing (the
   * leader's winner at that moment), null for the first write. It is how the effect of a
   * write flows into later ones, and so what decides whether a write was lost.
   */
  readonly readDot: Dot | null;
  readonly physicalMs: number;
  readonly hlc: HlcTimestamp;
  readonly acceptedAtSimMs: number;
}

export interface LastWriterWinsPolicy {
  readonly kind: 'last-writer-wins';
  readonly name: string;
  /** Negative when `a` loses to `b`. Must be a total order; ties are broken by dot afterwards. */
  compareWrites(a: StoredWrite<unknown>, b: StoredWrite<unknown>): number;
}

export interface SiblingsPolicy {
  readonly kind: 'siblings';
  readonly name: string;
}

export type ConflictPolicy = LastWriterWinsPolicy | SiblingsPolicy;

export const BUILT_IN_POLICIES = ['lww-physical', 'lww-hlc', 'siblings'] as const;
export type BuiltInPolicyName = (typeof BUILT_IN_POLICIES)[number];

export const LWW_PHYSICAL: LastWriterWinsPolicy = {
  kind: 'last-writer-wins',
  name: 'lww-physical',
  compareWrites: (a, b) => a.physicalMs - b.physicalMs,
};

export const LWW_HLC: LastWriterWinsPolicy = {
  kind: 'last-writer-wins',
  name: 'lww-hlc',
  compareWrites: (a, b) => Hlc.compare(a.hlc, b.hlc),
};

export const SIBLINGS: SiblingsPolicy = { kind: 'siblings', name: 'siblings' };

/** Resolves a policy option: a built-in name or a policy object. */
export function conflictPolicy(option: BuiltInPolicyName | ConflictPolicy): ConflictPolicy {
  if (option === 'lww-physical') return LWW_PHYSICAL;
  if (option === 'lww-hlc') return LWW_HLC;
  if (option === 'siblings') return SIBLINGS;
  if (typeof option === 'object' && option !== null) {
    if (option.kind === 'siblings') return option;
    if (option.kind === 'last-writer-wins' && typeof option.compareWrites === 'function' && typeof option.name === 'string') return option;
  }
  throw new OptionError(
    `policy: got ${JSON.stringify(option)}; allowed: ${BUILT_IN_POLICIES.map((p) => JSON.stringify(p)).join(' | ')} ` +
      "or { kind: 'last-writer-wins', name, compareWrites(a, b) }",
  );
}

/** The later of two writes under a last-writer-wins policy; equal stamps fall back to the dot, so every leader picks the same. */
export function laterWrite<V>(policy: LastWriterWinsPolicy, a: StoredWrite<V>, b: StoredWrite<V>): StoredWrite<V> {
  const byPolicy = policy.compareWrites(a, b);
  if (byPolicy !== 0) return byPolicy > 0 ? a : b;
  return Dot.compare(a.dot, b.dot) >= 0 ? a : b;
}

/** The state of one key on one leader. */
export interface RegisterKeyState<V> {
  /**
   * The causal frontier: every write no later write has superseded, with the version
   * vector of all writes seen. This is what conflict detection reads, for every policy;
   * under 'siblings' it is also what a read returns.
   */
  readonly frontier: DvvSet<StoredWrite<V>>;
  /** Under last-writer-wins: the winning write of all writes ever seen. Null under 'siblings'. */
  readonly winner: StoredWrite<V> | null;
}
