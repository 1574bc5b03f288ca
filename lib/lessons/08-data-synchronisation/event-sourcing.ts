/**
 * Section 3 of notebook 08, event sourcing: a balance rebuilt from its events, the cost of replay
 * with and without snapshots (counted in events folded — the same on every machine), optimistic
 * concurrency stopping a double withdrawal, and the v1 → v2 upcast of old events.
 */
import { Rng } from '../../sim';
import { EventStore, SnapshotStore, accountUpcasters, rebuildAccount, withdraw } from '../../strategies/data-sync';

const STREAM = 'account-0042';

/**
 * An account's history: opened, then `events` deposits and withdrawals (UPI-sized amounts). The
 * first `v1Count` money events are stored in schema v1 (rupees), as written before the schema change.
 */
export function accountHistory(seed: number, events: number, v1Count = 0): { store: EventStore; runningBalancePaise: number } {
  const store = new EventStore();
  const rng = new Rng(seed);
  store.append(STREAM, 'no-stream', [{ type: 'Opened', data: { holder: 'Asha', branch: 'Pune' } }]);
  let balance = 0;
  for (let i = 0; i < events; i++) {
    const rupees = rng.int(1, 5000);
    const withdrawal = balance >= rupees * 100 && rng.chance(0.4);
    balance += withdrawal ? -rupees * 100 : rupees * 100;
    const type = withdrawal ? 'Withdrawn' : 'Deposited';
    if (i < v1Count) store.append(STREAM, 'any', [{ type, schema: 1, data: { amountRupees: rupees } }]);
    else store.append(STREAM, 'any', [{ type, schema: 2, data: { amountPaise: rupees * 100, channel: rng.pick(['upi', 'neft', 'branch']) } }]);
  }
  return { store, runningBalancePaise: balance };
}

export interface ReplayRow {
  snapshotEvery: string;
  eventsInStream: number;
  eventsReplayed: number;
  /** Events folded ÷ those without snapshots. */
  fractionOfFullReplay: number;
  balanceRupees: number;
}

/**
 * Rebuild the balance after `events` events, without snapshots and with a snapshot every N events
 * (taken as the projection went along), then after 17 more events arrive.
 */
export function snapshotReplay(seed: number, events = 9_950, everyList: readonly number[] = [100, 1000]): ReplayRow[] {
  const { store } = accountHistory(seed, events);
  const rows: ReplayRow[] = [];
  const snapshotsBy = everyList.map((every) => {
    const snapshots = new SnapshotStore();
    rebuildAccount(store, STREAM, { snapshots, snapshotEvery: every });
    return { every, snapshots };
  });
  for (let i = 0; i < 17; i++) store.append(STREAM, 'any', [{ type: 'Deposited', schema: 2, data: { amountPaise: 100, channel: 'upi' } }]);
  const full = rebuildAccount(store, STREAM);
  rows.push({ snapshotEvery: 'none', eventsInStream: store.version(STREAM), eventsReplayed: full.eventsReplayed, fractionOfFullReplay: 1, balanceRupees: full.state.balancePaise / 100 });
  for (const { every, snapshots } of snapshotsBy) {
    const r = rebuildAccount(store, STREAM, { snapshots });
    rows.push({ snapshotEvery: `${every} events`, eventsInStream: store.version(STREAM), eventsReplayed: r.eventsReplayed, fractionOfFullReplay: +(r.eventsReplayed / full.eventsReplayed).toFixed(4), balanceRupees: r.state.balancePaise / 100 });
  }
  return rows;
}

export interface ConcurrencyRow {
  append: string;
  firstWithdrawal: string;
  secondWithdrawal: string;
  retries: number;
  finalBalanceRupees: number;
}

/** Two tellers read the same ₹10,000 balance and each withdraws ₹7,000. */
export function doubleWithdrawal(): ConcurrencyRow[] {
  return (['any', 'checked'] as const).map((mode) => {
    const store = new EventStore();
    store.append(STREAM, 'no-stream', [{ type: 'Opened', data: {} }, { type: 'Deposited', schema: 2, data: { amountPaise: 1_000_000, channel: 'branch' } }]);
    const seen = rebuildAccount(store, STREAM).state;
    const a = withdraw(store, STREAM, 700_000, seen, mode);
    const b = withdraw(store, STREAM, 700_000, seen, mode);
    return {
      append: mode === 'any' ? 'blind (no expected version)' : 'expected version (optimistic)',
      firstWithdrawal: a.outcome,
      secondWithdrawal: b.outcome,
      retries: a.retries + b.retries,
      finalBalanceRupees: rebuildAccount(store, STREAM).state.balancePaise / 100,
    };
  });
}

export interface UpcastReport {
  events: number;
  v1Events: number;
  withoutUpcaster: string;
  balanceRupees: number;
  runningBalanceRupees: number;
  sampleV1: string;
  sampleUpcast: string;
}

/** A history whose first events were written in schema v1, read with and without the upcaster. */
export function upcastDemo(seed: number, events = 200, v1Count = 80): UpcastReport {
  const { store, runningBalancePaise } = accountHistory(seed, events, v1Count);
  let withoutUpcaster = 'ok';
  try {
    rebuildAccount(store, STREAM);
  } catch (error) {
    withoutUpcaster = (error as Error).message;
  }
  const raw = store.read(STREAM, 2, undefined)[0];
  const up = accountUpcasters().apply(raw);
  return {
    events: store.version(STREAM),
    v1Events: v1Count,
    withoutUpcaster,
    balanceRupees: rebuildAccount(store, STREAM, { upcasters: accountUpcasters() }).state.balancePaise / 100,
    runningBalanceRupees: runningBalancePaise / 100,
    sampleV1: `${raw.type} v${raw.schema} ${JSON.stringify(raw.data)}`,
    sampleUpcast: `${up.type} v${up.schema} ${JSON.stringify(up.data)}`,
  };
}
