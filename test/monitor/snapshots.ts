import { ClusterSnapshot, RegionTraffic, replicaLag } from '../../lib/monitor';

/**
 * Builds snapshots for tests: replicas by name with a lag in ms, null (connected, no
 * measurement) or 'down' (disconnected). A replica's region is the part of its name
 * before "-", so "kolkata-1" is in Kolkata.
 */
export function snapshot(timeMs: number, lags: Record<string, number | null | 'down'>, traffic: RegionTraffic[] = [], epoch = 1): ClusterSnapshot {
  return {
    timeMs,
    source: 'test',
    leader: { id: 'mumbai-0', region: 'mumbai' },
    epoch,
    replicas: Object.entries(lags).map(([replica, lag]) =>
      replicaLag({
        replica,
        region: replica.split('-')[0],
        connected: lag !== 'down',
        state: lag === 'down' ? 'disconnected' : 'streaming',
        lagMs: lag === 'down' ? null : lag,
        replayLagMs: lag === 'down' ? null : lag,
      }),
    ),
    traffic,
  };
}

export function traffic(region: string, business: string, requestCount: number, errorCount: number, poolInUse = 10, poolSize = 100): RegionTraffic {
  return { region, business, requestCount, errorCount, poolInUse, poolSize };
}
