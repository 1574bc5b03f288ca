// Proves the 2PC participant's side of the protocol against a scripted coordinator and peer:
// a yes vote only once the prepare record is durable (and the same answer to a repeated
// PREPARE), the reasons for no, acknowledgements, in-doubt queries (to the coordinator and, with
// cooperative termination, to peers) until resolved, peer answers, refusals that make a later
// PREPARE fail, recovery of prepared transactions, and the loud failure of a contradicting
// decision. Mutation testing (npm run test:mutation -- 2pc-participant) found these unchecked.
import { describe, expect, it } from 'vitest';
import { NodeContext, Simulation } from '../../../lib/sim';
import type { DatabaseOptions } from '../../../lib/storage';
import { participantNode, TwoPhaseMetrics } from '../../../lib/strategies/two-phase-commit';
import type { ParticipantNode, TwoPhaseMessage } from '../../../lib/strategies/two-phase-commit';

interface Seen {
  atMs: number;
  to: string;
  from: string;
  message: TwoPhaseMessage;
}

function harness(options: { cooperativeTermination?: boolean; maxQueriesPerGid?: number; fsyncMs?: number; localLoad?: { ratePerSec: number; startMs: number; stopMs: number; maxAmountPaise: number }; database?: DatabaseOptions } = {}) {
  const sim = new Simulation({ seed: 3 });
  const seen: Seen[] = [];
  const contexts = new Map<string, NodeContext>();
  const metrics = new TwoPhaseMetrics();
  let node: ParticipantNode | null = null;
  sim.addNode<ParticipantNode>({
    id: 'hdfc',
    region: 'mumbai',
    fsyncMs: options.fsyncMs ?? 1,
    create: (ctx) => {
      node = participantNode(ctx, {
        isolation: 'snapshot',
        inDoubtQueryAfterMs: 500,
        queryEveryMs: 100,
        cooperativeTermination: options.cooperativeTermination ?? true,
        maxQueriesPerGid: options.maxQueriesPerGid ?? 1000,
        openingBalances: { a01: 1000, a02: 50, atm: 0 },
        atmAccount: 'atm',
        localLoad: options.localLoad ?? null,
        database: { checkpointEveryMs: 1_000_000, ...options.database },
        metrics,
      });
      return node;
    },
  });
  for (const id of ['coordinator', 'sbi']) {
    sim.addNode({
      id,
      region: 'mumbai',
      create: (ctx) => {
        contexts.set(id, ctx);
        return { onMessage: (from: string, message: unknown) => seen.push({ atMs: ctx.simTimeMs(), to: id, from, message: message as TwoPhaseMessage }) };
      },
    });
  }
  const from = (id: string, message: TwoPhaseMessage) => (contexts.get(id) as NodeContext).send('hdfc', message);
  const prepare = (gid: string, deltaPaise: number, account = 'a01'): TwoPhaseMessage => ({
    type: 'prepare',
    gid,
    ops: [{ kind: 'adjust', account, deltaPaise }],
    coordinator: 'coordinator',
    participants: ['hdfc', 'sbi'],
  });
  const to = (id: string, type: string, gid?: string) => seen.filter((s) => s.to === id && s.message.type === type && (gid === undefined || s.message.gid === gid));
  sim.run(100); // the database recovers and opens its accounts
  return { sim, seen, metrics, from, prepare, to, node: () => node as ParticipantNode };
}

