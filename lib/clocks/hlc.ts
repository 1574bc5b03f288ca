/**
 * Hybrid logical clocks (Kulkarni, Demirbas, Madappa, Avva, Leone, "Logical Physical
 * Clocks", OPODIS 2014). Used by CockroachDB, YugabyteDB and MongoDB.
 *
 * Physical timestamps are what humans and TTLs want, but clocks skew: a node whose clock is
 * 200 ms behind can stamp a reply *earlier* than the request that caused it, and
 * last-writer-wins then throws away the newer write. Lamport clocks fix causality but
 * drift arbitrarily far from real time. An HLC timestamp (l, c) does both:
 *   - l is the largest physical time (in ms) this node has heard of, from its own clock or
 *     from any message. It never runs behind the local physical clock and stays within the
 *     maximum clock skew ε ahead of it, so it can stand in for a wall-clock time.
 *   - c is a small logical counter that orders events sharing the same l, which is what
 *     keeps "a happened before b ⇒ ts(a) < ts(b)" true even when physical clocks disagree.
 * The field names l and c follow the paper (both are numbers; l is in milliseconds, the
 * same unit as the `physicalMs` passed in). `nodeId` breaks the remaining ties, so
 * `compare` is a total order.
 *
 * A node's clock state is just its latest timestamp; the functions return new values.
 * The timestamp returned by `now` is also the one to put into an outgoing message.
 */
import { assertNodeId, compareNodeIds, describeValue, NodeId } from './node-id';

export interface HlcTimestamp {
  /** Logical wall time in ms: max of all physical times seen. */
  readonly l: number;
  /** Logical counter for events with the same l; resets to 0 whenever l moves forward. */
  readonly c: number;
  /** Owner of the clock; the final tie-breaker of `compare`. */
  readonly nodeId: NodeId;
}

export interface HlcOptions {
  /**
   * The maximum clock offset the cluster tolerates, in ms. `update` throws an
   * HlcMaxOffsetError when a remote timestamp's l is more than this far ahead of the local
   * physical clock: accepting it would drag this node's l (and, through it, every node it
   * talks to) far into the future, and only a misconfigured or broken clock produces such
   * a timestamp. CockroachDB applies the same guard (its --max-offset, 500 ms by default).
   * Unset: no guard.
   */
  maxOffsetMs?: number;
  /**
   * The largest value c may take; reaching past it throws. The paper packs c into 16 bits
   * and proves it stays small while physical clocks tick, so hitting this limit means a
   * physical clock has stopped or jumped far backwards. Default 65535.
   */
  logicalMax?: number;
}

export const HLC_LOGICAL_MAX_DEFAULT = 65535;

/** Thrown by `update` when a remote timestamp is further ahead than `maxOffsetMs` allows. */
export class HlcMaxOffsetError extends Error {
  constructor(
    /** The receiving node. */
    readonly nodeId: NodeId,
    /** The rejected timestamp. */
    readonly remote: HlcTimestamp,
    /** The receiver's physical clock when the message arrived, in ms. */
    readonly physicalMs: number,
    /** How far the remote l is ahead of that physical clock: remote.l − physicalMs. */
    readonly offsetMs: number,
    /** The limit that was exceeded. */
    readonly maxOffsetMs: number,
  ) {
    super(
      `HLC update at node "${nodeId}" rejected: the timestamp from "${remote.nodeId}" has l=${remote.l} ms, ` +
        `which is offsetMs=${offsetMs} ms ahead of the local physical clock (${physicalMs} ms); ` +
        `the limit is maxOffsetMs=${maxOffsetMs} ms. One of the two clocks is off by more than the cluster tolerates.`,
    );
    this.name = 'HlcMaxOffsetError';
  }
}

function assertPhysicalMs(physicalMs: number): void {
  if (typeof physicalMs !== 'number' || !Number.isFinite(physicalMs)) {
    throw new Error(`physicalMs must be a finite number of milliseconds; got ${describeValue(physicalMs)}`);
  }
}

function assertTimestamp(name: string, timestamp: HlcTimestamp): void {
  if (timestamp === null || typeof timestamp !== 'object') {
    throw new Error(`${name} must be an HLC timestamp { l, c, nodeId }; got ${describeValue(timestamp)}`);
  }
  assertNodeId(`${name}.nodeId`, timestamp.nodeId);
  if (typeof timestamp.l !== 'number' || !Number.isFinite(timestamp.l)) {
    throw new Error(`${name}.l must be a finite number of milliseconds; got ${describeValue(timestamp.l)}`);
  }
  if (!Number.isSafeInteger(timestamp.c) || timestamp.c < 0) {
    throw new Error(`${name}.c must be a non-negative integer; got ${describeValue(timestamp.c)}`);
  }
}

