/**
 * The capacity constants of data/bench-capacity.json, and the resources they make: per
 * database node a CPU (cores) and a disk whose fsyncs group-commit, per application server a
 * connection pool, per replication direction a WAN link. Each constant's source is in the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OptionError, Simulation, checkNumber, defaultDataDir } from '../sim';
import { Resource } from './resource';

interface CapacityFile {
  databaseNode: { cpuCores: number; writeCpuMs: number; readCpuMs: number; applyCpuMs: number; source: string };
  disk: { fsyncMs: number; groupCommitMaxBatch: number; source: string };
  connectionPool: { connectionsPerAppServer: number; source: string };
  wan: { replicationMbps: number; recordBytes: number; source: string };
}

/** Reads data/bench-capacity.json (or the same file in `dataDir`). */
export function readCapacityFile(dataDir?: string): CapacityFile {
  const file = path.join(dataDir ?? defaultDataDir(), 'bench-capacity.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CapacityFile;
}

const capacityJson = readCapacityFile();

export interface Capacity {
  cpuCores: number;
  writeCpuMs: number;
  readCpuMs: number;
  /** CPU to apply a write that arrived by replication. */
  applyCpuMs: number;
  fsyncMs: number;
  groupCommitMaxBatch: number;
  connectionsPerAppServer: number;
  replicationMbps: number;
  recordBytes: number;
}

export const DEFAULT_CAPACITY: Readonly<Capacity> = Object.freeze({
  cpuCores: capacityJson.databaseNode.cpuCores,
  writeCpuMs: capacityJson.databaseNode.writeCpuMs,
  readCpuMs: capacityJson.databaseNode.readCpuMs,
  applyCpuMs: capacityJson.databaseNode.applyCpuMs,
  fsyncMs: capacityJson.disk.fsyncMs,
  groupCommitMaxBatch: capacityJson.disk.groupCommitMaxBatch,
  connectionsPerAppServer: capacityJson.connectionPool.connectionsPerAppServer,
  replicationMbps: capacityJson.wan.replicationMbps,
  recordBytes: capacityJson.wan.recordBytes,
});

/** Where each constant comes from, as the data file says. */
export const CAPACITY_SOURCES: Readonly<Record<string, string>> = {
  databaseNode: capacityJson.databaseNode.source,
  disk: capacityJson.disk.source,
  connectionPool: capacityJson.connectionPool.source,
  wan: capacityJson.wan.source,
};

export function resolveCapacity(patch: Partial<Capacity> = {}): Capacity {
  const merged: Capacity = { ...DEFAULT_CAPACITY, ...patch };
  for (const key of Object.keys(patch)) {
    if (!(key in DEFAULT_CAPACITY)) throw new OptionError(`capacity: unknown constant ${JSON.stringify(key)}; allowed: ${Object.keys(DEFAULT_CAPACITY).join(', ')}`);
  }
  checkNumber('capacity.cpuCores', merged.cpuCores, { integer: true, min: 1, max: 1024 });
  for (const key of ['writeCpuMs', 'readCpuMs', 'applyCpuMs', 'fsyncMs'] as const) checkNumber(`capacity.${key}`, merged[key], { min: 0 });
  checkNumber('capacity.groupCommitMaxBatch', merged.groupCommitMaxBatch, { integer: true, min: 1 });
  checkNumber('capacity.connectionsPerAppServer', merged.connectionsPerAppServer, { integer: true, min: 1, max: 100_000 });
  checkNumber('capacity.replicationMbps', merged.replicationMbps, { min: 0.001 });
  checkNumber('capacity.recordBytes', merged.recordBytes, { integer: true, min: 1 });
  return merged;
}

/** ms a link of `mbps` takes to carry one record of `recordBytes`. */
export function transmitMs(capacity: Capacity): number {
  return (capacity.recordBytes * 8) / (capacity.replicationMbps * 1000);
}

/** The resources of one placement, created on first use and listed in creation order. */
export class ResourceSet {
  readonly all: Resource[] = [];
  private readonly byName = new Map<string, Resource>();

  constructor(
    private readonly sim: Simulation,
    readonly capacity: Capacity,
  ) {}

  private get(name: string, servers: number, maxBatch: number): Resource {
    let r = this.byName.get(name);
    if (!r) {
      r = new Resource({ sim: this.sim, name, servers, maxBatch });
      this.byName.set(name, r);
      this.all.push(r);
    }
    return r;
  }

  cpu(node: string): Resource {
    return this.get(`CPU ${node}`, this.capacity.cpuCores, 1);
  }

  fsync(node: string): Resource {
    return this.get(`fsync ${node}`, 1, this.capacity.groupCommitMaxBatch);
  }

  pool(region: string): Resource {
    return this.get(`connection pool ${region}`, this.capacity.connectionsPerAppServer, 1);
  }

  link(from: string, to: string): Resource {
    return this.get(`WAN ${from}→${to}`, 1, 1);
  }
}