describe('2PC participant: votes', () => {
  it('votes yes only once the prepare record is durable, and answers a repeated PREPARE the same way, once per request', () => {
    const h = harness({ fsyncMs: 50 });
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.at(110, () => h.from('coordinator', h.prepare('g1', -100))); // while the record is being forced
    h.sim.run(140);
    expect(h.to('coordinator', 'vote', 'g1')).toEqual([]);
    expect(h.node().db.gidState('g1')).toBe('preparing');
    h.sim.run(300);
    expect(h.to('coordinator', 'vote', 'g1').map((s) => s.message)).toEqual([{ type: 'vote', gid: 'g1', vote: 'yes' }]);
    expect(h.node().db.gidState('g1')).toBe('prepared');
    h.from('coordinator', h.prepare('g1', -100));
    h.sim.run(320);
    expect(h.to('coordinator', 'vote', 'g1')).toHaveLength(2);
    expect(h.metrics.votes.filter((v) => v.gid === 'g1').map((v) => v.vote)).toEqual(['yes']);
  });

  it('votes no, with the reason, for insufficient funds and for an unknown account, and holds nothing', () => {
    const h = harness();
    h.sim.at(100, () => {
      h.from('coordinator', h.prepare('poor', -51, 'a02'));
      h.from('coordinator', h.prepare('ghost', -1, 'a99'));
      h.from('coordinator', h.prepare('exact', -50, 'a02'));
    });
    h.sim.run(200);
    const vote = (gid: string) => h.to('coordinator', 'vote', gid).map((s) => s.message as { vote: string; reason?: string });
    expect(vote('poor')).toMatchObject([{ vote: 'no', reason: 'insufficient-funds' }]);
    expect(vote('ghost')).toMatchObject([{ vote: 'no', reason: 'unknown-account' }]);
    expect(vote('exact')).toMatchObject([{ vote: 'yes' }]); // the whole balance may go
    expect(h.metrics.votes.filter((v) => v.vote === 'no').map((v) => [v.gid, v.reason])).toEqual([['poor', 'insufficient-funds'], ['ghost', 'unknown-account']]);
    expect(h.node().db.gidState('poor')).toBeUndefined();
  });

  it('a second transaction on a row an in-doubt one holds is refused as locked-in-doubt', () => {
    const h = harness();
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.at(150, () => h.from('coordinator', h.prepare('g2', -100)));
    h.sim.run(200);
    expect(h.to('coordinator', 'vote', 'g2').map((s) => s.message)).toMatchObject([{ vote: 'no', reason: 'locked-in-doubt' }]);
  });
});

describe('2PC participant: decisions', () => {
  it('commits on the decision, moves the money and acknowledges; a repeated decision is acknowledged again', () => {
    const h = harness();
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.at(150, () => h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'commit' }));
    h.sim.run(200);
    expect(h.node().db.gidState('g1')).toBe('committed');
    expect(h.node().db.readCommitted('acct:a01')).toBe(900);
    expect(h.to('coordinator', 'ack', 'g1')).toHaveLength(1);
    h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'commit' });
    h.sim.run(250);
    expect(h.to('coordinator', 'ack', 'g1')).toHaveLength(2);
    expect(h.metrics.inDoubt.filter((i) => i.gid === 'g1').map((i) => [i.decision, i.via])).toEqual([['commit', 'coordinator']]);
  });

  it('aborts on a decision to abort without acknowledging; a decision for a gid never prepared is ignored', () => {
    const h = harness();
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.at(150, () => {
      h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'abort' });
      h.from('coordinator', { type: 'decision', gid: 'unknown', decision: 'commit' });
    });
    h.sim.run(1000);
    expect(h.node().db.gidState('g1')).toBe('aborted');
    expect(h.node().db.readCommitted('acct:a01')).toBe(1000);
    expect(h.to('coordinator', 'ack')).toEqual([]);
    expect(h.node().db.gidState('unknown')).toBeUndefined();
    // Resolved: no more queries after the abort.
    expect(h.to('coordinator', 'query', 'g1')).toEqual([]);
  });

  it('a decision that contradicts the local outcome stops the run: atomicity broken is never silent', () => {
    const h = harness();
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.at(150, () => h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'commit' }));
    h.sim.run(200);
    h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'abort' });
    expect(() => h.sim.run(300)).toThrow(/2PC atomicity broken on hdfc: g1 committed locally, but a decision to abort arrived/);
    const h2 = harness();
    h2.sim.at(100, () => h2.from('coordinator', h2.prepare('g2', -100)));
    h2.sim.at(150, () => h2.from('coordinator', { type: 'decision', gid: 'g2', decision: 'abort' }));
    h2.sim.run(200);
    h2.from('coordinator', { type: 'decision', gid: 'g2', decision: 'commit' });
    expect(() => h2.sim.run(300)).toThrow(/g2 is aborted locally, but a decision to commit arrived/);
  });
});

