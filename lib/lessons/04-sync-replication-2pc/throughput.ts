/** Notebook 04, section 6: throughput with more participants and more distance. */
import { Simulation, checkNumber } from '../../sim';
import { twoPhaseCommit, SiteOptions, TwoPhaseCommitCluster } from '../../strategies/two-phase-commit';
import { percentileOfSorted } from '../../stats';
import { BANK_SITES } from './scenario';

// ---------------------------------------------------------------- throughput

export interface ThroughputRow {
  variant: string;
  /** Participants per transfer, the clearing house included. */
  participants: number;
  farthestRegion: string;
  /** Largest round trip from the coordinator (Mumbai) to a participant, ms. */
  farthestRttMs: number;
  decidedCommitPerSec: number;
  abortPct: number;
  latencyMsP50: number;
  latencyMsP99: number;
}

export interface ThroughputOptions {
  seed: number;
  /** Closed-loop clients, each with one transfer outstanding. Default 16. */
  clients?: number;
  durationMs?: number;
  accountsPerBank?: number;
}

function measure(variant: string, sim: Simulation, cluster: TwoPhaseCommitCluster, startMs: number, stopMs: number, banks: SiteOptions[]): ThroughputRow {
  const window = cluster.history.filter((h) => h.callMs >= startMs && h.returnMs !== null && h.returnMs <= stopMs);
  const committed = window.filter((h) => h.decision === 'commit').map((h) => (h.returnMs as number) - h.callMs).sort((a, b) => a - b);
  const pick = (p: number) => (committed.length === 0 ? NaN : percentileOfSorted(committed, p));
  let farthest = banks[0];
  for (const b of banks) if (sim.topology.rttMs('mumbai', b.region) > sim.topology.rttMs('mumbai', farthest.region)) farthest = b;
  return {
    variant,
    participants: banks.length + 1,
    farthestRegion: farthest.region,
    farthestRttMs: sim.topology.rttMs('mumbai', farthest.region),
    decidedCommitPerSec: committed.length / ((stopMs - startMs) / 1000),
    abortPct: window.length === 0 ? 0 : (100 * (window.length - committed.length)) / window.length,
    latencyMsP50: pick(50),
    latencyMsP99: pick(99),
  };
}

function runThroughput(seed: number, banks: SiteOptions[], banksPerTransfer: number, clients: number, durationMs: number, accountsPerBank: number, variant: string): ThroughputRow {
  const sim = new Simulation({ seed });
  const cluster = twoPhaseCommit({
    sim,
    banks,
    accountsPerBank,
    openingBalancePaise: 100_000_000,
    load: { clients, mode: 'closed', stopMs: 200 + durationMs, banksPerTransfer, maxAmountPaise: 10_000 },
  });
  sim.run(200 + durationMs + 2000);
  // Measure after a short warm-up, over the steady part of the run.
  return measure(variant, sim, cluster, 500, 200 + durationMs, banks.slice(0, banksPerTransfer));
}

/** Decisions to commit per second as each transfer touches more banks (a bulk payout from one bank to several). */
export function throughputByParticipants(options: ThroughputOptions & { bankCounts?: number[] }): ThroughputRow[] {
  const counts = options.bankCounts ?? [2, 3, 4, 5, 6];
  return counts.map((k) => {
    checkNumber('bankCounts[]', k, { integer: true, min: 2, max: BANK_SITES.length });
    const banks = BANK_SITES.slice(0, k);
    return runThroughput(options.seed, banks, k, options.clients ?? 16, options.durationMs ?? 2000, options.accountsPerBank ?? 1000, `${k} banks + clearing`);
  });
}

/** Decisions to commit per second between HDFC (Mumbai) and one partner bank placed ever farther away. */
export function throughputByDistance(options: ThroughputOptions & { partnerRegions?: string[] }): ThroughputRow[] {
  const regions = options.partnerRegions ?? ['mumbai', 'pune', 'hyderabad', 'bangalore', 'delhi', 'kolkata'];
  return regions.map((region) => {
    const banks = [{ id: 'hdfc', region: 'mumbai' }, { id: 'partner', region }];
    return runThroughput(options.seed, banks, 2, options.clients ?? 16, options.durationMs ?? 2000, options.accountsPerBank ?? 1000, `partner in ${region}`);
  });
}
