// Proves the 2PC coordinator's protocol properties at exact protocol points, with scripted
// participants (so every message the coordinator sends is seen, and every one it receives is
// chosen): a query during the force is answered "undecided" and a crash before the fsync then
// presumes abort; every transaction is closed (end record, openCount() back to 0); the decision
// is resent after recovery (from the WAL and from the checkpoint image) and only up to its limit;
// checkpoints write the image and truncate the WAL. Mutation testing
// (npm run test:mutation -- 2pc-coordinator) found each of these unchecked.
import { describe, expect, it } from 'vitest';
import { NodeContext, Simulation } from '../../../lib/sim';
import { DEFAULT_RECOVERY_COST } from '../../../lib/storage/database';
import { walSegmentFiles } from '../../../lib/storage';
import { coordinatorNode, TwoPhaseMetrics } from '../../../lib/strategies/two-phase-commit';
import type { CoordinatorEvent, CoordinatorNode, TwoPhaseMessage } from '../../../lib/strategies/two-phase-commit';

interface Received {
  atMs: number;
  to: string;
  message: TwoPhaseMessage;
}

interface HarnessOptions {
  seed?: number;
  coordinatorFsyncMs?: number;
  decisionRetryMs?: number;
  maxResendsPerGid?: number;
  checkpointEveryMs?: number;
  /** Participants that never acknowledge a decision. */
  silent?: string[];
  /** Participants that never vote. */
  mute?: string[];
  /** Participants that vote no. */
  refuse?: string[];
  maxOpenTransactions?: number;
  perFrameMs?: number;
  onEvent?: (e: CoordinatorEvent) => void;
}

const BANKS = ['hdfc', 'sbi'];
const LEGS = [
  { bank: 'hdfc', account: 'a01', deltaPaise: -100 },
  { bank: 'sbi', account: 'a02', deltaPaise: 100 },
];

/** A coordinator, two scripted participants that vote yes (and ack unless silent), and a client. */
function harness(options: HarnessOptions = {}) {
  const sim = new Simulation({ seed: options.seed ?? 1 });
  const received: Received[] = [];
  const events: CoordinatorEvent[] = [];
  const contexts = new Map<string, NodeContext>();
  const metrics = new TwoPhaseMetrics();
  let coordinator: CoordinatorNode | null = null;
  let coordinatorContext: NodeContext | null = null;
  sim.addNode<CoordinatorNode>({
    id: 'coordinator',
    region: 'mumbai',
    fsyncMs: options.coordinatorFsyncMs ?? 1,
    create: (ctx) => {
      coordinatorContext = ctx;
      coordinator = coordinatorNode(ctx, {
        banks: BANKS,
        clearing: null,
        voteTimeoutMs: 1000,
        decisionRetryMs: options.decisionRetryMs ?? 100,
        maxResendsPerGid: options.maxResendsPerGid ?? 1000,
        maxOpenTransactions: options.maxOpenTransactions ?? 100,
        checkpointEveryMs: options.checkpointEveryMs ?? 1_000_000,
        recoveryCost: { ...DEFAULT_RECOVERY_COST, perFrameMs: options.perFrameMs ?? DEFAULT_RECOVERY_COST.perFrameMs },
        metrics,
        onEvent: (e) => {
          events.push(e);
          options.onEvent?.(e);
        },
      });
      return coordinator;
    },
  });
  for (const id of [...BANKS, 'customer']) {
    sim.addNode({
      id,
      region: 'mumbai',
      create: (ctx) => {
        contexts.set(id, ctx);
        return {
          onMessage(_from: string, message: unknown) {
            const m = message as TwoPhaseMessage;
            received.push({ atMs: ctx.simTimeMs(), to: id, message: m });
            if (m.type === 'prepare' && (options.refuse ?? []).includes(id)) ctx.send('coordinator', { type: 'vote', gid: m.gid, vote: 'no', reason: 'insufficient-funds', detail: 'test' });
            else if (m.type === 'prepare' && !(options.mute ?? []).includes(id)) ctx.send('coordinator', { type: 'vote', gid: m.gid, vote: 'yes' });
            if (m.type === 'decision' && m.decision === 'commit' && !(options.silent ?? []).includes(id)) ctx.send('coordinator', { type: 'ack', gid: m.gid });
          },
        };
      },
    });
  }
  const send = (from: string, message: TwoPhaseMessage) => (contexts.get(from) as NodeContext).send('coordinator', message);
  return {
    sim,
    metrics,
    received,
    events,
    send,
    coordinator: () => coordinator as CoordinatorNode,
    coordinatorContext: () => coordinatorContext as NodeContext,
    transfer: (gid: string, atMs: number, legs: unknown = LEGS) => sim.at(atMs, () => send('customer', { type: 'transfer', gid, legs } as TwoPhaseMessage)),
    outcomes: () => received.filter((r) => r.to === 'customer' && r.message.type === 'transfer-outcome').map((r) => r.message as Extract<TwoPhaseMessage, { type: 'transfer-outcome' }>),
    prepares: (to: string) => received.filter((r) => r.to === to && r.message.type === 'prepare').length,
    decisionsTo: (to: string, gid: string) => received.filter((r) => r.to === to && r.message.type === 'decision' && r.message.gid === gid).map((r) => (r.message as { decision: string }).decision),
    records: () => {
      const wal = (coordinator as CoordinatorNode).wal;
      const out: string[] = [];
      for (let lsn = wal.firstRetainedLsn; lsn <= wal.lastLsn; lsn++) {
        const p = wal.entry(lsn)?.payload;
        if (p) out.push(`${p.t} ${p.gid}`);
      }
      return out;
    },
  };
}

