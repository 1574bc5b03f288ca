/**
 * Seeded fault schedules for a data-sync pipeline: crashes of the bank node (the application and
 * its relay or CDC connector with it), of the log broker (the queue briefly down), of the
 * consumer, and partitions between the bank and the broker, at random times while the workload
 * runs. `runDataSyncSchedule` runs one, heals, drains, and returns the checker's verdict with the
 * schedule, so a failing seed prints what happened.
 */
import { Rng, checkKnownKeys, checkNumber } from '../../sim';
import type { DataSyncCheckResult } from '../../check/data-sync-check';
import type { DualWriteOrder } from './bank-app';
import { BANK_NODE, BROKER_NODE, DataSyncPipeline, dataSyncPipeline } from './pipeline';
import type { Capture } from './sync-event';

export type DataSyncFault =
  | { kind: 'crash'; node: string; atMs: number; downMs: number }
  | { kind: 'partition'; atMs: number; durationMs: number };

export interface DataSyncScheduleOptions {
  capture: Capture;
  dualWriteOrder?: DualWriteOrder;
  idempotent?: boolean;
  /** Faults per schedule: 1 to this. Default 3. */
  faultsMax?: number;
  workloadEndMs?: number;
  updateEveryMs?: number;
}

export const CONSUMER_NODE = 'fraud-service';

export function dataSyncFaults(seed: number, options: { faultsMax: number; workloadEndMs: number }): DataSyncFault[] {
  const rng = new Rng(seed * 7919 + 13);
  const count = rng.int(1, options.faultsMax);
  const faults: DataSyncFault[] = [];
  for (let i = 0; i < count; i++) {
    const atMs = rng.int(50, Math.max(51, options.workloadEndMs - 50));
    const which = rng.int(0, 3);
    if (which === 3) faults.push({ kind: 'partition', atMs, durationMs: rng.int(50, 400) });
    else faults.push({ kind: 'crash', node: [BANK_NODE, BROKER_NODE, CONSUMER_NODE][which], atMs, downMs: rng.int(10, 400) });
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

export function describeFaults(faults: readonly DataSyncFault[]): string {
  return faults.map((f) => (f.kind === 'crash' ? `crash ${f.node} at ${f.atMs} ms for ${f.downMs} ms` : `partition bank|broker at ${f.atMs} ms for ${f.durationMs} ms`)).join(', ');
}

export interface DataSyncScheduleResult {
  seed: number;
  faults: DataSyncFault[];
  check: DataSyncCheckResult;
  deliveries: number;
  committed: number;
  /** Mean and max commit → applied delay (ms) over changes whose commit time the bank recorded. */
  delayMsMean: number;
  delayMsMax: number;
  drainMs: number;
  pipeline: DataSyncPipeline;
}

export function runDataSyncSchedule(seed: number, options: DataSyncScheduleOptions): DataSyncScheduleResult {
  checkKnownKeys('runDataSyncSchedule options', options, ['capture', 'dualWriteOrder', 'idempotent', 'faultsMax', 'workloadEndMs', 'updateEveryMs']);
  const workloadEndMs = checkNumber('workloadEndMs', options.workloadEndMs ?? 1000, { min: 100 });
  const faults = dataSyncFaults(seed, { faultsMax: checkNumber('faultsMax', options.faultsMax ?? 3, { integer: true, min: 1 }), workloadEndMs });
  const p = dataSyncPipeline({
    seed,
    capture: options.capture,
    dualWriteOrder: options.dualWriteOrder,
    consumers: [{ id: CONSUMER_NODE, idempotent: options.idempotent ?? true }],
    workloadEndMs,
    updateEveryMs: options.updateEveryMs ?? 10,
  });
  for (const f of faults) {
    if (f.kind === 'crash') {
      p.sim.at(f.atMs, () => p.sim.crash(f.node));
      p.sim.at(f.atMs + f.downMs, () => p.sim.restart(f.node));
    } else {
      p.sim.at(f.atMs, () => {
        const id = p.sim.partition([BANK_NODE], [BROKER_NODE]);
        p.sim.after(f.durationMs, () => p.sim.heal(id));
      });
    }
  }
  const lastFaultEnd = Math.max(workloadEndMs, ...faults.map((f) => f.atMs + (f.kind === 'crash' ? f.downMs : f.durationMs)));
  p.run(lastFaultEnd);
  const drainMs = p.healAndDrain();
  const check = p.check();
  const delays: number[] = [];
  const firstApplied = new Map<string, number>();
  for (const d of p.deliveries) if (d.applied && !firstApplied.has(d.eventId)) firstApplied.set(d.eventId, d.atMs);
  for (const [id, commitAt] of p.bankStats.commitAtMs) {
    const at = firstApplied.get(id);
    if (at !== undefined) delays.push(at - commitAt);
  }
  return {
    seed,
    faults,
    check,
    deliveries: p.deliveries.length,
    committed: check.committedChanges,
    delayMsMean: delays.length ? delays.reduce((a, x) => a + x, 0) / delays.length : NaN,
    delayMsMax: delays.length ? Math.max(...delays) : NaN,
    drainMs,
    pipeline: p,
  };
}
