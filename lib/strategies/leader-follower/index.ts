/**
 * lib/strategies/leader-follower: single-leader replication with failover, the first
 * strategy of the episode (HDFC Bank: a leader in Mumbai, followers in Delhi and Chennai).
 *
 * Read in this order: replication-log → kv-store → ack-policy → lag-tracker → leader-lease
 * → election → replica-node → follower-role → candidate-role → leader-role → read-routing
 * → client → metrics → options → cluster. Notebook 01's experiments are in lib/lessons/01-leader-follower.
 */
export { leaderFollower, LeaderFollowerClient } from './cluster';
export type { LeaderFollowerCluster } from './cluster';
export type { LeaderFollowerOptions, AckOption, ReadOption, ResolvedOptions } from './options';
export { resolveOptions, replicaIdsFor } from './options';
export * from './metrics';
export type { OperationMetric, KvOutput } from './client';
export { ReplicationLog, lastCommonLsn, isAtLeastAsUpToDate } from './replication-log';
export type { LogEntry, EpochSegment, LogPosition } from './replication-log';
export { KvStore } from './kv-store';
export type { KvRead } from './kv-store';
export { committableLsn, syncStandbyIds, candidateStandbys, describeAckPolicy } from './ack-policy';
export type { AckPolicy, SyncAck, WaitFor, StandbyPosition } from './ack-policy';
export { LagTracker } from './lag-tracker';
export type { PositionKind } from './lag-tracker';
export { LeaderLease, majorityOf } from './leader-lease';
export { decidePreVote, decideVote } from './election';
export type { VoterState, CandidateRequest, VoteDecision } from './election';
export { chooseReadTarget, parseReadRouting, describeReadRouting, READ_MODES } from './read-routing';
export type { ReadRouting, SessionToken, RoutingInput, RoutingDecision } from './read-routing';
export { ReplicaNode } from './replica-node';
export type { ReplicaConfig } from './replica-node';
export type { TimelineEventName, ReplicationObserver } from './replication-events';
export type { ReplicaStatus } from './messages';