describe('2PC coordinator: atomicity at the force', () => {
  it('a query while the decision to commit is being forced gets "undecided"; a crash before the fsync then presumes abort everywhere', () => {
    let forcingFrom = 0;
    const h = harness({
      coordinatorFsyncMs: 200,
      onEvent: (e) => {
        if (e.kind === 'prepare-sent') forcingFrom = e.atMs;
      },
    });
    h.sim.run(100); // recovered
    h.transfer('g1', 100);
    // Both votes are in within a few ms; the decision then waits 200 ms for its fsync.
    h.sim.at(150, () => h.send('hdfc', { type: 'query', gid: 'g1' }));
    h.sim.run(200);
    expect(forcingFrom).toBeGreaterThan(0);
    const answers = h.received.filter((r) => r.to === 'hdfc' && r.message.gid === 'g1' && (r.message.type === 'undecided' || r.message.type === 'decision'));
    expect(answers.map((a) => a.message.type)).toEqual(['undecided']);
    expect(h.coordinator().wal.durableLsn).toBe(0);
    // Crash before the fsync: the decision record is lost, so the decision never existed.
    h.sim.crash('coordinator');
    h.sim.at(400, () => h.sim.restart('coordinator'));
    h.sim.at(600, () => {
      h.send('hdfc', { type: 'query', gid: 'g1' });
      h.send('sbi', { type: 'query', gid: 'g1' });
    });
    h.sim.run(800);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['abort']);
    expect(h.decisionsTo('sbi', 'g1')).toEqual(['abort']);
    expect(h.received.some((r) => r.to === 'customer' && r.message.type === 'transfer-outcome' && r.message.decision === 'commit')).toBe(false);
  });

  it('a query after the force is answered "commit", and one for an unknown gid "abort" (presumed abort)', () => {
    const h = harness({ silent: ['sbi'] });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.at(150, () => {
      h.send('sbi', { type: 'query', gid: 'g1' });
      h.send('sbi', { type: 'query', gid: 'never-heard-of' });
    });
    h.sim.run(160);
    expect(h.decisionsTo('sbi', 'never-heard-of')).toEqual(['abort']);
    const commits = h.decisionsTo('sbi', 'g1');
    expect(commits.length).toBeGreaterThanOrEqual(2); // the decision itself and the answer to the query
    expect(new Set(commits)).toEqual(new Set(['commit']));
  });
});

