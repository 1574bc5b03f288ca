import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../lib/sim';
import { participantOps, twoPhaseCommit } from '../../../lib/strategies/two-phase-commit';

describe('2PC: splitting a transfer among participants', () => {
  it('gives each bank its legs and the clearing house one settlement record', () => {
    const ops = participantOps('g7', [
      { bank: 'hdfc', account: 'a01', deltaPaise: -300 },
      { bank: 'sbi', account: 'a02', deltaPaise: 200 },
      { bank: 'sbi', account: 'a03', deltaPaise: 100 },
    ], 'clearing');
    expect([...ops.keys()]).toEqual(['hdfc', 'sbi', 'clearing']);
    expect(ops.get('sbi')).toEqual([
      { kind: 'adjust', account: 'a02', deltaPaise: 200 },
      { kind: 'adjust', account: 'a03', deltaPaise: 100 },
    ]);
    expect(ops.get('clearing')?.[0]).toMatchObject({ kind: 'record', key: 'settle:g7' });
    // The settlement entry holds a copy of every leg.
    expect(ops.get('clearing')).toEqual([{ kind: 'record', key: 'settle:g7', legs: [
      { bank: 'hdfc', account: 'a01', deltaPaise: -300 },
      { bank: 'sbi', account: 'a02', deltaPaise: 200 },
      { bank: 'sbi', account: 'a03', deltaPaise: 100 },
    ] }]);
    expect(participantOps('g8', [{ bank: 'hdfc', account: 'a01', deltaPaise: -1 }, { bank: 'sbi', account: 'a02', deltaPaise: 1 }], null).has('clearing')).toBe(false);
  });

  it('the coordinator refuses a transfer that creates money, naming the sum', () => {
    const sim = new Simulation({ seed: 1 });
    const c = twoPhaseCommit({ sim });
    sim.run(100);
    const gid = c.transfer([{ bank: 'hdfc', account: 'a01', deltaPaise: -100 }, { bank: 'sbi', account: 'a01', deltaPaise: 150 }]);
    sim.run(200);
    expect(c.history.find((h) => h.gid === gid)).toMatchObject({ decision: 'abort', reason: 'legs sum to 50 paise; a transfer must move money, not create it (sum 0)' });
  });

  it('bad options name the option and what is allowed', () => {
    expect(() => twoPhaseCommit({ sim: new Simulation({ seed: 1 }), banks: [{ id: 'hdfc', region: 'mumbai' }] })).toThrow(/banks: got 1 banks; allowed: at least 2/);
    expect(() => twoPhaseCommit({ sim: new Simulation({ seed: 1 }), protocol: { voteTimeoutMS: 5 } as never })).toThrow(/protocol: unknown option "voteTimeoutMS"/);
    expect(() => twoPhaseCommit({ sim: new Simulation({ seed: 1 }), banks: [{ id: 'hdfc', region: 'mumbai' }, { id: 'sbi', region: 'dilli' }] })).toThrow(/region: got "dilli"; allowed: mumbai, delhi/);
  });
});
