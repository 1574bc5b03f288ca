import { OptionError, checkNumber } from '../../util/option-error';
import { NodeContext, Simulation } from '../../sim/simulation';
import { TraceEvent } from '../../sim/trace';

/**
 * Small experiments on the bare simulator, the ones notebook 00 runs before any
 * replication appears. Each takes a seed, returns plain records, and keeps the
 * simulation so a notebook can draw its trace.
 */

/** A node that remembers what it received and exposes its context to the experiment. */
function addProbe(sim: Simulation, id: string, region: string) {
  const received: Array<{ timeMs: number; from: string; message: unknown }> = [];
  let context: NodeContext | null = null;
  sim.addNode({
    id,
    region,
    create: (ctx) => {
      context = ctx;
      return { onMessage: (from: string, message: unknown) => received.push({ timeMs: ctx.simTimeMs(), from, message }) };
    },
  });
  return {
    received,
    send(to: string, message: unknown) {
      if (!context) throw new Error(`probe ${id} is not built`);
      context.send(to, message);
    },
  };
}

export interface OneMessageResult {
  seed: number;
  from: string;
  to: string;
  sentAtMs: number;
  deliveredAtMs: number;
  latencyMs: number;
  baseOneWayMs: number;
  trace: TraceEvent[];
}

/** One message from one region to another, traced. */
export function sendOneMessage(options: { seed: number; from: string; to: string }): OneMessageResult {
  const sim = new Simulation({ seed: options.seed, trace: true });
  const a = addProbe(sim, options.from, options.from);
  const b = addProbe(sim, options.to, options.to);
  sim.run(0);
  a.send(options.to, { type: 'hello' });
  sim.run(10_000);
  if (b.received.length !== 1) throw new Error(`sendOneMessage: expected one delivery, got ${b.received.length} (seed ${options.seed})`);
  return {
    seed: options.seed,
    from: options.from,
    to: options.to,
    sentAtMs: 0,
    deliveredAtMs: b.received[0].timeMs,
    latencyMs: b.received[0].timeMs,
    baseOneWayMs: sim.baseLatencyMs(options.from, options.to),
    trace: sim.trace,
  };
}

/** One-way latencies of `count` messages sent 1 ms apart over one link (jitter and tail included). */
export function latencySamples(options: { seed: number; from: string; to: string; count: number }): Array<{ message: number; latencyMs: number }> {
  const count = checkNumber('latencySamples count', options.count, { integer: true, min: 1, max: 1_000_000 });
  const sim = new Simulation({ seed: options.seed });
  const a = addProbe(sim, `${options.from}-sender`, options.from);
  const b = addProbe(sim, `${options.to}-receiver`, options.to);
  for (let i = 0; i < count; i++) sim.at(i, () => a.send(`${options.to}-receiver`, i));
  sim.run(count + 10_000);
  return b.received.map((r) => ({ message: r.message as number, latencyMs: r.timeMs - (r.message as number) }));
}

export interface PartitionTimelineRow {
  bucketStartMs: number;
  outcome: 'delivered' | 'dropped';
  messages: number;
}

/**
 * A sender in one region sends a message every intervalMs for durationMs; a partition
 * cuts the link from partitionAtMs to healAtMs. Returns delivered and dropped counts per
 * bucket of sending time, and the simulation for its trace and stats.
 */
export function partitionExperiment(options: {
  seed: number;
  from: string;
  to: string;
  durationMs: number;
  intervalMs: number;
  partitionAtMs: number;
  healAtMs: number;
  bucketMs: number;
}): { rows: PartitionTimelineRow[]; sim: Simulation } {
  const { from, to, durationMs, intervalMs, partitionAtMs, healAtMs, bucketMs } = options;
  checkNumber('partitionExperiment intervalMs', intervalMs, { min: 0.1 });
  checkNumber('partitionExperiment bucketMs', bucketMs, { min: intervalMs });
  checkNumber('partitionExperiment healAtMs', healAtMs, { min: partitionAtMs, max: durationMs });
  if (from === to) throw new OptionError(`partitionExperiment to: got ${JSON.stringify(to)}, the same as from; allowed: another region`);
  const sim = new Simulation({ seed: options.seed, trace: true });
  const a = addProbe(sim, from, from);
  const b = addProbe(sim, to, to);
  // The partition and heal are scheduled first so that at their exact instants they take
  // effect before that millisecond's message is sent (events at equal times run in order).
  let partitionId = 0;
  sim.at(partitionAtMs, () => (partitionId = sim.partition([from], [to])));
  sim.at(healAtMs, () => sim.heal(partitionId));
  const sentAt: number[] = [];
  for (let t = 0; t < durationMs; t += intervalMs) {
    sim.at(t, () => {
      sentAt.push(t);
      a.send(to, { type: 'tick', sentAtMs: t });
    });
  }
  sim.run(durationMs + 1000);
  const delivered = new Set(b.received.map((r) => (r.message as { sentAtMs: number }).sentAtMs));
  const buckets = new Map<number, { delivered: number; dropped: number }>();
  for (const t of sentAt) {
    const start = Math.floor(t / bucketMs) * bucketMs;
    const bucket = buckets.get(start) ?? { delivered: 0, dropped: 0 };
    if (delivered.has(t)) bucket.delivered++;
    else bucket.dropped++;
    buckets.set(start, bucket);
  }
  const rows: PartitionTimelineRow[] = [];
  for (const [bucketStartMs, counts] of buckets) {
    rows.push({ bucketStartMs, outcome: 'delivered', messages: counts.delivered });
    rows.push({ bucketStartMs, outcome: 'dropped', messages: counts.dropped });
  }
  return { rows, sim };
}

