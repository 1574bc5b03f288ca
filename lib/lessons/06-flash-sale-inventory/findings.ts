/** Notebook 06: the sentences the notebook prints, generated from the runs so every number is measured. */
import { REGIONS } from './scenario';
import { SaleRun, medianSellOutSec, reserveLatenciesMs } from './sale-run';
import { percentileOfSorted, sortedCopy } from '../../stats/percentiles';

const p = (values: number[], q: number) => (values.length === 0 ? NaN : +percentileOfSorted(sortedCopy(values), q).toFixed(1));

/** Section 1: what the checker found in the CRDT sale. */
export function failureFindings(run: SaleRun): string {
  const r = run.result;
  const worst = r.oversell.slice().sort((a, b) => b.oversoldUnits - a.oversoldUnits)[0];
  const lines = [
    `**Checker (seed ${run.seed}, ${run.strategy}, fault: ${run.fault}):** ${r.summary}.`,
    `- ${r.oversoldUnits} units sold that did not exist, over ${r.oversell.length} of ${r.sellOut.length} variants; ${r.unitsSold} units sold in all.`,
  ];
  if (worst) lines.push(`- Worst variant: ${worst.sku}, ${worst.unitsSold} sold of ${worst.initialStock} (first oversale: unit ${worst.firstOversale.saleNumber}, at ${worst.firstOversale.site}, ${(worst.firstOversale.timeMs / 1000).toFixed(2)} s).`);
  lines.push(`- Time to a reservation: P50 ${p(reserveLatenciesMs(run), 50)} ms, P95 ${p(reserveLatenciesMs(run), 95)} ms (every sale is local).`);
  return lines.join('\n');
}

/** Section 2: escrow under the same fault, beside CRDT. */
export function fixFindings(escrow: SaleRun, crdt: SaleRun): string {
  const e = escrow.result;
  const local = reserveLatenciesMs(escrow);
  const under5 = local.filter((x) => x < 5).length;
  return [
    `**Checker (seed ${escrow.seed}, ${escrow.strategy}, fault: ${escrow.fault}):** ${e.summary}.`,
    `- Oversold units: ${e.oversoldUnits} (CRDT stock: ${crdt.result.oversoldUnits}). Units sold: ${e.unitsSold} (CRDT: ${crdt.result.unitsSold}).`,
    `- ${under5} of ${local.length} reservations (${((100 * under5) / Math.max(1, local.length)).toFixed(0)}%) were decided locally in under 5 ms; P50 ${p(local, 50)} ms, P95 ${p(local, 95)} ms.`,
    `- Price: ${e.undersold.length} orders refused while the units they asked for were free in another warehouse (CRDT: ${crdt.result.undersold.length}); ${escrow.cluster.log.transfers.length} rights transfers.`,
  ].join('\n');
}

/** Section 4: one line per strategy over the three faults. */
export function matrixFindings(runs: readonly SaleRun[]): string {
  const strategies = [...new Set(runs.map((r) => r.strategy))];
  return strategies.map((s) => {
    const mine = runs.filter((r) => r.strategy === s);
    const parts = mine.map((r) => `${r.fault}: ${r.result.verdict}, oversold ${r.result.oversoldUnits}, carts not atomic ${r.result.nonAtomicCarts.length}, undersold ${r.result.undersold.length}`);
    return `- **${s}** — ${parts.join('; ')}.`;
  }).join('\n');
}

/** Section 5: median sell-out time with and without the partition. */
export function sellOutFindings(runs: readonly SaleRun[]): string {
  return runs.map((r) => `- ${r.strategy}, fault ${r.fault}: ${r.result.sellOut.filter((s) => s.soldOutAtMs !== null).length} variants sold out, median sell-out ${medianSellOutSec(r) ?? '—'} s.`).join('\n');
}

/** Section 3: where rights went. */
export function transferFindings(run: SaleRun): string {
  const t = run.cluster.log.transfers;
  const units = t.reduce((s, x) => s + x.units, 0);
  const byKind = (k: string) => t.filter((x) => x.kind === k).length;
  const into = REGIONS.map((r) => `${r} ${t.filter((x) => x.to === `wh-${r}`).reduce((s, x) => s + x.units, 0)}`).join(', ');
  return `**Rights (seed ${run.seed}, fault: ${run.fault}):** ${t.length} transfers moved ${units} units (${byKind('on-demand')} on demand, ${byKind('rebalance')} by the rebalancing policy). Units received: ${into}.`;
}
