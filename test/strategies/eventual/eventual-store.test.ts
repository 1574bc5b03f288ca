// Proves the leaderless CRDT store behaves as notebook 03 tells it: pushes spread a sale in one
// trip, a partition lets both sides sell (and oversell) and they converge after the heal,
// Merkle gossip ships only what differs, hinted handoff and read repair bring back a replica
// that missed writes, and a restarted replica never counts under its old CRDT slot.
import { describe, expect, it } from 'vitest';
import { ORSet, ORSetState, PNCounter, PNCounterState, canonicalJson } from '../../../lib/crdt';
import { Simulation } from '../../../lib/sim';
import { EventualStoreOptions, eventualStore } from '../../../lib/strategies/eventual/eventual-store';
import { MerkleTree } from '../../../lib/strategies/eventual/merkle-tree';
import { ReadResult } from '../../../lib/strategies/eventual/crdt-replica-node';
import { NORTH_EAST, WAREHOUSE_REGIONS, WEST_SOUTH, stockPartitionExperiment } from '../../../lib/lessons/03-eventual-consistency-crdts';

const WAREHOUSES = [...WAREHOUSE_REGIONS];

function stockStore(sim: Simulation, options: Partial<EventualStoreOptions<PNCounterState, number>> = {}) {
  return eventualStore<PNCounterState, number>({ sim, regions: WAREHOUSES, type: PNCounter, ...options });
}

