/**
 * Section 1 of notebook 08, the failure: the application writes to its database and publishes to
 * the log itself. A seeded sweep of fault schedules counts, per order of the two writes, the
 * committed changes that never reached the consumer, the changes from rolled-back transactions
 * that did, and the updates applied out of order.
 */
import { DualWriteOrder, describeFaults, runDataSyncSchedule } from '../../strategies/data-sync';
import { SWEEP_SEEDS } from './scenario';

export interface DualWriteSweepRow {
  order: DualWriteOrder;
  seeds: number;
  /** Seeds where at least one invariant failed. */
  seedsFailing: number;
  committedChanges: number;
  lost: number;
  rolledBackPublished: number;
  outOfOrder: number;
  diverged: number;
  /** Event batches the application gave up after its retries (the queue was down too long). */
  givenUp: number;
}

export interface DualWriteSweep {
  rows: DualWriteSweepRow[];
  /** The first schedule of the first order that lost a change, and that lost change, for the "one run" explanation. */
  example: { seed: number; faults: string; firstViolation: string } | null;
}

export function dualWriteSweep(seeds = SWEEP_SEEDS, firstSeed = 1): DualWriteSweep {
  const rows: DualWriteSweepRow[] = [];
  let example: DualWriteSweep['example'] = null;
  for (const order of ['commit-then-publish', 'publish-then-commit'] as const) {
    const row: DualWriteSweepRow = { order, seeds, seedsFailing: 0, committedChanges: 0, lost: 0, rolledBackPublished: 0, outOfOrder: 0, diverged: 0, givenUp: 0 };
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      const r = runDataSyncSchedule(seed, { capture: 'dual-write', dualWriteOrder: order, idempotent: false });
      row.committedChanges += r.committed;
      row.lost += r.check.counts.lost;
      row.rolledBackPublished += r.check.counts['rolled-back'];
      row.outOfOrder += r.check.counts['out-of-order'];
      row.diverged += r.check.counts.diverged;
      row.givenUp += r.pipeline.bankStats.publishGivenUp;
      if (!r.check.ok) {
        row.seedsFailing++;
        const lost = r.check.violations.find((v) => v.kind === 'lost');
        if (!example && lost) example = { seed, faults: describeFaults(r.faults), firstViolation: lost.message };
      }
    }
    rows.push(row);
  }
  return { rows, example };
}

export function dualWriteTable(sweep: DualWriteSweep) {
  return sweep.rows.map((r) => ({
    order: r.order,
    'schedules failing': `${r.seedsFailing} of ${r.seeds}`,
    'committed changes': r.committedChanges,
    'lost (never applied)': r.lost,
    'from rolled-back transactions': r.rolledBackPublished,
    'applied out of order': r.outOfOrder,
    'rows diverged after drain': r.diverged,
  }));
}

export function dualWriteFindings(sweep: DualWriteSweep): string {
  const [cp, pc] = sweep.rows;
  const lines = [
    `Over ${cp.seeds} fault schedules, **commit then publish** failed the checker in ${cp.seedsFailing} of them: ${cp.lost} committed changes never reached the fraud service, ${cp.outOfOrder} updates arrived after a newer one, and ${cp.diverged} rows still differed after the pipeline drained.`,
    `**Publish then commit** failed in ${pc.seedsFailing} of ${pc.seeds}: ${pc.rolledBackPublished} changes from transactions that rolled back were applied downstream, and it still lost ${pc.lost}.`,
  ];
  if (sweep.example) lines.push(`One run: seed ${sweep.example.seed} (${sweep.example.faults}) — first lost change: ${sweep.example.firstViolation}.`);
  return lines.join('\n\n');
}
