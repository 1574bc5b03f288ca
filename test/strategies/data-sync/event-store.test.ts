// Proves the event store's optimistic concurrency stops two withdrawals that read the same
// version from both passing the funds check (and that 'any' lets them), that a balance rebuilt by
// replay equals the running one, that a snapshot cuts the events replayed to those after it with
// the same result, and that v1 events are upcast on read — and refused by the fold without it.
import { describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  EventStore,
  SnapshotStore,
  UnknownSchemaError,
  UpcasterChain,
  accountUpcasters,
  rebuildAccount,
  withdraw,
} from '../../../lib/strategies/data-sync';
import { Rng } from '../../../lib/sim';

function opened(store: EventStore, stream: string, depositPaise: number) {
  store.append(stream, 'no-stream', [{ type: 'Opened', data: {} }, { type: 'Deposited', schema: 2, data: { amountPaise: depositPaise, channel: 'branch' } }]);
}

describe('event store', () => {
  it('refuses an append whose expected version is stale, and names both versions', () => {
    const store = new EventStore();
    opened(store, 'acct-1', 1000);
    expect(() => store.append('acct-1', 1, [{ type: 'Deposited', schema: 2, data: { amountPaise: 1, channel: 'upi' } }])).toThrow(ConcurrencyError);
    expect(() => store.append('acct-1', 'no-stream', [{ type: 'Opened', data: {} }])).toThrow(/expected version no-stream, but the stream is at version 2/);
    expect(store.stats.conflicts).toBe(2);
    expect(store.version('acct-1')).toBe(2);
  });

  it('two withdrawals of ₹7 from ₹10 that read the same state: blind appends overdraw, checked appends do not', () => {
    for (const mode of ['any', 'checked'] as const) {
      const store = new EventStore();
      opened(store, 'acct-1', 1000);
      const seen = rebuildAccount(store, 'acct-1').state; // both tellers read version 2, ₹10
      const a = withdraw(store, 'acct-1', 700, seen, mode);
      const b = withdraw(store, 'acct-1', 700, seen, mode);
      const balance = rebuildAccount(store, 'acct-1').state.balancePaise;
      if (mode === 'any') {
        expect([a.outcome, b.outcome]).toEqual(['withdrawn', 'withdrawn']);
        expect(balance).toBe(-400);
      } else {
        expect([a.outcome, b.outcome]).toEqual(['withdrawn', 'insufficient-funds']);
        expect(b.retries).toBe(1);
        expect(balance).toBe(300);
      }
    }
  });

  it('rebuilds the same balance by replay as the running total, and a snapshot replays only the tail', () => {
    const store = new EventStore();
    const rng = new Rng(42);
    opened(store, 'acct-1', 0);
    let running = 0;
    for (let i = 0; i < 1000; i++) {
      const amount = rng.int(1, 500) * 100;
      store.append('acct-1', 'any', [{ type: 'Deposited', schema: 2, data: { amountPaise: amount, channel: 'upi' } }]);
      running += amount;
    }
    const full = rebuildAccount(store, 'acct-1');
    expect(full.state.balancePaise).toBe(running);
    expect(full.eventsReplayed).toBe(1002);
    const snapshots = new SnapshotStore();
    rebuildAccount(store, 'acct-1', { snapshots, snapshotEvery: 100 });
    expect(snapshots.get('acct-1')?.version).toBe(1000);
    store.append('acct-1', 'any', [{ type: 'Withdrawn', schema: 2, data: { amountPaise: 100, channel: 'upi' } }]);
    const fast = rebuildAccount(store, 'acct-1', { snapshots });
    expect(fast.fromSnapshotVersion).toBe(1000);
    expect(fast.eventsReplayed).toBe(3);
    expect(fast.state).toEqual(rebuildAccount(store, 'acct-1').state);
  });

  it('upcasts v1 events (rupees) to v2 (paise, channel) on read; the stored event is unchanged', () => {
    const store = new EventStore();
    store.append('acct-1', 'no-stream', [{ type: 'Opened', data: {} }, { type: 'Deposited', schema: 1, data: { amountRupees: 12.5 } }]);
    store.append('acct-1', 2, [{ type: 'Withdrawn', schema: 2, data: { amountPaise: 250, channel: 'upi' } }]);
    expect(() => rebuildAccount(store, 'acct-1')).toThrow(UnknownSchemaError);
    const up = store.read('acct-1', 1, accountUpcasters());
    expect(up[1]).toMatchObject({ schema: 2, data: { amountPaise: 1250, channel: 'unknown' } });
    expect(store.read('acct-1')[1]).toMatchObject({ schema: 1, data: { amountRupees: 12.5 } });
    expect(rebuildAccount(store, 'acct-1', { upcasters: accountUpcasters() }).state.balancePaise).toBe(1000);
  });

  it('rejects two upcasters for one schema, and empty appends', () => {
    const u = { type: 'Deposited', fromSchema: 1, upcast: (d: never) => d };
    expect(() => new UpcasterChain([u, u])).toThrow(/two upcasters for Deposited schema 1/);
    expect(() => new EventStore().append('s', 'any', [])).toThrow(/got no events/);
    expect(() => new EventStore(1).append('s', 'any', [{ type: 'A', data: 1 }, { type: 'B', data: 2 }])).toThrow(/limit is 1/);
  });
});
