/**
 * Section 2 of notebook 08, the fix: the transactional outbox and CDC on the same fault schedules,
 * with naive and idempotent consumers — counts of what was delivered and what was applied, the
 * checker's verdict, and the delay from commit to the downstream.
 */
import { Capture, DualWriteOrder, dataSyncPipeline, runDataSyncSchedule } from '../../strategies/data-sync';
import { CAPTURE_LABELS, SWEEP_SEEDS } from './scenario';

export interface CaptureSweepRow {
  capture: string;
  consumer: 'naive' | 'idempotent';
  seeds: number;
  seedsFailing: number;
  committedChanges: number;
  delivered: number;
  effectsApplied: number;
  duplicateEffects: number;
  lost: number;
  rolledBack: number;
  outOfOrder: number;
  diverged: number;
}

export function captureSweep(seeds = SWEEP_SEEDS, firstSeed = 1): CaptureSweepRow[] {
  const rows: CaptureSweepRow[] = [];
  for (const capture of ['outbox', 'cdc'] as const) {
    for (const consumer of ['naive', 'idempotent'] as const) {
      const row: CaptureSweepRow = { capture: CAPTURE_LABELS[capture], consumer, seeds, seedsFailing: 0, committedChanges: 0, delivered: 0, effectsApplied: 0, duplicateEffects: 0, lost: 0, rolledBack: 0, outOfOrder: 0, diverged: 0 };
      for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
        const r = runDataSyncSchedule(seed, { capture, idempotent: consumer === 'idempotent' });
        row.committedChanges += r.committed;
        row.delivered += r.deliveries;
        row.effectsApplied += r.check.effectsApplied;
        row.duplicateEffects += r.check.counts.duplicate;
        row.lost += r.check.counts.lost;
        row.rolledBack += r.check.counts['rolled-back'];
        row.outOfOrder += r.check.counts['out-of-order'];
        row.diverged += r.check.counts.diverged;
        if (!r.check.ok) row.seedsFailing++;
      }
      rows.push(row);
    }
  }
  return rows;
}

export function captureTable(rows: readonly CaptureSweepRow[]) {
  return rows.map((r) => ({
    capture: r.capture,
    consumer: r.consumer,
    'schedules failing': `${r.seedsFailing} of ${r.seeds}`,
    'committed changes': r.committedChanges,
    'delivered': r.delivered,
    'effects applied': r.effectsApplied,
    'duplicate effects': r.duplicateEffects,
    lost: r.lost,
    'from rolled-back': r.rolledBack,
    'out of order': r.outOfOrder,
  }));
}

/** Records for the bar figure: per capture and consumer, deliveries vs effects vs committed changes. */
export function deliveryBars(rows: readonly CaptureSweepRow[]) {
  return rows.flatMap((r) => [
    { pipeline: `${r.capture}, ${r.consumer}`, measure: 'committed changes', count: r.committedChanges },
    { pipeline: `${r.capture}, ${r.consumer}`, measure: 'deliveries', count: r.delivered },
    { pipeline: `${r.capture}, ${r.consumer}`, measure: 'effects applied', count: r.effectsApplied },
  ]);
}

export function captureFindings(rows: readonly CaptureSweepRow[]): string {
  const lines = rows.map((r) =>
    `- **${r.capture}, ${r.consumer} consumer**: ${r.seedsFailing} of ${r.seeds} schedules failing; ${r.delivered} deliveries for ${r.committedChanges} committed changes, ${r.effectsApplied} effects applied (${r.duplicateEffects} duplicates), ${r.lost} lost, ${r.rolledBack} from rolled-back transactions.`);
  return lines.join('\n');
}

export interface DelaySample {
  capture: string;
  delayMs: number;
}

/** Commit → first application downstream, per change, without faults (one seed per capture). */
export function commitToDownstreamDelays(seed: number): DelaySample[] {
  const out: DelaySample[] = [];
  const variants: Array<[string, Capture, DualWriteOrder | undefined]> = [
    [CAPTURE_LABELS['dual-write'], 'dual-write', 'commit-then-publish'],
    [CAPTURE_LABELS.outbox, 'outbox', undefined],
    [CAPTURE_LABELS.cdc, 'cdc', undefined],
  ];
  for (const [label, capture, order] of variants) {
    const p = dataSyncPipeline({ seed, capture, dualWriteOrder: order, workloadEndMs: 1000 });
    p.healAndDrain();
    const first = new Map<string, number>();
    for (const d of p.deliveries) if (d.applied && !first.has(d.eventId)) first.set(d.eventId, d.atMs);
    for (const [id, at] of p.bankStats.commitAtMs) {
      const applied = first.get(id);
      if (applied !== undefined) out.push({ capture: label, delayMs: +(applied - at).toFixed(2) });
    }
  }
  return out;
}

export function delayRows(samples: readonly DelaySample[]) {
  const by = new Map<string, number[]>();
  for (const s of samples) by.set(s.capture, [...(by.get(s.capture) ?? []), s.delayMs]);
  return [...by].map(([capture, values]) => {
    const sorted = values.slice().sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
    return { capture, changes: values.length, 'p50 (ms)': +q(50).toFixed(1), 'p99 (ms)': +q(99).toFixed(1), 'max (ms)': +sorted[sorted.length - 1].toFixed(1) };
  });
}
