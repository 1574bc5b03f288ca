import { NodeHandle, OptionError, Simulation, checkKnownKeys, checkNumber } from '../../sim';
import { MessageMeter } from '../../sim';
import { LeaderNode, ReplicatedData } from './leader-node';
import { LoggedOp } from './logged-op';

/** Options shared by every multi-leader cluster. */
export interface MultiLeaderOptions {
  sim: Simulation;
  /** One leader per region; its node id is the region id. */
  regions: readonly string[];
  /** Per-region wall-clock skew in ms, e.g. { delhi: -50 }: Delhi's clock reads 50 ms behind. */
  clockSkewMs?: Readonly<Record<string, number>>;
  /** Anti-entropy interval between leaders, ms. Default 500. */
  syncIntervalMs?: number;
  /** Most ops in one replication message. Default 200. */
  opsPerMessageMax?: number;
  /** Most ops a leader's log may hold. Default 200 000. */
  opCountMax?: number;
}

export const MULTI_LEADER_OPTION_KEYS = ['sim', 'regions', 'clockSkewMs', 'syncIntervalMs', 'opsPerMessageMax', 'opCountMax'];

/** The leaders of one cluster and what every cluster reports. */
export interface LeaderCluster<P, R, D extends ReplicatedData<P, R>> {
  readonly regions: readonly string[];
  readonly meter: MessageMeter;
  readonly counters: { gapsRefused: number; duplicatesIgnored: number };
  handle(region: string): NodeHandle<LeaderNode<P, R, D>>;
  /** The live leader of a region, or null while it is down. */
  leader(region: string): LeaderNode<P, R, D> | null;
  /** True when every leader is up and all hold the same log and data. */
  converged(): boolean;
}

export function buildLeaderCluster<P, R, D extends ReplicatedData<P, R>>(
  builder: string,
  options: MultiLeaderOptions,
  extraKeys: readonly string[],
  createData: () => D,
  onApplied: (leader: string, op: LoggedOp<P>, result: R, local: boolean) => void,
  describeApplied?: (op: LoggedOp<P>, result: R, local: boolean, data: D) => string | null,
): LeaderCluster<P, R, D> {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${builder} options: got nothing; allowed: { sim, regions, ... }`);
  checkKnownKeys(builder, options, [...MULTI_LEADER_OPTION_KEYS, ...extraKeys]);
  const { sim } = options;
  if (!(sim instanceof Simulation)) throw new OptionError(`${builder} sim: allowed: a Simulation (new Simulation({ seed }))`);
  const regions = [...(options.regions ?? [])];
  if (regions.length < 2 || new Set(regions).size !== regions.length) {
    throw new OptionError(`${builder} regions: got ${JSON.stringify(options.regions)}; allowed: at least two distinct region ids`);
  }
  const skews = options.clockSkewMs ?? {};
  for (const region of Object.keys(skews)) {
    if (!regions.includes(region)) throw new OptionError(`${builder} clockSkewMs: unknown leader ${JSON.stringify(region)}; allowed: ${regions.join(', ')}`);
  }
  const syncIntervalMs = checkNumber(`${builder} syncIntervalMs`, options.syncIntervalMs ?? 500, { min: 1 });
  const opsPerMessageMax = checkNumber(`${builder} opsPerMessageMax`, options.opsPerMessageMax ?? 200, { integer: true, min: 1 });
  const opCountMax = checkNumber(`${builder} opCountMax`, options.opCountMax ?? 200_000, { integer: true, min: 1 });
  const meter = new MessageMeter();
  const counters = { gapsRefused: 0, duplicatesIgnored: 0 };
  const handles = new Map<string, NodeHandle<LeaderNode<P, R, D>>>();
  for (const region of regions) {
    const config = { peers: regions.filter((r) => r !== region), syncIntervalMs, opsPerMessageMax, opCountMax, createData, onApplied, describeApplied, meter, counters };
    handles.set(
      region,
      sim.addNode({ id: region, region, clock: { skewMs: skews[region] ?? 0 }, create: (ctx) => new LeaderNode<P, R, D>(ctx, config) }),
    );
  }
  function handle(region: string): NodeHandle<LeaderNode<P, R, D>> {
    const h = handles.get(region);
    if (!h) throw new OptionError(`${builder} region: got ${JSON.stringify(region)}; allowed: ${regions.join(', ')}`);
    return h;
  }
  return {
    regions,
    meter,
    counters,
    handle,
    leader: (region) => handle(region).behaviour,
    converged() {
      let first: string | null = null;
      for (const h of handles.values()) {
        const leader = h.behaviour;
        if (!leader) return false;
        const fingerprint = leader.fingerprint();
        if (first === null) first = fingerprint;
        else if (fingerprint !== first) return false;
      }
      return true;
    },
  };
}
