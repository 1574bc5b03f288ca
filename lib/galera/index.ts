/**
 * lib/galera: a 3-node MariaDB Galera cluster (synchronous multi-master) on loopback;
 * conflicting debits on two nodes (certification conflicts) and a minority node refusing writes.
 */
export * from './local-galera-cluster';
export * from './experiments';
