/** Notebook 12, "Consensus and failover on real engines": see README.md for the section map. */
export * from './scenario';
export * from './engines';
export * from './etcd-partition';
export * from './patroni-failover';
export * from './galera-conflicts';
