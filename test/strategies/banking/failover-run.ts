/**
 * One seed of the failover sweep: a ledger primary with a synchronous standby, random
 * faults on the pair (standby crashes with torn WAL writes, a cut link, slow disks), then
 * the primary dies for good at a random moment and the standby is promoted as soon as it
 * is ready. With synchronous shipping no acknowledged transfer may be missing on the
 * promoted standby, before or after it takes over, and money must be conserved.
 */
import { Rng, Simulation, randomFaultSchedule } from '../../../lib/sim';
import type { FaultSpec } from '../../../lib/sim';
import { scheduleFaultsWithTornWrites } from '../../../lib/storage';
import { ledgerCluster } from '../../../lib/strategies/banking';

export interface FailoverRunResult {
  seed: number;
  standbyRegion: string;
  faults: FaultSpec[];
  primaryCrashAtMs: number;
  promotedAtMs: number | null;
  acknowledged: number;
  violations: string[];
}

const STANDBY_REGIONS = ['mumbai', 'pune', 'hyderabad', 'delhi'];

export function runFailoverSchedule(seed: number): FailoverRunResult {
  const sim = new Simulation({ seed });
  const rng = new Rng(seed ^ 0xfa11);
  const standbyRegion = rng.pick(STANDBY_REGIONS);
  const cluster = ledgerCluster({
    sim,
    accounts: 8,
    openingBalancePaise: 500_000,
    replication: 'sync',
    standby: { region: standbyRegion },
    database: { checkpointEveryMs: rng.pick([null, 150, 400]), wal: { segmentFrames: 64, sectorChars: 128 } },
    load: { clients: 2, ratePerSecPerClient: 100, startMs: 60, stopMs: 1800, timeoutMs: 500 },
  });
  const standbyId = cluster.standbyId as string;
  const faults = randomFaultSchedule(rng, {
    nodes: [cluster.primaryId, standbyId],
    startMs: 80,
    endMs: 900,
    count: rng.int(0, 2),
    kinds: ['partition', 'slow-disk', 'crash'],
  }).filter((f) => f.kind !== 'crash' || f.node === standbyId); // the primary dies once, below, for good
  scheduleFaultsWithTornWrites(sim, faults, rng, [standbyId]);
  const primaryCrashAtMs = 300 + rng.float() * 900;
  let promotedAtMs: number | null = null;
  sim.at(primaryCrashAtMs, () => {
    sim.crash(cluster.primaryId);
    const tryPromote = () => {
      const node = sim.node(standbyId);
      const db = node.behaviour ? cluster.db(standbyId) : null;
      if (db && db.isReady && db.role === 'standby') {
        cluster.promoteStandby();
        promotedAtMs = sim.nowMs();
      } else {
        sim.after(10, tryPromote);
      }
    };
    sim.after(50, tryPromote);
  });
  sim.run(2600);
  const violations: string[] = [];
  if (promotedAtMs === null) violations.push('the standby was never promoted');
  else {
    for (const v of cluster.check(standbyId).violations) violations.push(`on the promoted standby: ${v}`);
    const lost = cluster.lostAcknowledged(standbyId);
    if (lost.length > 0) violations.push(`${lost.length} acknowledged transfers lost by the failover, e.g. ${lost.slice(0, 3).join(', ')}`);
  }
  return {
    seed,
    standbyRegion,
    faults,
    primaryCrashAtMs,
    promotedAtMs,
    acknowledged: cluster.history.filter((op) => op.result && op.result.status === 'committed').length,
    violations,
  };
}
