/**
 * Notebook 07's fixed inputs: the seed, the strategies it runs (the episode's rows; semi-sync
 * and the CRDT store are in `npm run bench:strategies`, which has more time), and a sweep short
 * enough for the notebook to run in well under a minute. Sync ANY 1 is there too.
 */
import type { StrategyId } from '../../bench';

export const SEED = 41;

export const NOTEBOOK_STRATEGIES: readonly StrategyId[] = ['lf-async-leader-reads', 'lf-async-follower-reads', 'lf-sync-first-1', 'multi-leader-lww'];

/** Offered transfers per second for the banking row. */
export const NOTEBOOK_BANKING_RATES: readonly number[] = [100, 200, 400, 800, 1600];

/** Offered loads, ops/s: geometric from 500 to 8000. */
export const NOTEBOOK_RATES: readonly number[] = [500, 1000, 2000, 4000, 8000];

/** ms of simulated time per run (20 % warm-up). */
export const NOTEBOOK_DURATION_MS = 1000;

/** Bisection steps at each knee (bench:strategies uses 3). */
export const NOTEBOOK_REFINE_STEPS = 2;

/** The flash-sale inventory rows: buyers per second (constant), and how long they arrive, ms. */
export const INVENTORY_ORDERS_PER_SEC: readonly number[] = [100, 300];
export const INVENTORY_DURATION_MS = 3000;

/** The load-shape table: these strategies, at this mean rate, one run per shape. */
export const SHAPE_STRATEGIES: readonly StrategyId[] = ['lf-async-leader-reads', 'lf-sync-first-1', 'eventual-crdt'];
export const SHAPE_MEAN_OPS_PER_SEC = 1000;
/** ms per load-shape run in the notebook (bench:strategies runs 3000). */
export const NOTEBOOK_SHAPE_DURATION_MS = 2000;
