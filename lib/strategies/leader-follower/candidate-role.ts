/**
 * The candidate: a follower that suspects the leader is dead and asks to replace it.
 * Phase 'pre-vote' asks "would you vote for me?" without changing anything; phase 'vote'
 * takes the next epoch and collects real votes. The rules are in election.ts.
 */
import type { ReplicaNode } from './replica-node';
import { majorityOf } from './leader-lease';
import { ClientRead, ClientWrite, PreVoteReply, VoteReply } from './messages';

export class CandidateRole {
  readonly kind = 'candidate';
  readonly hearsFromLeader = false;
  private phase: 'pre-vote' | 'vote' = 'pre-vote';
  private proposedEpoch = 0;
  private readonly grants = new Set<string>();
  private retryTimer: number | null = null;
  private stopped = false;

  constructor(private readonly node: ReplicaNode) {}

  start(): void {
    this.startPreVote();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== null) this.node.ctx.cancelTimer(this.retryTimer);
  }

  private startPreVote(): void {
    const node = this.node;
    this.phase = 'pre-vote';
    this.proposedEpoch = node.epoch + 1;
    this.grants.clear();
    this.grants.add(node.id);
    node.observer.timelineEvent(
      'pre-vote-started',
      node.id,
      node.epoch,
      `asks for epoch ${this.proposedEpoch} with last entry (epoch ${node.log.lastEpoch}, LSN ${node.log.lastLsn})`,
    );
    for (const peer of node.peers) {
      node.send(peer, { type: 'pre-vote', epoch: this.proposedEpoch, lastEpoch: node.log.lastEpoch, lastLsn: node.log.lastLsn });
    }
    this.armRetry();
    this.checkMajority();
  }

  /** If this round gets nowhere (lost messages, a split vote), try again after a random pause. */
  private armRetry(): void {
    if (this.retryTimer !== null) this.node.ctx.cancelTimer(this.retryTimer);
    const { failureTimeoutMs, electionJitterMs } = this.node.config;
    this.retryTimer = this.node.ctx.setTimer(failureTimeoutMs + this.node.ctx.random.float() * electionJitterMs, () => {
      this.retryTimer = null;
      if (!this.stopped) this.startPreVote();
    });
  }

  onReply(from: string, m: PreVoteReply | VoteReply): void {
    if (this.stopped) return;
    if (m.type === 'pre-vote-reply') {
      if (this.phase === 'pre-vote' && m.epoch === this.proposedEpoch && m.granted) {
        this.grants.add(from);
        this.checkMajority();
      }
      return;
    }
    if (m.epoch > this.node.epoch) {
      this.node.adoptEpoch(m.epoch);
      this.node.becomeFollower(null);
      return;
    }
    if (this.phase === 'vote' && m.epoch === this.node.epoch && m.granted) {
      this.grants.add(from);
      this.checkMajority();
    }
  }

  private checkMajority(): void {
    if (this.grants.size < majorityOf(this.node.clusterSize)) return;
    if (this.phase === 'pre-vote') this.startVote();
    else this.node.becomeLeader('elected');
  }

  private startVote(): void {
    const node = this.node;
    this.phase = 'vote';
    this.grants.clear();
    this.grants.add(node.id);
    const epoch = this.proposedEpoch;
    node.observer.timelineEvent('election-started', node.id, epoch, `took epoch ${epoch} and asks for votes`);
    // The new epoch and our own vote go to disk before anybody is asked.
    node.startEpochVotingForSelf(epoch, () => {
      if (this.stopped || node.epoch !== epoch) return;
      for (const peer of node.peers) {
        node.send(peer, { type: 'vote', epoch, lastEpoch: node.log.lastEpoch, lastLsn: node.log.lastLsn });
      }
      this.checkMajority();
    });
    this.armRetry();
  }

  onFlushed(): void {
    // A candidate keeps replaying what it has flushed; nothing else to do.
  }

  onClientWrite(from: string, m: ClientWrite): void {
    this.node.notLeader(from, m, null);
  }

  onClientRead(from: string, m: ClientRead): void {
    if (m.leaderOnly || this.node.kv.appliedLsn < m.minLsn) this.node.notLeader(from, m, null);
    else this.node.serveRead(from, m, 'follower');
  }
}
