/**
 * One seed of the ledger crash sweep: a ledger under transfer load, a random schedule of
 * crashes (each with a torn WAL write), partitions and slow disks, then a final crash and
 * recovery. The ledger's invariants (see ledger-check.ts) are checked every time the
 * ledger finishes a recovery, at the end of the run, and after the final recovery.
 * Everything follows from the seed: a failing seed replays exactly.
 */
import { Rng, Simulation, randomFaultSchedule } from '../../../lib/sim';
import type { FaultSpec } from '../../../lib/sim';
import { crashWithTornWrite, scheduleFaultsWithTornWrites } from '../../../lib/storage';
import type { TornWriteReport } from '../../../lib/storage';
import { ACCOUNT_PREFIX, ledgerCluster } from '../../../lib/strategies/banking';

export interface LedgerFaultRunOptions {
  /** Faults per schedule are drawn from 1 to this. Default 4. */
  maxFaults?: number;
  /** Load and faults happen before this, ms. Default 1500. */
  loadUntilMs?: number;
}

export interface LedgerFaultRunResult {
  seed: number;
  faults: FaultSpec[];
  tornWrites: TornWriteReport[];
  checkpointEveryMs: number | null;
  recoveries: number;
  /** Recoveries that found a torn or corrupt WAL tail and cut it. */
  tailCuts: number;
  transfersSent: number;
  transfersAcknowledged: number;
  /** Every invariant violation found, each prefixed with when it was found. Empty: the seed passed. */
  violations: string[];
}

const CHECKPOINT_CHOICES: Array<number | null> = [null, 100, 250, 600];

export function runLedgerFaultSchedule(seed: number, options: LedgerFaultRunOptions = {}): LedgerFaultRunResult {
  const maxFaults = options.maxFaults ?? 4;
  const loadUntilMs = options.loadUntilMs ?? 1500;
  const sim = new Simulation({ seed });
  const rng = new Rng(seed ^ 0x1ed6e5);
  const checkpointEveryMs = rng.pick(CHECKPOINT_CHOICES);
  const cluster = ledgerCluster({
    sim,
    accounts: 8,
    openingBalancePaise: 500_000,
    isolation: rng.chance(0.5) ? 'snapshot' : 'serializable',
    database: { checkpointEveryMs, wal: { segmentFrames: 64, sectorChars: 128 } },
    load: { clients: 2, ratePerSecPerClient: 150, startMs: 60, stopMs: loadUntilMs, maxAmountPaise: 200_000, timeoutMs: 1000 },
  });
  const violations: string[] = [];
  let recoveries = 0;
  let tailCuts = 0;
  const checkNow = (when: string) => {
    if (!sim.node(cluster.primaryId).isUp) return;
    const db = cluster.db(cluster.primaryId);
    const acknowledged = cluster.history.some((op) => op.result && op.result.status === 'committed');
    if (db.committedRows(ACCOUNT_PREFIX).length === 0) {
      if (acknowledged) violations.push(`${when}: the ledger has no accounts although transfers were acknowledged`);
      return;
    }
    for (const v of cluster.check(cluster.primaryId).violations) violations.push(`${when}: ${v}`);
  };
  // After every recovery: the recovered state must already satisfy every invariant.
  let previousEvents = 0;
  const watch = () => {
    for (; previousEvents < cluster.events.length; previousEvents++) {
      const e = cluster.events[previousEvents];
      if (e.kind === 'recovered' && e.report.tailCut) tailCuts++;
      if (e.kind === 'ready' && e.atMs > 0) {
        recoveries++;
        checkNow(`after recovery at t=${e.atMs.toFixed(1)} ms`);
      }
    }
  };
  const faults = randomFaultSchedule(rng, {
    nodes: [cluster.primaryId, ...cluster.clientIds],
    startMs: 80,
    endMs: loadUntilMs + 200,
    count: rng.int(1, maxFaults),
    kinds: ['crash', 'crash', 'partition', 'slow-disk'],
  });
  const tornWrites = scheduleFaultsWithTornWrites(sim, faults, rng, [cluster.primaryId]);
  // One more crash, timed to land while an fsync is in flight (WAL written but not yet
  // durable), which is when a torn write can happen at all.
  const armAtMs = 100 + rng.float() * (loadUntilMs - 200);
  const tornRng = rng.split();
  const restartAfterMs = 5 + rng.float() * 200;
  let armed = false;
  sim.at(armAtMs, () => (armed = true));
  const poll = () => {
    if (!armed) return;
    const node = sim.node(cluster.primaryId);
    if (node.isUp && node.behaviour) {
      const wal = cluster.db(cluster.primaryId).wal;
      if (wal.writtenLsn > wal.durableLsn) {
        armed = false;
        tornWrites.push(crashWithTornWrite(sim, cluster.primaryId, { rng: tornRng }));
        sim.after(restartAfterMs, () => sim.restart(cluster.primaryId));
        return;
      }
    }
    if (sim.nowMs() < loadUntilMs) sim.after(0.25, poll);
  };
  sim.at(armAtMs, poll);
  for (let t = 50; t <= loadUntilMs + 1500; t += 50) sim.at(t, watch);
  sim.run(loadUntilMs + 1500);
  watch();
  checkNow('at the end of the run');
  // The final crash: recovery must keep every acknowledged transfer and nothing else.
  tornWrites.push(crashWithTornWrite(sim, cluster.primaryId, { rng: rng.split() }));
  sim.restart(cluster.primaryId);
  const deadline = sim.nowMs() + 5000;
  while (!cluster.db(cluster.primaryId).isReady && sim.nowMs() < deadline) sim.run(sim.nowMs() + 5);
  watch();
  checkNow('after the final crash and recovery');
  return {
    seed,
    faults,
    tornWrites,
    checkpointEveryMs,
    recoveries,
    tailCuts,
    transfersSent: cluster.history.length,
    transfersAcknowledged: cluster.history.filter((op) => op.result && op.result.status === 'committed').length,
    violations,
  };
}
