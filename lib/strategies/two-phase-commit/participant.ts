/**
 * A 2PC participant: one bank's ledger (or the clearing house's), a full Database with
 * its own WAL, locks and recovery.
 *
 * Phase one: on PREPARE it runs its part of the transfer as a local transaction, then
 * forces a prepare record and votes yes — or votes no (insufficient funds, a row locked
 * by someone else) and aborts locally. Once it has voted yes it has given up the right to
 * abort on its own: the prepared transaction and its row locks survive crashes until the
 * decision arrives. That wait is the blocking window.
 *
 * Termination: a prepared participant that hears nothing for inDoubtQueryAfterMs asks
 * the coordinator again and again, and (cooperative termination) asks its peers. A peer
 * that knows the outcome tells it; a peer that never prepared promises, durably, never to
 * vote yes and answers "refused", which makes abort safe. If every peer is prepared too,
 * nobody can decide: the participants are blocked until the coordinator returns.
 */
import type { NodeBehaviour, NodeContext } from '../../sim';
import { LimitExceededError } from '../../sim';
import { Database, DatabaseOptions, TransactionAbortedError } from '../../storage';
import type { Isolation, JsonValue } from '../../storage';
import { accountKey, openAccountsOnce, runTransfer } from '../banking';
import { Decision, ParticipantOp, TwoPhaseMessage, VoteNoReason, messageType } from './messages';
import { TwoPhaseMetrics } from './metrics';

export interface LocalLoadOptions {
  /** Local transactions (ATM withdrawals) per second at this bank. */
  ratePerSec: number;
  startMs: number;
  stopMs: number;
  maxAmountPaise: number;
}

export interface ParticipantConfig {
  isolation: Isolation;
  inDoubtQueryAfterMs: number;
  queryEveryMs: number;
  cooperativeTermination: boolean;
  /** Queries one in-doubt transaction may send before the participant reports it is stuck beyond reason. */
  maxQueriesPerGid: number;
  openingBalances: Record<string, number>;
  /** Local withdrawals move money from a customer account to this bank's ATM cash account. */
  atmAccount: string;
  localLoad: LocalLoadOptions | null;
  database: DatabaseOptions;
  metrics: TwoPhaseMetrics;
}

interface Coordinates {
  coordinator: string;
  participants: string[];
}

export interface ParticipantNode extends NodeBehaviour {
  readonly db: Database;
}

