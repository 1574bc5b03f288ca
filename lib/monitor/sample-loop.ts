import { checkNumber } from '../util/option-error';
import { AlertEvent } from './alert-engine';
import { LagSource } from './lag-source';
import { ReplicationMonitor } from './replication-monitor';
import { ClusterSnapshot } from './snapshot';

/**
 * Samples a live source into a monitor for a while, in real time: what the service does,
 * without the HTTP server, for a notebook cell. Failed samples are counted, not thrown, the
 * way the service carries on when the database is briefly unreachable.
 */
export async function sampleSourceFor(
  source: LagSource,
  monitor: ReplicationMonitor,
  options: { durationMs: number; everyMs: number },
): Promise<{ snapshots: ClusterSnapshot[]; events: AlertEvent[]; failures: string[] }> {
  const durationMs = checkNumber('durationMs', options.durationMs, { min: 1, max: 3_600_000 });
  const everyMs = checkNumber('everyMs', options.everyMs, { min: 10, max: 60_000 });
  const snapshots: ClusterSnapshot[] = [];
  const events: AlertEvent[] = [];
  const failures: string[] = [];
  const started = Date.now();
  while (Date.now() - started < durationMs) {
    try {
      const snapshot = await source.sample();
      snapshots.push(snapshot);
      for (const e of monitor.ingest(snapshot)) events.push(e);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return { snapshots, events, failures };
}
