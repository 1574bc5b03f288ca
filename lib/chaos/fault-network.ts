import { OptionError } from '../util';
import { indiaTopology } from '../sim';

/**
 * The fault state of a real loopback network between named endpoints (cluster members and
 * clients): which directed links are cut, how, and what one-way delay each link adds. The
 * fault proxies consult it for every chunk they forward, so a change applies at once to open
 * connections as well as new ones. The simulator's partitions and slow links, for real
 * processes.
 *
 * A cut is directed (`from` → `to`), so a one-way partition is one cut and a full partition
 * two. Two ways to cut, as on a real network:
 * - 'hold' (a black hole, like an iptables DROP rule): bytes are held, not delivered; TCP sees
 *   silence, timeouts fire; when the link heals the held bytes flow again, like retransmits.
 * - 'drop' (like an iptables REJECT): open connections on the link are reset and new ones are
 *   closed as soon as they are identified.
 */
export type CutMode = 'hold' | 'drop';
export const CUT_MODES: readonly CutMode[] = ['hold', 'drop'];

export interface LinkDelay {
  /** One-way delay added to every chunk, in ms. */
  delayMs: number;
  /** Uniform extra delay in [0, jitterMs), in ms. Order is kept (TCP is FIFO). */
  jitterMs: number;
}

export interface FaultEvent {
  /** ms since the network was created. */
  atMs: number;
  action: 'cut' | 'heal' | 'delay';
  from: string;
  to: string;
  detail: string;
}

/** Called when a cut in 'drop' mode must reset connections on a link. */
export type DropListener = (from: string, to: string) => void;

const EVENTS_MAX = 10_000;
const DELAY_MS_MAX = 10_000;

function linkKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

export class FaultNetwork {
  private readonly cuts = new Map<string, CutMode>();
  private readonly delays = new Map<string, LinkDelay>();
  private readonly dropListeners: DropListener[] = [];
  private readonly startedAtMs = Date.now();
  readonly events: FaultEvent[] = [];

  constructor(readonly endpoints: readonly string[]) {
    if (endpoints.length < 2) throw new OptionError(`FaultNetwork endpoints: given ${endpoints.length}, allowed: at least 2 names`);
    if (new Set(endpoints).size !== endpoints.length) throw new OptionError(`FaultNetwork endpoints: given duplicate names in ${JSON.stringify(endpoints)}, allowed: distinct names`);
  }

  private checkEndpoint(name: string, option: string): void {
    if (!this.endpoints.includes(name)) throw new OptionError(`${option}: given ${JSON.stringify(name)}, allowed: ${this.endpoints.map((e) => JSON.stringify(e)).join(', ')}`);
  }

  private record(action: FaultEvent['action'], from: string, to: string, detail: string): void {
    if (this.events.length >= EVENTS_MAX) throw new Error(`FaultNetwork: more than ${EVENTS_MAX} fault events; a nemesis loop is not bounded`);
    this.events.push({ atMs: Date.now() - this.startedAtMs, action, from, to, detail });
  }

  onDrop(listener: DropListener): void {
    this.dropListeners.push(listener);
  }

  /** Cuts the directed link from → to. */
  cut(from: string, to: string, mode: CutMode = 'hold'): void {
    this.checkEndpoint(from, 'cut from');
    this.checkEndpoint(to, 'cut to');
    if (!CUT_MODES.includes(mode)) throw new OptionError(`cut mode: given ${JSON.stringify(mode)}, allowed: ${CUT_MODES.join(', ')}`);
    this.cuts.set(linkKey(from, to), mode);
    this.record('cut', from, to, mode);
    if (mode === 'drop') for (const listener of this.dropListeners) listener(from, to);
  }

  /** Cuts both directions between a and b. */
  cutBoth(a: string, b: string, mode: CutMode = 'hold'): void {
    this.cut(a, b, mode);
    this.cut(b, a, mode);
  }

  /** Cuts every link into and out of `name` (among the given peers, default all others). */
  isolate(name: string, mode: CutMode = 'hold', peers: readonly string[] = this.endpoints): void {
    for (const other of peers) if (other !== name) this.cutBoth(name, other, mode);
  }

  heal(from: string, to: string): void {
    if (this.cuts.delete(linkKey(from, to))) this.record('heal', from, to, '');
  }

  /** Heals every cut. */
  healAll(): void {
    for (const key of [...this.cuts.keys()]) {
      const [from, to] = key.split('\u0000');
      this.heal(from, to);
    }
  }

  cutMode(from: string, to: string): CutMode | null {
    return this.cuts.get(linkKey(from, to)) ?? null;
  }

  get cutCount(): number {
    return this.cuts.size;
  }

  setDelay(from: string, to: string, delay: LinkDelay): void {
    this.checkEndpoint(from, 'delay from');
    this.checkEndpoint(to, 'delay to');
    for (const [field, value] of Object.entries(delay)) {
      if (!Number.isFinite(value) || value < 0 || value > DELAY_MS_MAX) throw new OptionError(`delay ${field}: given ${value}, allowed: 0 to ${DELAY_MS_MAX} ms`);
    }
    this.delays.set(linkKey(from, to), { ...delay });
    this.record('delay', from, to, `${delay.delayMs}±${delay.jitterMs} ms`);
  }

  delay(from: string, to: string): LinkDelay {
    return this.delays.get(linkKey(from, to)) ?? { delayMs: 0, jitterMs: 0 };
  }

  /**
   * Places each endpoint in an Indian region and sets every link's one-way delay to half the
   * region pair's RTT from data/rtt-ms.json, with `jitterFraction` of it as jitter.
   */
  placeInRegions(regionOf: Record<string, string>, jitterFraction = 0.1, dataDir?: string): void {
    const topology = indiaTopology(dataDir);
    for (const [name, region] of Object.entries(regionOf)) {
      this.checkEndpoint(name, 'placeInRegions endpoint');
      if (!topology.regions.some((r) => r.id === region)) throw new OptionError(`placeInRegions region for ${name}: given ${JSON.stringify(region)}, allowed: ${topology.regions.map((r) => r.id).join(', ')}`);
    }
    for (const [a, ra] of Object.entries(regionOf)) {
      for (const [b, rb] of Object.entries(regionOf)) {
        if (a === b) continue;
        const oneWayMs = topology.rttMs(ra, rb) / 2;
        this.setDelay(a, b, { delayMs: oneWayMs, jitterMs: oneWayMs * jitterFraction });
      }
    }
  }
}