export function participantNode(ctx: NodeContext, config: ParticipantConfig): ParticipantNode {
  const metrics = config.metrics;
  const db = Database.open(ctx, config.database);
  /** Coordinator and peers of each prepared gid (rebuilt from the prepare records after a crash). */
  const coordinates = new Map<string, Coordinates>();
  const resolving = new Set<string>();

  const send = (to: string, message: TwoPhaseMessage) => ctx.send(to, message, 64);

  const voteNo = (to: string, gid: string, reason: VoteNoReason, detail: string) => {
    metrics.vote({ participant: ctx.id, gid, atMs: ctx.simTimeMs(), vote: 'no', reason });
    send(to, { type: 'vote', gid, vote: 'no', reason, detail });
  };

  const applyDecision = (gid: string, decision: Decision, via: 'coordinator' | 'peer', ackTo: string | null) => {
    const state = db.gidState(gid);
    if (state === undefined) return; // never prepared here (or long forgotten): nothing to do
    if (state === 'committed') {
      if (decision === 'abort') throw new Error(`2PC atomicity broken on ${ctx.id}: ${gid} committed locally, but a decision to abort arrived (via ${via})`);
      // Stryker disable next-line ConditionalExpression: ackTo is null only for a peer's abort, which a committed participant has already refused with an error above
      if (ackTo) send(ackTo, { type: 'ack', gid });
      return;
    }
    if (state === 'aborted' || state === 'refused') {
      if (decision === 'commit') throw new Error(`2PC atomicity broken on ${ctx.id}: ${gid} is ${state} locally, but a decision to commit arrived (via ${via})`);
      return;
    }
    db.finishPrepared(gid, decision, (outcome) => {
      metrics.resolved(ctx.id, gid, ctx.simTimeMs(), decision, via);
      resolving.delete(gid);
      coordinates.delete(gid);
      if (outcome === 'committed' && ackTo) send(ackTo, { type: 'ack', gid });
    });
  };

  /** Ask the coordinator (and peers) about an in-doubt gid until it is resolved. */
  const startResolving = (gid: string, where: Coordinates, firstDelayMs: number) => {
    // Stryker disable next-line ConditionalExpression: startResolving runs once per prepare callback and once per prepared gid after a restart (a fresh set); never twice for one gid in one incarnation
    if (resolving.has(gid)) return;
    resolving.add(gid);
    let queries = 0;
    const tick = () => {
      if (db.gidState(gid) !== 'prepared') {
        resolving.delete(gid);
        return;
      }
      if (++queries > config.maxQueriesPerGid) {
        throw new LimitExceededError(`participant ${ctx.id}: ${gid} is still in doubt after ${config.maxQueriesPerGid} queries (maxQueriesPerGid)`);
      }
      send(where.coordinator, { type: 'query', gid });
      // Stryker disable next-line ConditionalExpression: a peer-query to itself is answered 'prepared', which changes nothing
      if (config.cooperativeTermination) for (const peer of where.participants) if (peer !== ctx.id) send(peer, { type: 'peer-query', gid });
      ctx.setTimer(config.queryEveryMs, tick);
    };
    ctx.setTimer(firstDelayMs, tick);
  };

  const onPrepare = (from: string, gid: string, ops: ParticipantOp[], where: Coordinates) => {
    const state = db.gidState(gid);
    if (state === 'prepared' || state === 'committed') {
      send(from, { type: 'vote', gid, vote: 'yes' }); // a repeated PREPARE: same answer
      return;
    }
    if (state === 'preparing') return; // the vote follows when the prepare record is durable
    if (state === 'aborted' || state === 'refused') return voteNo(from, gid, 'refused-earlier', `${ctx.id} already ${state} ${gid}`);
    if (!db.isReady || db.role !== 'primary') return voteNo(from, gid, 'not-ready', `${ctx.id} cannot prepare: its database is ${db.isReady ? `a ${db.role}` : 'recovering'}`);
    // Stryker disable next-line ObjectLiteral: every row a PREPARE reads it also writes (an adjust reads and writes one account), so write-write conflicts decide it alike at every isolation level
    const tx = db.begin({ isolation: config.isolation });
    try {
      for (const op of ops) {
        if (op.kind === 'adjust') {
          const balance = tx.read(accountKey(op.account));
          if (typeof balance !== 'number') {
            db.abort(tx);
            return voteNo(from, gid, 'unknown-account', `${ctx.id} has no account ${op.account}`);
          }
          if (balance + op.deltaPaise < 0) {
            db.abort(tx);
            return voteNo(from, gid, 'insufficient-funds', `${op.account} at ${ctx.id} holds ${balance} paise, needs ${-op.deltaPaise}`);
          }
          tx.write(accountKey(op.account), balance + op.deltaPaise);
        } else {
          tx.write(op.key, { legs: op.legs } as unknown as JsonValue);
        }
      }
    } catch (error) {
      if (!(error instanceof TransactionAbortedError)) throw error;
      const inDoubt = error.conflict && error.conflict.holderGid ? 'locked-in-doubt' : 'lock-conflict';
      return voteNo(from, gid, inDoubt, error.message);
    }
    coordinates.set(gid, where);
    const lockedRows = tx.writes.size;
    db.prepare(
      tx,
      gid,
      () => {
        metrics.prepared(ctx.id, gid, ctx.simTimeMs(), lockedRows);
        metrics.vote({ participant: ctx.id, gid, atMs: ctx.simTimeMs(), vote: 'yes', reason: null });
        send(from, { type: 'vote', gid, vote: 'yes' });
        startResolving(gid, where, config.inDoubtQueryAfterMs);
      },
      where as unknown as JsonValue,
    );
  };

  const startLocalLoad = (load: LocalLoadOptions) => {
    const customers = Object.keys(config.openingBalances).filter((a) => a !== config.atmAccount);
    const next = () => {
      // Stryker disable next-line EqualityOperator: timers fire at continuous random times (exponential gaps), so one landing exactly on stopMs has probability zero
      if (ctx.simTimeMs() >= load.stopMs) return;
      const id = metrics.nextLocalId(ctx.id);
      const atMs = ctx.simTimeMs();
      runTransfer(db, { id, from: ctx.random.pick(customers), to: config.atmAccount, amountPaise: ctx.random.int(1, load.maxAmountPaise) }, config.isolation, (result) => {
        metrics.local({
          participant: ctx.id,
          id,
          atMs,
          status: result.status,
          reason: result.status === 'rejected' ? result.reason : null,
          // Stryker disable next-line ConditionalExpression: a committed result carries no lockedInDoubtBy, so `?? null` gives null on both branches
          lockedInDoubtBy: result.status === 'rejected' ? result.lockedInDoubtBy ?? null : null,
        });
      });
      ctx.setTimer(ctx.random.exponential(1000 / load.ratePerSec), next);
    };
    ctx.setTimer(Math.max(0, load.startMs - ctx.simTimeMs()) + ctx.random.exponential(1000 / load.ratePerSec), next);
  };

  db.whenReady(() => {
    openAccountsOnce(db, config.openingBalances);
    // After a crash: every transaction still prepared asks for its decision at once.
    for (const entry of db.inDoubt()) {
      // Every prepare record carries its coordinates (onPrepare always passes them).
      const where = entry.meta as unknown as Coordinates;
      coordinates.set(entry.gid, where);
      startResolving(entry.gid, where, 0);
    }
    if (config.localLoad) startLocalLoad(config.localLoad);
  });

  return {
    db,
    onMessage(from, message) {
      const type = messageType(message);
      const m = message as TwoPhaseMessage;
      switch (type) {
        case 'prepare': {
          const p = m as Extract<TwoPhaseMessage, { type: 'prepare' }>;
          onPrepare(from, p.gid, p.ops, { coordinator: p.coordinator, participants: p.participants });
          break;
        }
        case 'decision': {
          const d = m as Extract<TwoPhaseMessage, { type: 'decision' }>;
          // Stryker disable next-line ConditionalExpression: while recovering the database knows no gid yet (it rebuilds prepared transactions when replay ends), so applyDecision would return at its first check; the guard keeps that independent of the database's internals
          if (db.isReady) applyDecision(d.gid, d.decision, 'coordinator', from);
          break;
        }
        case 'peer-query': {
          const q = m as Extract<TwoPhaseMessage, { type: 'peer-query' }>;
          if (!db.isReady) {
            send(from, { type: 'peer-answer', gid: q.gid, state: 'unavailable' });
            break;
          }
          db.refuse(q.gid, (state) => send(from, { type: 'peer-answer', gid: q.gid, state }));
          break;
        }
        case 'peer-answer': {
          const a = m as Extract<TwoPhaseMessage, { type: 'peer-answer' }>;
          if (!db.isReady || db.gidState(a.gid) !== 'prepared') break;
          // Stryker disable next-line OptionalChaining: a prepared gid always has its coordinates (set before the prepare, restored after a restart)
          if (a.state === 'committed') applyDecision(a.gid, 'commit', 'peer', coordinates.get(a.gid)?.coordinator ?? null);
          else if (a.state === 'aborted' || a.state === 'refused') applyDecision(a.gid, 'abort', 'peer', null);
          break;
        }
        // Stryker disable next-line ConditionalExpression: the last case; leaving it out falls out of the switch the same way
        default:
          break; // 'undecided' and anything else: keep waiting
      }
    },
  };
}
