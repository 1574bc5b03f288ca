import { Dot, Dvv, VectorClock } from '../../clocks';
import { canonicalJson } from '../../crdt';
import { LoggedOp } from './logged-op';
import { ConflictPolicy, RegisterKeyState, StoredWrite, laterWrite } from './conflict-policy';

/** What a client asks a leader to do: write `value` to `key`. */
export interface PutPayload<V> {
  readonly key: string;
  readonly value: V;
  /** The leader's version vector for the key at the time: this write replaces what it had seen. */
  readonly context: VectorClock;
  /** Under last-writer-wins: the winner the client read before writing (null: none, or siblings). */
  readonly readDot: Dot | null;
}

/** What applying one write did: which writes it was concurrent with (a conflict) and who wins now. */
export interface ApplyResult<V> {
  key: string;
  /** Writes on this leader that the incoming write had not seen: a detected conflict when non-empty. */
  concurrentWith: StoredWrite<V>[];
  /** True when an earlier write had already superseded this one (it arrived late). */
  alreadySuperseded: boolean;
}

/**
 * An accepted write whose effect no longer shows: it is not the value a read returns,
 * and that value was not computed from it (directly, or through later writes that read
 * it). Under last-writer-wins a client reads one value, the winner, so the effect of a
 * write flows on only through writes made by clients who read it.
 */
export interface LostUpdate<V> {
  key: string;
  dot: string;
  value: V;
  acceptedAtSimMs: number;
  /** The write a read returns instead. */
  winner: string;
  /**
   * 'newer write discarded': the lost write's leader had already seen a surviving write
   * that nevertheless beat it, so the lost write was the newer one and lost only because
   * its timestamp was smaller (clock skew). 'concurrent write discarded': otherwise — a
   * write nobody had seen when a concurrent one won.
   */
  reason: 'concurrent write discarded' | 'newer write discarded';
}

/**
 * The registers of one leader: a pure state machine fed with writes (local or from
 * other leaders, in any order that keeps each origin's own order) that keeps, per key,
 * the causal frontier and, under last-writer-wins, the winner.
 *
 * Applying writes is commutative and idempotent: the frontier is merged with the
 * dotted-version-vector rule and the winner is a maximum. So leaders that have applied
 * the same writes hold the same state, whatever order the network delivered them in.
 */
export class RegisterStore<V> {
  private readonly keys = new Map<string, RegisterKeyState<V>>();
  /** Every write ever applied, per key: what the lost-update analysis walks. */
  private readonly history = new Map<string, Map<string, StoredWrite<V>>>();

  constructor(readonly policy: ConflictPolicy) {}

  /** The version vector a new local write to `key` carries as its context. */
  contextOf(key: string): VectorClock {
    return this.keys.get(key)?.frontier.versionVector ?? VectorClock.empty();
  }

  /** Under last-writer-wins, the dot of the value a read of `key` returns now (null otherwise). */
  winnerDot(key: string): Dot | null {
    return this.keys.get(key)?.winner?.dot ?? null;
  }

  keyNames(): string[] {
    return [...this.keys.keys()].sort();
  }

  keyState(key: string): RegisterKeyState<V> | undefined {
    return this.keys.get(key);
  }

  /** What a read of `key` returns: one value under LWW, every sibling under 'siblings', [] if never written. */
  read(key: string): V[] {
    const state = this.keys.get(key);
    if (!state) return [];
    if (this.policy.kind === 'siblings') return Dvv.values(state.frontier).map((w) => w.value);
    return state.winner ? [state.winner.value] : [];
  }

  apply(op: LoggedOp<PutPayload<V>>): ApplyResult<V> {
    const { key, value, context, readDot } = op.payload;
    const write: StoredWrite<V> = {
      dot: op.dot,
      key,
      value,
      context,
      readDot,
      physicalMs: op.physicalMs,
      hlc: op.hlc,
      acceptedAtSimMs: op.acceptedAtSimMs,
    };
    const current = this.keys.get(key) ?? { frontier: Dvv.empty<StoredWrite<V>>(), winner: null };
    const alreadySuperseded = Dot.seenBy(op.dot, current.frontier.versionVector);
    const concurrentWith = alreadySuperseded ? [] : current.frontier.siblings.filter((s) => !Dot.seenBy(s.dot, context)).map((s) => s.value);
    // The write alone, as a dotted state: it has seen its context and itself.
    const single = { siblings: [{ dot: op.dot, value: write }], versionVector: VectorClock.merge(context, { [op.dot.node]: op.dot.counter }) };
    const frontier = Dvv.merge(current.frontier, single);
    let winner: StoredWrite<V> | null = null;
    if (this.policy.kind === 'last-writer-wins') {
      winner = current.winner === null ? write : laterWrite(this.policy, current.winner, write);
    }
    this.keys.set(key, { frontier, winner });
    let writes = this.history.get(key);
    if (!writes) {
      writes = new Map();
      this.history.set(key, writes);
    }
    writes.set(Dot.key(op.dot), write);
    return { key, concurrentWith, alreadySuperseded };
  }

  /** One string that is equal on two leaders iff they hold the same registers. */
  fingerprint(): string {
    const parts: string[] = [];
    for (const key of this.keyNames()) {
      const state = this.keys.get(key) as RegisterKeyState<V>;
      parts.push(`${JSON.stringify(key)}=${canonicalJson({ frontier: state.frontier, winner: state.winner })}`);
    }
    return parts.join('\n');
  }

  /**
   * Accepted writes whose effect a read no longer shows (see LostUpdate). Always empty
   * under 'siblings', where a read returns every concurrent write and the next write
   * replaces them all.
   */
  lostUpdates(): LostUpdate<V>[] {
    const lost: LostUpdate<V>[] = [];
    const policy = this.policy;
    if (policy.kind === 'siblings') return lost;
    for (const key of this.keyNames()) {
      const winner = (this.keys.get(key) as RegisterKeyState<V>).winner;
      const writes = this.history.get(key);
      if (!winner || !writes) continue;
      // The surviving chain: the winner, the write its client read, the write that one read, ...
      const chain: StoredWrite<V>[] = [];
      const inChain = new Set<string>();
      for (let w: StoredWrite<V> | undefined = winner; w && !inChain.has(Dot.key(w.dot)); w = w.readDot ? writes.get(Dot.key(w.readDot)) : undefined) {
        chain.push(w);
        inChain.add(Dot.key(w.dot));
      }
      for (const [dotKey, write] of writes) {
        if (inChain.has(dotKey)) continue;
        const beatenBySeen = chain.some((c) => Dot.seenBy(c.dot, write.context) && laterWrite(policy, c, write) === c);
        lost.push({
          key,
          dot: dotKey,
          value: write.value,
          acceptedAtSimMs: write.acceptedAtSimMs,
          winner: Dot.key(winner.dot),
          reason: beatenBySeen ? 'newer write discarded' : 'concurrent write discarded',
        });
      }
    }
    return lost.sort((a, b) => a.acceptedAtSimMs - b.acceptedAtSimMs);
  }
}
