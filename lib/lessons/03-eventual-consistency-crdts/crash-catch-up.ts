/** Notebook 03, section 5: a warehouse that was down — hinted handoff and read repair. */
import { PNCounter } from '../../crdt';
import { Rng, Simulation, convergenceDelayMs, sampleEvery } from '../../sim';
import { poissonArrivalTimesMs } from '../../workload';
import { eventualStore, AntiEntropyMode } from '../../strategies/eventual';
import { SaleRecord, StockStore, WAREHOUSE_REGIONS, sellOne } from './scenario';

export interface CatchUpRow {
  mechanism: string;
  /** ms after Chennai restarted until it held the same stock as everyone (null: not within 5 s). */
  catchUpMs: number | null;
  hintsStored: number;
  hintsDelivered: number;
}

/**
 * Chennai's warehouse system is down for 3 s while the others keep selling. How soon
 * after its restart does it hold the right stock, with pushes only, with hinted handoff,
 * and with gossip?
 */
export function crashCatchUpExperiment(options: { seed: number }): CatchUpRow[] {
  const configs: Array<{ mechanism: string; hintedHandoff: boolean; antiEntropy: AntiEntropyMode }> = [
    { mechanism: 'push only', hintedHandoff: false, antiEntropy: 'off' },
    { mechanism: 'push + hinted handoff', hintedHandoff: true, antiEntropy: 'off' },
    { mechanism: 'push + Merkle gossip (1 s)', hintedHandoff: false, antiEntropy: 'merkle' },
  ];
  return configs.map(({ mechanism, hintedHandoff, antiEntropy }) => {
    const run = crashAndRestart({ seed: options.seed, hintedHandoff, antiEntropy, gossipIntervalMs: 1000 });
    return { mechanism, catchUpMs: run.catchUpMs, hintsStored: run.store.metrics.hintsStored, hintsDelivered: run.store.metrics.hintsDelivered };
  });
}

/** The run behind crashCatchUpExperiment; returns the store for read-repair demonstrations. */
export function crashAndRestart(options: { seed: number; hintedHandoff: boolean; antiEntropy: AntiEntropyMode; gossipIntervalMs?: number }): {
  store: StockStore;
  sim: Simulation;
  restartAtMs: number;
  catchUpMs: number | null;
  sales: SaleRecord[];
} {
  const sim = new Simulation({ seed: options.seed });
  const store = eventualStore({
    sim,
    regions: WAREHOUSE_REGIONS,
    type: PNCounter,
    antiEntropy: options.antiEntropy,
    gossipIntervalMs: options.gossipIntervalMs ?? 1000,
    hintedHandoff: options.hintedHandoff,
  });
  const skus = ['sku:phone', 'sku:earbuds', 'sku:charger'];
  sim.at(10, () => {
    for (const sku of skus) store.update('mumbai', sku, (state, id) => PNCounter.increment(state, id, 50));
  });
  const crashAtMs = 1000;
  const restartAtMs = 4000;
  sim.at(crashAtMs, () => sim.crash('chennai'));
  sim.at(restartAtMs, () => sim.restart('chennai'));
  const sales: SaleRecord[] = [];
  const workload = new Rng(options.seed ^ 0xc4a5);
  for (const warehouse of WAREHOUSE_REGIONS) {
    for (const t of poissonArrivalTimesMs(workload, [{ startMs: 500, endMs: restartAtMs, perSec: 2 }])) {
      const sku = workload.pick(skus);
      sim.at(t, () => sellOne(store, warehouse, sku, sales));
    }
  }
  const endMs = restartAtMs + 5000;
  const samples = sampleEvery(sim, { everyMs: 5, fromMs: restartAtMs, untilMs: endMs }, (timeMs) => ({ timeMs, converged: store.converged() }));
  sim.run(endMs);
  return { store, sim, restartAtMs, catchUpMs: convergenceDelayMs(samples, restartAtMs, (s) => s.converged), sales };
}
