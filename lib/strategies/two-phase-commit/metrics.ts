/**
 * What a 2PC run measured, as plain records for tables and plots. Nodes write here
 * through a shared object owned by the cluster builder, so records survive crashes.
 * Times are true simulation milliseconds.
 */
import { LimitExceededError } from '../../sim';
import type { Decision, VoteNoReason } from './messages';

/** A participant held a prepared transaction (and its row locks) from preparedAtMs until resolvedAtMs. */
export interface InDoubtInterval {
  participant: string;
  gid: string;
  preparedAtMs: number;
  /** null: still in doubt when the run ended. */
  resolvedAtMs: number | null;
  decision: Decision | null;
  /** Who told it: the coordinator (its decision message or the answer to a query), or a peer (cooperative termination). */
  via: 'coordinator' | 'peer' | null;
  /** Rows locked by the prepared transaction. */
  lockedRows: number;
}

export interface VoteRecord {
  participant: string;
  gid: string;
  atMs: number;
  vote: 'yes' | 'no';
  reason: VoteNoReason | null;
}

export interface DecisionRecord {
  gid: string;
  decision: Decision;
  /** When the decision was made (for 'commit': when its log record became durable). */
  atMs: number;
  reason: string;
}

/** A transaction local to one bank (an ATM withdrawal) and how it fared. */
export interface LocalTransactionRecord {
  participant: string;
  id: string;
  atMs: number;
  status: 'committed' | 'rejected';
  reason: string | null;
  /** Set when it was refused because a row was locked by an in-doubt 2PC transaction. */
  lockedInDoubtBy: string | null;
}

export interface CoordinatorEvent {
  kind: 'prepare-sent' | 'decision-logged' | 'decision-sent' | 'recovered';
  gid: string | null;
  to: string | null;
  atMs: number;
}

const RECORDS_MAX = 2_000_000;

export class TwoPhaseMetrics {
  readonly inDoubt: InDoubtInterval[] = [];
  readonly votes: VoteRecord[] = [];
  readonly decisions: DecisionRecord[] = [];
  readonly localTransactions: LocalTransactionRecord[] = [];
  readonly coordinatorEvents: CoordinatorEvent[] = [];
  private readonly openIntervals = new Map<string, number>();
  private readonly localSequence = new Map<string, number>();

  private push<T>(list: T[], record: T, what: string): void {
    if (list.length >= RECORDS_MAX) throw new LimitExceededError(`2PC metrics: ${what} holds ${RECORDS_MAX} records, its limit`);
    list.push(record);
  }

  prepared(participant: string, gid: string, atMs: number, lockedRows: number): void {
    const key = `${participant}|${gid}`;
    if (this.openIntervals.has(key)) return;
    this.push(this.inDoubt, { participant, gid, preparedAtMs: atMs, resolvedAtMs: null, decision: null, via: null, lockedRows }, 'inDoubt');
    this.openIntervals.set(key, this.inDoubt.length - 1);
  }

  resolved(participant: string, gid: string, atMs: number, decision: Decision, via: 'coordinator' | 'peer'): void {
    const key = `${participant}|${gid}`;
    const index = this.openIntervals.get(key);
    if (index === undefined) return;
    this.openIntervals.delete(key);
    const interval = this.inDoubt[index];
    interval.resolvedAtMs = atMs;
    interval.decision = decision;
    interval.via = via;
  }

  vote(record: VoteRecord): void {
    this.push(this.votes, record, 'votes');
  }

  decision(record: DecisionRecord): void {
    this.push(this.decisions, record, 'decisions');
  }

  local(record: LocalTransactionRecord): void {
    this.push(this.localTransactions, record, 'localTransactions');
  }

  coordinator(event: CoordinatorEvent): void {
    this.push(this.coordinatorEvents, event, 'coordinatorEvents');
  }

  /** A fresh id for a participant's local transaction; kept here so it survives the participant's crashes. */
  nextLocalId(participant: string): string {
    const n = (this.localSequence.get(participant) ?? 0) + 1;
    this.localSequence.set(participant, n);
    return `${participant}-local-${n}`;
  }

  /** Prepared transactions not yet resolved. */
  stillInDoubt(): InDoubtInterval[] {
    return this.inDoubt.filter((i) => i.resolvedAtMs === null);
  }
}
