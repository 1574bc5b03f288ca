/**
 * The closed-loop driver: every session of every client issues one operation, waits for
 * its answer, thinks for a while, and issues the next. This is how a user at an app
 * behaves (write, then read back what was written), and it keeps each session's history
 * sequential, which the session-guarantee checks need.
 */
import { LimitExceededError, OptionError, Rng, Simulation, checkKnownKeys, checkNumber } from '../sim';
import { KeyChoice, keyChooser } from './key-chooser';
import { KvOperation, OperationResult, WorkloadClient } from './kv-operation';
import { workloadRng } from './open-loop-driver';

/** What a session knows when it picks its next operation. */
export interface SessionStep {
  rng: Rng;
  clientId: string;
  session: number;
  /** 0 for the session's first operation. */
  step: number;
  /** The previous operation of this session and its result, if any. */
  previous: { op: KvOperation; result: OperationResult } | null;
  /** A fresh value no other write uses, e.g. "c3s1-17". */
  uniqueValue: string;
}

export type NextOperation = (step: SessionStep) => KvOperation;

export interface ClosedLoopOptions {
  sim: Simulation;
  clients: readonly WorkloadClient[];
  startMs: number;
  /** No session starts an operation after this time. */
  endMs: number;
  /** Mean think time between a session's operations (exponential), ms; default 10. */
  thinkTimeMs?: number;
  /** Picks each operation; default: `writeThenRead` over 4 keys. */
  nextOperation?: NextOperation;
  rng?: Rng;
  /** Refuse to issue more than this many operations; default 100 000. */
  maxOperations?: number;
  onResult?: (op: KvOperation, result: OperationResult, clientId: string, session: number) => void;
}

const KEYS = ['sim', 'clients', 'startMs', 'endMs', 'thinkTimeMs', 'nextOperation', 'rng', 'maxOperations', 'onResult'];

/**
 * A user who writes a key and then reads it back, on a few shared keys: the pattern that
 * exposes stale reads from followers and breaks read-your-writes.
 */
export function writeThenRead(keys: KeyChoice = { keyCount: 4 }): NextOperation {
  const choose = keyChooser(keys);
  return ({ rng, previous, uniqueValue }) => {
    if (previous && previous.op.f !== 'get' && previous.result.ok) return { f: 'get', key: previous.op.key };
    return { f: 'put', key: choose(rng), value: uniqueValue };
  };
}

/** A random mix: `readShare` of operations are gets, the rest puts (or appends). */
export function randomMix(options: { keys: KeyChoice; readShare?: number; appendShare?: number }): NextOperation {
  const choose = keyChooser(options.keys);
  const readShare = checkNumber('randomMix readShare', options.readShare ?? 0.5, { min: 0, max: 1 });
  const appendShare = checkNumber('randomMix appendShare', options.appendShare ?? 0, { min: 0, max: 1 });
  return ({ rng, uniqueValue }) => {
    const key = choose(rng);
    if (rng.chance(readShare)) return { f: 'get', key };
    return rng.chance(appendShare) ? { f: 'append', key, value: `${uniqueValue};` } : { f: 'put', key, value: uniqueValue };
  };
}

export interface ClosedLoopStats {
  /** Operations issued so far (grows while the simulation runs). */
  issued: number;
}

export function driveClosedLoop(options: ClosedLoopOptions): ClosedLoopStats {
  checkKnownKeys('driveClosedLoop', options, KEYS);
  const { sim, clients } = options;
  if (!Array.isArray(clients) || clients.length === 0) throw new OptionError('driveClosedLoop clients: got none; allowed: at least one client');
  const startMs = checkNumber('driveClosedLoop startMs', options.startMs, { min: sim.nowMs() });
  const endMs = checkNumber('driveClosedLoop endMs', options.endMs, { min: startMs });
  const thinkTimeMs = checkNumber('driveClosedLoop thinkTimeMs', options.thinkTimeMs ?? 10, { min: 0 });
  const maxOperations = checkNumber('driveClosedLoop maxOperations', options.maxOperations ?? 100_000, { integer: true, min: 1 });
  const nextOperation = options.nextOperation ?? writeThenRead();
  const rng = options.rng ?? workloadRng(sim, 2);
  const stats: ClosedLoopStats = { issued: 0 };

  clients.forEach((client, clientIndex) => {
    for (let session = 0; session < client.sessionCount; session++) {
      let step = 0;
      let previous: SessionStep['previous'] = null;
      const issue = (): void => {
        if (sim.nowMs() > endMs) return;
        if (stats.issued >= maxOperations) {
          throw new LimitExceededError(`driveClosedLoop: ${maxOperations} operations issued (maxOperations); shorten the run or raise the limit`);
        }
        stats.issued++;
        const op = nextOperation({ rng, clientId: client.id, session, step, previous, uniqueValue: `c${clientIndex}s${session}-${step}` });
        step++;
        client.submit(
          op,
          (result: OperationResult) => {
            previous = { op, result };
            if (options.onResult) options.onResult(op, result, client.id, session);
            sim.after(thinkTimeMs > 0 ? rng.exponential(thinkTimeMs) : 0, issue);
          },
          session,
        );
      };
      // Sessions start spread over one think time, not all in the same microsecond.
      sim.at(startMs + (thinkTimeMs > 0 ? rng.float() * thinkTimeMs : 0), issue);
    }
  });
  return stats;
}
