/**
 * Notebook 11, exercise 4: the monitor service of notebook 09 watching the real cluster, and
 * what its /health says before and after a standby stops.
 */
import { LocalPgCluster } from '../../postgres';
import { loadMonitorConfig, startMonitorService } from '../../monitor';
import type { HealthReport } from '../../monitor';
import { OptionError, checkNumber } from '../../util';

export interface HealthProbe {
  moment: string;
  httpStatus: number;
  health: HealthReport;
}

/**
 * Starts the monitor service (as `npm run monitor` with DATABASE_URL set to the cluster's
 * primary) on a free loopback port, takes a few samples and asks GET /health; stops `stop`,
 * samples again and asks again. The service is always stopped before this returns; the
 * standby stays stopped (restart it with cluster.start).
 */
export async function healthWhenStandbyStops(cluster: LocalPgCluster, options: { stop: string; samples?: number }): Promise<HealthProbe[]> {
  if (!cluster.standbyNames.includes(options.stop)) throw new OptionError(`stop: got ${JSON.stringify(options.stop)}; allowed: a standby of this cluster (${[...cluster.standbyNames].sort().join(', ')})`);
  const samples = checkNumber('samples', options.samples ?? 3, { integer: true, min: 1, max: 100 });
  const config = loadMonitorConfig({ PORT: '0', MONITORING_INTERVAL_SECONDS: '1', DATABASE_URL: cluster.connectionString(cluster.primaryName, { redact: false }) });
  const service = await startMonitorService({ config, log: () => undefined });
  const probes: HealthProbe[] = [];
  const probe = async (moment: string) => {
    for (let i = 0; i < samples; i++) await service.sampleNow();
    const response = await fetch(`${service.url}/health`);
    probes.push({ moment, httpStatus: response.status, health: (await response.json()) as HealthReport });
  };
  try {
    await probe('every standby running');
    await cluster.stop(options.stop);
    await probe(`${options.stop} stopped`);
  } finally {
    await service.stop();
  }
  return probes;
}
