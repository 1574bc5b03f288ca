import * as fs from 'fs';
import * as path from 'path';
import { OptionError } from '../util/option-error';

/**
 * Regions and the round-trip times between them, read from data/. The simulator's
 * one-way latency for a pair is half its RTT; the physical floor is what light in
 * fibre would need over the great-circle distance.
 */
export interface Region {
  id: string;
  name: string;
  nameHi: string;
  lat: number;
  lon: number;
}

export interface Topology {
  regions: Region[];
  /** Round-trip time between two regions (or inside one), in ms. */
  rttMs(from: string, to: string): number;
}

/** Speed of light in glass fibre: about two thirds of c, 200 km per millisecond. */
export const FIBRE_KM_PER_MS = 200;
const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance between two regions by the haversine formula. */
export function greatCircleKm(a: Pick<Region, 'lat' | 'lon'>, b: Pick<Region, 'lat' | 'lon'>): number {
  const toRad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * toRad;
  const dLon = (b.lon - a.lon) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The fastest possible round trip: there and back over the great circle in fibre. */
export function physicalFloorRttMs(a: Pick<Region, 'lat' | 'lon'>, b: Pick<Region, 'lat' | 'lon'>): number {
  return (2 * greatCircleKm(a, b)) / FIBRE_KM_PER_MS;
}

/** Finds data/ whether we run from the project root (kernel, vitest, scripts) or elsewhere. */
export function defaultDataDir(): string {
  const candidates = [path.resolve(__dirname, '..', '..', 'data'), path.resolve(process.cwd(), 'data')];
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'rtt-ms.json'))) return dir;
  }
  throw new OptionError(`data directory: rtt-ms.json not found in ${candidates.join(' or ')}; run from the project root`);
}

interface RttFile {
  intraRegionRttMs: number;
  rttMs: Record<string, Record<string, number>>;
}

/** Builds a topology from region records and an RTT table, validating that every pair is known. */
export function buildTopology(regions: Region[], rtt: RttFile): Topology {
  const ids = regions.map((r) => r.id);
  const table = new Map<string, number>();
  for (const [from, row] of Object.entries(rtt.rttMs)) {
    for (const [to, value] of Object.entries(row)) {
      for (const id of [from, to]) {
        if (!ids.includes(id)) throw new OptionError(`rtt table: unknown region ${JSON.stringify(id)}; allowed: ${ids.join(', ')}`);
      }
      if (!(value > 0)) throw new OptionError(`rtt table ${from}→${to}: got ${value}; allowed: a positive number of ms`);
      table.set(`${from}|${to}`, value);
      table.set(`${to}|${from}`, value);
    }
  }
  for (const a of ids) {
    for (const b of ids) {
      if (a !== b && !table.has(`${a}|${b}`)) throw new OptionError(`rtt table: no RTT for ${a}→${b}; every pair of regions needs one`);
    }
  }
  return {
    regions,
    rttMs(from: string, to: string): number {
      if (from === to) {
        if (!ids.includes(from)) throw new OptionError(`region: got ${JSON.stringify(from)}; allowed: ${ids.join(', ')}`);
        return rtt.intraRegionRttMs;
      }
      const value = table.get(`${from}|${to}`);
      if (value === undefined) {
        const bad = ids.includes(from) ? to : from;
        throw new OptionError(`region: got ${JSON.stringify(bad)}; allowed: ${ids.join(', ')}`);
      }
      return value;
    },
  };
}

let cached: Topology | null = null;

/** The Indian regions and RTT matrix from data/regions.json and data/rtt-ms.json. */
export function indiaTopology(dataDir?: string): Topology {
  if (cached && !dataDir) return cached;
  const dir = dataDir ?? defaultDataDir();
  const regions = (JSON.parse(fs.readFileSync(path.join(dir, 'regions.json'), 'utf8')) as { regions: Region[] }).regions;
  const rtt = JSON.parse(fs.readFileSync(path.join(dir, 'rtt-ms.json'), 'utf8')) as RttFile;
  const topology = buildTopology(regions, rtt);
  if (!dataDir) cached = topology;
  return topology;
}

/** One row per ordered pair of distinct regions: measured RTT beside the physical floor. */
export function linkTable(topology: Topology = indiaTopology()): Array<{
  from: string;
  to: string;
  distanceKm: number;
  rttMs: number;
  floorRttMs: number;
  stretch: number;
}> {
  const rows = [];
  for (const a of topology.regions) {
    for (const b of topology.regions) {
      if (a.id >= b.id) continue;
      const distanceKm = greatCircleKm(a, b);
      const floorRttMs = physicalFloorRttMs(a, b);
      const rttMs = topology.rttMs(a.id, b.id);
      rows.push({ from: a.id, to: b.id, distanceKm, rttMs, floorRttMs, stretch: rttMs / floorRttMs });
    }
  }
  return rows;
}