/**
 * Request/response between a client and two servers, with a partition in the middle:
 * small enough to read as a space-time diagram.
 */
export function pingPongExperiment(options: { seed: number; partitionAtMs: number; healAtMs: number; rounds: number }): Simulation {
  const sim = new Simulation({ seed: options.seed, trace: true });
  const servers = ['delhi', 'chennai'];
  for (const region of servers) {
    sim.addNode({
      id: region,
      region,
      create: (ctx) => ({
        onMessage(from: string, message: unknown) {
          const round = (message as { round: number }).round;
          ctx.send(from, { type: 'pong', round });
        },
      }),
    });
  }
  sim.addNode({
    id: 'mumbai',
    region: 'mumbai',
    create: (ctx) => ({
      onMessage(from: string, message: unknown) {
        ctx.log(`pong ${(message as { round: number }).round} from ${from}`);
      },
      onStart() {
        let round = 0;
        const tick = () => {
          round++;
          for (const server of servers) ctx.send(server, { type: 'ping', round });
          if (round < options.rounds) ctx.setTimer(20, tick);
        };
        tick();
      },
    }),
  });
  let partitionId = 0;
  sim.at(options.partitionAtMs, () => (partitionId = sim.partition(['mumbai'], ['chennai'])));
  sim.at(options.healAtMs, () => sim.heal(partitionId));
  sim.run(options.rounds * 20 + 200);
  return sim;
}

export interface CrashExperimentRow {
  step: string;
  timeMs: number;
  onDisk: string;
  durable: string;
}

/**
 * A ledger node writes two records: the first it fsyncs, the second it does not. Then
 * it crashes and restarts, and reads back what its disk kept.
 */
export function crashExperiment(options: { seed: number }): { rows: CrashExperimentRow[]; recovered: string[]; sim: Simulation } {
  const sim = new Simulation({ seed: options.seed, trace: true });
  const ledger = sim.addNode({
    id: 'ledger-mumbai',
    region: 'mumbai',
    create: (ctx) => {
      const recovered = ctx.disk.read('wal') as string[];
      if (ctx.incarnation > 1) ctx.log(`recovered ${recovered.length} record(s): ${recovered.join(', ') || 'none'}`);
      return { ctx, recovered, onMessage() {} };
    },
  });
  const rows: CrashExperimentRow[] = [];
  const snapshot = (step: string) => {
    rows.push({
      step,
      timeMs: sim.nowMs(),
      onDisk: (ledger.disk.read('wal') as string[]).join(', ') || '(empty)',
      durable: `${ledger.disk.durableLength('wal')} of ${ledger.disk.length('wal')} records`,
    });
  };
  sim.at(1, () => {
    ledger.behaviour!.ctx.disk.append('wal', 'credit ₹500 to A');
    snapshot('write 1 (buffered)');
    ledger.behaviour!.ctx.fsync(() => snapshot('fsync 1 done'));
  });
  sim.at(5, () => {
    ledger.behaviour!.ctx.disk.append('wal', 'debit ₹200 from A');
    snapshot('write 2 (buffered, no fsync)');
  });
  sim.at(6, () => {
    sim.crash('ledger-mumbai');
    snapshot('crash');
  });
  sim.at(10, () => {
    sim.restart('ledger-mumbai');
    snapshot('restart');
  });
  sim.run(20);
  return { rows, recovered: ledger.behaviour!.recovered, sim };
}
