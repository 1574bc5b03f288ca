/**
 * Records the history a benchmark run's key-value requests make (call when the system gets
 * a request, return when it answers) and asks lib/check's linearizability checker what it
 * shows. Every request is its own process, since the open-loop driver overlaps requests of
 * one client; the checker only needs call and return times. Requests that never answered
 * stay open (return null): the checker lets them take effect or not.
 */
import { checkLinearizable } from '../check';
import { HistoryRecorder, OperationRecord, Simulation } from '../sim';
import type { KvOperation, OperationResult, WorkloadClient } from '../workload';
import type { ObservedConsistency } from './bench-target';

export interface KvOutputRecord {
  value?: string;
}

export class KvHistory {
  private readonly recorder: HistoryRecorder<KvOperation, KvOutputRecord>;
  private nextProcess = 0;

  constructor(
    private readonly sim: Simulation,
    maxOperations = 400_000,
  ) {
    this.recorder = new HistoryRecorder<KvOperation, KvOutputRecord>(maxOperations);
  }

  /** The client, with every request it is given recorded. */
  wrap(client: WorkloadClient): WorkloadClient {
    const history = this;
    return {
      id: client.id,
      region: client.region,
      sessionCount: client.sessionCount,
      submit(op: KvOperation, done?: (result: OperationResult) => void, session?: number) {
        const index = history.recorder.invoke(history.nextProcess++, op, history.sim.nowMs());
        client.submit(
          op,
          (result) => {
            // A failed write may or may not have happened: leave it open. A failed read saw nothing.
            if (result.ok) history.recorder.complete(index, op.f === 'get' ? { value: result.value ?? '' } : {}, history.sim.nowMs());
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
        'keys not linearizable': bad.length,
        'operations blamed': result.offendingOperations.length,
        'keys undecided': unknown.length,
      },
      method: `lib/check checkLinearizable over ${ops.length} operations on ${result.keyCount} keys (at most ${stepsMax} search steps a key)`,
    };
  }
}
