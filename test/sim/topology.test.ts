import { describe, expect, it } from 'vitest';
import { greatCircleKm, indiaTopology, linkTable, physicalFloorRttMs } from '../../lib/sim';

describe('topology', () => {
  it('has the six required regions and a symmetric RTT for every pair', () => {
    const topology = indiaTopology();
    const ids = topology.regions.map((r) => r.id);
    for (const id of ['mumbai', 'delhi', 'bangalore', 'chennai', 'kolkata', 'hyderabad']) expect(ids).toContain(id);
    for (const a of ids) for (const b of ids) expect(topology.rttMs(a, b)).toBe(topology.rttMs(b, a));
  });

  it('computes Mumbai–Delhi as about 1,150 km and its fibre floor as about 11.5 ms', () => {
    const [mumbai, delhi] = ['mumbai', 'delhi'].map((id) => indiaTopology().regions.find((r) => r.id === id)!);
    expect(greatCircleKm(mumbai, delhi)).toBeGreaterThan(1100);
    expect(greatCircleKm(mumbai, delhi)).toBeLessThan(1200);
    expect(physicalFloorRttMs(mumbai, delhi)).toBeCloseTo(greatCircleKm(mumbai, delhi) / 100, 6);
  });

  it('no measured RTT beats physics', () => {
    for (const row of linkTable()) expect(row.rttMs).toBeGreaterThan(row.floorRttMs);
  });
});
