import { EtcdCluster } from '../../etcd';
import { FailoverResult, FencingResult, PatroniCluster, patroniAvailability, runFailover, runFencing } from '../../patroni';
import { FAILOVER, PATRONI_TTL_S } from './scenario';

/**
 * Section 5: Patroni on the shared etcd cluster. The same failover twice — asynchronous
 * replication, then synchronous_mode — and a fencing run (the primary's agent cut off from
 * etcd). Each Patroni cluster is started, measured and stopped here; etcd stays up.
 */
export interface FailoverRow {
  mode: string;
  oldPrimary: string;
  newPrimary: string;
  acknowledged: number;
  lostAcknowledged: number;
  unknownOutcome: number;
  promotionMs: number;
  writeOutageMs: number;
}

export interface PatroniRun {
  version: string;
  failovers: FailoverRow[];
  timelines: Array<{ mode: string; atMs: number; event: string }>;
  fencing: FencingResult;
  findings: string;
}

function row(mode: string, r: FailoverResult): FailoverRow {
  return { mode, oldPrimary: r.oldPrimary, newPrimary: r.newPrimary, acknowledged: r.acknowledged, lostAcknowledged: r.lostAcknowledged, unknownOutcome: r.unknown, promotionMs: r.promotionMs, writeOutageMs: r.writeOutageMs };
}

export async function runPatroniFailovers(etcd: EtcdCluster): Promise<PatroniRun | null> {
  const available = patroniAvailability();
  if (!available.program || !available.version) {
    console.log(`Patroni cells are skipped: ${available.reason}`);
    return null;
  }
  const failovers: FailoverRow[] = [];
  const timelines: PatroniRun['timelines'] = [];
  let fencing: FencingResult | null = null;
  for (const synchronousMode of [false, true]) {
    const mode = synchronousMode ? 'synchronous_mode: true' : 'asynchronous';
    const cluster = await PatroniCluster.start({ etcd, synchronousMode, ttlS: PATRONI_TTL_S });
    try {
      const result = await runFailover(cluster, FAILOVER);
      failovers.push(row(mode, result));
      for (const t of result.timeline) timelines.push({ mode, ...t });
      if (!synchronousMode) fencing = await runFencing(cluster, 20_000, 0);
    } finally {
      await cluster.stop();
    }
  }
  const [async, sync] = failovers;
  const f = fencing!;
  const findings =
    `In this run, with a ${PATRONI_TTL_S} s leader ttl, Patroni promoted a standby ${(async.promotionMs / 1000).toFixed(1)} s (asynchronous) and ${(sync.promotionMs / 1000).toFixed(1)} s (synchronous_mode) after the primary was killed. ` +
    `Asynchronous: **${async.lostAcknowledged} of ${async.acknowledged} acknowledged inserts were lost** — everything acknowledged after the WAL link stalled. ` +
    `synchronous_mode: **${sync.lostAcknowledged} of ${sync.acknowledged} lost**; the stalled primary simply stopped acknowledging (${sync.unknownOutcome} insert(s) ended with an unknown outcome). ` +
    `Fencing: cut off from etcd, the primary's own agent demoted it ${(f.demotedAfterMs / 1000).toFixed(1)} s after the cut (it accepted ${f.writesAcceptedAfterCut} writes before that); ` +
    'after that it refused writes.';
  return { version: available.version, failovers, timelines, fencing: f, findings };
}
