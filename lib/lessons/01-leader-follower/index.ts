/** lib/lessons/01-leader-follower: the code of notebook 01, leader–follower replication (HDFC). See README.md for which section uses what. */
export * from './scenario';
export * from './business-day';
export * from './failover';
export * from './split-brain';
export * from './stale-reads';
export * from './sync-set-sweep';
export * from './write-latency';
