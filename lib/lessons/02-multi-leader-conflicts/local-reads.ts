/** Notebook 02, section 5: are local reads linearizable? A history for lib/check. */
import { HistoryRecorder, OperationRecord, Rng, Simulation, checkNumber } from '../../sim';
import { multiLeaderRegisters } from '../../strategies/multi-leader';
import { UPI_LEADER_REGIONS } from './scenario';

// ------------------------------------------------------------------ is it linearizable?

/** A register operation as lib/check reads it. */
export type RegisterOperation = OperationRecord<{ f: 'read' } | { f: 'write'; value: string }, { value?: string | null }>;

/**
 * Clients in Mumbai and Delhi read and write one register at their local leader
 * (a read answers at once from the local copy; a write answers after fsync). It opens
 * with the lesson's case — Delhi writes at t = 1000 ms, Mumbai reads 5 ms later, while
 * Delhi's op is still on the wire — and continues with random reads and writes. Returns
 * the history in the shape lib/check's linearizability checker reads.
 */
export function localReadWriteHistory(options: { seed: number; policy?: 'lww-physical' | 'lww-hlc'; operationsPerClient?: number }): {
  seed: number;
  history: RegisterOperation[];
} {
  const perClient = checkNumber('localReadWriteHistory operationsPerClient', options.operationsPerClient ?? 6, { integer: true, min: 1, max: 1000 });
  const sim = new Simulation({ seed: options.seed });
  const store = multiLeaderRegisters<string>({ sim, regions: UPI_LEADER_REGIONS, policy: options.policy ?? 'lww-hlc' });
  const recorder = new HistoryRecorder<RegisterOperation['input'], NonNullable<RegisterOperation['output']>>(10_000);
  const workload = new Rng(options.seed ^ 0x11ea);
  const key = 'upi-limit:priya';
  ['mumbai', 'delhi'].forEach((region, process) => {
    let t = region === 'delhi' ? 1000 : 1005;
    for (let i = 0; i < perClient; i++) {
      const write = i === 0 ? region === 'delhi' : workload.chance(0.5);
      const value = `${region}-${i}`;
      // One operation at a time per client: the next starts after this one surely returned.
      sim.at(t, () => {
        if (write) {
          const index = recorder.invoke(process, { f: 'write', value }, sim.nowMs());
          store.put(region, key, value, () => recorder.complete(index, {}, sim.nowMs()));
        } else {
          const index = recorder.invoke(process, { f: 'read' }, sim.nowMs());
          const values = store.read(region, key) ?? [];
          recorder.complete(index, { value: values.length === 0 ? null : values[0] }, sim.nowMs());
        }
      });
      t += 5 + workload.int(0, 20);
    }
  });
  sim.run(3000);
  return { seed: options.seed, history: recorder.operations() };
}
