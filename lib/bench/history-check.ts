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
import { checkLinearizable, checkSiblingReads } from '../check';
import { HistoryRecorder, OperationRecord } from '../sim';
import type { KvOperation, OperationResult, WorkloadClient } from '../workload';
import type { ObservedConsistency } from './bench-target';

export interface KvOutputRecord {
  value?: string;
  /** Every value a multi-value read returned (siblings). */
  values?: string[];
}

function readOutput(result: Pick<OperationResult, 'value' | 'values'>): KvOutputRecord {
  return result.values !== undefined ? { value: result.value ?? '', values: [...result.values] } : { value: result.value ?? '' };
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
  begin(op: KvOperation): (result: { ok: boolean; value?: string; values?: readonly string[] }) => void {
    const index = this.recorder.invoke(this.nextProcess++, op, this.clock.nowMs());
    return (result) => {
      if (result.ok) this.recorder.complete(index, op.f === 'get' ? readOutput(result) : {}, this.clock.nowMs());
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
   * finished before the read began: stale reads, by lib/check's checkSiblingReads (one
   * definition for single- and multi-value reads; put values are unique, so a value names its put).
   */
  staleReads(): number {
    return checkSiblingReads(this.recorder.operations()).staleReads;
  }

  /**
   * The checker's verdict over every key, with a deterministic search budget per key: a key
   * whose search runs out is "unknown", counted apart, never called linearizable.
   */
  check(stepsMax = 200_000): ObservedConsistency {
    const ops = this.operations();
    // A read that returned several values (siblings) is not something a register does: the
    // linearizability checker cannot judge it, so the sibling-aware check judges each read instead.
    const siblings = checkSiblingReads(ops);
    if (siblings.multiValueReads > 0) {
      return {
        verdict: 'not linearizable (reads return siblings)',
        anomalies: { 'stale reads': siblings.staleReads, 'multi-value reads': siblings.multiValueReads, 'most values in one read': siblings.valuesMax },
        method: `lib/check checkSiblingReads over ${ops.length} operations (${siblings.reads} reads): a read is fresh when the set it returns holds a value a linearizable read could return; a multi-value read is not linearizable as a register, whatever it holds`,
      };
    }
    const result = checkLinearizable({ model: 'kv', operations: ops }, { model: 'kv', stepsMax, equalTimes: 'return-first' });
    const bad = result.keys.filter((k) => k.verdict === 'not-linearizable');
    const unknown = result.keys.filter((k) => k.verdict === 'unknown');
    const verdict = bad.length > 0 ? 'not linearizable' : unknown.length > 0 ? 'linearizable where decided' : 'linearizable';
    return {
      verdict,
      anomalies: {
        'stale reads': siblings.staleReads,
        'keys not linearizable': bad.length,
        ...(bad.length === 0 ? { 'keys undecided': unknown.length } : {}),
      },
      method: `lib/check checkLinearizable over ${ops.length} operations on ${result.keyCount} keys (at most ${stepsMax} search steps a key; it stops at the first key that fails), and a stale-read count over the same history`,
    };
  }
}