describe('eventual store of stock counters', () => {
  it('a sale in Mumbai reaches all five warehouses by push in about one trip, without gossip', () => {
    const sim = new Simulation({ seed: 3 });
    const store = stockStore(sim, { antiEntropy: 'off' });
    sim.at(10, () => store.update('mumbai', 'sku:phone', (s, actor) => PNCounter.increment(s, actor, 10)));
    sim.at(100, () => store.update('mumbai', 'sku:phone', (s, actor) => PNCounter.decrement(s, actor, 1)));
    // Mumbai→Kolkata is the longest trip, 19 ms one way; fsync adds 1 ms.
    sim.run(130);
    for (const warehouse of WAREHOUSES) expect(store.localValue(warehouse, 'sku:phone')).toBe(9);
    expect(store.converged()).toBe(true);
    expect(store.updates.every((u) => u.acknowledged)).toBe(true);
  });

  it('partition north-east from west-south; both sides sell the last units; after the heal all agree — on a negative stock', () => {
    const result = stockPartitionExperiment({ seed: 11, skuCount: 1, initialStock: 10, ordersPerSecondPerWarehouse: 3, partitionMs: 5000, settleMs: 3000 });
    const sold = result.sales.filter((s) => s.outcome === 'sold');
    const soldNorth = sold.filter((s) => NORTH_EAST.includes(s.warehouse)).length;
    const soldSouth = sold.filter((s) => WEST_SOUTH.includes(s.warehouse)).length;
    // Each side saw 10 units and sold them: the CRDT merges both sides' decrements.
    expect(soldNorth).toBeGreaterThan(0);
    expect(soldSouth).toBeGreaterThan(0);
    expect(sold.length).toBeGreaterThan(10);
    expect(result.convergenceMs).not.toBeNull();
    expect(result.store.converged()).toBe(true);
    const [row] = result.stock;
    expect(row.finalStock).toBe(10 - sold.length);
    expect(row.oversoldUnits).toBe(sold.length - 10);
    for (const warehouse of WAREHOUSES) expect(result.store.localValue(warehouse, row.sku)).toBe(row.finalStock);
  });

  it('divergence rises during the partition and is zero once converged', () => {
    const result = stockPartitionExperiment({ seed: 5, partitionMs: 3000, settleMs: 3000 });
    const during = result.divergence.filter((d) => d.timeMs > 1500 && d.timeMs < result.healAtMs);
    const afterConvergence = result.divergence.filter((d) => d.timeMs > result.healAtMs + (result.convergenceMs as number));
    expect(Math.max(...during.map((d) => d.staleReplicaKeys))).toBeGreaterThan(0);
    expect(afterConvergence.length).toBeGreaterThan(0);
    expect(afterConvergence.every((d) => d.staleReplicaKeys === 0 && d.divergentKeys === 0)).toBe(true);
  });

  it('Merkle gossip in sync sends only root hashes; after one key changes it ships only the keys of that key\'s bucket', () => {
    const sim = new Simulation({ seed: 2 });
    const store = stockStore(sim, { pushOnWrite: false, gossipIntervalMs: 100, fanout: 1 });
    const skus = Array.from({ length: 200 }, (_, i) => `sku:${i}`);
    sim.at(10, () => {
      for (const sku of skus) store.update('mumbai', sku, (s, actor) => PNCounter.increment(s, actor, 5));
    });
    sim.run(3000);
    expect(store.converged()).toBe(true);
    const before = { shipped: store.metrics.keyStatesSentByAntiEntropy, exchanges: store.metrics.count(['merkle-buckets']), nodes: store.metrics.messages().find((m) => m.type === 'merkle-nodes')! };
    // In sync, every exchange is one root hash and no more: one small message.
    sim.run(4000);
    const idle = store.metrics.messages().find((m) => m.type === 'merkle-nodes')!;
    expect(store.metrics.keyStatesSentByAntiEntropy).toBe(before.shipped);
    expect((idle.bytes - before.nodes.bytes) / (idle.messages - before.nodes.messages)).toBeLessThan(80);
    sim.at(4001, () => store.update('delhi', 'sku:42', (s, actor) => PNCounter.decrement(s, actor, 1)));
    sim.run(7000);
    expect(store.converged()).toBe(true);
    const shape = new MerkleTree();
    const bucketSize = skus.filter((sku) => shape.bucketOf(sku) === shape.bucketOf('sku:42')).length;
    const exchanges = store.metrics.count(['merkle-buckets']) - before.exchanges;
    expect(exchanges).toBeGreaterThan(0);
    expect(store.metrics.keyStatesSentByAntiEntropy - before.shipped).toBeLessThanOrEqual(exchanges * bucketSize);
  });

  it('for the same run, Merkle digests cost a small fraction of full-state gossip and converge as well', () => {
    const full = stockPartitionExperiment({ seed: 8, skuCount: 200, hotSkuCount: 5, antiEntropy: 'full-state', partitionMs: 2000, settleMs: 2000, divergenceEveryMs: 0 });
    const merkle = stockPartitionExperiment({ seed: 8, skuCount: 200, hotSkuCount: 5, antiEntropy: 'merkle', partitionMs: 2000, settleMs: 2000, divergenceEveryMs: 0 });
    expect(full.store.converged() && merkle.store.converged()).toBe(true);
    expect(merkle.antiEntropyBytes * 20).toBeLessThan(full.antiEntropyBytes);
  });

  it('hinted handoff: Chennai is down while Mumbai sells; Mumbai keeps hints and hands them over after the restart', () => {
    const sim = new Simulation({ seed: 4 });
    const store = stockStore(sim, { antiEntropy: 'off', hintedHandoff: true, ackTimeoutMs: 100, hintRetryMs: 200 });
    sim.at(10, () => store.update('mumbai', 'sku:phone', (s, actor) => PNCounter.increment(s, actor, 10)));
    sim.at(500, () => sim.crash('chennai'));
    for (let i = 0; i < 3; i++) sim.at(600 + i * 50, () => store.update('mumbai', 'sku:phone', (s, actor) => PNCounter.decrement(s, actor, 1)));
    sim.at(1500, () => {
      expect(store.hintsWaiting().mumbai).toEqual({ chennai: 1 });
      sim.restart('chennai');
      // Restarted from its disk, Chennai still has the old stock...
      expect(store.localValue('chennai', 'sku:phone')).toBe(10);
    });
    sim.run(2000);
    // ...until the next hint retry delivers Mumbai's merged state.
    expect(store.localValue('chennai', 'sku:phone')).toBe(7);
    expect(store.metrics.hintsStored).toBe(1);
    expect(store.metrics.hintsDelivered).toBe(1);
    expect(store.hintsWaiting().mumbai).toEqual({});
  });

  it('without hints or gossip a replica stays stale; a read that asks three replicas repairs it', () => {
    const sim = new Simulation({ seed: 4 });
    const store = stockStore(sim, { antiEntropy: 'off', hintedHandoff: false });
    sim.at(10, () => store.update('mumbai', 'sku:phone', (s, actor) => PNCounter.increment(s, actor, 10)));
    sim.at(500, () => sim.crash('chennai'));
    sim.at(600, () => store.update('mumbai', 'sku:phone', (s, actor) => PNCounter.decrement(s, actor, 4)));
    sim.at(1000, () => sim.restart('chennai'));
    sim.run(3000);
    expect(store.localValue('chennai', 'sku:phone')).toBe(10);
    let local: ReadResult<number> | null = null;
    let repairing: ReadResult<number> | null = null;
    sim.at(3001, () => store.read('chennai', 'sku:phone', 1, (r) => (local = r)));
    // A read at Mumbai that asks all five warehouses finds Chennai behind and repairs it.
    sim.at(3002, () => store.read('mumbai', 'sku:phone', 5, (r) => (repairing = r)));
    sim.run(3500);
    expect(local).toMatchObject({ value: 10, replicasAnswered: 1, repairsSent: 0 });
    expect(repairing).toMatchObject({ value: 6, replicasAnswered: 5, repairsSent: 1 });
    expect(store.metrics.readRepairs).toBe(1);
    expect(store.localValue('chennai', 'sku:phone')).toBe(6);
    expect(store.converged()).toBe(true);
  });

  it('a read at a stale replica that asks its two nearest peers returns the merged value and repairs itself', () => {
    const sim = new Simulation({ seed: 4 });
    const store = stockStore(sim, { antiEntropy: 'off', hintedHandoff: false });
    sim.at(10, () => store.update('mumbai', 'sku:phone', (s, actor) => PNCounter.increment(s, actor, 10)));
    sim.at(500, () => sim.crash('chennai'));
    sim.at(600, () => store.update('mumbai', 'sku:phone', (s, actor) => PNCounter.decrement(s, actor, 4)));
    sim.at(1000, () => sim.restart('chennai'));
    let result: ReadResult<number> | null = null;
    sim.at(2000, () => store.read('chennai', 'sku:phone', 3, (r) => (result = r)));
    sim.run(2500);
    // Chennai's nearest peers are Bangalore (9 ms RTT) and Mumbai (24 ms); both have the sale.
    expect(result).toMatchObject({ value: 6, replicasAnswered: 3, repairsSent: 0 });
    expect(store.localValue('chennai', 'sku:phone')).toBe(6);
  });

  it('a replica that crashes with an un-fsynced add already gossiped away counts under a new actor id after restart; nothing diverges', () => {
    const sim = new Simulation({ seed: 9 });
    const store = eventualStore({ sim, regions: ['mumbai', 'delhi', 'pune'], type: ORSet, gossipIntervalMs: 5, fanout: 2, pushOnWrite: false });
    sim.at(100, () => sim.slowDisk('mumbai', 100));
    // The add of "x" waits ~100 ms for fsync; gossip copies it to Delhi meanwhile.
    sim.at(200, () => store.update('mumbai', 'cart:priya', (s, actor) => ORSet.add(s as ORSetState<string>, actor, 'x')));
    sim.at(260, () => {
      expect(store.localValue('delhi', 'cart:priya')).toEqual(['x']);
      sim.crash('mumbai');
      sim.restart('mumbai');
      store.update('mumbai', 'cart:priya', (s, actor) => ORSet.add(s as ORSetState<string>, actor, 'y'));
    });
    sim.run(2000);
    expect(store.converged()).toBe(true);
    const snapshot = store.snapshot();
    expect(canonicalJson(snapshot.mumbai)).toBe(canonicalJson(snapshot.delhi));
    // The acknowledged add of "y" survives everywhere; it was made as actor "mumbai~2".
    expect(store.localValue('pune', 'cart:priya')).toEqual(['x', 'y']);
    const acknowledged = store.updates.filter((u) => u.acknowledged);
    expect(acknowledged).toHaveLength(1);
    expect((snapshot.pune as Record<string, ORSetState<string>>)['cart:priya'].entries.map((e) => e.dot.node)).toEqual(['mumbai', 'mumbai~2']);
  });

  it('rejects bad options with messages naming the option and what is allowed', () => {
    const sim = new Simulation({ seed: 1 });
    expect(() => eventualStore({ sim, regions: ['mumbai'], type: PNCounter })).toThrow(/regions: got \["mumbai"\]; allowed: at least two distinct region ids/);
    expect(() => eventualStore({ sim, regions: ['mumbai', 'delhi'], type: PNCounter, antiEntropy: 'gossip' as never })).toThrow(/antiEntropy: got "gossip"; allowed: "merkle" \| "full-state" \| "off"/);
    expect(() => eventualStore({ sim, regions: ['mumbai', 'delhi'], type: PNCounter, fanout: 2 })).toThrow(/fanout: got 2; allowed: an integer between 1 and 1/);
    expect(() => eventualStore({ sim, regions: ['mumbai', 'delhi'], type: PNCounter, gossip: 5 } as never)).toThrow(/unknown option "gossip"/);
    expect(() => eventualStore({ sim, regions: ['mumbai', 'delhi'], type: PNCounter, pushOnWrite: false, hintedHandoff: true })).toThrow(/hintedHandoff: got true with pushOnWrite false/);
    const store = eventualStore({ sim, regions: ['mumbai', 'delhi'], type: PNCounter });
    expect(() => store.update('goa', 'k', (s) => s)).toThrow(/replica: got "goa"; allowed: mumbai, delhi/);
    expect(() => store.update('mumbai', 'k', () => PNCounter.empty())).not.toThrow();
    store.update('mumbai', 'k', (s, actor) => PNCounter.increment(s, actor, 2));
    expect(() => store.update('mumbai', 'k', () => PNCounter.empty())).toThrow(/must return the state updated by a pn-counter operation/);
  });
});
