// Proves the partitioned log keeps per-key order, loses nothing it acknowledged when the broker
// crashes, keeps each consumer group's committed offsets, and redelivers after a consumer crash
// (at least once) — which a naive consumer turns into duplicate effects and an idempotent one does not.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../lib/sim';
import type { NodeBehaviour } from '../../../lib/sim';
import {
  ConsumerBehaviour,
  LogBrokerBehaviour,
  LogProducer,
  SyncEvent,
  consumerNode,
  isLogMessage,
  logBrokerNode,
  partitionOf,
  resolveLogOptions,
} from '../../../lib/strategies/data-sync';

interface ProducerBehaviour extends NodeBehaviour {
  producer: LogProducer;
  acked: number;
}

const event = (key: string, version: number): SyncEvent => ({
  id: `${key}@${version}`, capture: 'outbox', table: 'accounts', key, version, position: version,
  before: null, after: { v: version }, txId: version, commitLsn: null, lsn: null, txChangeCount: null,
});

function world(seed: number, consumers: Array<{ id: string; group: string; idempotent: boolean }>) {
  const sim = new Simulation({ seed });
  const options = resolveLogOptions({ partitions: 3 });
  const deliveries: Array<{ consumer: string; eventId: string; applied: boolean }> = [];
  const broker = sim.addNode<LogBrokerBehaviour>({ id: 'broker', region: 'hyderabad', create: (ctx) => logBrokerNode(ctx, options) });
  const app = sim.addNode<ProducerBehaviour>({
    id: 'app',
    region: 'mumbai',
    create: (ctx) => {
      const b: ProducerBehaviour = {
        producer: new LogProducer(ctx, 'broker', 50, 1000),
        acked: 0,
        onMessage(_from, m) {
          if (isLogMessage(m) && m.type === 'produce-ack') b.producer.onAck(m);
        },
      };
      return b;
    },
  });
  const handles = consumers.map((c) =>
    sim.addNode<ConsumerBehaviour>({
      id: c.id,
      region: 'bangalore',
      create: (ctx) => consumerNode(ctx, { broker: 'broker', group: c.group, partitions: 3, idempotent: c.idempotent, pollEveryMs: 5, commitEveryMs: 100, fetchTimeoutMs: 100, maxFetchRecords: 10, maxAppliedEffects: 10_000, onDelivery: (d) => deliveries.push(d) }),
    }),
  );
  const produce = (events: SyncEvent[]) => {
    const b = app.behaviour as ProducerBehaviour;
    b.producer.send({ records: events.map((e) => ({ key: e.key, value: e as never })), retries: Infinity, onAck: () => (b.acked += events.length) });
  };
  return { sim, broker, app, handles, deliveries, produce };
}

describe('partitioned log', () => {
  it('sends a key always to the same partition, and keeps its records in produce order', () => {
    const w = world(1, [{ id: 'c', group: 'g', idempotent: true }]);
    for (let v = 1; v <= 20; v++) w.produce([event(`k${v % 4}`, v)]);
    w.sim.run(2000);
    const b = w.broker.behaviour as LogBrokerBehaviour;
    expect(b.endOffsets().reduce((a, x) => a + x, 0)).toBe(20);
    for (let p = 0; p < 3; p++) {
      for (const r of b.records(p)) expect(partitionOf(r.key, 3)).toBe(p);
      const byKey = new Map<string, number[]>();
      for (const r of b.records(p)) byKey.set(r.key, [...(byKey.get(r.key) ?? []), (r.value as unknown as SyncEvent).version]);
      for (const versions of byKey.values()) expect(versions).toEqual([...versions].sort((x, y) => x - y));
    }
    const state = (w.handles[0].behaviour as ConsumerBehaviour).durableState();
    expect(state.applied).toHaveLength(20);
  });

  it('loses nothing it acknowledged when the broker crashes, and the producer resends what was not acknowledged', () => {
    const w = world(2, [{ id: 'c', group: 'g', idempotent: true }]);
    for (let v = 1; v <= 10; v++) w.produce([event('k', v)]);
    w.sim.run(500);
    const ackedBefore = (w.app.behaviour as ProducerBehaviour).acked;
    expect(ackedBefore).toBe(10);
    w.produce([event('k', 11)]);
    w.sim.crash('broker'); // the request of v11 is lost with it
    w.sim.run(800);
    w.sim.restart('broker');
    w.sim.run(2000);
    const b = w.broker.behaviour as LogBrokerBehaviour;
    const versions = b.records(partitionOf('k', 3)).map((r) => (r.value as unknown as SyncEvent).version);
    expect(versions.slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(versions).toContain(11);
    expect((w.app.behaviour as ProducerBehaviour).acked).toBe(11);
  });

  it('redelivers after a consumer crash: the naive consumer applies twice, the idempotent one once', () => {
    for (const idempotent of [false, true]) {
      const w = world(3, [{ id: 'c', group: 'g', idempotent }]);
      for (let v = 1; v <= 10; v++) w.produce([event('k', v)]);
      w.sim.run(60); // applied and durable at the consumer, offsets not yet committed (every 100 ms)
      const c = w.handles[0];
      expect((c.behaviour as ConsumerBehaviour).durableState().applied.length).toBeGreaterThan(0);
      expect((w.broker.behaviour as LogBrokerBehaviour).committedOffsets('g')).toEqual([0, 0, 0]);
      w.sim.crash('c');
      w.sim.restart('c');
      w.sim.run(1000);
      const redelivered = w.deliveries.length - 10;
      expect(redelivered).toBeGreaterThan(0);
      const applied = (c.behaviour as ConsumerBehaviour).durableState().applied;
      if (idempotent) expect(applied.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      else expect(applied.length).toBe(10 + redelivered);
      expect((w.broker.behaviour as LogBrokerBehaviour).committedOffsets('g').reduce((a, x) => a + x, 0)).toBe(10);
    }
  });

  it('keeps offsets per consumer group: a second group reads everything from the start', () => {
    const w = world(4, [{ id: 'search', group: 'search', idempotent: true }, { id: 'fraud', group: 'fraud', idempotent: true }]);
    for (let v = 1; v <= 12; v++) w.produce([event(`k${v % 3}`, v)]);
    w.sim.run(1000);
    for (const h of w.handles) expect((h.behaviour as ConsumerBehaviour).durableState().applied).toHaveLength(12);
    const b = w.broker.behaviour as LogBrokerBehaviour;
    expect(b.committedOffsets('search')).toEqual(b.endOffsets());
    expect(b.committedOffsets('fraud')).toEqual(b.endOffsets());
    expect(b.committedOffsets('analytics')).toEqual([0, 0, 0]);
  });

  it('rejects bad options precisely', () => {
    expect(() => resolveLogOptions({ partitions: 0 })).toThrow(/log.partitions/);
    expect(() => resolveLogOptions({ partitons: 3 } as never)).toThrow(/partitons/);
  });
});
