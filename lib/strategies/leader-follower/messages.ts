/**
 * Every message the replicas and clients exchange. Each carries the sender's epoch (the
 * "term" of Raft, the "timeline" of PostgreSQL): the number of the leadership it belongs
 * to. A receiver that knows a higher epoch treats the message as coming from the past.
 */
import type { KvWriteOperation } from '../../workload';
import type { EpochSegment, LogEntry } from './replication-log';

// ------------------------------------------------------------ leader → follower

/** "I am the leader of this epoch": sent every heartbeatMs; it also carries the lease round. */
export interface Heartbeat {
  type: 'heartbeat';
  epoch: number;
  round: number;
  lastLsn: number;
  commitLsn: number;
  /** The last LSN the leader has sent to this follower: a follower holding less lost a batch. */
  sentToYouLsn: number;
}

/** A batch of log entries that follow the entry at prevLsn (WAL streaming). */
export interface AppendEntries {
  type: 'append';
  epoch: number;
  prevLsn: number;
  entries: LogEntry[];
  commitLsn: number;
}

/** The answer to a follow request: keep your log up to truncateToLsn, drop the rest. */
export interface FollowAccepted {
  type: 'follow-accepted';
  epoch: number;
  truncateToLsn: number;
}

// ------------------------------------------------------------ follower → leader

/** A follower asks to stream from this leader, showing which epochs its log holds (like pg_rewind reading timeline history). */
export interface FollowRequest {
  type: 'follow';
  epoch: number;
  lastLsn: number;
  segments: EpochSegment[];
}

/** Where the follower is: the three positions of pg_stat_replication. */
export interface PositionReport {
  type: 'positions';
  epoch: number;
  /** Reply to this heartbeat round, or 0 when the report comes from progress. */
  round: number;
  /** The follower has attached in this epoch; before that only the heartbeat round counts. */
  attached: boolean;
  writeLsn: number;
  flushLsn: number;
  replayLsn: number;
  /** Set when a batch did not fit after the follower's last entry: "resend from writeLsn + 1". */
  gap: boolean;
}

/** "Your epoch is over": the fencing reply to any message from an older epoch. */
export interface StaleEpoch {
  type: 'stale-epoch';
  epoch: number;
}

// ------------------------------------------------------------ election

/** Phase 1, the pre-vote: "would you vote for me in epoch `epoch`?" Changes nobody's state. */
export interface PreVoteRequest {
  type: 'pre-vote';
  epoch: number;
  lastEpoch: number;
  lastLsn: number;
}

export interface PreVoteReply {
  type: 'pre-vote-reply';
  epoch: number;
  granted: boolean;
  reason: string;
}

/** Phase 2, the vote: the candidate has taken `epoch` and asks for the voter's one vote in it. */
export interface VoteRequest {
  type: 'vote';
  epoch: number;
  lastEpoch: number;
  lastLsn: number;
}

export interface VoteReply {
  type: 'vote-reply';
  epoch: number;
  granted: boolean;
  voterLastLsn: number;
  reason: string;
}

// ------------------------------------------------------------ client ↔ replica

export interface ClientWrite {
  type: 'client-write';
  requestId: number;
  /** The same for every retry of one write, so a replica applies it once. */
  writeId: string;
  op: KvWriteOperation;
}

export interface ClientRead {
  type: 'client-read';
  requestId: number;
  key: string;
  /** Serve only from a state that includes this LSN (the session token); 0 for any. */
  minLsn: number;
  /** Only the leader may answer (linearizable reads). */
  leaderOnly: boolean;
}

/** What a client polls for bounded-staleness routing, like a proxy polling pg_stat_replication. */
export interface StatusRequest {
  type: 'status-request';
  requestId: number;
}

export interface WriteOk {
  type: 'write-ok';
  requestId: number;
  lsn: number;
  epoch: number;
}

export interface ReadOk {
  type: 'read-ok';
  requestId: number;
  value: string;
  /** LSN of the last write to this key in the state read (the checker's `version`). */
  keyVersion: number;
  /** LSN of the whole state read (what the session token remembers). */
  appliedLsn: number;
  epoch: number;
  servedAs: 'leader' | 'follower';
}

/** The follower has not yet applied the LSN the session needs, even after waiting readWaitMs. */
export interface ReadBehind {
  type: 'read-behind';
  requestId: number;
  appliedLsn: number;
}

export type RejectReason = 'not-leader' | 'no-lease' | 'not-ready' | 'stepped-down';

/** "Not here": with the leader this replica knows of (null when it knows none). */
export interface Redirect {
  type: 'redirect';
  requestId: number;
  leaderId: string | null;
  epoch: number;
  reason: RejectReason;
}

export interface ReplicaStatus {
  id: string;
  region: string;
  streaming: boolean;
  writeLsn: number;
  flushLsn: number;
  replayLsn: number;
  lsnLag: number;
  writeLagMs: number;
  flushLagMs: number;
  replayLagMs: number;
}

export interface StatusReply {
  type: 'status';
  requestId: number;
  epoch: number;
  followers: ReplicaStatus[];
}

export type ReplicaMessage =
  | Heartbeat
  | AppendEntries
  | FollowAccepted
  | FollowRequest
  | PositionReport
  | StaleEpoch
  | PreVoteRequest
  | PreVoteReply
  | VoteRequest
  | VoteReply
  | ClientWrite
  | ClientRead
  | StatusRequest;

export type ClientReply = WriteOk | ReadOk | ReadBehind | Redirect | StatusReply;

/** Rough wire sizes, for the simulator's byte counters. */
export const ENTRY_WIRE_BYTES = 64;
export const SMALL_MESSAGE_BYTES = 48;

/** Bytes on the wire for a batch of log entries, for the simulator's counters. */
export function batchBytes(entryCount: number): number {
  return 32 + entryCount * ENTRY_WIRE_BYTES;
}
