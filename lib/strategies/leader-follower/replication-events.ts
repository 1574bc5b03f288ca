/**
 * What replicas and clients report as they work, for the metrics (and nothing else: no
 * protocol decision ever depends on an observer). Keeping this an interface lets the node
 * code stay a plain state machine and the metrics stay plain records.
 */
import type { LogEntry } from './replication-log';

export type TimelineEventName =
  /** A follower has heard nothing from its leader for failureTimeoutMs. */
  | 'leader-failure-detected'
  /** A follower asks the others whether they would vote for it (pre-vote). */
  | 'pre-vote-started'
  /** A majority said yes: the candidate takes the next epoch and asks for votes. */
  | 'election-started'
  /** A majority voted: the candidate is leader of the new epoch (not yet accepting writes). */
  | 'elected'
  /** The new leader has replayed its backlog and accepts writes. */
  | 'promoted'
  /** A leader that restarted resumes leadership of its old epoch (fencing: false). */
  | 'resumed-as-leader'
  /** A leader's lease ran out (it lost contact with a majority). */
  | 'lease-expired'
  /** A leader stopped being leader: lease expired, or it heard of a higher epoch. */
  | 'stepped-down'
  /** A follower has compared logs with the leader and streams from it. */
  | 'follower-attached'
  /** A node dropped the entries after the point where its log parted from the leader's. */
  | 'suffix-discarded'
  | 'semi-sync-fallback'
  | 'semi-sync-restored'
  /** A client's first write acknowledged by the leader of a newer epoch. */
  | 'client-redirected';

export interface ReplicationObserver {
  timelineEvent(event: TimelineEventName, node: string, epoch: number, detail: string): void;
  /** A leader appended a client's write to its log. */
  writeAccepted(leader: string, entry: LogEntry): void;
  /** A leader told a client its write is committed; valueAfter is the key's value then. */
  writeAcknowledged(leader: string, entry: LogEntry, valueAfter: string): void;
  /** A node dropped entries from its log (a divergent suffix after failover). */
  entriesDiscarded(node: string, epoch: number, entries: readonly LogEntry[]): void;
  /** A replica answered a read. */
  readServed(node: string, servedAs: 'leader' | 'follower', key: string, value: string, appliedLsn: number): void;
}
