import { MessageMeter } from '../../sim';

/**
 * What the replicas of an eventual store report to the observer: messages and bytes by
 * message type (from MessageMeter), hints, read repairs and anti-entropy exchanges.
 */
export class EventualMetrics extends MessageMeter {
  /** Key states a coordinator kept for a replica that did not acknowledge an update. */
  hintsStored = 0;
  /** Hinted key states a replica confirmed after it came back. */
  hintsDelivered = 0;
  /** Key states sent to a replica because a read found it behind. */
  readRepairs = 0;
  /** Anti-entropy exchanges started (one per gossip partner per round). */
  gossipExchanges = 0;
  /** Merkle exchanges whose roots differed, so the walk went down the tree. */
  gossipExchangesWithDifference = 0;
  /** Key states moved by anti-entropy (with Merkle digests, only those in differing buckets). */
  keyStatesSentByAntiEntropy = 0;
}

/** The message types of anti-entropy, for `metrics.bytes(ANTI_ENTROPY_MESSAGE_TYPES)`. */
export const ANTI_ENTROPY_MESSAGE_TYPES: readonly string[] = ['gossip-full', 'merkle-nodes', 'merkle-buckets'];
