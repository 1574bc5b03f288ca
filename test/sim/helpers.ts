import { NodeContext, Simulation } from '../../lib/sim';

/** A node that records every message it receives with the (true) time of arrival. */
export function addRecorder(sim: Simulation, id: string, region: string) {
  const received: Array<{ timeMs: number; from: string; message: unknown }> = [];
  let context: NodeContext | null = null;
  const handle = sim.addNode({
    id,
    region,
    create: (ctx) => {
      context = ctx;
      return {
        onMessage(from: string, message: unknown) {
          received.push({ timeMs: ctx.simTimeMs(), from, message });
        },
      };
    },
  });
  return {
    handle,
    received,
    ctx: () => {
      if (!context) throw new Error('node not built');
      return context;
    },
  };
}
