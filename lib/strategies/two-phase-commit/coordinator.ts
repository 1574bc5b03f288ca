/**
 * The 2PC coordinator (transaction manager), with presumed abort.
 *
 *   1. On a transfer request, send PREPARE to every participant and wait for votes.
 *   2. All yes: append the decision to commit to the coordinator's own WAL and force it.
 *      Only when it is durable, tell the client and send COMMIT to the participants;
 *      resend to each until it acknowledges. When all have, append an end record.
 *   3. Any no, or a vote timeout: decide abort. Presumed abort means this decision is
 *      never logged: a coordinator that finds no decision for a gid in its log answers
 *      "abort", so forgetting is safe and aborts cost no fsync.
 *
 * Recovery: the WAL (plus a small checkpoint image) lists every decision to commit
 * whose participants have not all acknowledged; the coordinator resends those. Anything
 * it was still collecting votes for is forgotten, i.e. aborted.
 */
import type { NodeBehaviour, NodeContext } from '../../sim';
import { LimitExceededError } from '../../sim';
import { WriteAheadLog } from '../../storage';
import type { RecoveryCostModel } from '../../storage';
import { Decision, ParticipantOp, TransferLeg, TwoPhaseMessage, messageType } from './messages';
import { CoordinatorEvent, TwoPhaseMetrics } from './metrics';

export type CoordinatorRecord = { t: 'decide'; gid: string; participants: string[] } | { t: 'end'; gid: string };

export interface CoordinatorConfig {
  banks: string[];
  /** The clearing house participant that records a settlement entry for every transfer; null for none. */
  clearing: string | null;
  voteTimeoutMs: number;
  decisionRetryMs: number;
  maxResendsPerGid: number;
  maxOpenTransactions: number;
  checkpointEveryMs: number;
  recoveryCost: RecoveryCostModel;
  metrics: TwoPhaseMetrics;
  /** Called at protocol milestones; fault scenarios crash the coordinator from here (sim.crash stops the rest of the handler's sends). */
  onEvent: (event: CoordinatorEvent) => void;
}

type Phase = 'collecting' | 'forcing' | 'decided-commit';

interface GlobalTransaction {
  gid: string;
  participants: string[];
  client: string | null;
  phase: Phase;
  votes: Set<string>;
  acks: Set<string>;
  voteTimer: number | null;
  resends: number;
}

interface CoordinatorImage {
  imageLsn: number;
  /** Decisions to commit still waiting for acknowledgements: [gid, participants]. */
  open: Array<[string, string[]]>;
}

const IMAGE_FILE = 'coordinator-image';

export interface CoordinatorNode extends NodeBehaviour {
  readonly wal: WriteAheadLog<CoordinatorRecord>;
  /** Global transactions the coordinator is working on (collecting votes, or waiting for acks). */
  openCount(): number;
  readonly isReady: boolean;
}

/** Splits a transfer into each participant's operations (and the clearing house's record). */
export function participantOps(gid: string, legs: readonly TransferLeg[], clearing: string | null): Map<string, ParticipantOp[]> {
  const ops = new Map<string, ParticipantOp[]>();
  for (const leg of legs) {
    const list = ops.get(leg.bank) ?? [];
    list.push({ kind: 'adjust', account: leg.account, deltaPaise: leg.deltaPaise });
    ops.set(leg.bank, list);
  }
  if (clearing !== null) ops.set(clearing, [{ kind: 'record', key: `settle:${gid}`, legs: legs.map((l) => ({ ...l })) }]);
  return ops;
}

