import { describe, expect, it } from 'vitest';
import { NodeContext, Simulation } from '../../lib/sim';

/** A tiny durable counter: each "inc" is written to disk; "sync" fsyncs; on start it recovers from disk. */
function addCounter(sim: Simulation, id: string) {
  const contexts: NodeContext[] = [];
  const handle = sim.addNode({
    id,
    region: 'mumbai',
    create: (ctx) => {
      contexts.push(ctx);
      const state = { value: ctx.disk.read('log').length, fired: 0 };
      return {
        state,
        onMessage(_from: string, message: unknown) {
          if (message === 'inc') {
            ctx.disk.append('log', { op: 'inc' });
            state.value++;
          }
          if (message === 'sync') ctx.disk.fsync();
        },
        onStart() {
          ctx.setTimer(50, () => state.fired++);
        },
      };
    },
  });
  return { handle, contexts };
}

describe('nodes, disks and crashes', () => {
  it('a crash loses the un-fsynced write and keeps the fsynced one', () => {
    const sim = new Simulation({ seed: 1 });
    const counter = addCounter(sim, 'ledger');
    const client = sim.addNode({ id: 'client', region: 'mumbai', create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(0);
    const send = (m: string) => client.behaviour!.ctx.send('ledger', m);
    send('inc');
    send('sync');
    send('inc'); // never fsynced
    sim.run(10);
    expect(counter.handle.behaviour!.state.value).toBe(2);
    sim.crash('ledger');
    expect(counter.handle.isUp).toBe(false);
    expect(counter.handle.behaviour).toBeNull();
    sim.restart('ledger');
    expect(counter.handle.behaviour!.state.value).toBe(1);
    expect(counter.handle.disk.stats.recordsLostInCrashes).toBe(1);
    expect(counter.handle.incarnation).toBe(2);
  });

  it('ctx.fsync makes writes durable only after the disk latency, so a crash before it loses them', () => {
    const sim = new Simulation({ seed: 2 });
    let durableCalls = 0;
    const node = sim.addNode({ id: 'n', region: 'delhi', fsyncMs: 5, create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(0);
    const ctx = node.behaviour!.ctx;
    ctx.disk.append('wal', 'a');
    ctx.fsync(() => durableCalls++);
    sim.run(4);
    expect(node.disk.durableLength('wal')).toBe(0);
    sim.run(6);
    expect(node.disk.durableLength('wal')).toBe(1);
    expect(durableCalls).toBe(1);
    ctx.disk.append('wal', 'b');
    ctx.fsync(() => durableCalls++);
    sim.crash('n');
    sim.run(20);
    expect(durableCalls).toBe(1);
    expect(node.disk.read('wal')).toEqual(['a']);
  });

  it('a handler that crashes its own node writes nothing after the crash, even if it runs on and fsyncs', () => {
    const sim = new Simulation({ seed: 4 });
    const node = sim.addNode({
      id: 'coordinator',
      region: 'mumbai',
      create: (ctx) => ({
        onMessage(_from: string, message: unknown) {
          ctx.disk.append('wal', 'before');
          ctx.disk.fsync();
          if (message === 'crash-midway') sim.crash('coordinator');
          // The JavaScript runs on; the process it stands for is dead.
          ctx.disk.append('wal', 'after');
          ctx.disk.put('meta', 'after');
          ctx.disk.fsync();
        },
      }),
    });
    const client = sim.addNode({ id: 'client', region: 'mumbai', create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(0);
    client.behaviour!.ctx.send('coordinator', 'crash-midway');
    sim.run(10);
    expect(node.isUp).toBe(false);
    sim.restart('coordinator');
    expect(node.disk.read('wal')).toEqual(['before']);
    expect(node.disk.read('meta')).toEqual([]);
    // The operator's handle is the disk itself: a test may still damage a node that is down.
    sim.crash('coordinator');
    node.disk.append('wal', 'planted');
    expect(node.disk.read('wal')).toEqual(['before', 'planted']);
  });

  it('a slow disk stretches fsync latency', () => {
    const sim = new Simulation({ seed: 2 });
    const node = sim.addNode({ id: 'n', region: 'delhi', fsyncMs: 2, create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(0);
    sim.slowDisk('n', 10);
    let doneAt = -1;
    node.behaviour!.ctx.fsync(() => (doneAt = sim.nowMs()));
    sim.run(100);
    expect(doneAt).toBe(20);
  });

  it('disk records are copies: mutating what was written does not change the disk', () => {
    const sim = new Simulation({ seed: 3 });
    const node = sim.addNode({ id: 'n', region: 'delhi', create: (ctx) => ({ ctx, onMessage() {} }) });
    const record = { balance: 100 };
    node.behaviour!.ctx.disk.append('f', record);
    record.balance = 0;
    expect(node.disk.read('f')).toEqual([{ balance: 100 }]);
  });

  it('timers of a crashed incarnation never fire, and cancelled timers do not fire', () => {
    const sim = new Simulation({ seed: 4 });
    const counter = addCounter(sim, 'c');
    sim.run(10);
    sim.crash('c');
    sim.run(100);
    sim.restart('c');
    const behaviour = counter.handle.behaviour!;
    sim.run(200);
    expect(behaviour.state.fired).toBe(1); // only the new incarnation's timer
    const ctx = counter.contexts[1];
    let fired = false;
    const timerId = ctx.setTimer(10, () => (fired = true));
    ctx.cancelTimer(timerId);
    sim.run(300);
    expect(fired).toBe(false);
  });

  it('messages to a crashed node are dropped as node-down, even if it restarts before they arrive', () => {
    const sim = new Simulation({ seed: 5 });
    let got = 0;
    sim.addNode({ id: 'far', region: 'kolkata', create: () => ({ onMessage: () => got++ }) });
    const near = sim.addNode({ id: 'near', region: 'mumbai', create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(0);
    near.behaviour!.ctx.send('far', 'x'); // ~19 ms one way
    sim.crash('far');
    sim.restart('far');
    sim.run(100);
    expect(got).toBe(0);
    expect(sim.stats.droppedByReason['node-down']).toBe(1);
  });

  it('each node reads its own skewed, drifting clock, and clock jumps move it', () => {
    const sim = new Simulation({ seed: 6 });
    const fast = sim.addNode({ id: 'fast', region: 'mumbai', clock: { skewMs: 50, driftPpm: 1000 }, create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(1000);
    expect(fast.behaviour!.ctx.nowMs()).toBeCloseTo(1000 + 50 + 1, 6);
    expect(fast.behaviour!.ctx.simTimeMs()).toBe(1000);
    sim.jumpClock('fast', -200);
    expect(fast.behaviour!.ctx.nowMs()).toBeCloseTo(1000 - 150 + 1, 6);
    // A 1000 ms timer on a clock running 0.1% fast fires slightly early in true time.
    let firedAt = 0;
    fast.behaviour!.ctx.setTimer(1000, () => (firedAt = sim.nowMs()));
    sim.run(3000);
    expect(firedAt).toBeCloseTo(1000 + 1000 / 1.001, 6);
  });

  it('onStart runs after every node of the same setup exists', () => {
    const sim = new Simulation({ seed: 7 });
    const got: string[] = [];
    sim.addNode({ id: 'a', region: 'mumbai', create: (ctx) => ({ onMessage() {}, onStart: () => ctx.send('b', 'hello') }) });
    sim.addNode({ id: 'b', region: 'mumbai', create: () => ({ onMessage: (_f: string, m: unknown) => got.push(String(m)) }) });
    sim.run(10);
    expect(got).toEqual(['hello']);
  });
});

describe('fsync covers what was written before it was issued', () => {
  it('a write made while an fsync is in flight is not made durable by it', () => {
    const sim = new Simulation({ seed: 8 });
    const node = sim.addNode({ id: 'n', region: 'delhi', fsyncMs: 5, create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(0);
    const ctx = node.behaviour!.ctx;
    ctx.disk.append('wal', 'before');
    ctx.fsync(() => {});
    sim.run(2);
    ctx.disk.append('wal', 'during');
    sim.run(6);
    expect(node.disk.durableLength('wal')).toBe(1);
    sim.crash('n');
    expect(node.disk.read('wal')).toEqual(['before']);
  });

  it('an overwrite in flight does not hide the earlier fsync, and overlapping fsyncs never duplicate records', () => {
    const sim = new Simulation({ seed: 9 });
    const node = sim.addNode({ id: 'n', region: 'delhi', fsyncMs: 5, create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(0);
    const ctx = node.behaviour!.ctx;
    ctx.disk.append('wal', 'a');
    ctx.fsync(() => {});
    sim.run(1);
    ctx.disk.append('wal', 'b');
    ctx.fsync(() => {});
    sim.run(2);
    ctx.disk.overwrite('wal', ['checkpoint']);
    sim.run(10);
    expect(node.disk.durableLength('wal')).toBe(2);
    sim.crash('n');
    expect(node.disk.read('wal')).toEqual(['a', 'b']);
    sim.restart('n');
    node.behaviour!.ctx.disk.overwrite('wal', ['checkpoint']);
    node.behaviour!.ctx.disk.fsync();
    node.behaviour!.ctx.disk.append('wal', 'c');
    sim.crash('n');
    expect(node.disk.read('wal')).toEqual(['checkpoint']);
    expect(node.disk.stats.recordsLostInCrashes).toBe(2);
  });

  it('the monotonic clock ignores jumps', () => {
    const sim = new Simulation({ seed: 10 });
    const node = sim.addNode({ id: 'n', region: 'delhi', clock: { skewMs: 30 }, create: (ctx) => ({ ctx, onMessage() {} }) });
    sim.run(100);
    sim.jumpClock('n', -500);
    expect(node.behaviour!.ctx.monotonicMs()).toBe(100);
    expect(node.behaviour!.ctx.nowMs()).toBe(100 + 30 - 500);
  });
});
