/**
 * The sentences notebook 07's prose rests on, generated from the measurements so every
 * number in them is one the run produced.
 */
import type { OmissionComparison } from './coordinated-omission';
import type { StrategyMeasurement } from './strategy-table';

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

export function omissionFindings(c: OmissionComparison): string {
  return [
    `**In this run (seed ${c.seed})** the server stalled for ${c.stallMs} ms.`,
    `- Open loop, timed from each request's intended start: P50 ${ms(c.openLoop.p50Ms)} ms, P99 ${ms(c.openLoop.p99Ms)} ms, P99.9 ${ms(c.openLoop.p999Ms)} ms, max ${ms(c.openLoop.maxMs)} ms over ${c.openLoop.count} requests.`,
    `- Closed loop, timed from when the request was sent: P50 ${ms(c.closedLoop.p50Ms)} ms, P99 ${ms(c.closedLoop.p99Ms)} ms, P99.9 ${ms(c.closedLoop.p999Ms)} ms, max ${ms(c.closedLoop.maxMs)} ms over ${c.closedLoop.count} requests.`,
    `The closed loop's P99 is ${(c.openLoop.p99Ms / c.closedLoop.p99Ms).toFixed(0)}× lower: it sent nothing while it waited, so the stall is one slow request in its record, not ${c.stallMs} ms of queue.`,
  ].join('\n');
}

export function strategyFindings(measurements: readonly StrategyMeasurement[], seed: number): string {
  const by = (id: string) => measurements.find((m) => m.strategy === id);
  const lines: string[] = [`**In this run (seed ${seed}):**`];
  const sat = (id: string): number | null => {
    const m = by(id);
    return m && m.sweep.saturation.firstOverloadedPerSec !== null ? Math.round(m.sweep.saturation.saturationPerSec) : null;
  };
  const p80 = (id: string): number | null => by(id)?.sweep.atEightyPercent?.latency?.p95Ms ?? null;
  const async = sat('lf-async-leader-reads');
  const sync = sat('lf-sync-first-1');
  if (async !== null && sync !== null) {
    lines.push(`- Async leader–follower saturated at ${async} ops/s and sync FIRST 1 at ${sync} ops/s (${((100 * sync) / async).toFixed(0)} % of it): both on a connection pool, because a request holds its connection for its whole round trip and sync adds the follower's acknowledgement to that trip.`);
  }
  const pa = p80('lf-async-leader-reads');
  const ps = p80('lf-sync-first-1');
  if (pa !== null && ps !== null) lines.push(`- P95 at 80 % load: async ${ms(pa)} ms, sync FIRST 1 ${ms(ps)} ms.`);
  const follower = sat('lf-async-follower-reads');
  if (follower !== null && async !== null) lines.push(`- Reads at the nearest replica raised saturation to ${follower} ops/s (${(follower / async).toFixed(1)}× reads at the leader), at the price of stale reads.`);
  for (const id of ['lf-async-follower-reads', 'multi-leader-lww', 'eventual-crdt', 'lf-async-leader-reads', 'lf-sync-first-1']) {
    const m = by(id);
    const c = m?.sweep.atEightyPercent?.consistency;
    if (!m || !c) continue;
    lines.push(`- ${m.name}: ${c.verdict}, ${c.anomalies['stale reads'] ?? 0} stale reads at 80 % load.`);
  }
  const ml = by('multi-leader-lww');
  if (ml && ml.sweep.saturation.firstOverloadedPerSec === null) {
    lines.push(`- Multi-leader kept up with every load of the sweep (up to ${Math.round(ml.sweep.saturation.saturationPerSec)} ops/s, P95 ${ms(p80('multi-leader-lww') ?? 0)} ms at 80 %): every write is local. Its busiest resource was ${ml.sweep.points[ml.sweep.points.length - 1].busiestResource?.name}, which puts its capacity near ${Math.round(ml.extrapolatedCapacityPerSec ?? 0)} ops/s by the utilisation law.`);
  }
  const bank = by('banking-sync');
  if (bank && bank.sweep.atEightyPercent?.consistency) {
    const c = bank.sweep.atEightyPercent.consistency;
    lines.push(`- The banking engine kept up to ${Math.round(bank.sweep.saturation.saturationPerSec)} transfers/s with a P95 of ${ms(bank.sweep.atEightyPercent.latency?.p95Ms ?? 0)} ms at 80 %; ${c.verdict}, ${c.anomalies['ledger violations']} ledger violations, ${c.anomalies['acknowledged transfers missing on the standby']} acknowledged transfers missing on the standby.`);
  }
  const tpc = by('two-phase-commit');
  if (tpc && tpc.sweep.atEightyPercent?.consistency) {
    const c = tpc.sweep.atEightyPercent.consistency;
    lines.push(`- Two-phase commit kept up to ${Math.round(tpc.sweep.saturation.saturationPerSec)} transfers/s with a P95 of ${ms(tpc.sweep.atEightyPercent.latency?.p95Ms ?? 0)} ms at 80 %; ${c.verdict}, ${c.anomalies['atomicity violations']} atomicity violations.`);
  }
  return lines.join('\n');
}