export function coordinatorNode(ctx: NodeContext, config: CoordinatorConfig): CoordinatorNode {
  const metrics = config.metrics;
  const image = ctx.disk.get<CoordinatorImage>(IMAGE_FILE);
  const { wal, entries } = WriteAheadLog.open<CoordinatorRecord>(ctx, {}, image ? image.imageLsn + 1 : 1);
  const open = new Map<string, GlobalTransaction>();
  const imageLsn = image ? image.imageLsn : 0;
  const decided = (gid: string, participants: string[]): GlobalTransaction => ({ gid, participants, client: null, phase: 'decided-commit', votes: new Set(participants), acks: new Set(), voteTimer: null, resends: 0 });
  if (image) for (const [gid, participants] of image.open) open.set(gid, decided(gid, participants));
  let replayed = 0;
  for (const entry of entries) {
    if (entry.lsn <= imageLsn) continue;
    replayed++;
    if (entry.payload.t === 'decide') open.set(entry.payload.gid, decided(entry.payload.gid, entry.payload.participants));
    else open.delete(entry.payload.gid);
  }
  let ready = false;
  const send = (to: string, message: TwoPhaseMessage) => ctx.send(to, message, 64);
  const event = (kind: CoordinatorEvent['kind'], gid: string | null, to: string | null) => {
    const e = { kind, gid, to, atMs: ctx.simTimeMs() };
    metrics.coordinator(e);
    config.onEvent(e);
  };

  const sendDecision = (tx: GlobalTransaction, decision: Decision) => {
    for (const p of tx.participants) {
      // Stryker disable next-line ConditionalExpression: an abort is only sent while collecting votes, when no participant has acknowledged anything
      if (decision === 'commit' && tx.acks.has(p)) continue;
      send(p, { type: 'decision', gid: tx.gid, decision });
      event('decision-sent', tx.gid, p);
    }
  };

  /** Resends the decision to commit until every participant has acknowledged its local commit. */
  const keepResending = (tx: GlobalTransaction) => {
    ctx.setTimer(config.decisionRetryMs, () => {
      if (open.get(tx.gid) !== tx) return;
      if (++tx.resends > config.maxResendsPerGid) {
        throw new LimitExceededError(`coordinator ${ctx.id}: ${tx.gid} resent its decision to commit ${config.maxResendsPerGid} times without all acknowledgements (maxResendsPerGid)`);
      }
      sendDecision(tx, 'commit');
      keepResending(tx);
    });
  };

  const decideAbort = (tx: GlobalTransaction, reason: string) => {
    // Stryker disable next-line ConditionalExpression: a second line of defence: decideCommit cancels the vote timer and votes are only taken while collecting
    if (tx.phase !== 'collecting') return;
    // Stryker disable next-line ConditionalExpression: cancelling timer id null cancels nothing
    if (tx.voteTimer !== null) ctx.cancelTimer(tx.voteTimer);
    open.delete(tx.gid); // presumed abort: nothing to log, nothing to remember
    metrics.decision({ gid: tx.gid, decision: 'abort', atMs: ctx.simTimeMs(), reason });
    // Stryker disable next-line ConditionalExpression: only a transaction still collecting votes is aborted, and those always have a client
    if (tx.client) send(tx.client, { type: 'transfer-outcome', gid: tx.gid, decision: 'abort', reason });
    sendDecision(tx, 'abort');
  };

  const decideCommit = (tx: GlobalTransaction) => {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a vote timer left running finds the transaction no longer collecting, and decideAbort ignores it
    if (tx.voteTimer !== null) ctx.cancelTimer(tx.voteTimer);
    tx.phase = 'forcing';
    const lsn = wal.append({ t: 'decide', gid: tx.gid, participants: tx.participants });
    wal.flush(lsn, () => {
      tx.phase = 'decided-commit';
      metrics.decision({ gid: tx.gid, decision: 'commit', atMs: ctx.simTimeMs(), reason: 'all participants voted yes' });
      event('decision-logged', tx.gid, null);
      // Stryker disable next-line ConditionalExpression: only a transaction that collected votes is forced, and those always have a client
      if (tx.client) send(tx.client, { type: 'transfer-outcome', gid: tx.gid, decision: 'commit', reason: 'all participants voted yes' });
      sendDecision(tx, 'commit');
      keepResending(tx);
    });
  };

  const onTransfer = (from: string, gid: string, legs: TransferLeg[]) => {
    const refuse = (reason: string) => send(from, { type: 'transfer-outcome', gid, decision: 'abort', reason });
    // Stryker disable next-line ConditionalExpression: onMessage drops every message before recovery ends; this guard is for direct callers
    if (!ready) return refuse('coordinator is recovering');
    if (open.has(gid)) return; // a duplicate request: the first one will answer
    if (!Array.isArray(legs) || legs.length < 2) return refuse(`legs: got ${Array.isArray(legs) ? legs.length : typeof legs}; allowed: at least two legs`);
    let sum = 0;
    for (const leg of legs) {
      if (!config.banks.includes(leg.bank)) return refuse(`leg bank ${JSON.stringify(leg.bank)}; allowed: ${config.banks.join(', ')}`);
      if (!Number.isInteger(leg.deltaPaise) || leg.deltaPaise === 0) return refuse(`leg deltaPaise ${leg.deltaPaise}; allowed: a non-zero integer`);
      sum += leg.deltaPaise;
    }
    if (sum !== 0) return refuse(`legs sum to ${sum} paise; a transfer must move money, not create it (sum 0)`);
    if (open.size >= config.maxOpenTransactions) throw new LimitExceededError(`coordinator ${ctx.id}: ${open.size} global transactions open, its limit (maxOpenTransactions)`);
    const ops = participantOps(gid, legs, config.clearing);
    const participants = [...ops.keys()].sort();
    const tx: GlobalTransaction = { gid, participants, client: from, phase: 'collecting', votes: new Set(), acks: new Set(), voteTimer: null, resends: 0 };
    open.set(gid, tx);
    tx.voteTimer = ctx.setTimer(config.voteTimeoutMs, () => {
      tx.voteTimer = null;
      decideAbort(tx, `vote timeout after ${config.voteTimeoutMs} ms`);
    });
    for (const p of participants) send(p, { type: 'prepare', gid, ops: ops.get(p) as ParticipantOp[], coordinator: ctx.id, participants });
    event('prepare-sent', gid, null);
  };

  const checkpoint = () => {
    const snapshot: CoordinatorImage = { imageLsn: wal.durableLsn, open: [] };
    for (const tx of open.values()) if (tx.phase === 'decided-commit') snapshot.open.push([tx.gid, tx.participants]);
    ctx.disk.put(IMAGE_FILE, snapshot);
    ctx.fsync(() => wal.truncateBefore(snapshot.imageLsn + 1));
  };

  const recoveryMs = config.recoveryCost.fixedMs + replayed * config.recoveryCost.perFrameMs;
  wal.syncCut(() =>
    ctx.setTimer(recoveryMs, () => {
      ready = true;
      event('recovered', null, null);
      for (const tx of open.values()) {
        sendDecision(tx, 'commit');
        keepResending(tx);
      }
      const tick = () => {
        checkpoint();
        ctx.setTimer(config.checkpointEveryMs, tick);
      };
      ctx.setTimer(config.checkpointEveryMs, tick);
    }),
  );

  return {
    wal,
    openCount: () => open.size,
    get isReady() {
      return ready;
    },
    onMessage(from, message) {
      if (!ready) return; // queries and votes are retried; a transfer gets no answer and times out
      const m = message as TwoPhaseMessage;
      switch (messageType(message)) {
        case 'transfer': {
          const t = m as Extract<TwoPhaseMessage, { type: 'transfer' }>;
          onTransfer(from, t.gid, t.legs);
          break;
        }
        case 'vote': {
          const v = m as Extract<TwoPhaseMessage, { type: 'vote' }>;
          const tx = open.get(v.gid);
          if (!tx || tx.phase !== 'collecting' || !tx.participants.includes(from)) break;
          if (v.vote === 'no') decideAbort(tx, `${from} voted no: ${v.reason}`);
          else {
            tx.votes.add(from);
            if (tx.votes.size === tx.participants.length) decideCommit(tx);
          }
          break;
        }
        case 'ack': {
          const a = m as Extract<TwoPhaseMessage, { type: 'ack' }>;
          const tx = open.get(a.gid);
          if (!tx || tx.phase !== 'decided-commit') break;
          tx.acks.add(from);
          if (tx.acks.size === tx.participants.length) {
            open.delete(tx.gid);
            wal.append({ t: 'end', gid: tx.gid }); // not forced: if lost, recovery just resends a decision already applied
          }
          break;
        }
        case 'query': {
          const q = m as Extract<TwoPhaseMessage, { type: 'query' }>;
          const tx = open.get(q.gid);
          if (!tx) send(from, { type: 'decision', gid: q.gid, decision: 'abort' }); // presumed abort
          else if (tx.phase === 'decided-commit') send(from, { type: 'decision', gid: q.gid, decision: 'commit' });
          else send(from, { type: 'undecided', gid: q.gid });
          break;
        }
        // Stryker disable next-line ConditionalExpression: the last case; leaving it out falls out of the switch the same way
        default:
          break;
      }
    },
  };
}
