/**
 * Notebook 10 — auto-scaling read replicas for Big Billion Day: the scenario, the sale-day runs
 * per policy, the cost–SLA frontier, and the calibration of the provisioning model on PostgreSQL.
 */
export * from './scenario';
export * from './sale-night';
export * from './frontier';
export * from './calibration';
