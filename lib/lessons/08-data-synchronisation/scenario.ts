/**
 * The scenario of notebook 08: the bank's core database in Mumbai writes account balances; a
 * log broker in Hyderabad carries the changes to a fraud-scoring service in Bangalore, which
 * keeps its own copy of every balance and scores every change (an effect that must happen once
 * per change). About 100 balance updates a second for one simulated second; one update in ten
 * is rolled back by the application; faults (crashes of the bank node with its relay, of the
 * broker, of the consumer; bank|broker partitions) are drawn per seed by
 * lib/strategies/data-sync/fault-schedule.ts.
 */
export const SEED = 8;

/** Seeds per sweep: enough for a general claim, small enough for a notebook under 30 s. */
export const SWEEP_SEEDS = 50;

export const CAPTURE_LABELS = {
  'dual-write': 'dual write (commit, then publish)',
  'dual-write-first': 'dual write (publish, then commit)',
  outbox: 'transactional outbox',
  cdc: 'CDC (WAL tailing)',
} as const;
