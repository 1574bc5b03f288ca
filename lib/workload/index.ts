/**
 * lib/workload: load for any replicated store — a compressed business day, Poisson
 * arrivals, key choice, and two drivers (open loop for load, closed loop for sessions); and a
 * flash sale of a fashion catalogue (burst at T0, Zipf over variants, carts, abandoned holds).
 */
export * from './kv-operation';
export * from './load-profile';
export * from './business-day';
export * from './poisson-arrivals';
export * from './key-chooser';
export * from './open-loop-driver';
export * from './closed-loop-driver';
export * from './list-append-history';
export * from './big-billion-day';
export * from './flash-sale';
