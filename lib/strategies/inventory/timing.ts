/** The timers of the inventory strategies, with defaults scaled for a sale simulated in seconds. */
import { checkKnownKeys, checkNumber } from '../../sim';

export interface InventoryTiming {
  /** A reservation holds its units this long unless the buyer pays or cancels (a real sale: ~10 min). Default 4000 ms. */
  holdTtlMs: number;
  /** A buyer gives up on an answer after this long (outcome unknown to it). Default 1500 ms. */
  requestTimeoutMs: number;
  /** How often a buyer retries a payment that got no answer, at most confirmAttempts times. Default 3. */
  confirmAttempts: number;
  /** Home region: the buyer's warehouse refuses a cart when a home has not voted within this. Default 600 ms. */
  homeVoteTimeoutMs: number;
  /** Home region: a home keeps a hold this much longer than holdTtlMs, so a payment accepted just in time still reaches it. Default 1000 ms. */
  homeGraceMs: number;
  /** Home region: how often the coordinator resends an unanswered payment to a home. Default 200 ms. */
  homeRetryMs: number;
  /** CRDT stock: gossip of the counters to every peer this often. Default 100 ms. */
  gossipIntervalMs: number;
  /** Escrow: an order waiting for rights is refused after this long (the cart's reservation timeout). Default 300 ms. */
  rightsTimeoutMs: number;
  /** Escrow: a rights request that got no answer counts as refused after this long. Default 150 ms. */
  rightsRequestTimeoutMs: number;
  /** Escrow: rights adverts and demand-driven rebalancing run this often. Default 200 ms. */
  rebalanceIntervalMs: number;
  /** Escrow: a warehouse tries to hold rights for this much of its own demand. Default 1000 ms. */
  rightsLeadMs: number;
  /** Escrow: an unacknowledged grant of rights is resent this often. Default 100 ms. */
  retransmitMs: number;
  /** Limits: open holds per warehouse, orders waiting for rights per warehouse. */
  maxHolds: number;
  maxPendingOrders: number;
}

export const DEFAULT_TIMING: InventoryTiming = {
  holdTtlMs: 4000,
  requestTimeoutMs: 1500,
  confirmAttempts: 3,
  homeVoteTimeoutMs: 600,
  homeGraceMs: 1000,
  homeRetryMs: 200,
  gossipIntervalMs: 100,
  rightsTimeoutMs: 300,
  rightsRequestTimeoutMs: 150,
  rebalanceIntervalMs: 200,
  rightsLeadMs: 1000,
  retransmitMs: 100,
  maxHolds: 100_000,
  maxPendingOrders: 10_000,
};

export function resolveTiming(option: string, patch: Partial<InventoryTiming> = {}): InventoryTiming {
  checkKnownKeys(option, patch, Object.keys(DEFAULT_TIMING));
  const timing = { ...DEFAULT_TIMING, ...patch };
  for (const [key, value] of Object.entries(timing)) {
    const integer = key === 'confirmAttempts' || key.startsWith('max');
    checkNumber(`${option}.${key}`, value, { min: integer ? 1 : 0.1, integer });
  }
  return timing;
}
