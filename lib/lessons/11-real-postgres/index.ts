/** lib/lessons/11-real-postgres: the code of notebook 11's exercises on real PostgreSQL (the notebook's own sections call lib/postgres and lib/monitor directly). See README.md. */
export * from './failover';
export * from './standby-health';
