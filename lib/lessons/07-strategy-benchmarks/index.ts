/**
 * Notebook 07 — the episode's performance table, measured: every strategy on one placement
 * under YCSB mixes with Zipfian keys, open-loop, without coordinated omission (lib/bench).
 */
export * from './episode-table';
export * from './strategy-table';
export * from './coordinated-omission';
export * from './figures';
export * from './findings';
export * from './scenario';
export * from './more-rows';
export * from './real-postgres';