describe('2PC participant: in doubt', () => {
  it('asks the coordinator and every peer after inDoubtQueryAfterMs, then every queryEveryMs, until resolved', () => {
    const h = harness();
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.run(590);
    expect(h.to('coordinator', 'query', 'g1')).toEqual([]);
    h.sim.run(850);
    const queries = h.to('coordinator', 'query', 'g1').map((s) => Math.round(s.atMs));
    expect(queries.length).toBe(3); // ~600, ~700, ~800
    expect(h.to('sbi', 'peer-query', 'g1')).toHaveLength(3);
    expect(h.to('hdfc', 'peer-query', 'g1')).toEqual([]); // never itself
    h.from('coordinator', { type: 'undecided', gid: 'g1' });
    h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'commit' });
    h.sim.run(1500);
    expect(h.to('coordinator', 'query', 'g1').length).toBeLessThanOrEqual(4);
    expect(h.node().db.gidState('g1')).toBe('committed');
  });

  it('without cooperative termination it asks only the coordinator', () => {
    const h = harness({ cooperativeTermination: false });
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.run(850);
    expect(h.to('coordinator', 'query', 'g1').length).toBe(3);
    expect(h.to('sbi', 'peer-query')).toEqual([]);
  });

  it('maxQueriesPerGid: in doubt beyond the limit stops the run with a precise error', () => {
    const h = harness({ maxQueriesPerGid: 2 });
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    expect(() => h.sim.run(2000)).toThrow(/participant hdfc: g1 is still in doubt after 2 queries \(maxQueriesPerGid\)/);
    expect(h.to('coordinator', 'query', 'g1')).toHaveLength(2);
  });

  it('a peer that committed resolves it as commit (acknowledged to the coordinator); one that refused or aborted as abort; one in doubt changes nothing', () => {
    const h = harness();
    h.sim.at(100, () => {
      h.from('coordinator', h.prepare('g1', -100));
      h.from('coordinator', h.prepare('g2', -100, 'a02'.replace('a02', 'a01')));
    });
    h.sim.run(150);
    h.from('sbi', { type: 'peer-answer', gid: 'g1', state: 'prepared' });
    h.from('sbi', { type: 'peer-answer', gid: 'g1', state: 'unavailable' });
    h.sim.run(160);
    expect(h.node().db.gidState('g1')).toBe('prepared');
    h.from('sbi', { type: 'peer-answer', gid: 'g1', state: 'committed' });
    h.sim.run(200);
    expect(h.node().db.gidState('g1')).toBe('committed');
    expect(h.to('coordinator', 'ack', 'g1')).toHaveLength(1);
    expect(h.metrics.inDoubt.find((i) => i.gid === 'g1')?.via).toBe('peer');
    // A late peer answer for a resolved gid is ignored.
    h.from('sbi', { type: 'peer-answer', gid: 'g1', state: 'aborted' });
    h.sim.run(250);
    expect(h.node().db.gidState('g1')).toBe('committed');
  });

  it('a peer that refused resolves it as abort, without an ack', () => {
    for (const state of ['refused', 'aborted'] as const) {
      const h = harness();
      h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
      h.sim.run(150);
      h.from('sbi', { type: 'peer-answer', gid: 'g1', state });
      h.sim.run(200);
      expect(h.node().db.gidState('g1'), state).toBe('aborted');
      expect(h.to('coordinator', 'ack')).toEqual([]);
    }
  });

  it('a peer query for a gid it never prepared refuses it for good: the later PREPARE gets no (refused-earlier)', () => {
    const h = harness();
    h.sim.at(100, () => h.from('sbi', { type: 'peer-query', gid: 'g9' }));
    h.sim.at(150, () => h.from('coordinator', h.prepare('g9', -100)));
    h.sim.at(160, () => h.from('sbi', { type: 'peer-query', gid: 'g9' }));
    h.sim.run(300);
    expect(h.to('sbi', 'peer-answer', 'g9').map((s) => (s.message as { state: string }).state)).toEqual(['refused', 'refused']);
    expect(h.to('coordinator', 'vote', 'g9').map((s) => s.message)).toMatchObject([{ vote: 'no', reason: 'refused-earlier' }]);
  });

  it('after a crash a prepared transaction is still prepared, holds its locks, and asks at once', () => {
    const h = harness();
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.run(150);
    h.sim.crash('hdfc');
    h.sim.at(200, () => h.sim.restart('hdfc'));
    h.sim.at(205, () => h.from('sbi', { type: 'peer-query', gid: 'g1' })); // still recovering
    h.sim.run(400);
    expect(h.node().db.gidState('g1')).toBe('prepared');
    expect(h.to('sbi', 'peer-answer', 'g1').map((s) => (s.message as { state: string }).state)[0]).toBe('unavailable');
    const queries = h.to('coordinator', 'query', 'g1');
    expect(queries.length).toBeGreaterThan(0);
    expect(queries[0].atMs).toBeLessThan(400); // long before inDoubtQueryAfterMs after the restart
    expect(h.to('sbi', 'peer-query', 'g1').length).toBeGreaterThan(0); // the peers came back from the prepare record
  });
});

