/**
 * lib/postgres: real PostgreSQL streaming replication on loopback, for the lessons the
 * simulator cannot give: a local primary + standbys cluster, and SQL readers for what
 * PostgreSQL reports about its replication (pg_stat_replication, standby replay status).
 */
export * from './binaries';
export * from './server-user';
export * from './free-port';
export type { StopMode } from './server-process';
export { processGroupAlive } from './server-process';
export * from './replication-stats';
export * from './local-cluster';
export * from './commit-latency';
export * from './write-workload';
export * from './register-history';
export * from './simulator-prediction';
export * from './list-append-history';
export * from './add-standby';
export * from './provisioning-calibration';
export * from './stock-race';
export * from './logical-cdc';
export * from './cdc-experiment';
export * from './pgbench';
