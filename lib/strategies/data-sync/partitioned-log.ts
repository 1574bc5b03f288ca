/**
 * A durable partitioned log on one simulated node, the shape of a Kafka topic with one broker:
 *
 * - a record goes to partition hash(key) mod N, so the records of one key keep their order;
 * - a produce is acknowledged only after the records are fsynced (acks=all on a one-broker
 *   cluster); consumers see only durable records, so a broker crash loses nothing it acknowledged;
 * - each consumer group has committed offsets per partition, also fsynced before the answer;
 *   a consumer that crashes resumes from its group's committed offsets, so whatever it had
 *   processed after the last commit is delivered again: at-least-once delivery.
 *
 * The log knows nothing of databases: it stores keys and JSON values.
 */
import type { NodeBehaviour, NodeContext } from '../../sim';
import { LimitExceededError, checkKnownKeys, checkNumber } from '../../sim';
import type { JsonValue } from '../../storage/version-store';

export interface LogRecord {
  partition: number;
  offset: number;
  key: string;
  value: JsonValue;
}

export type LogMessage =
  | { type: 'produce'; reqId: number; records: Array<{ key: string; value: JsonValue }> }
  | { type: 'produce-ack'; reqId: number; offsets: Array<{ partition: number; offset: number }> }
  | { type: 'fetch'; group: string; partition: number; offset: number; max: number }
  | { type: 'fetch-reply'; partition: number; offset: number; records: LogRecord[]; endOffset: number }
  | { type: 'join'; group: string }
  | { type: 'joined'; group: string; offsets: number[] }
  | { type: 'commit-offsets'; reqId: number; group: string; offsets: number[] }
  | { type: 'offsets-committed'; reqId: number };

export const LOG_MESSAGE_TYPES = ['produce', 'produce-ack', 'fetch', 'fetch-reply', 'join', 'joined', 'commit-offsets', 'offsets-committed'];

export function isLogMessage(message: unknown): message is LogMessage {
  if (typeof message !== 'object' || message === null) return false;
  return LOG_MESSAGE_TYPES.includes((message as { type?: unknown }).type as string);
}

export interface PartitionedLogOptions {
  /** Partitions of the topic. Default 4. */
  partitions?: number;
  /** Records one partition may hold before the broker refuses more. Default 100,000. */
  maxRecordsPerPartition?: number;
  /** Records per fetch reply at most. Default 100. */
  maxFetchRecords?: number;
}

export const PARTITIONED_LOG_KEYS = ['partitions', 'maxRecordsPerPartition', 'maxFetchRecords'];

export interface ResolvedLogOptions {
  partitions: number;
  maxRecordsPerPartition: number;
  maxFetchRecords: number;
}

export function resolveLogOptions(options: PartitionedLogOptions = {}): ResolvedLogOptions {
  checkKnownKeys('partitioned log options', options, PARTITIONED_LOG_KEYS);
  return {
    partitions: checkNumber('log.partitions', options.partitions ?? 4, { integer: true, min: 1, max: 256 }),
    maxRecordsPerPartition: checkNumber('log.maxRecordsPerPartition', options.maxRecordsPerPartition ?? 100_000, { integer: true, min: 1 }),
    maxFetchRecords: checkNumber('log.maxFetchRecords', options.maxFetchRecords ?? 100, { integer: true, min: 1 }),
  };
}

/** FNV-1a of the key: a stable partitioner (the same key always lands in the same partition). */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

const partitionFile = (p: number) => `log/partition-${p}`;
const offsetsFile = (group: string) => `log/offsets-${group}`;

export interface LogBrokerBehaviour extends NodeBehaviour {
  /** Durable records per partition (what consumers can read). */
  endOffsets(): number[];
  /** The committed offsets of a group (zeros when it never committed). */
  committedOffsets(group: string): number[];
  records(partition: number): LogRecord[];
}

/** The broker node: rebuilds its partitions from disk on every start (only fsynced records survive a crash). */
export function logBrokerNode(ctx: NodeContext, options: ResolvedLogOptions): LogBrokerBehaviour {
  const partitions: LogRecord[][] = [];
  const durable: number[] = [];
  for (let p = 0; p < options.partitions; p++) {
    partitions.push(ctx.disk.read(partitionFile(p)) as LogRecord[]);
    durable.push(partitions[p].length);
  }
  const groups = new Map<string, number[]>();
  const offsetsOf = (group: string): number[] => {
    let offsets = groups.get(group);
    if (!offsets) {
      offsets = ctx.disk.get<number[]>(offsetsFile(group)) ?? new Array(options.partitions).fill(0);
      groups.set(group, offsets);
    }
    return offsets;
  };

  function produce(from: string, reqId: number, records: Array<{ key: string; value: JsonValue }>): void {
    const offsets: Array<{ partition: number; offset: number }> = [];
    for (const r of records) {
      const p = partitionOf(r.key, options.partitions);
      const list = partitions[p];
      if (list.length >= options.maxRecordsPerPartition) {
        throw new LimitExceededError(`log broker ${ctx.id}: partition ${p} holds ${list.length} records, its limit (maxRecordsPerPartition = ${options.maxRecordsPerPartition})`);
      }
      const record: LogRecord = { partition: p, offset: list.length, key: r.key, value: r.value };
      list.push(record);
      ctx.disk.append(partitionFile(p), record);
      offsets.push({ partition: p, offset: record.offset });
    }
    const ends = partitions.map((list) => list.length);
    // Acknowledge (and expose to consumers) only what the fsync made durable.
    ctx.fsync(() => {
      for (let p = 0; p < ends.length; p++) durable[p] = Math.max(durable[p], ends[p]);
      ctx.send(from, { type: 'produce-ack', reqId, offsets } satisfies LogMessage);
    });
  }

  return {
    onMessage(from, message) {
      if (!isLogMessage(message)) return;
      switch (message.type) {
        case 'produce':
          produce(from, message.reqId, message.records);
          return;
        case 'fetch': {
          const p = message.partition;
          if (p < 0 || p >= options.partitions) return;
          const max = Math.min(message.max, options.maxFetchRecords);
          const records = partitions[p].slice(message.offset, Math.min(durable[p], message.offset + max));
          ctx.send(from, { type: 'fetch-reply', partition: p, offset: message.offset, records, endOffset: durable[p] } satisfies LogMessage);
          return;
        }
        case 'join':
          ctx.send(from, { type: 'joined', group: message.group, offsets: offsetsOf(message.group).slice() } satisfies LogMessage);
          return;
        case 'commit-offsets': {
          const offsets = offsetsOf(message.group);
          // Offsets only move forward: a late commit from before a crash must not rewind the group.
          for (let p = 0; p < offsets.length; p++) offsets[p] = Math.max(offsets[p], Math.min(message.offsets[p] ?? 0, durable[p]));
          ctx.disk.put(offsetsFile(message.group), offsets);
          ctx.fsync(() => ctx.send(from, { type: 'offsets-committed', reqId: message.reqId } satisfies LogMessage));
          return;
        }
        default:
          return;
      }
    },
    endOffsets: () => durable.slice(),
    committedOffsets: (group) => offsetsOf(group).slice(),
    records: (p) => partitions[p].slice(0, durable[p]),
  };
}
