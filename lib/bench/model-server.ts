/**
 * A system under test whose capacity is known exactly: one server that answers every
 * request after queueing for `servers` workers each taking `serviceMs`. Capacity is
 * servers × 1000 / serviceMs requests per second. The harness's own tests measure it
 * (saturation must be found where the arithmetic says), and it can stall for a while to show
 * what coordinated omission hides.
 */
import { Simulation, checkKnownKeys, checkNumber } from '../sim';
import type { KvOperation, OperationResult, WorkloadClient } from '../workload';
import { BenchTarget } from './bench-target';
import { Resource } from './resource';

export interface ModelServerOptions {
  sim: Simulation;
  serviceMs: number;
  servers?: number;
  /** Stalls as [fromMs, durationMs]: no request is served in them. */
  stalls?: ReadonlyArray<readonly [number, number]>;
  /** Client regions; default ['mumbai']. */
  regions?: readonly string[];
}

export function modelServer(options: ModelServerOptions): BenchTarget & { server: Resource; capacityPerSec: number } {
  checkKnownKeys('modelServer', options, ['sim', 'serviceMs', 'servers', 'stalls', 'regions']);
  const { sim } = options;
  const serviceMs = checkNumber('modelServer serviceMs', options.serviceMs, { min: 0.001 });
  const server = new Resource({ sim, name: 'model server', servers: options.servers ?? 1 });
  for (const [fromMs, durationMs] of options.stalls ?? []) server.stall(fromMs, durationMs);
  const clients: WorkloadClient[] = (options.regions ?? ['mumbai']).map((region) => ({
    id: `client-${region}`,
    region,
    sessionCount: 1,
    submit(_op: KvOperation, done?: (result: OperationResult) => void) {
      const startMs = sim.nowMs();
      server.submit(serviceMs, () => done?.({ ok: true, value: '', latencyMs: sim.nowMs() - startMs }));
    },
  }));
  return {
    name: `model server (${server.servers} × ${serviceMs} ms)`,
    clients,
    resources: [server],
    pathOf: () => [],
    server,
    capacityPerSec: server.capacityPerSec(serviceMs),
  };
}
