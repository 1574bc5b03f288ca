import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../lib/sim';
import { twoPhaseCommit } from '../../../lib/strategies/two-phase-commit';
import { coordinatorCrashScenario } from '../../../lib/lessons/04-sync-replication-2pc';
import type { CoordinatorEvent, TwoPhaseCommitCluster } from '../../../lib/strategies/two-phase-commit';

function cluster(seed = 1, onCoordinatorEvent?: (e: CoordinatorEvent, c: TwoPhaseCommitCluster) => void, cooperativeTermination = true) {
  const sim = new Simulation({ seed });
  let built: TwoPhaseCommitCluster | null = null;
  built = twoPhaseCommit({
    sim,
    accountsPerBank: 3,
    openingBalancePaise: 1_000_000,
    protocol: { cooperativeTermination },
    onCoordinatorEvent: onCoordinatorEvent ? (e) => onCoordinatorEvent(e, built as TwoPhaseCommitCluster) : undefined,
  });
  sim.run(100); // participants recover and open their accounts
  return built;
}

const legs = (amount: number) => [
  { bank: 'hdfc', account: 'a01', deltaPaise: -amount },
  { bank: 'sbi', account: 'a02', deltaPaise: amount },
];

describe('2PC scenarios: HDFC (Mumbai) → SBI (Delhi), clearing house in Mumbai', () => {
  it('a transfer commits at every participant, moves the money and leaves a settlement entry', () => {
    const c = cluster();
    const gid = c.transfer(legs(500_000));
    c.sim.run(300);
    const op = c.history.find((h) => h.gid === gid);
    expect(op?.decision).toBe('commit');
    expect((op?.returnMs as number) - (op?.callMs as number)).toBeGreaterThan(28); // one round trip to Delhi, at least
    expect(c.db('hdfc').readCommitted('acct:a01')).toBe(500_000);
    expect(c.db('sbi').readCommitted('acct:a02')).toBe(1_500_000);
    expect(c.db('clearing').readCommitted(`settle:${gid}`)).toBeDefined();
    for (const p of c.participantIds) expect(c.db(p).gidState(gid)).toBe('committed');
    expect(c.check({ requireResolved: true }).ok).toBe(true);
  });

  it('one participant votes no (insufficient funds): the decision is abort and nothing moves anywhere', () => {
    const c = cluster();
    const gid = c.transfer(legs(5_000_000));
    c.sim.run(300);
    const op = c.history.find((h) => h.gid === gid);
    expect(op?.decision).toBe('abort');
    expect(op?.reason).toMatch(/hdfc voted no: insufficient-funds/);
    expect(c.db('sbi').readCommitted('acct:a02')).toBe(1_000_000);
    expect(c.db('sbi').gidState(gid)).toBe('aborted');
    expect(c.db('clearing').readCommitted(`settle:${gid}`)).toBeUndefined();
    expect(c.check({ requireResolved: true }).ok).toBe(true);
  });

  it('the coordinator dies right after PREPARE: participants stay blocked, holding locks, until it returns and presumes abort', () => {
    let crashedAt = 0;
    const c = cluster(1, (e, cl) => {
      if (e.kind === 'prepare-sent' && crashedAt === 0) {
        crashedAt = e.atMs;
        cl.sim.crash(cl.coordinatorId);
        cl.sim.after(3000, () => cl.sim.restart(cl.coordinatorId));
      }
    });
    const gid = c.transfer(legs(100_000));
    c.sim.run(1500);
    // Every participant prepared and asked; nobody can decide: all are in doubt.
    for (const p of c.participantIds) expect(c.db(p).gidState(gid)).toBe('prepared');
    const atm = c.db('hdfc').begin();
    expect(() => atm.write('acct:a01', 1)).toThrow(new RegExp(`in doubt, for ${gid}`));
    c.sim.run(5000);
    for (const p of c.participantIds) expect(c.db(p).gidState(gid)).toBe('aborted');
    const windows = c.metrics.inDoubt.filter((i) => i.gid === gid).map((i) => (i.resolvedAtMs as number) - i.preparedAtMs);
    expect(Math.min(...windows)).toBeGreaterThan(3000); // at least the coordinator's downtime
    expect(c.check({ requireResolved: true }).ok).toBe(true);
  });

  it('the coordinator dies after forcing its decision to commit but before sending it: on restart it resends, all commit', () => {
    const c = cluster(2, (e, cl) => {
      if (e.kind === 'decision-logged') {
        cl.sim.crash(cl.coordinatorId);
        cl.sim.after(1000, () => cl.sim.restart(cl.coordinatorId));
      }
    });
    const gid = c.transfer(legs(100_000));
    c.sim.run(800);
    for (const p of c.participantIds) expect(c.db(p).gidState(gid)).toBe('prepared');
    c.sim.run(2500);
    for (const p of c.participantIds) expect(c.db(p).gidState(gid)).toBe('committed');
    expect(c.check({ requireResolved: true }).ok).toBe(true);
  });

  it('the coordinator dies after telling only the clearing house: peers learn "commit" from it (cooperative termination)', () => {
    const run = (cooperative: boolean) => {
      let sent = 0;
      const c = cluster(3, (e, cl) => {
        if (e.kind === 'decision-sent' && ++sent === 1) {
          cl.sim.crash(cl.coordinatorId);
          cl.sim.after(4000, () => cl.sim.restart(cl.coordinatorId));
        }
      }, cooperative);
      const gid = c.transfer(legs(100_000));
      c.sim.run(6000);
      expect(c.check({ requireResolved: true }).ok).toBe(true);
      const held = c.metrics.inDoubt.filter((i) => i.gid === gid && i.participant !== 'clearing');
      return { held: Math.max(...held.map((i) => (i.resolvedAtMs as number) - i.preparedAtMs)), via: held.map((i) => i.via) };
    };
    const withPeers = run(true);
    const alone = run(false);
    expect(withPeers.via).toEqual(['peer', 'peer']);
    expect(withPeers.held).toBeLessThan(1000);
    expect(alone.via).toEqual(['coordinator', 'coordinator']);
    expect(alone.held).toBeGreaterThan(4000);
  });

  it('a participant that never saw PREPARE refuses when a peer asks, and the transfer aborts everywhere', () => {
    const c = cluster(4);
    c.sim.partition([c.coordinatorId], ['sbi']);
    const gid = c.transfer(legs(100_000));
    c.sim.run(700); // hdfc and clearing prepared; their peer queries reach sbi, which refuses
    expect(c.db('sbi').gidState(gid)).toBe('refused');
    c.sim.run(2000);
    c.sim.heal();
    c.sim.run(3000);
    for (const p of ['hdfc', 'clearing']) expect(c.db(p).gidState(gid)).toBe('aborted');
    expect(c.history.find((h) => h.gid === gid)?.decision).toBe('abort');
    expect(c.check({ requireResolved: true }).ok).toBe(true);
  });

  it('a participant crashes after voting yes: it recovers in doubt, asks the coordinator, and commits', () => {
    const c = cluster(5);
    const gid = c.transfer(legs(100_000));
    c.sim.run(c.sim.nowMs() + 16); // SBI in Delhi has prepared (~14 ms + fsync) but not yet heard the decision
    expect(c.db('sbi').gidState(gid)).toBe('prepared');
    c.sim.crash('sbi');
    c.sim.run(c.sim.nowMs() + 500);
    c.sim.restart('sbi');
    c.sim.run(c.sim.nowMs() + 800);
    expect(c.db('sbi').gidState(gid)).toBe('committed');
    expect(c.db('sbi').readCommitted('acct:a02')).toBe(1_100_000);
    expect(c.check({ requireResolved: true }).ok).toBe(true);
  });

  it('notebook scenario: after-prepare crash blocks every participant for the downtime; the check passes', () => {
    const r = coordinatorCrashScenario({ seed: 41, crashPoint: 'after-prepare', downtimeMs: 2000 });
    expect(r.crashedAtMs).not.toBeNull();
    expect(r.caughtInDoubt.length).toBeGreaterThan(0);
    expect(Math.max(...r.caughtInDoubt.map((i) => i.heldMs))).toBeGreaterThan(2000);
    expect(r.check.ok).toBe(true);
  });
});
