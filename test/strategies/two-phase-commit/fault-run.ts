/**
 * One seed of the 2PC fault sweep: inter-bank transfers (plus ATM withdrawals at each
 * bank) while a random schedule crashes (with torn WAL writes) and partitions the
 * coordinator and the participants. Once every fault has healed and the protocol has had
 * time to resolve, the run checks atomicity, money and "nothing left in doubt"; then it
 * crashes every node at once, recovers them, and checks again, so every acknowledged
 * decision must have survived on disk.
 */
import { Rng, Simulation, randomFaultSchedule } from '../../../lib/sim';
import type { FaultSpec } from '../../../lib/sim';
import { crashWithTornWrite, scheduleFaultsWithTornWrites } from '../../../lib/storage';
import type { TornWriteReport } from '../../../lib/storage';
import { twoPhaseCommit } from '../../../lib/strategies/two-phase-commit';

export interface TwoPhaseFaultRunOptions {
  /** Faults per schedule are drawn from 1 to this. Default 3. */
  maxFaults?: number;
  /** Transfers are sent, and faults happen, before this, ms. Default 1500. */
  loadUntilMs?: number;
  /** Time after the last fault ends for in-doubt transactions to resolve, ms. Default 2500. */
  settleMs?: number;
  cooperativeTermination?: boolean;
}

export interface TwoPhaseFaultRunResult {
  seed: number;
  faults: FaultSpec[];
  tornWrites: TornWriteReport[];
  transfers: number;
  decidedCommit: number;
  decidedAbort: number;
  /** The longest time any participant held a prepared transaction, ms. */
  longestInDoubtMs: number;
  violations: string[];
}

export function runTwoPhaseFaultSchedule(seed: number, options: TwoPhaseFaultRunOptions = {}): TwoPhaseFaultRunResult {
  const loadUntilMs = options.loadUntilMs ?? 1500;
  const settleMs = options.settleMs ?? 2500;
  const sim = new Simulation({ seed });
  const rng = new Rng(seed ^ 0x2bc);
  const cluster = twoPhaseCommit({
    sim,
    banks: [
      { id: 'hdfc', region: 'mumbai' },
      { id: 'sbi', region: 'delhi' },
    ],
    clearing: { id: 'clearing', region: 'mumbai' },
    accountsPerBank: 6,
    openingBalancePaise: 300_000,
    protocol: { cooperativeTermination: options.cooperativeTermination ?? true },
    checkpointEveryMs: rng.pick([150, 400, 1000]),
    localLoad: { ratePerSec: 15, startMs: 80, stopMs: loadUntilMs },
    load: { clients: 2, ratePerSecPerClient: 25, startMs: 80, stopMs: loadUntilMs, maxAmountPaise: 150_000, timeoutMs: 3000 },
  });
  const nodes = [cluster.coordinatorId, ...cluster.participantIds];
  const faultsEndMs = loadUntilMs + 300;
  const faults = randomFaultSchedule(rng, { nodes, startMs: 60, endMs: faultsEndMs, count: rng.int(1, options.maxFaults ?? 3), kinds: ['crash', 'crash', 'partition'] });
  const tornWrites = scheduleFaultsWithTornWrites(sim, faults, rng, nodes);
  const violations: string[] = [];
  sim.run(faultsEndMs + settleMs);
  const live = cluster.check({ requireResolved: true });
  for (const v of live.violations) violations.push(`after healing: ${v}`);
  // Everyone crashes at once; what was acknowledged must come back from the disks.
  for (const id of nodes) tornWrites.push(crashWithTornWrite(sim, id, { rng: rng.split() }));
  for (const id of nodes) sim.restart(id);
  sim.run(sim.nowMs() + settleMs);
  const recovered = cluster.check({ requireResolved: true });
  for (const v of recovered.violations) violations.push(`after crashing and recovering every node: ${v}`);
  let longestInDoubtMs = 0;
  for (const i of cluster.metrics.inDoubt) longestInDoubtMs = Math.max(longestInDoubtMs, (i.resolvedAtMs ?? sim.nowMs()) - i.preparedAtMs);
  return {
    seed,
    faults,
    tornWrites,
    transfers: cluster.history.length,
    decidedCommit: cluster.metrics.decisions.filter((d) => d.decision === 'commit').length,
    decidedAbort: cluster.metrics.decisions.filter((d) => d.decision === 'abort').length,
    longestInDoubtMs,
    violations,
  };
}
