/**
 * The messages of two-phase commit with presumed abort and cooperative termination.
 *
 * Words kept apart on purpose: the coordinator reaches a *decision* ("decision to
 * commit" / "decision to abort") and logs it in its own WAL; each participant then
 * performs a *local commit* (COMMIT PREPARED: a commit record in the participant's WAL)
 * or a local abort. A client is told the decision.
 */

/** One leg of a transfer: money into (+) or out of (−) an account at one bank. */
export interface TransferLeg {
  bank: string;
  account: string;
  deltaPaise: number;
}

/** What a participant is asked to do inside its local transaction. */
export type ParticipantOp =
  | { kind: 'adjust'; account: string; deltaPaise: number }
  /** The clearing house's settlement entry for the transfer. */
  | { kind: 'record'; key: string; legs: TransferLeg[] };

export type Decision = 'commit' | 'abort';

export type VoteNoReason = 'insufficient-funds' | 'unknown-account' | 'lock-conflict' | 'locked-in-doubt' | 'not-ready' | 'refused-earlier' | 'bad-request';

export type TwoPhaseMessage =
  /** client → coordinator */
  | { type: 'transfer'; gid: string; legs: TransferLeg[] }
  /** coordinator → client: the decision (or why there was none). */
  | { type: 'transfer-outcome'; gid: string; decision: Decision; reason: string }
  /** coordinator → participant: phase one. participants: every participant of gid (for cooperative termination). */
  | { type: 'prepare'; gid: string; ops: ParticipantOp[]; coordinator: string; participants: string[] }
  /** participant → coordinator */
  | { type: 'vote'; gid: string; vote: 'yes' }
  | { type: 'vote'; gid: string; vote: 'no'; reason: VoteNoReason; detail: string }
  /** coordinator → participant: phase two, also the answer to a query. */
  | { type: 'decision'; gid: string; decision: Decision }
  /** participant → coordinator: the local commit (or abort) is durable; stop resending. */
  | { type: 'ack'; gid: string }
  /** in-doubt participant → coordinator: what did you decide? */
  | { type: 'query'; gid: string }
  /** coordinator → participant: still collecting votes (or forcing the decision), ask again later. */
  | { type: 'undecided'; gid: string }
  /** in-doubt participant → other participants (cooperative termination). */
  | { type: 'peer-query'; gid: string }
  /** peer's answer: its local outcome, or 'prepared' (in doubt too), or 'refused' (it promised never to vote yes). */
  | { type: 'peer-answer'; gid: string; state: 'committed' | 'aborted' | 'refused' | 'prepared' | 'unavailable' };

export function messageType(message: unknown): string | null {
  if (typeof message !== 'object' || message === null) return null;
  const type = (message as { type?: unknown }).type;
  return typeof type === 'string' ? type : null;
}
