/** lib/lessons/02-multi-leader-conflicts: the code of notebook 02, multi-leader conflicts (UPI). See README.md for which section uses what. */
export * from './scenario';
export * from './clock-skew';
export * from './conflict-rate';
export * from './local-reads';
export * from './partition-heal';
export * from './upi-payments';
