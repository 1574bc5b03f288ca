/**
 * A downstream service (the fraud-scoring service's account view) consuming the change log.
 *
 * Delivery is at least once: the consumer applies a batch, makes its own state durable, and
 * only then (every commitEveryMs) commits its offsets to the broker. A crash after applying but
 * before the offset commit gets the same records again.
 *
 * - naive: applies every delivery. The row converges when redeliveries are exact copies, but
 *   each delivery is also an effect (a fraud score, an SMS): a redelivery applies it twice, and
 *   an older change arriving after a newer one overwrites it.
 * - idempotent: keeps, per key, the position of the last change applied, in the same durable
 *   write as the state itself, and skips anything at or below it. Delivery stays at least once;
 *   the effect becomes exactly once.
 *
 * `applied` is the service's effect ledger (one entry per applied change), stored with its state
 * so a checker can count effects after the run.
 */
import type { NodeBehaviour, NodeContext } from '../../sim';
import { LimitExceededError } from '../../sim';
import type { JsonValue } from '../../storage/version-store';
import { LogMessage, LogRecord, isLogMessage } from './partitioned-log';
import type { SyncEvent } from './sync-event';

export interface AppliedEffect {
  eventId: string;
  key: string;
  version: number;
  position: number;
  value: JsonValue | null;
  atMs: number;
}

export interface ConsumerState {
  rows: Record<string, JsonValue | null>;
  /** Per key: the position of the last applied change (the dedupe marker). */
  positions: Record<string, number>;
  applied: AppliedEffect[];
}

export interface ConsumerNodeOptions {
  broker: string;
  group: string;
  partitions: number;
  /**
   * The partitions this member of its group reads (static assignment: member k of m reads the
   * partitions p with p mod m = k). Default: all of them, a group of one.
   */
  assigned?: readonly number[];
  idempotent: boolean;
  pollEveryMs: number;
  commitEveryMs: number;
  fetchTimeoutMs: number;
  maxFetchRecords: number;
  maxAppliedEffects: number;
  /** Harness hook, outside the node: every delivery (applied or skipped). */
  onDelivery: (record: { consumer: string; eventId: string; applied: boolean; atMs: number; event: SyncEvent }) => void;
}

export interface ConsumerBehaviour extends NodeBehaviour {
  /** The durable state (what survives a crash). */
  durableState(): ConsumerState;
  /** Next offset per partition whose effects are durable here; null before joining. */
  positions(): number[] | null;
  committedToBroker(): number[];
  /** The partitions this member reads. */
  readonly assigned: readonly number[];
}

// Rows and dedupe positions are rewritten per batch; effects are appended (the ledger only grows).
// One fsync covers both files, so a crash keeps both or neither of a batch's writes.
const ROWS_FILE = 'consumer-rows';
const EFFECTS_FILE = 'consumer-effects';

function loadState(ctx: NodeContext): ConsumerState {
  const stored = ctx.disk.get<Pick<ConsumerState, 'rows' | 'positions'>>(ROWS_FILE) ?? { rows: {}, positions: {} };
  return { rows: stored.rows, positions: stored.positions, applied: ctx.disk.read(EFFECTS_FILE) as AppliedEffect[] };
}

export function consumerNode(ctx: NodeContext, options: ConsumerNodeOptions): ConsumerBehaviour {
  const state = loadState(ctx);
  let effectsWritten = state.applied.length;
  let next: number[] | null = null;
  let committed: number[] = new Array(options.partitions).fill(0);
  const inFlight: Array<number | null> = new Array(options.partitions).fill(null);
  const assigned = options.assigned ?? Array.from({ length: options.partitions }, (_, p) => p);
  let fetchToken = 0;
  let commitReq = 0;

  function join(): void {
    if (next !== null) return;
    ctx.send(options.broker, { type: 'join', group: options.group } satisfies LogMessage);
    ctx.setTimer(options.fetchTimeoutMs, join);
  }

  function fetch(p: number): void {
    if (next === null) return;
    const token = ++fetchToken;
    inFlight[p] = token;
    ctx.send(options.broker, { type: 'fetch', group: options.group, partition: p, offset: next[p], max: options.maxFetchRecords } satisfies LogMessage);
    // A lost request or reply (broker down, partition): ask again.
    ctx.setTimer(options.fetchTimeoutMs, () => {
      if (inFlight[p] === token) fetch(p);
    });
  }

  function apply(record: LogRecord): void {
    const event = record.value as unknown as SyncEvent;
    const last = state.positions[event.key] ?? 0;
    const applies = !options.idempotent || event.position > last;
    options.onDelivery({ consumer: ctx.id, eventId: event.id, applied: applies, atMs: ctx.simTimeMs(), event });
    if (!applies) return;
    if (state.applied.length >= options.maxAppliedEffects) {
      throw new LimitExceededError(`consumer ${ctx.id}: ${state.applied.length} effects recorded, its limit (maxAppliedEffects = ${options.maxAppliedEffects})`);
    }
    state.rows[event.key] = event.after;
    state.positions[event.key] = Math.max(last, event.position);
    state.applied.push({ eventId: event.id, key: event.key, version: event.version, position: event.position, value: event.after, atMs: ctx.simTimeMs() });
  }

  function onFetchReply(message: Extract<LogMessage, { type: 'fetch-reply' }>): void {
    const p = message.partition;
    if (next === null || inFlight[p] === null || message.offset !== next[p]) return;
    inFlight[p] = null;
    if (message.records.length === 0) {
      ctx.setTimer(options.pollEveryMs, () => fetch(p));
      return;
    }
    for (const record of message.records) apply(record);
    const end = message.offset + message.records.length;
    inFlight[p] = -1; // waiting for our own fsync; no second fetch meanwhile
    ctx.disk.put(ROWS_FILE, { rows: state.rows, positions: state.positions });
    for (; effectsWritten < state.applied.length; effectsWritten++) ctx.disk.append(EFFECTS_FILE, state.applied[effectsWritten]);
    ctx.fsync(() => {
      (next as number[])[p] = end;
      inFlight[p] = null;
      fetch(p);
    });
  }

  function commitOffsets(): void {
    if (next !== null && next.some((offset, p) => offset > committed[p])) {
      ctx.send(options.broker, { type: 'commit-offsets', reqId: ++commitReq, group: options.group, offsets: next.slice() } satisfies LogMessage);
      const sent = next.slice();
      // Trust the commit once acknowledged; until then the broker's view is what counts. While
      // the broker is down, unanswered commits pile up: keep only the latest few.
      pendingCommits.set(commitReq, sent);
      if (pendingCommits.size > 16) pendingCommits.delete(pendingCommits.keys().next().value as number);
    }
    ctx.setTimer(options.commitEveryMs, commitOffsets);
  }
  const pendingCommits = new Map<number, number[]>();

  return {
    onStart() {
      join();
      ctx.setTimer(options.commitEveryMs, commitOffsets);
    },
    onMessage(_from, message) {
      if (!isLogMessage(message)) return;
      if (message.type === 'joined' && next === null && message.group === options.group) {
        next = message.offsets.slice();
        committed = message.offsets.slice();
        for (const p of assigned) fetch(p);
      } else if (message.type === 'fetch-reply') {
        onFetchReply(message);
      } else if (message.type === 'offsets-committed') {
        const sent = pendingCommits.get(message.reqId);
        pendingCommits.delete(message.reqId);
        if (sent) committed = committed.map((c, p) => Math.max(c, sent[p]));
      }
    },
    durableState: () => loadState(ctx),
    positions: () => (next === null ? null : next.slice()),
    committedToBroker: () => committed.slice(),
    assigned,
  };
}
