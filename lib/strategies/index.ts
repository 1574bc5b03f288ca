/**
 * lib/strategies: the replication strategies of the episode, each a set of node state
 * machines plus a cluster builder. Every strategy keeps its own names (prefixed where they
 * could collide), so all of them can be re-exported from here.
 */
export * from './leader-follower';
export * from './multi-leader';
export * from './eventual';
export * from './banking';
export * from './two-phase-commit';
export * from './autoscaling';
export * from './inventory';
export * from './data-sync';