describe('2PC participant: more states', () => {
  it('after a local commit a repeated PREPARE is answered yes; after an abort, no (refused-earlier)', () => {
    const h = harness();
    h.sim.at(100, () => {
      h.from('coordinator', h.prepare('c', -100));
      h.from('coordinator', h.prepare('a', -10, 'a02'));
    });
    h.sim.at(150, () => {
      h.from('coordinator', { type: 'decision', gid: 'c', decision: 'commit' });
      h.from('coordinator', { type: 'decision', gid: 'a', decision: 'abort' });
    });
    h.sim.at(200, () => {
      h.from('coordinator', h.prepare('c', -100));
      h.from('coordinator', h.prepare('a', -10, 'a02'));
    });
    h.sim.run(300);
    expect(h.to('coordinator', 'vote', 'c').map((s) => (s.message as { vote: string }).vote)).toEqual(['yes', 'yes']);
    expect(h.to('coordinator', 'vote', 'a').map((s) => s.message)).toMatchObject([{ vote: 'yes' }, { vote: 'no', reason: 'refused-earlier' }]);
  });

  it('a decision to commit for a gid this participant refused stops the run; a decision to abort is fine', () => {
    const h = harness();
    h.sim.at(100, () => h.from('sbi', { type: 'peer-query', gid: 'g9' }));
    h.sim.at(150, () => h.from('coordinator', { type: 'decision', gid: 'g9', decision: 'abort' }));
    h.sim.run(200);
    expect(h.node().db.gidState('g9')).toBe('refused');
    h.from('coordinator', { type: 'decision', gid: 'g9', decision: 'commit' });
    expect(() => h.sim.run(300)).toThrow(/g9 is refused locally, but a decision to commit arrived/);
  });

  it('a PREPARE while the database is still recovering gets no (not-ready)', () => {
    const h = harness();
    h.sim.crash('hdfc');
    h.sim.at(150, () => h.sim.restart('hdfc'));
    h.sim.at(151, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.run(400);
    expect(h.to('coordinator', 'vote', 'g1').map((s) => s.message)).toMatchObject([{ vote: 'no', reason: 'not-ready', detail: 'hdfc cannot prepare: its database is recovering' }]);
  });

  it('a row locked by a local transaction gives lock-conflict (not locked-in-doubt); the detail names the shortfall', () => {
    const h = harness();
    const local = h.node().db.begin();
    local.write('acct:a01', 5);
    h.sim.at(100, () => {
      h.from('coordinator', h.prepare('g1', -100));
      h.from('coordinator', h.prepare('poor', -51, 'a02'));
    });
    h.sim.run(200);
    expect(h.to('coordinator', 'vote', 'g1').map((s) => s.message)).toMatchObject([{ vote: 'no', reason: 'lock-conflict' }]);
    expect((h.to('coordinator', 'vote', 'poor')[0].message as { detail: string }).detail).toMatch(/a02 at hdfc holds 50 paise, needs 51/);
  });

  it('queries stop once the transaction is resolved: the query limit is never reached afterwards', () => {
    const h = harness({ maxQueriesPerGid: 5 });
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.at(750, () => h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'commit' }));
    expect(() => h.sim.run(5000)).not.toThrow();
    expect(h.node().db.gidState('g1')).toBe('committed');
    expect(h.to('coordinator', 'query', 'g1').length).toBeLessThanOrEqual(3);
  });
});

