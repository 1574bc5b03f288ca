import { VectorClock } from '../../clocks';
import { LimitExceededError } from '../../sim';
import { LoggedOp } from './logged-op';

/**
 * A leader's op log: its copy of every leader's writes, one gap-free sequence per origin.
 *
 * Leader X numbers its writes X:1, X:2, ...; every leader keeps, per origin, the prefix
 * it has received, so "what have you seen" is one version vector (origin → highest
 * contiguous counter) and "what are you missing" is, per origin, everything after the
 * peer's entry. That is all anti-entropy between leaders needs. Ops arriving with a gap
 * (a later op overtook an earlier one, or the earlier one was lost) are refused here and
 * fetched in order by the next anti-entropy round.
 *
 * A production log would be truncated once every leader has an op; this one keeps
 * everything (the lessons are short) and throws when it reaches opCountMax.
 */
export type AppendOutcome = 'appended' | 'duplicate' | 'gap';

export class LeaderOpLog<P> {
  private readonly byOrigin = new Map<string, LoggedOp<P>[]>();
  private total = 0;

  constructor(private readonly opCountMax: number) {}

  /** How many ops of `origin` this log holds (its highest contiguous counter). */
  seenOf(origin: string): number {
    return this.byOrigin.get(origin)?.length ?? 0;
  }

  /** The version vector of everything this log holds. */
  seen(): VectorClock {
    const entries: Record<string, number> = {};
    for (const [origin, ops] of this.byOrigin) entries[origin] = ops.length;
    return VectorClock.from(entries);
  }

  get size(): number {
    return this.total;
  }

  /** Adds an op if it is the next one of its origin. */
  append(op: LoggedOp<P>): AppendOutcome {
    const origin = op.dot.node;
    const seen = this.seenOf(origin);
    if (op.dot.counter <= seen) return 'duplicate';
    if (op.dot.counter > seen + 1) return 'gap';
    if (this.total >= this.opCountMax) {
      throw new LimitExceededError(`replication log holds ${this.total} ops, its limit (opCountMax = ${this.opCountMax}); run a shorter workload or raise opCountMax`);
    }
    let ops = this.byOrigin.get(origin);
    if (!ops) {
      ops = [];
      this.byOrigin.set(origin, ops);
    }
    ops.push(op);
    this.total++;
    return 'appended';
  }

  /**
   * Ops a peer that has seen `peerSeen` is missing, oldest first per origin, at most
   * `limit` of them. `upTo` caps origins whose later ops may not be handed out yet (a
   * leader's own ops that are not durable).
   */
  missingFor(peerSeen: VectorClock, limit: number, upTo: Readonly<Record<string, number>> = {}): { ops: LoggedOp<P>[]; more: boolean } {
    const ops: LoggedOp<P>[] = [];
    const origins = [...this.byOrigin.keys()].sort();
    for (const origin of origins) {
      const log = this.byOrigin.get(origin) as LoggedOp<P>[];
      const end = Math.min(log.length, upTo[origin] ?? log.length);
      for (let i = VectorClock.get(peerSeen, origin); i < end; i++) {
        if (ops.length >= limit) return { ops, more: true };
        ops.push(log[i]);
      }
    }
    return { ops, more: false };
  }
}
