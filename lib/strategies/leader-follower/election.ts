/**
 * Failover: who may become the next leader, and who votes for whom.
 *
 * The rule, in the order it happens:
 * 1. A follower that has heard nothing from the leader for failureTimeoutMs suspects it
 *    has failed. After a random pause (so that not everybody starts at once) it becomes a
 *    candidate.
 * 2. Pre-vote: the candidate asks every other node "would you vote for me in the next
 *    epoch?", sending the epoch and LSN of its last log entry. A node says yes only if it,
 *    too, has not heard from a leader for failureTimeoutMs, and the candidate's log is at
 *    least as up to date as its own (a higher last epoch, or the same epoch and at least
 *    the same LSN). Nothing changes on anybody's disk yet, so a node cut off on its own
 *    cannot drive the epoch up and disturb a healthy cluster when it returns.
 * 3. With a majority of the whole cluster (itself included) saying yes, the candidate takes
 *    the next epoch, records on disk that it votes for itself, and asks for votes. A node
 *    gives at most one vote per epoch, records it on disk (fsync) before answering, and
 *    applies the same two conditions as in the pre-vote.
 * 4. A candidate with the votes of a majority is leader of the epoch. Because every
 *    majority overlaps every other, an epoch has at most one leader; because voters refuse
 *    candidates behind them, the winner is at least as up to date as a majority, so it
 *    holds every write a majority had flushed. A node that refuses a pre-vote because it is
 *    itself more up to date starts its own candidacy at once: the most up-to-date
 *    reachable follower is the one that wins.
 *
 * These are Raft's election rules (Ongaro 2014, §3.6 and §9.6 for the pre-vote). The
 * functions below are the pure decisions; replica-node.ts does the messaging.
 */
import { isAtLeastAsUpToDate, LogPosition } from './replication-log';

export interface VoterState {
  epoch: number;
  votedFor: string | null;
  /** This node is a leader, or a follower whose leader spoke within failureTimeoutMs. */
  hearsFromLeader: boolean;
  log: LogPosition;
}

export interface CandidateRequest {
  candidateId: string;
  epoch: number;
  lastEpoch: number;
  lastLsn: number;
}

export interface VoteDecision {
  granted: boolean;
  reason: string;
  /** The voter should move to the candidate's (higher) epoch even if it says no. */
  adoptEpoch: boolean;
  /** The voter is more up to date than the candidate and should stand itself. */
  voterIsAhead: boolean;
}

function logComparison(voter: VoterState, request: CandidateRequest): { ok: boolean } {
  const candidateLog = { lastEpoch: request.lastEpoch, lastLsn: request.lastLsn };
  return { ok: isAtLeastAsUpToDate(candidateLog, voter.log) };
}

export function decidePreVote(voter: VoterState, request: CandidateRequest): VoteDecision {
  const no = (reason: string, voterIsAhead = false): VoteDecision => ({ granted: false, reason, adoptEpoch: false, voterIsAhead });
  if (voter.hearsFromLeader) return no('I still hear from the leader');
  if (request.epoch <= voter.epoch) return no(`epoch ${request.epoch} is not newer than my epoch ${voter.epoch}`);
  const log = logComparison(voter, request);
  if (!log.ok) return no(`my log (epoch ${voter.log.lastEpoch}, LSN ${voter.log.lastLsn}) is ahead of yours`, true);
  return { granted: true, reason: 'yes', adoptEpoch: false, voterIsAhead: false };
}

export function decideVote(voter: VoterState, request: CandidateRequest): VoteDecision {
  if (voter.hearsFromLeader) return { granted: false, reason: 'I still hear from the leader', adoptEpoch: false, voterIsAhead: false };
  if (request.epoch < voter.epoch) return { granted: false, reason: `epoch ${request.epoch} is older than my epoch ${voter.epoch}`, adoptEpoch: false, voterIsAhead: false };
  const adoptEpoch = request.epoch > voter.epoch;
  const votedFor = adoptEpoch ? null : voter.votedFor;
  if (votedFor !== null && votedFor !== request.candidateId) {
    return { granted: false, reason: `I already voted for ${votedFor} in epoch ${request.epoch}`, adoptEpoch, voterIsAhead: false };
  }
  const log = logComparison(voter, request);
  if (!log.ok) return { granted: false, reason: `my log (epoch ${voter.log.lastEpoch}, LSN ${voter.log.lastLsn}) is ahead of yours`, adoptEpoch, voterIsAhead: true };
  return { granted: true, reason: 'yes', adoptEpoch, voterIsAhead: false };
}