describe('2PC participant: what it refuses to do', () => {
  it('a decision that arrives while the database is still recovering is not applied: it stays prepared and asks once it can log the outcome', () => {
    const h = harness();
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.run(150);
    h.sim.crash('hdfc');
    h.sim.at(200, () => h.sim.restart('hdfc'));
    h.sim.at(201, () => h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'commit' }));
    h.sim.run(210);
    expect(h.node().db.isReady).toBe(false);
    h.sim.run(400);
    expect(h.node().db.gidState('g1')).toBe('prepared');
    expect(h.to('coordinator', 'ack', 'g1')).toEqual([]);
    expect(h.to('coordinator', 'query', 'g1').length).toBeGreaterThan(0);
  });

  it('a PREPARE to a standby database gets no (not-ready), saying it is not the primary', () => {
    const h = harness({ database: { role: 'standby', replication: { primary: 'sbi' } } });
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100)));
    h.sim.run(200);
    expect(h.to('coordinator', 'vote', 'g1').map((s) => s.message)).toMatchObject([{ vote: 'no', reason: 'not-ready', detail: 'hdfc cannot prepare: its database is a standby' }]);
  });

  it('a PREPARE the database rejects as malformed (a record with an empty key) stops the run: only conflicts become a no vote', () => {
    const h = harness();
    h.sim.at(100, () => h.from('coordinator', { type: 'prepare', gid: 'bad', ops: [{ kind: 'record', key: '', legs: [] }], coordinator: 'coordinator', participants: ['hdfc', 'sbi'] } as TwoPhaseMessage));
    expect(() => h.sim.run(200)).toThrow(/write: key got ""; allowed: a non-empty string/);
    expect(h.to('coordinator', 'vote', 'bad')).toEqual([]);
  });
});

describe('2PC participant: local ATM withdrawals alongside 2PC', () => {
  it('run between startMs and stopMs at about ratePerSec, move money from customers to the ATM account only, and say why one was rejected', () => {
    const h = harness({ localLoad: { ratePerSec: 40, startMs: 300, stopMs: 1300, maxAmountPaise: 100 } });
    h.sim.at(100, () => h.from('coordinator', h.prepare('g1', -100))); // holds a01 in doubt for a while
    h.sim.at(900, () => h.from('coordinator', { type: 'decision', gid: 'g1', decision: 'commit' }));
    h.sim.run(3000);
    const locals = h.metrics.localTransactions.filter((l) => l.participant === 'hdfc');
    expect(locals.length).toBeGreaterThan(20);
    expect(locals.length).toBeLessThan(70);
    expect(Math.min(...locals.map((l) => l.atMs))).toBeGreaterThanOrEqual(300);
    expect(Math.max(...locals.map((l) => l.atMs))).toBeLessThan(1300);
    for (const l of locals) {
      if (l.status === 'committed') expect(l).toMatchObject({ reason: null, lockedInDoubtBy: null });
      else expect(l.reason).not.toBeNull();
    }
    expect(locals.some((l) => l.lockedInDoubtBy === 'g1')).toBe(true);
    expect(locals.filter((l) => l.reason === 'bad-request')).toEqual([]); // never the ATM account paying itself
    expect(locals.some((l) => l.status === 'committed')).toBe(true);
    const db = h.node().db;
    const atm = db.readCommitted('acct:atm') as number;
    const customers = (db.readCommitted('acct:a01') as number) + (db.readCommitted('acct:a02') as number);
    expect(atm).toBeGreaterThan(0);
    expect(customers + atm).toBe(1050 - 100); // money only moved (g1 took 100 out of a01)
  });

  it('resume promptly after a crash and restart inside the window', () => {
    const h = harness({ localLoad: { ratePerSec: 40, startMs: 300, stopMs: 3000, maxAmountPaise: 100 } });
    h.sim.at(1000, () => h.sim.crash('hdfc'));
    h.sim.at(1100, () => h.sim.restart('hdfc'));
    h.sim.run(3500);
    const times = h.metrics.localTransactions.filter((l) => l.participant === 'hdfc').map((l) => l.atMs);
    expect(times.filter((t) => t > 1000 && t < 1100)).toEqual([]); // down
    const firstAfter = Math.min(...times.filter((t) => t >= 1100));
    expect(firstAfter).toBeLessThan(1400); // recovery plus a few mean gaps of 25 ms, not another startMs of delay
    expect(Math.max(...times)).toBeLessThan(3000);
  });
});
