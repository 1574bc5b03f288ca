/**
 * Cost per replica-hour per region, read from data/replica-cost.json (illustrative multipliers,
 * see data/README.md), and the placement rule COST_OPTIMIZATION switches on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OptionError, Topology, defaultDataDir } from '../../sim';

export interface ReplicaCostTable {
  currency: string;
  /** Rupees per replica-hour per region. */
  rupeesPerHour: Readonly<Record<string, number>>;
}

export function replicaCostTable(dataDir?: string): ReplicaCostTable {
  const file = path.join(dataDir ?? defaultDataDir(), 'replica-cost.json');
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { currency: string; baseRupeesPerReplicaHour: number; multipliers: Record<string, number> };
  const rupeesPerHour: Record<string, number> = {};
  for (const [region, m] of Object.entries(raw.multipliers)) {
    if (!(typeof m === 'number' && m > 0)) throw new OptionError(`${file} multipliers.${region}: got ${m}; allowed: a number > 0`);
    rupeesPerHour[region] = raw.baseRupeesPerReplicaHour * m;
  }
  return { currency: raw.currency, rupeesPerHour };
}

/** Reads COST_OPTIMIZATION from an environment (default process.env): "true" or "1" switch it on. */
export function costOptimizationFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.COST_OPTIMIZATION;
  if (v === undefined || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new OptionError(`COST_OPTIMIZATION: got "${v}"; allowed: true | false | 1 | 0`);
}

/**
 * Where the replicas serving one region's users run. Without cost optimisation, in that region.
 * With it, in the cheapest region whose round trip from the users' region fits `rttBudgetMs`
 * (ties go to the closer region), so the read-latency objective still holds.
 */
export function servingRegion(demandRegion: string, costs: ReplicaCostTable, topology: Topology, costOptimization: boolean, rttBudgetMs: number): string {
  if (!(demandRegion in costs.rupeesPerHour)) {
    throw new OptionError(`servingRegion: no cost for region "${demandRegion}"; allowed: ${Object.keys(costs.rupeesPerHour).join(', ')}`);
  }
  if (!costOptimization) return demandRegion;
  let best = demandRegion;
  for (const r of Object.keys(costs.rupeesPerHour)) {
    const rtt = r === demandRegion ? 0 : topology.rttMs(demandRegion, r);
    if (rtt > rttBudgetMs) continue;
    const c = costs.rupeesPerHour[r];
    const bestC = costs.rupeesPerHour[best];
    const bestRtt = best === demandRegion ? 0 : topology.rttMs(demandRegion, best);
    if (c < bestC || (c === bestC && rtt < bestRtt)) best = r;
  }
  return best;
}
