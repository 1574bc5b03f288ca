/**
 * Event sourcing's store: the events are the source of truth, and every state (a balance, a
 * search document) is a fold over them.
 *
 * - append(stream, expectedVersion, events): optimistic concurrency. The writer says which
 *   version of the stream its decision was based on; if another writer appended since, the append
 *   is refused with a ConcurrencyError and the writer must re-read and decide again. This is what
 *   stops two concurrent withdrawals from both passing the balance check.
 * - events are immutable and stored with their schema version; upcasters (upcaster chain below)
 *   turn old shapes into the current one when they are read, so the stored history never changes.
 * - read() counts the events it hands out, so a replay's cost is measured in events, not in
 *   wall-clock time.
 */
import { LimitExceededError, OptionError } from '../../sim';
import type { JsonValue } from '../../storage/version-store';

export interface NewEvent {
  type: string;
  /** Schema version of `data`. Default 1. */
  schema?: number;
  data: JsonValue;
}

export interface StoredEvent {
  stream: string;
  /** 1, 2, 3 ... within its stream. */
  version: number;
  /** 1, 2, 3 ... across the store (the order of all appends). */
  position: number;
  type: string;
  schema: number;
  data: JsonValue;
}

/** 'no-stream': the stream must not exist yet; 'any': no check (what a dual writer does, in effect). */
export type ExpectedVersion = number | 'no-stream' | 'any';

export class ConcurrencyError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`append to ${stream}: expected version ${expected}, but the stream is at version ${actual}; re-read it and decide again`);
    this.name = 'ConcurrencyError';
  }
}

/** Turns one (type, schema) into the next schema of that type. */
export interface Upcaster {
  type: string;
  fromSchema: number;
  upcast(data: JsonValue): JsonValue;
}

export class UpcasterChain {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const u of upcasters) {
      const key = `${u.type}/${u.fromSchema}`;
      if (this.byKey.has(key)) throw new OptionError(`upcasters: two upcasters for ${u.type} schema ${u.fromSchema}; allowed: one per (type, schema)`);
      this.byKey.set(key, u);
    }
  }

  /** Raises an event to the newest schema this chain knows (at most 100 steps). */
  apply(event: StoredEvent): StoredEvent {
    let current = event;
    for (let steps = 0; steps < 100; steps++) {
      const u = this.byKey.get(`${current.type}/${current.schema}`);
      if (!u) return current;
      current = { ...current, schema: current.schema + 1, data: u.upcast(current.data) };
    }
    throw new LimitExceededError(`upcasters: ${event.type} schema ${event.schema} still upcasting after 100 steps`);
  }
}

export interface EventStoreStats {
  appends: number;
  conflicts: number;
  /** Events handed out by read(): what replays cost. */
  eventsRead: number;
}

export class EventStore {
  readonly stats: EventStoreStats = { appends: 0, conflicts: 0, eventsRead: 0 };
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();

  constructor(private readonly maxEvents = 1_000_000) {}

  version(stream: string): number {
    return this.streams.get(stream)?.length ?? 0;
  }

  get size(): number {
    return this.all.length;
  }

  append(stream: string, expected: ExpectedVersion, events: readonly NewEvent[]): { fromVersion: number; toVersion: number } {
    if (typeof stream !== 'string' || stream.length === 0) throw new OptionError(`append stream: got ${JSON.stringify(stream)}; allowed: a non-empty string`);
    if (events.length === 0) throw new OptionError(`append to ${stream}: got no events; allowed: one or more`);
    const actual = this.version(stream);
    const ok = expected === 'any' || (expected === 'no-stream' ? actual === 0 : expected === actual);
    if (!ok) {
      this.stats.conflicts++;
      throw new ConcurrencyError(stream, expected, actual);
    }
    if (this.all.length + events.length > this.maxEvents) throw new LimitExceededError(`event store: ${this.all.length} events stored, its limit is ${this.maxEvents}`);
    let list = this.streams.get(stream);
    if (!list) {
      list = [];
      this.streams.set(stream, list);
    }
    for (const e of events) {
      const stored: StoredEvent = { stream, version: list.length + 1, position: this.all.length + 1, type: e.type, schema: e.schema ?? 1, data: structuredClone(e.data) };
      Object.freeze(stored);
      list.push(stored);
      this.all.push(stored);
    }
    this.stats.appends++;
    return { fromVersion: actual + 1, toVersion: list.length };
  }

  /** The events of a stream from a version on, upcast to the newest schema. */
  read(stream: string, fromVersion = 1, upcasters?: UpcasterChain): StoredEvent[] {
    const list = this.streams.get(stream) ?? [];
    const out = list.slice(Math.max(0, fromVersion - 1));
    this.stats.eventsRead += out.length;
    return upcasters ? out.map((e) => upcasters.apply(e)) : out;
  }

  /** Every event from a global position on (what a projection catching up reads). */
  readAll(fromPosition = 1, upcasters?: UpcasterChain): StoredEvent[] {
    const out = this.all.slice(Math.max(0, fromPosition - 1));
    this.stats.eventsRead += out.length;
    return upcasters ? out.map((e) => upcasters.apply(e)) : out;
  }
}
