/**
 * lib/patroni: Patroni-managed PostgreSQL (primary + 2 replicas) on the lib/etcd cluster, with
 * its etcd links and replication links behind lib/chaos proxies; failover experiments.
 */
export * from './local-patroni-cluster';
export * from './failover';
