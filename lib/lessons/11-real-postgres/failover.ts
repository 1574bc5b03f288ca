/**
 * Notebook 11, section 6 and its exercise 3: a failover with pg_promote() onto a chosen
 * standby after another standby fell behind, and what each server still holds.
 */
import { LocalPgCluster, countSurvivingWrites, runWriteWorkload } from '../../postgres';
import { OptionError, checkNumber } from '../../util';

export interface FailoverAfterLagOptions {
  /** The standby that is stopped (a crash, a cut link) while the primary takes payments. */
  behind: string;
  /** The standby that pg_promote() makes the new primary. */
  promote: string;
  /** How long the primary takes payments while `behind` is down, ms. Default 1000. */
  writeMs?: number;
  /** Payments per second. Default 100. */
  writesPerSec?: number;
}

export interface FailoverAfterLagResult {
  /** Ids of every payment the old primary acknowledged while `behind` was down. */
  acknowledgedIds: number[];
  /** Where each standby stood after the primary was killed, before the promotion. */
  positions: Array<{ standby: string; receivedUpTo: string | null; replayedUpTo: string | null }>;
  promoted: string;
  promotionTookMs: number;
  timelineId: number;
  /** Acknowledged payments present on each standby after the promotion (the promoted one first). */
  surviving: Array<{ server: string; acknowledged: number; present: number; lost: number }>;
}

export const PAYMENTS_TABLE = 'payments';

/**
 * Stops `behind`, writes payments to the primary (each acknowledged to the client), kills the
 * primary with SIGKILL, restarts `behind`, and promotes `promote`: the steps of a careless
 * failover script, or a careful one, depending on which standby it picks.
 */
export async function failoverAfterLag(cluster: LocalPgCluster, options: FailoverAfterLagOptions): Promise<FailoverAfterLagResult> {
  const standbys = cluster.standbyNames;
  for (const key of ['behind', 'promote'] as const) {
    if (!standbys.includes(options[key])) throw new OptionError(`${key}: got ${JSON.stringify(options[key])}; allowed: a standby of this cluster (${[...standbys].sort().join(', ')})`);
  }
  const writeMs = checkNumber('writeMs', options.writeMs ?? 1000, { min: 50, max: 600_000 });
  const writesPerSec = checkNumber('writesPerSec', options.writesPerSec ?? 100, { min: 1, max: 10_000 });
  await runWriteWorkload(cluster, { durationMs: 50, writesPerSec: 20, table: PAYMENTS_TABLE }); // creates the table
  await cluster.waitForReplay(options.behind);
  await cluster.stop(options.behind);
  const { acknowledgedIds } = await runWriteWorkload(cluster, { durationMs: writeMs, writesPerSec, table: PAYMENTS_TABLE });
  await cluster.kill(cluster.primaryName);
  await cluster.start(options.behind);
  const positions = await Promise.all(standbys.map(async (standby) => {
    const status = await cluster.standbyStatus(standby);
    return { standby, receivedUpTo: status.receiveLsn, replayedUpTo: status.replayLsn };
  }));
  const promotion = await cluster.promote(options.promote);
  const order = [options.promote, ...standbys.filter((s) => s !== options.promote)];
  const surviving = [];
  for (const server of order) surviving.push(await countSurvivingWrites(cluster, server, acknowledgedIds, PAYMENTS_TABLE));
  return { acknowledgedIds, positions, promoted: options.promote, promotionTookMs: promotion.tookMs, timelineId: promotion.timelineId, surviving };
}