function readOptions(options: HlcOptions | undefined): { maxOffsetMs: number; logicalMax: number } {
  const maxOffsetMs = options?.maxOffsetMs ?? Infinity;
  if (typeof maxOffsetMs !== 'number' || Number.isNaN(maxOffsetMs) || maxOffsetMs < 0) {
    throw new Error(`maxOffsetMs must be a number of milliseconds ≥ 0; got ${describeValue(maxOffsetMs)}`);
  }
  const logicalMax = options?.logicalMax ?? HLC_LOGICAL_MAX_DEFAULT;
  if (!Number.isSafeInteger(logicalMax) || logicalMax < 0) {
    throw new Error(`logicalMax must be a non-negative integer; got ${describeValue(logicalMax)}`);
  }
  return { maxOffsetMs, logicalMax };
}

function checkedCounter(c: number, logicalMax: number, nodeId: NodeId, l: number): number {
  if (c > logicalMax) {
    throw new Error(
      `HLC at node "${nodeId}": the logical counter c would reach ${c} at l=${l} ms, above logicalMax=${logicalMax}; ` +
        'the physical clock is not advancing (stopped, or set far back)',
    );
  }
  return c;
}

/**
 * A fresh clock for `nodeId`: (l, c) = (0, 0), below every timestamp taken from a physical
 * clock reading above 0 ms (any epoch clock). A skewed clock that reads ≤ 0 ms gets l = 0.
 */
function init(nodeId: NodeId): HlcTimestamp {
  assertNodeId('nodeId', nodeId);
  return { l: 0, c: 0, nodeId };
}

/**
 * A local or send event at physical time `physicalMs` (the node's own, possibly skewed,
 * clock reading). Returns the event's timestamp, which is also the node's new clock.
 */
function now(clock: HlcTimestamp, physicalMs: number, options?: HlcOptions): HlcTimestamp {
  assertTimestamp('clock', clock);
  assertPhysicalMs(physicalMs);
  const { logicalMax } = readOptions(options);
  const l = Math.max(clock.l, physicalMs);
  // Same l as before: the physical clock has not passed our l yet, so count within it.
  // A new, larger l: physical time moved on and the counter can start again from 0.
  const c = l === clock.l ? clock.c + 1 : 0;
  return { l, c: checkedCounter(c, logicalMax, clock.nodeId, l), nodeId: clock.nodeId };
}

/**
 * A receive event of a message stamped `remote`, at local physical time `physicalMs`.
 * The new l is the max of the node's l, the remote l and the physical clock; c then
 * counts past whichever timestamps share that l (paper, Figure 5).
 */
function update(clock: HlcTimestamp, remote: HlcTimestamp, physicalMs: number, options?: HlcOptions): HlcTimestamp {
  assertTimestamp('clock', clock);
  assertTimestamp('remote', remote);
  assertPhysicalMs(physicalMs);
  const { maxOffsetMs, logicalMax } = readOptions(options);
  const offsetMs = remote.l - physicalMs;
  if (offsetMs > maxOffsetMs) {
    throw new HlcMaxOffsetError(clock.nodeId, remote, physicalMs, offsetMs, maxOffsetMs);
  }
  const l = Math.max(clock.l, remote.l, physicalMs);
  let c: number;
  if (l === clock.l && l === remote.l) c = Math.max(clock.c, remote.c) + 1;
  else if (l === clock.l) c = clock.c + 1;
  else if (l === remote.l) c = remote.c + 1;
  else c = 0; // The local physical clock is ahead of both: a fresh l, counter from 0.
  return { l, c: checkedCounter(c, logicalMax, clock.nodeId, l), nodeId: clock.nodeId };
}

/**
 * The total order of HLC timestamps: by l, then c, then node id. It extends "happened
 * before": if a → b then compare(a, b) < 0.
 */
function compare(a: HlcTimestamp, b: HlcTimestamp): -1 | 0 | 1 {
  if (a.l !== b.l) return a.l < b.l ? -1 : 1;
  if (a.c !== b.c) return a.c < b.c ? -1 : 1;
  return compareNodeIds(a.nodeId, b.nodeId);
}

/** True when `value` has the shape of an HLC timestamp (used by LWW registers to accept either kind). */
function isTimestamp(value: unknown): value is HlcTimestamp {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as HlcTimestamp).l === 'number' &&
    typeof (value as HlcTimestamp).c === 'number' &&
    typeof (value as HlcTimestamp).nodeId === 'string'
  );
}

/** Hybrid logical clock operations; every function is pure and returns a new timestamp. */
export const Hlc = { init, now, update, compare, isTimestamp } as const;
