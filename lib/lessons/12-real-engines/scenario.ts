/**
 * The settings of notebook 12's experiments, in one place. Timings are short on purpose so the
 * notebook runs in about a minute on a laptop; production clusters use longer ones (etcd's
 * defaults are a 100 ms heartbeat and a 1000 ms election timeout; Patroni's ttl is 30 s).
 */
export const SEED = 41;

/** etcd --heartbeat-interval and --election-timeout, ms. */
export const ETCD_HEARTBEAT_MS = 50;
export const ETCD_ELECTION_TIMEOUT_MS = 500;

/** The register workload: 5 clients, 3 keys, 5 s; the leader is cut off, paused and killed. */
export const ETCD_WORKLOAD = {
  clientCount: 5,
  keys: ['upi/balance/a', 'upi/balance/b', 'upi/limit'],
  durationMs: 5_000,
  nemesis: [
    { atMs: 800, action: 'isolate-leader' as const },
    { atMs: 2_300, action: 'heal' as const },
    { atMs: 2_800, action: 'pause-leader' as const },
    { atMs: 3_800, action: 'heal' as const },
    { atMs: 4_000, action: 'kill-leader' as const },
    { atMs: 4_600, action: 'heal' as const },
  ],
};

/** How many times the leader is cut off to time the election. */
export const ELECTION_TRIALS = 3;

/** Patroni's leader-key ttl, seconds (loop_wait 1 s). */
export const PATRONI_TTL_S = 6;

/** The failover run: the standbys' WAL link is cut at 0.8 s, the primary killed at 1.6 s. */
export const FAILOVER = { stallAtMs: 800, killAtMs: 1_600, writesAfterFailover: 20 };
