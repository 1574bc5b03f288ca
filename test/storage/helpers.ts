import { NodeContext, Simulation } from '../../lib/sim';

/**
 * A simulation with one node whose only job is to hand its context to the test, so a
 * test can drive a WAL (or anything else that needs disk and fsync) directly.
 * `ctx()` returns the current incarnation's context.
 */
export function bareNode(seed = 1, fsyncMs = 1) {
  const sim = new Simulation({ seed });
  let current: NodeContext | null = null;
  sim.addNode({
    id: 'node',
    region: 'mumbai',
    fsyncMs,
    create: (ctx) => {
      current = ctx;
      return { onMessage() {} };
    },
  });
  return {
    sim,
    ctx(): NodeContext {
      if (!current) throw new Error('node not built');
      return current;
    },
    crash() {
      sim.crash('node');
    },
    restart() {
      sim.restart('node');
    },
  };
}
