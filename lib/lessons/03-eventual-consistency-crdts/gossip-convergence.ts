/** Notebook 03, section 3: how fast do replicas agree? Gossip interval and fan-out. */
import { OptionError, checkNumber } from '../../sim';
import { AntiEntropyMode } from '../../strategies/eventual';
import { median } from './scenario';
import { stockPartitionExperiment } from './stock-partition';

export interface GossipSweepRow {
  gossipIntervalMs: number;
  fanout: number;
  runs: number;
  /** Median over the runs of the time from heal to identical replicas, ms. */
  convergenceMsMedian: number;
  convergenceMsMax: number;
  /** The seeds used: seed, seed + 1, ... */
  seeds: string;
}

/**
 * Convergence time after the heal for each gossip interval × fan-out, with pure
 * anti-entropy (no pushes, no hints: what gossip alone does), over `runs` seeds each.
 */
export function gossipConvergenceSweep(options: {
  seed: number;
  gossipIntervalsMs: readonly number[];
  fanouts: readonly number[];
  runs?: number;
  antiEntropy?: Exclude<AntiEntropyMode, 'off'>;
  partitionMs?: number;
}): GossipSweepRow[] {
  const runs = checkNumber('gossipConvergenceSweep runs', options.runs ?? 5, { integer: true, min: 1, max: 1000 });
  if (!Array.isArray(options.gossipIntervalsMs) || !Array.isArray(options.fanouts) || options.gossipIntervalsMs.length === 0 || options.fanouts.length === 0) {
    throw new OptionError('gossipConvergenceSweep: gossipIntervalsMs and fanouts must be non-empty arrays of numbers');
  }
  const rows: GossipSweepRow[] = [];
  for (const gossipIntervalMs of options.gossipIntervalsMs) {
    for (const fanout of options.fanouts) {
      const delays: number[] = [];
      for (let r = 0; r < runs; r++) {
        const result = stockPartitionExperiment({
          seed: options.seed + r,
          gossipIntervalMs,
          fanout,
          antiEntropy: options.antiEntropy ?? 'merkle',
          pushOnWrite: false,
          hintedHandoff: false,
          partitionMs: options.partitionMs ?? 3000,
          settleMs: Math.max(3000, 30 * gossipIntervalMs),
          divergenceEveryMs: 0,
          convergenceEveryMs: Math.max(1, gossipIntervalMs / 50),
          skuCount: 10,
        });
        if (result.convergenceMs === null) throw new Error(`gossipConvergenceSweep: no convergence (seed ${options.seed + r}, interval ${gossipIntervalMs} ms, fan-out ${fanout})`);
        delays.push(result.convergenceMs);
      }
      rows.push({
        gossipIntervalMs,
        fanout,
        runs,
        convergenceMsMedian: median(delays),
        convergenceMsMax: Math.max(...delays),
        seeds: `${options.seed}…${options.seed + runs - 1}`,
      });
    }
  }
  return rows;
}
