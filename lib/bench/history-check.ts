/**
 * Records the history a benchmark run's key-value requests make (call when the system gets
 * a request, return when it answers) and asks lib/check's linearizability checker what it
 * shows. Every request is its own process, since the open-loop driver overlaps requests of
 * one client; the checker only needs call and return times. Requests that never answered
 * stay open (return null): the checker lets them take effect or not.
 *
 * The clock is the simulation's for a simulated target and the real clock (a monotonic one,
 * such as process.hrtime) for a real engine: the checker only compares times of one clock.
 */
import { checkLinearizable } from '../check';
import { HistoryRecorder, OperationRecord } from '../sim';
import type { KvOperation, OperationResult, WorkloadClient } from '../workload';
import type { ObservedConsistency } from './bench-target';

export interface KvOutputRecord {
  value?: string;
}

/** Where the history's times come from: a Simulation, or the real clock. */
export interface HistoryClock {
  nowMs(): number;
}

export class KvHistory {
  private readonly recorder: HistoryRecorder<KvOperation, KvOutputRecord>;
  private nextProcess = 0;

  constructor(
    private readonly clock: HistoryClock,
    maxOperations = 400_000,
  ) {
    this.recorder = new HistoryRecorder<KvOperation, KvOutputRecord>(maxOperations);
  }

  /**
   * Records the call of `op` now and returns what records its answer: `ok` with the value a
   * get read ("" for a key never written). A failed write may or may not have happened, so it
   * stays open; a failed read saw nothing and stays open too.
   */
  begin(op: KvOperation): (result: { ok: boolean; value?: string }) => void {
    const index = this.recorder.invoke(this.nextProcess++, op, this.clock.nowMs());
    return (result) => {
      if (result.ok) this.recorder.complete(index, op.f === 'get' ? { value: result.value ?? '' } : {}, this.clock.nowMs());
    };
  }

  /** The client, with every request it is given recorded. */
  wrap(client: WorkloadClient): WorkloadClient {
    const history = this;
    return {
      id: client.id,
      region: client.region,
      sessionCount: client.sessionCount,
      submit(op: KvOperation, done?: (result: OperationResult) => void, session?: number) {
        const finish = history.begin(op);
        client.submit(
          op,
          (result) => {
            finish(result);
            if (done) done(result);
          },
          session,
        );
      },
    };
  }

  get length(): number {
    return this.recorder.length;
  }

  operations(): OperationRecord<KvOperation, KvOutputRecord>[] {
    return this.recorder.operations();
  }

  /**
   * Reads that returned a value no linearization allows because a newer write had already
   * finished before the read began: stale reads. A read may return the value of a put p when
   * p started before the read ended and no other put both started after p ended and ended
   * before the read began; "" (never written) only when no put ended before the read began.
   * Put values are unique (the driver numbers them), so a value names its put.
   */
  staleReads(): number {
    const byKey = new Map<string, OperationRecord<KvOperation, KvOutputRecord>[]>();
    for (const op of this.recorder.operations()) {
      const list = byKey.get(op.input.key);
      if (list) list.push(op);
      else byKey.set(op.input.key, [op]);
    }
    let stale = 0;
    for (const ops of byKey.values()) {
      const puts = ops.filter((o) => o.input.f === 'put');
      const putOf = new Map<string, OperationRecord<KvOperation, KvOutputRecord>>();
      for (const p of puts) putOf.set((p.input as { value: string }).value, p);
      // Puts that finished, by return time, with the latest call among those finished so far.
      const finished = puts.filter((p) => p.return !== null).sort((a, b) => (a.return as number) - (b.return as number));
      const latestCall: number[] = [];
      let m = -Infinity;
      for (const p of finished) latestCall.push((m = Math.max(m, p.call)));
      for (const r of ops) {
        if (r.input.f !== 'get' || r.return === null || r.output === null) continue;
        // M: the latest start of a put that finished before r began (binary search on return time).
        let lo = 0;
        let hi = finished.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if ((finished[mid].return as number) < r.call) lo = mid + 1;
          else hi = mid;
        }
        const latestStart = lo === 0 ? -Infinity : latestCall[lo - 1];
        const value = r.output.value ?? '';
        const p = putOf.get(value);
        const allowed = value === '' ? lo === 0 : p !== undefined && p.call < r.return && (p.return ?? Infinity) >= latestStart;
        if (!allowed) stale++;
      }
    }
    return stale;
  }

  /**
   * The checker's verdict over every key, with a deterministic search budget per key: a key
   * whose search runs out is "unknown", counted apart, never called linearizable.
   */
  check(stepsMax = 200_000): ObservedConsistency {
    const ops = this.operations();
    const result = checkLinearizable({ model: 'kv', operations: ops }, { model: 'kv', stepsMax, equalTimes: 'return-first' });
    const bad = result.keys.filter((k) => k.verdict === 'not-linearizable');
    const unknown = result.keys.filter((k) => k.verdict === 'unknown');
    const verdict = bad.length > 0 ? 'not linearizable' : unknown.length > 0 ? 'linearizable where decided' : 'linearizable';
    return {
      verdict,
      anomalies: {
        'stale reads': this.staleReads(),
        'keys not linearizable': bad.length,
        ...(bad.length === 0 ? { 'keys undecided': unknown.length } : {}),
      },
      method: `lib/check checkLinearizable over ${ops.length} operations on ${result.keyCount} keys (at most ${stepsMax} search steps a key; it stops at the first key that fails), and a stale-read count over the same history`,
    };
  }
}
