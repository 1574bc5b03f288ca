/**
 * An event-sourced bank account: the events, the fold that computes the balance, commands that
 * decide with optimistic concurrency, snapshots, and the v1 → v2 schema change.
 *
 * Schema history: v1 `Deposited`/`Withdrawn` carried `{ amountRupees }`; v2 carries
 * `{ amountPaise, channel }` (paise avoid fractional rupees; the channel — UPI, NEFT, branch — was
 * added later and is 'unknown' for old events). The fold only understands v2: reading old events
 * without the upcaster fails loudly rather than silently computing a wrong balance.
 */
import { LimitExceededError } from '../../sim';
import type { JsonValue } from '../../storage/version-store';
import { ConcurrencyError, EventStore, ExpectedVersion, StoredEvent, Upcaster, UpcasterChain } from './event-store';

export interface AccountState {
  balancePaise: number;
  version: number;
  deposits: number;
  withdrawals: number;
}

export const EMPTY_ACCOUNT: AccountState = { balancePaise: 0, version: 0, deposits: 0, withdrawals: 0 };

export const ACCOUNT_UPCASTERS: readonly Upcaster[] = ['Deposited', 'Withdrawn'].map((type) => ({
  type,
  fromSchema: 1,
  upcast: (data: JsonValue) => ({ amountPaise: Math.round((data as { amountRupees: number }).amountRupees * 100), channel: 'unknown' }),
}));

export const accountUpcasters = () => new UpcasterChain(ACCOUNT_UPCASTERS);

export class UnknownSchemaError extends Error {
  constructor(event: StoredEvent) {
    super(`account fold: ${event.type} schema ${event.schema} at ${event.stream} v${event.version} is not schema 2; read it through the upcasters`);
    this.name = 'UnknownSchemaError';
  }
}

/** One step of the fold (schema 2 only). */
export function applyAccountEvent(state: AccountState, event: StoredEvent): AccountState {
  if (event.type === 'Opened') return { ...state, version: event.version };
  if (event.schema !== 2) throw new UnknownSchemaError(event);
  const amount = (event.data as { amountPaise: number }).amountPaise;
  if (event.type === 'Deposited') return { balancePaise: state.balancePaise + amount, version: event.version, deposits: state.deposits + 1, withdrawals: state.withdrawals };
  if (event.type === 'Withdrawn') return { balancePaise: state.balancePaise - amount, version: event.version, deposits: state.deposits, withdrawals: state.withdrawals + 1 };
  return { ...state, version: event.version };
}

export interface Snapshot {
  stream: string;
  version: number;
  state: AccountState;
}

/** Keeps the latest snapshot per stream; take() is called every `everyEvents` events by rebuild(). */
export class SnapshotStore {
  private readonly latest = new Map<string, Snapshot>();
  taken = 0;

  get(stream: string): Snapshot | undefined {
    return this.latest.get(stream);
  }

  put(snapshot: Snapshot): void {
    this.latest.set(snapshot.stream, structuredClone(snapshot));
    this.taken++;
  }
}

export interface RebuildReport {
  state: AccountState;
  /** Events folded: the replay's cost. */
  eventsReplayed: number;
  fromSnapshotVersion: number;
}

/**
 * The balance of one account, rebuilt from its events: from the latest snapshot if there is one,
 * then the events after it. With snapshotEvery, a snapshot is stored whenever the version crosses a
 * multiple of it (as a projection would, in the background).
 */
export function rebuildAccount(store: EventStore, stream: string, options: { snapshots?: SnapshotStore; snapshotEvery?: number; upcasters?: UpcasterChain } = {}): RebuildReport {
  const snap = options.snapshots?.get(stream);
  let state = snap ? snap.state : EMPTY_ACCOUNT;
  const events = store.read(stream, (snap?.version ?? 0) + 1, options.upcasters);
  for (const e of events) {
    state = applyAccountEvent(state, e);
    if (options.snapshots && options.snapshotEvery && e.version % options.snapshotEvery === 0) options.snapshots.put({ stream, version: e.version, state });
  }
  return { state, eventsReplayed: events.length, fromSnapshotVersion: snap?.version ?? 0 };
}

export type WithdrawOutcome = 'withdrawn' | 'insufficient-funds';

/**
 * The command: read the account, check the funds, append `Withdrawn` with the version it read.
 * expected 'checked' uses that version (optimistic concurrency, retried on conflict up to
 * maxRetries); 'any' appends blindly (the lost-update bug).
 */
export function withdraw(store: EventStore, stream: string, amountPaise: number, readState: AccountState, mode: 'checked' | 'any', maxRetries = 5): { outcome: WithdrawOutcome; retries: number } {
  let state = readState;
  for (let retries = 0; retries <= maxRetries; retries++) {
    if (state.balancePaise < amountPaise) return { outcome: 'insufficient-funds', retries };
    const expected: ExpectedVersion = mode === 'any' ? 'any' : state.version;
    try {
      store.append(stream, expected, [{ type: 'Withdrawn', schema: 2, data: { amountPaise, channel: 'upi' } }]);
      return { outcome: 'withdrawn', retries };
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      state = rebuildAccount(store, stream, { upcasters: accountUpcasters() }).state;
    }
  }
  throw new LimitExceededError(`withdraw from ${stream}: still conflicting after ${maxRetries} retries`);
}
