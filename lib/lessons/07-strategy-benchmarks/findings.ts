/**
 * The sentences notebook 07's prose rests on, generated from the measurements so every
 * number in them is one the run produced.
 */
import type { OmissionComparison } from './coordinated-omission';
import type { InventoryBenchResult } from '../../bench';
import type { ShapeResult } from './more-rows';
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

/** Siblings beside last-writer-wins, and serializable beside snapshot isolation, from the runs at 80 %. */
export function moreRowFindings(measurements: readonly StrategyMeasurement[], seed: number): string {
  const by = (id: string) => measurements.find((m) => m.strategy === id);
  const lines: string[] = [`**In this run (seed ${seed}):**`];
  const lww = by('multi-leader-lww')?.sweep.atEightyPercent?.consistency;
  const sib = by('multi-leader-siblings')?.sweep.atEightyPercent?.consistency;
  if (sib) {
    const a = sib.anomalies;
    lines.push(
      `- Multi-leader with siblings: ${a['multi-value reads']} reads returned several values (up to ${a['most values in one read']} in one read), and ${a['stale reads']} reads held no value a linearizable read could return` +
        (lww ? ` (last-writer-wins by wall clock: ${lww.anomalies['stale reads']} stale reads${lww.anomalies['stale reads'] === a['stale reads'] ? ', the same number' : ''}).` : '.') +
        ' Keeping every concurrent write stops a conflict from losing one, but it does not bring a region a write that has not reached it yet: staleness is replication lag, not conflict resolution.',
    );
  }
  const snap = by('banking-sync')?.sweep;
  const ser = by('banking-sync-serializable')?.sweep;
  if (snap && ser && snap.atEightyPercent && ser.atEightyPercent) {
    const reasons = (r: typeof snap.atEightyPercent) => Object.entries(r?.errorsByReason ?? {}).map(([k, n]) => `${n} ${k.replace(/-/g, ' ')}s`).join(', ');
    const same = Math.round(snap.saturation.saturationPerSec) === Math.round(ser.saturation.saturationPerSec) && snap.atEightyPercent.errors === ser.atEightyPercent.errors && snap.atEightyPercent.latency?.p95Ms === ser.atEightyPercent.latency?.p95Ms;
    lines.push(
      `- Banking engine: snapshot isolation kept up to ${Math.round(snap.saturation.saturationPerSec)} transfers/s (at 80 %: ${reasons(snap.atEightyPercent)}), serializable to ${Math.round(ser.saturation.saturationPerSec)} (at 80 %: ${reasons(ser.atEightyPercent)}).` +
        (same
          ? ' They behaved the same: a transfer writes both rows it reads, so there is no write skew for serializable to prevent, and a concurrent transfer on the same row meets a row lock under either level. The difference shows on notebook 05\'s joint minimum balance, where a transaction reads a row it does not write.'
          : ' They differ only where snapshot isolation read an older balance (and answered "insufficient funds") while strict 2PL met a lock; a transfer writes both rows it reads, so there is no write skew for serializable to prevent.'),
    );
  }
  return lines.join('\n');
}

/** What the inventory rows show, from the runs. */
export function inventoryFindings(results: readonly InventoryBenchResult[], seed: number): string {
  const lines: string[] = [`**In this run (seed ${seed}):**`];
  for (const rate of [...new Set(results.map((r) => r.ordersPerSec))]) {
    const at = results.filter((r) => r.ordersPerSec === rate);
    const parts = at.map((r) => `${r.strategy} ${r.reservationsPerSec.toFixed(1)} reservations/s, P95 ${r.reserveMsP95 ?? '—'} ms, ${r.oversoldUnits} oversold`);
    lines.push(`- At ${rate} orders/s: ${parts.join('; ')}.`);
  }
  const crdt = results.filter((r) => r.strategy === 'crdt');
  const safe = results.filter((r) => r.strategy !== 'crdt');
  if (crdt.some((r) => r.oversoldUnits > 0) && safe.every((r) => r.oversoldUnits === 0)) {
    lines.push('- Only CRDT stock oversold: it sells on its local view of the counter, and two regions can sell the last unit before gossip tells either. Escrow and home region never sold a unit that did not exist.');
  }
  lines.push('- Reservations per second follow the stock, not a capacity: the harness models no warehouse CPU or queue, so these strategies have no saturation point to report; what they differ in is the time to an answer (a round trip to the home, a local decision, or a wait while rights move) and overselling.');
  return lines.join('\n');
}

/** What the load-shape table shows, from the runs. */
export function loadShapeFindings(results: readonly ShapeResult[], seed: number): string {
  const lines: string[] = [`**In this run (seed ${seed}), ${results[0]?.meanOpsPerSec ?? 0} ops/s on average in every shape:**`];
  for (const name of [...new Set(results.map((r) => r.name))]) {
    const rs = results.filter((r) => r.name === name);
    lines.push(`- ${name}: P95 ${rs.map((r) => `${ms(r.p95Ms ?? 0)} ms ${r.shape}`).join(', ')}.`);
  }
  const p95 = (name: string, shape: string) => results.find((r) => r.name === name && r.shape === shape)?.p95Ms ?? null;
  const names = [...new Set(results.map((r) => r.name))];
  const rose = names.filter((n) => (p95(n, 'sale-spike') ?? 0) > 1.2 * (p95(n, 'constant') ?? Infinity));
  const flat = names.filter((n) => !rose.includes(n));
  if (rose.length > 0) {
    lines.push(
      `- The mean is the same; the peak is not. The sale spike raised the P95 of ${rose.join(' and ')}: its peak comes near or past their knee, and the queue built in the spike is paid by every request that arrives behind it.` +
        (flat.length > 0 ? ` ${flat.join(' and ')} stayed within 20 % of its constant-load P95: the peak stays far below its knee.` : ''),
    );
  }
  return lines.join('\n');
}
