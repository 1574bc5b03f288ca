/** Notebook 04, section 2: latency of 2PC against a local commit. */
import { Simulation, checkNumber } from '../../sim';
import { ledgerCluster } from '../../strategies/banking';
import { twoPhaseCommit, SiteOptions } from '../../strategies/two-phase-commit';
import { percentileOfSorted } from '../../stats';

// ---------------------------------------------------------------- latency: 2PC versus a local commit

export interface LatencyComparisonOptions {
  seed: number;
  /** How long clients send transfers, ms. Default 5000. */
  durationMs?: number;
  /** Transfers per second, all clients together. Default 40 (light load: latency, not queueing). */
  ratePerSec?: number;
}

export interface LatencySample {
  path: string;
  latencyMs: number;
}

/**
 * The same light transfer load three ways: a local commit on one ledger in Mumbai; 2PC
 * with every participant in Mumbai (the protocol's own cost: two rounds and two forced
 * writes); and 2PC between HDFC in Mumbai and SBI in Delhi with the clearing house in
 * Mumbai (the protocol's cost plus distance). Clients are in Mumbai.
 */
export function latencyComparison(options: LatencyComparisonOptions): LatencySample[] {
  const durationMs = checkNumber('durationMs', options.durationMs ?? 5000, { min: 500 });
  const ratePerSec = checkNumber('ratePerSec', options.ratePerSec ?? 40, { min: 1 });
  const clients = 4;
  const samples: LatencySample[] = [];

  const localSim = new Simulation({ seed: options.seed });
  const local = ledgerCluster({ sim: localSim, accounts: 200, load: { clients, ratePerSecPerClient: ratePerSec / clients, stopMs: durationMs } });
  localSim.run(durationMs + 1000);
  for (const op of local.history) {
    if (op.result && op.result.status === 'committed') samples.push({ path: 'local commit (one ledger, Mumbai)', latencyMs: (op.returnMs as number) - op.callMs });
  }

  const variants: Array<{ path: string; banks: SiteOptions[] }> = [
    { path: '2PC, all in Mumbai', banks: [{ id: 'hdfc', region: 'mumbai' }, { id: 'sbi', region: 'mumbai' }] },
    { path: '2PC, HDFC Mumbai + SBI Delhi', banks: [{ id: 'hdfc', region: 'mumbai' }, { id: 'sbi', region: 'delhi' }] },
  ];
  for (const variant of variants) {
    const sim = new Simulation({ seed: options.seed });
    const cluster = twoPhaseCommit({ sim, banks: variant.banks, accountsPerBank: 100, load: { clients, ratePerSecPerClient: ratePerSec / clients, stopMs: durationMs } });
    sim.run(durationMs + 1000);
    for (const op of cluster.history) if (op.decision === 'commit') samples.push({ path: variant.path, latencyMs: (op.returnMs as number) - op.callMs });
  }
  return samples;
}

/** P50/P95/P99 per path of latency samples (nearest-rank, as lib/viz's summarize). */
export function latencyTable(samples: readonly LatencySample[]): Array<{ path: string; transfers: number; latencyMsP50: number; latencyMsP95: number; latencyMsP99: number; latencyMsMax: number }> {
  const paths: string[] = [];
  for (const s of samples) if (!paths.includes(s.path)) paths.push(s.path);
  return paths.map((path) => {
    const sorted = samples.filter((s) => s.path === path).map((s) => s.latencyMs).sort((a, b) => a - b);
    const at = (p: number) => percentileOfSorted(sorted, p);
    return { path, transfers: sorted.length, latencyMsP50: at(50), latencyMsP95: at(95), latencyMsP99: at(99), latencyMsMax: sorted[sorted.length - 1] };
  });
}

// ---------------------------------------------------------------- latency: where the parties sit

export interface PlacementLatencyOptions {
  seed: number;
  /** Region of the coordinator. Default 'mumbai'. */
  coordinatorRegion?: string;
  /** Region of the customers who send the transfers. Default 'mumbai' (wherever the coordinator is). */
  customerRegion?: string;
  /** The bank ledgers (region and fsync time of each). Default HDFC in Mumbai, SBI in Delhi, 1 ms fsync. */
  banks?: SiteOptions[];
  /** How long customers send transfers, ms. Default 2000. */
  durationMs?: number;
  /** Transfers per second, all customers together. Default 40 (light load: latency, not queueing). */
  ratePerSec?: number;
}

/**
 * Latency percentiles of 2PC transfers under a light load with the coordinator, the
 * customers and the bank ledgers placed where the options say (the clearing house stays in
 * Mumbai): which legs of the protocol cross a long link, and which forced writes lie on the
 * customer's critical path. One row, labelled with the placement.
 */
export function placementLatency(options: PlacementLatencyOptions): ReturnType<typeof latencyTable>[number] {
  const durationMs = checkNumber('durationMs', options.durationMs ?? 2000, { min: 500 });
  const ratePerSec = checkNumber('ratePerSec', options.ratePerSec ?? 40, { min: 1 });
  const coordinatorRegion = options.coordinatorRegion ?? 'mumbai';
  const customerRegion = options.customerRegion ?? 'mumbai';
  const banks = options.banks ?? [{ id: 'hdfc', region: 'mumbai' }, { id: 'sbi', region: 'delhi' }];
  const clients = 4;
  const sim = new Simulation({ seed: options.seed });
  const cluster = twoPhaseCommit({
    sim, banks, coordinator: { region: coordinatorRegion }, accountsPerBank: 100,
    load: { clients, region: customerRegion, ratePerSecPerClient: ratePerSec / clients, stopMs: durationMs },
  });
  sim.run(durationMs + 1000);
  const where = banks.map((b) => `${b.id} ${b.region}${b.fsyncMs === undefined ? '' : ` (fsync ${b.fsyncMs} ms)`}`).join(', ');
  const path = `coordinator ${coordinatorRegion}, customers ${customerRegion}; ${where}`;
  const samples = cluster.history.filter((op) => op.decision === 'commit').map((op) => ({ path, latencyMs: (op.returnMs as number) - op.callMs }));
  if (samples.length === 0) throw new Error(`placementLatency: no transfer committed (${path})`);
  return latencyTable(samples)[0];
}
