/**
 * lib/etcd: a real etcd (Raft) cluster on loopback with its peer links behind lib/chaos fault
 * proxies; a register workload (read / write / compare-and-set) whose history lib/check judges;
 * a nemesis; leader-election timing; the stale serializable read.
 */
export * from './binaries';
export * from './member-id';
export * from './local-etcd-cluster';
export * from './register-workload';
export * from './faults';
