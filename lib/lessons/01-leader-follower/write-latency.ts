/** Notebook 01, section 4: the price of safety — write latency per acknowledgement mode. */
import { Simulation, checkKnownKeys } from '../../sim';
import { constantProfile, driveOpenLoop } from '../../workload';
import { describeAckPolicy, AckOption } from '../../strategies/leader-follower';
import { hdfcCluster, percentileOf } from './scenario';

// ---------------------------------------------------------------- 4. the price of safety

export interface LatencyRow {
  ack: string;
  writes: number;
  latencyMsP50: number;
  latencyMsP95: number;
  latencyMsP99: number;
}

/**
 * Write latency seen by the Mumbai application servers under each acknowledgement mode,
 * same seed, same load, no faults: what each guarantee costs.
 */
export function compareWriteLatency(options: { seed: number; modes: AckOption[]; writesPerSec?: number; durationMs?: number }): {
  summary: LatencyRow[];
  samples: Array<{ ack: string; latencyMs: number }>;
} {
  checkKnownKeys('compareWriteLatency', options, ['seed', 'modes', 'writesPerSec', 'durationMs']);
  const summary: LatencyRow[] = [];
  const samples: Array<{ ack: string; latencyMs: number }> = [];
  for (const mode of options.modes) {
    const sim = new Simulation({ seed: options.seed });
    const cluster = hdfcCluster(sim, { ack: mode, clientRegions: ['mumbai'], sessionsPerClient: 64, recordHistory: false });
    const profile = constantProfile({ startMs: 200, durationMs: options.durationMs ?? 2000, writesPerSec: options.writesPerSec ?? 1000, readsPerSec: 0 });
    driveOpenLoop({ sim, profile, clients: cluster.clients, keys: { keyCount: 1000 } });
    sim.run(profile.endMs + 1000);
    const ack = describeAckPolicy(cluster.options.ack);
    const latencies = cluster.metrics.writeLatencies().map((w) => w.latencyMs).sort((a, b) => a - b);
    for (const latencyMs of latencies) samples.push({ ack, latencyMs });
    summary.push({
      ack,
      writes: latencies.length,
      latencyMsP50: percentileOf(latencies, 50),
      latencyMsP95: percentileOf(latencies, 95),
      latencyMsP99: percentileOf(latencies, 99),
    });
  }
  return { summary, samples };
}
