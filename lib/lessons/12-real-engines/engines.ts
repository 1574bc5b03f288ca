import { EtcdCluster, etcdAvailability } from '../../etcd';
import { galeraAvailability } from '../../galera';
import { patroniAvailability } from '../../patroni';
import { ETCD_ELECTION_TIMEOUT_MS, ETCD_HEARTBEAT_MS, SEED } from './scenario';

/**
 * Section 1: which engines are installed, and the one etcd cluster every later section reuses.
 */
export interface EngineRow {
  engine: string;
  installed: boolean;
  detail: string;
}

export function engineAvailability(): EngineRow[] {
  const etcd = etcdAvailability();
  const patroni = patroniAvailability();
  const galera = galeraAvailability();
  return [
    { engine: 'etcd (Raft)', installed: etcd.program !== null, detail: etcd.reason },
    { engine: 'Patroni (HA PostgreSQL)', installed: patroni.program !== null, detail: patroni.reason },
    { engine: 'MariaDB Galera (multi-master)', installed: galera.server !== null, detail: galera.reason },
  ];
}

/** Starts the shared etcd cluster, or returns null (with the reason printed) when etcd is missing. */
export async function startSharedEtcd(): Promise<EtcdCluster | null> {
  const etcd = etcdAvailability();
  if (!etcd.program) {
    console.log(`etcd cells are skipped: ${etcd.reason}`);
    return null;
  }
  return EtcdCluster.start({ heartbeatMs: ETCD_HEARTBEAT_MS, electionTimeoutMs: ETCD_ELECTION_TIMEOUT_MS, seed: SEED });
}