describe('2PC coordinator: every transaction is closed', () => {
  it('after all acks the transaction is forgotten (openCount() returns to 0) and an end record follows each decision', () => {
    const h = harness({ coordinatorFsyncMs: 50 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.transfer('g2', 105);
    h.sim.run(130);
    expect(h.coordinator().openCount()).toBe(2); // collecting votes or forcing
    h.sim.run(600);
    expect(h.coordinator().openCount()).toBe(0);
    expect(h.records().sort()).toEqual(['decide g1', 'decide g2', 'end g1', 'end g2']);
    // Nothing is resent once every participant acknowledged.
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['commit']);
    expect(h.decisionsTo('sbi', 'g2')).toEqual(['commit']);
    const outcome = h.received.filter((r) => r.to === 'customer' && r.message.type === 'transfer-outcome');
    expect(outcome.map((r) => `${r.message.gid} ${(r.message as { decision: string }).decision}`).sort()).toEqual(['g1 commit', 'g2 commit']);
  });

  it('one missing ack keeps the transaction open and resends only to the participant that has not acknowledged', () => {
    const h = harness({ silent: ['sbi'], decisionRetryMs: 100 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.run(560);
    expect(h.coordinator().openCount()).toBe(1);
    expect(h.records()).toEqual(['decide g1']);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['commit']);
    expect(h.decisionsTo('sbi', 'g1')).toEqual(['commit', 'commit', 'commit', 'commit', 'commit']);
    // The late ack closes it.
    h.send('sbi', { type: 'ack', gid: 'g1' });
    h.sim.run(700);
    expect(h.coordinator().openCount()).toBe(0);
    expect(h.records()).toEqual(['decide g1', 'end g1']);
    expect(h.decisionsTo('sbi', 'g1')).toHaveLength(5);
  });

  it('the resend limit: after maxResendsPerGid resends without all acks the run stops with a precise error', () => {
    const h = harness({ silent: ['sbi'], decisionRetryMs: 100, maxResendsPerGid: 3 });
    h.sim.run(100);
    h.transfer('g1', 100);
    expect(() => h.sim.run(2000)).toThrow(/g1 resent its decision to commit 3 times without all acknowledgements \(maxResendsPerGid\)/);
    expect(h.decisionsTo('sbi', 'g1')).toHaveLength(1 + 3);
  });
});

describe('2PC coordinator: recovery resends every decision to commit not yet acknowledged', () => {
  it('from the WAL: a crash right after the decision is durable, before any message; after restart the decision reaches everybody without any query', () => {
    let crashed = false;
    const h = harness({
      onEvent: (e) => {
        if (e.kind === 'decision-logged' && !crashed) {
          crashed = true;
          h.sim.crash('coordinator');
          h.sim.after(500, () => h.sim.restart('coordinator'));
        }
      },
    });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.run(400);
    expect(crashed).toBe(true);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual([]);
    h.sim.run(1500);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['commit']);
    expect(h.decisionsTo('sbi', 'g1')).toEqual(['commit']);
    expect(h.coordinator().openCount()).toBe(0);
    expect(h.records()).toEqual(['decide g1', 'end g1']);
  });

  it('from the checkpoint image: the WAL was truncated, the open decision is in the image and is resent after restart', () => {
    const h = harness({ silent: ['sbi'], decisionRetryMs: 100_000, checkpointEveryMs: 300 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.transfer('g2', 110);
    h.sim.at(150, () => h.send('sbi', { type: 'ack', gid: 'g2' }));
    h.sim.run(1000); // checkpoints at 400, 700 and 1000 (after recovery at ~20 ms)
    const image = h.coordinator().wal;
    expect(image.firstRetainedLsn).toBe(image.durableLsn + 1); // truncated up to the image
    expect(h.coordinator().openCount()).toBe(1);
    h.sim.crash('coordinator');
    h.sim.at(1100, () => h.sim.restart('coordinator'));
    h.sim.run(1300);
    expect(h.coordinator().isReady).toBe(true);
    expect(h.coordinator().openCount()).toBe(1);
    expect(h.decisionsTo('sbi', 'g1')).toEqual(['commit', 'commit']);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['commit', 'commit']); // a restarted coordinator does not know who acked
    expect(h.decisionsTo('sbi', 'g2')).toEqual(['commit']); // g2 was closed before the checkpoint
    // The LSNs continue after the image's.
    expect(h.coordinator().wal.lastLsn).toBeGreaterThanOrEqual(image.durableLsn);
  });
  it('from the image alone, when no WAL frame after it survived: new decisions get LSNs after the image, so the next recovery replays them', () => {
    const h = harness({ silent: ['sbi'], decisionRetryMs: 100_000, checkpointEveryMs: 300 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.at(150, () => h.send('sbi', { type: 'ack', gid: 'g1' }));
    h.sim.run(400); // g1 decided (LSN 1, forced) and closed (its end record is not forced), then a checkpoint at ~320 ms
    expect(h.coordinator().openCount()).toBe(0);
    const imageLsn = h.coordinator().wal.firstRetainedLsn - 1; // the image covers what was durable: the decision
    expect(imageLsn).toBe(1);
    // What a crash leaves when the checkpoint emptied the segment holding the image's frames and
    // the next (unsynced) segment was lost: the image, and no frame at or after it.
    const disk = h.coordinatorContext().disk;
    for (const file of walSegmentFiles(disk, 'wal/')) disk.overwrite(file.name, []);
    h.coordinatorContext().fsync(() => undefined);
    h.sim.run(410);
    h.sim.crash('coordinator');
    h.sim.at(420, () => h.sim.restart('coordinator'));
    h.transfer('g3', 500);
    h.sim.run(600); // recovered at ~440 ms; g3 decided (sbi never acks), no checkpoint before ~740 ms
    expect(h.coordinator().wal.firstRetainedLsn).toBe(imageLsn + 1);
    expect(h.records()).toEqual(['decide g3']);
    expect(h.coordinator().wal.lastLsn).toBe(imageLsn + 1);
    h.sim.crash('coordinator');
    h.sim.at(650, () => h.sim.restart('coordinator'));
    h.sim.run(700);
    expect(h.coordinator().openCount()).toBe(1);
    expect(h.decisionsTo('hdfc', 'g3')).toEqual(['commit', 'commit']);
  });
});

describe('2PC coordinator: requests it must refuse or ignore', () => {
  it('a transfer that is not a zero-sum transfer between known banks is refused with the reason, and nothing is prepared', () => {
    const h = harness();
    h.sim.run(100);
    const cases: Array<[string, unknown, RegExp]> = [
      ['one-leg', [LEGS[0]], /legs: got 1; allowed: at least two legs/],
      ['not-array', 'hdfc', /legs: got string/],
      ['unknown-bank', [LEGS[0], { bank: 'icici', account: 'a01', deltaPaise: 100 }], /leg bank "icici"; allowed: hdfc, sbi/],
      ['fraction', [{ ...LEGS[0], deltaPaise: -1.5 }, { ...LEGS[1], deltaPaise: 1.5 }], /leg deltaPaise -1.5; allowed: a non-zero integer/],
      ['zero', [{ ...LEGS[0], deltaPaise: 0 }, { ...LEGS[1], deltaPaise: 0 }], /leg deltaPaise 0/],
      ['creates-money', [LEGS[0], { ...LEGS[1], deltaPaise: 500 }], /legs sum to 400 paise/],
    ];
    cases.forEach(([gid, legs], i) => h.transfer(gid, 100 + i, legs));
    h.sim.run(300);
    const outcomes = h.outcomes();
    for (const [gid, , reason] of cases) {
      const o = outcomes.find((x) => x.gid === gid);
      expect(o?.decision, gid).toBe('abort');
      expect(o?.reason, gid).toMatch(reason);
    }
    expect(h.prepares('hdfc') + h.prepares('sbi')).toBe(0);
    expect(h.coordinator().openCount()).toBe(0);
  });

  it('a duplicate transfer request is prepared once and answered once', () => {
    const h = harness({ coordinatorFsyncMs: 50 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.transfer('g1', 101);
    h.sim.run(400);
    expect(h.prepares('hdfc')).toBe(1);
    expect(h.outcomes().map((o) => o.decision)).toEqual(['commit']);
  });

  it('maxOpenTransactions: the transfer past the limit stops the run with a precise error; exactly the limit is fine', () => {
    const h = harness({ maxOpenTransactions: 1, mute: ['sbi'] });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.run(150);
    expect(h.coordinator().openCount()).toBe(1);
    h.transfer('g2', 150);
    expect(() => h.sim.run(200)).toThrow(/1 global transactions open, its limit \(maxOpenTransactions\)/);
  });

  it('nothing is answered while recovering: no query gets a (presumed) answer before the log is replayed', () => {
    const h = harness({ perFrameMs: 0 });
    h.sim.at(1, () => h.send('hdfc', { type: 'query', gid: 'g0' }));
    h.sim.run(10); // recovery takes fixedMs = 20 ms
    expect(h.coordinator().isReady).toBe(false);
    expect(h.decisionsTo('hdfc', 'g0')).toEqual([]);
    h.sim.at(30, () => h.send('hdfc', { type: 'query', gid: 'g0' }));
    h.sim.run(40);
    expect(h.decisionsTo('hdfc', 'g0')).toEqual(['abort']);
  });

  it('recovery takes fixedMs plus perFrameMs for each WAL frame replayed', () => {
    const h = harness({ perFrameMs: 100, silent: ['sbi'], decisionRetryMs: 100_000 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.transfer('g2', 101);
    h.sim.run(200);
    h.sim.crash('coordinator');
    h.sim.at(1000, () => h.sim.restart('coordinator'));
    h.sim.run(2000);
    const recovered = h.events.filter((e) => e.kind === 'recovered').map((e) => e.atMs);
    expect(recovered).toHaveLength(2);
    expect(recovered[1] - 1000).toBeCloseTo(DEFAULT_RECOVERY_COST.fixedMs + 2 * 100, 6); // two decide records
  });

  it('a no vote aborts once: one abort to each participant, one outcome, one decision record, even after the vote timeout', () => {
    const h = harness({ refuse: ['sbi'] });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.run(3000);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['abort']);
    expect(h.decisionsTo('sbi', 'g1')).toEqual(['abort']);
    expect(h.outcomes().map((o) => `${o.decision} ${o.reason}`)).toEqual(['abort sbi voted no: insufficient-funds']);
    expect(h.metrics.decisions.map((d) => [d.gid, d.decision, d.reason])).toEqual([['g1', 'abort', 'sbi voted no: insufficient-funds']]);
    expect(h.records()).toEqual([]); // presumed abort: nothing logged
  });

  it('a missing vote aborts at the vote timeout, once', () => {
    const h = harness({ mute: ['sbi'] });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.run(3000);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['abort']);
    expect(h.metrics.decisions.map((d) => [d.gid, d.decision, d.reason])).toEqual([['g1', 'abort', 'vote timeout after 1000 ms']]);
    expect(h.outcomes()).toHaveLength(1);
  });

  it('a commit is recorded once in the metrics, with its reason', () => {
    const h = harness({ coordinatorFsyncMs: 50 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.run(3000);
    expect(h.metrics.decisions.map((d) => [d.gid, d.decision, d.reason])).toEqual([['g1', 'commit', 'all participants voted yes']]);
  });

  it('a duplicate vote during the force does not decide twice, and acks during the force do not count', () => {
    const h = harness({ coordinatorFsyncMs: 100 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.at(150, () => {
      h.send('hdfc', { type: 'vote', gid: 'g1', vote: 'yes' });
      h.send('hdfc', { type: 'ack', gid: 'g1' });
      h.send('sbi', { type: 'ack', gid: 'g1' });
    });
    h.sim.run(1000);
    expect(h.records()).toEqual(['decide g1', 'end g1']);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['commit']);
    expect(h.decisionsTo('sbi', 'g1')).toEqual(['commit']);
  });

  it('a closed transaction is never resent, however long the run (the resend limit is never reached)', () => {
    const h = harness({ maxResendsPerGid: 1, decisionRetryMs: 50 });
    h.sim.run(100);
    h.transfer('g1', 100);
    expect(() => h.sim.run(5000)).not.toThrow();
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['commit']);
    h.send('hdfc', { type: 'bogus' } as never);
    h.sim.run(5100);
  });

  it('a checkpoint keeps only decisions to commit: a transaction still collecting votes is forgotten (aborted) after a crash', () => {
    const h = harness({ mute: ['sbi'], checkpointEveryMs: 200 });
    h.sim.run(100);
    h.transfer('g1', 100);
    h.sim.run(500); // checkpoints at ~220 and ~420 while g1 collects votes (timeout 1000)
    h.sim.crash('coordinator');
    h.sim.at(600, () => h.sim.restart('coordinator'));
    h.sim.at(800, () => h.send('hdfc', { type: 'query', gid: 'g1' }));
    h.sim.run(1000);
    expect(h.coordinator().openCount()).toBe(0);
    expect(h.decisionsTo('hdfc', 'g1')).toEqual(['abort']);
    expect(h.decisionsTo('sbi', 'g1')).toEqual([]);
  });
});
