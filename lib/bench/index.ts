/**
 * lib/bench: the benchmark harness. Open-loop load at a target rate (constant, business day,
 * sale spike) through lib/workload's driver, latency from each request's intended start
 * (no coordinated omission) on lib/stats's HdrHistogram, YCSB's core mixes on Zipfian keys,
 * resources that queue (CPU, fsync with group commit, WAN link) so a strategy saturates for
 * a reason, an offered-load sweep that finds saturation, and the strategies of the episode
 * as benchmark targets on one placement.
 */
export * from './resource';
export * from './ycsb';
export * from './bench-target';
export * from './load-shapes';
export * from './open-loop-bench';
export * from './model-server';
export * from './saturation';
export * from './capacity';
export * from './history-check';
export * from './strategy-targets';
export * from './banking-target';
export * from './two-phase-target';
export * from './postgres-bench';
export * from './inventory-target';
