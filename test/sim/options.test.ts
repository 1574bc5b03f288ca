import { describe, expect, it } from 'vitest';
import { HistoryRecorder, LimitExceededError, OptionError, Rng, Simulation, randomFaultSchedule, scheduleFaults } from '../../lib/sim';

describe('bad options get precise errors', () => {
  it('names the option, the value and what is allowed', () => {
    expect(() => new Simulation({ seed: -1 })).toThrow('seed: got -1; allowed: an integer between 0 and 2147483647');
    expect(() => new Simulation({ seed: 1, link: { lossProbability: 2 } })).toThrow('link.lossProbability: got 2; allowed: a number between 0 and 1');
    expect(() => new Simulation({ seed: 1, link: { los: 0.1 } as never })).toThrow('link: unknown option "los"; allowed: ');
    expect(() => new Simulation({ seed: 1, tracing: true } as never)).toThrow('Simulation options: unknown option "tracing"');
    const sim = new Simulation({ seed: 1 });
    expect(() => sim.addNode({ id: 'x', region: 'mumbay', create: () => ({ onMessage() {} }) })).toThrow(
      'node x region: got "mumbay"; allowed: mumbai, delhi, bangalore, chennai, kolkata, hyderabad, pune, ahmedabad',
    );
    sim.addNode({ id: 'x', region: 'mumbai', create: () => ({ onMessage() {} }) });
    expect(() => sim.addNode({ id: 'x', region: 'delhi', create: () => ({ onMessage() {} }) })).toThrow('already taken');
    expect(() => sim.crash('y')).toThrow('crash: unknown node "y"; known nodes: x');
    expect(() => scheduleFaults(sim, [{ kind: 'crash', node: 'x', atMs: 10, restartAtMs: 5 }])).toThrow('faults[0].restartAtMs: got 5; allowed: a number ≥ 10');
    expect(() => scheduleFaults(sim, [{ kind: 'meteor', atMs: 1 } as never])).toThrow('faults[0].kind: got "meteor"');
  });

  it('an OptionError carries no stack trace, only its message', () => {
    try {
      new Simulation({ seed: 1.5 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionError);
      expect((error as Error).stack).toBe('OptionError: seed: got 1.5; allowed: an integer between 0 and 2147483647');
    }
  });
});

describe('limits fail loudly', () => {
  it('a runaway timer loop hits maxEvents with the seed in the message', () => {
    const sim = new Simulation({ seed: 9, maxEvents: 1000 });
    sim.addNode({ id: 'loop', region: 'pune', create: (ctx) => ({ onMessage() {}, onStart: function again() { ctx.setTimer(0, again); } }) });
    expect(() => sim.run(10)).toThrow(/maxEvents.*seed 9/);
  });

  it('the trace and the history have limits', () => {
    const sim = new Simulation({ seed: 1, trace: true, maxTraceEvents: 3 });
    const a = sim.addNode({ id: 'a', region: 'pune', create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.addNode({ id: 'b', region: 'pune', create: () => ({ onMessage() {} }) });
    expect(() => {
      for (let i = 0; i < 5; i++) a.behaviour!.ctx.send('b', i);
    }).toThrow(LimitExceededError);
    const history = new HistoryRecorder(2);
    history.invoke(0, { f: 'read' }, 0);
    history.invoke(1, { f: 'read' }, 0);
    expect(() => history.invoke(2, { f: 'read' }, 0)).toThrow('maxOperations = 2');
  });
});

describe('fault schedules', () => {
  it('random schedules are reproducible and every fault ends before endMs', () => {
    const nodes = ['a', 'b', 'c', 'd'];
    const s1 = randomFaultSchedule(new Rng(3), { nodes, startMs: 0, endMs: 1000, count: 50 });
    const s2 = randomFaultSchedule(new Rng(3), { nodes, startMs: 0, endMs: 1000, count: 50 });
    expect(s1).toEqual(s2);
    for (const f of s1) {
      const end = 'restartAtMs' in f ? f.restartAtMs : 'healAtMs' in f ? f.healAtMs : 'untilMs' in f ? f.untilMs : f.atMs;
      expect(end!).toBeLessThanOrEqual(1000);
      expect(f.atMs).toBeGreaterThanOrEqual(0);
    }
    expect(new Set(s1.map((f) => f.kind)).size).toBe(5);
  });

  it('a scheduled crash and restart happen at their times', () => {
    const sim = new Simulation({ seed: 2 });
    const node = sim.addNode({ id: 'n', region: 'chennai', create: () => ({ onMessage() {} }) });
    scheduleFaults(sim, [{ kind: 'crash', node: 'n', atMs: 100, restartAtMs: 250 }]);
    sim.run(99);
    expect(node.isUp).toBe(true);
    sim.run(100);
    expect(node.isUp).toBe(false);
    sim.run(250);
    expect(node.isUp).toBe(true);
    expect(sim.faults.map((f) => [f.timeMs, f.fault])).toEqual([[100, 'crash'], [250, 'restart']]);
  });
});
