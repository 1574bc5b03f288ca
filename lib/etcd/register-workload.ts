import { Etcd3 } from 'etcd3';
import { sleepMs } from '../chaos';
import { CheckedOperation, LinearizabilityResult, checkLinearizable } from '../check';
import { Rng } from '../sim';
import { OptionError } from '../util';
import { EtcdCluster } from './local-etcd-cluster';

/**
 * Jepsen's etcd register test, on our real cluster: several clients, each bound to one member,
 * run reads, writes and compare-and-sets on a few keys (each key an independent register)
 * while a nemesis hurts the cluster. Every operation is recorded in lib/check's JSON shape:
 * process, call and return times (ms since the run began), input and output. A write or CAS
 * that errored may or may not have taken effect, so it is recorded with `return: null` and its
 * client continues as a new process (a process has at most one operation outstanding). A read
 * that errored changed nothing and is left out.
 */
export type ReadConsistency = 'linearizable' | 'serializable';
export const READ_CONSISTENCIES: readonly ReadConsistency[] = ['linearizable', 'serializable'];

export type NemesisAction = 'isolate-leader' | 'pause-leader' | 'kill-leader' | 'heal';
export const NEMESIS_ACTIONS: readonly NemesisAction[] = ['isolate-leader', 'pause-leader', 'kill-leader', 'heal'];

export interface NemesisStep {
  atMs: number;
  action: NemesisAction;
}

export interface NemesisRecord {
  atMs: number;
  action: NemesisAction;
  member: string | null;
}

export interface RegisterWorkloadOptions {
  keys?: string[];
  clientCount?: number;
  durationMs?: number;
  readConsistency?: ReadConsistency;
  /** Deadline of each operation, ms. */
  operationTimeoutMs?: number;
  /** Pause between one client's operations, ms (keeps the history small enough to check). */
  thinkMs?: number;
  seed?: number;
  nemesis?: NemesisStep[];
  operationsMax?: number;
}

export interface RegisterWorkloadResult {
  seed: number;
  readConsistency: ReadConsistency;
  /** One register history per key. */
  histories: Record<string, CheckedOperation[]>;
  counts: { ok: number; failed: number; unknown: number; readsFailed: number };
  nemesis: NemesisRecord[];
  durationMs: number;
}

const KEY_PREFIX = 'workbook/';

function checkOptions(options: RegisterWorkloadOptions): void {
  const ints: Array<[string, number | undefined, number, number]> = [
    ['clientCount', options.clientCount, 1, 20],
    ['durationMs', options.durationMs, 100, 60_000],
    ['operationTimeoutMs', options.operationTimeoutMs, 50, 10_000],
    ['thinkMs', options.thinkMs, 0, 1_000],
    ['operationsMax', options.operationsMax, 1, 100_000],
  ];
  for (const [name, value, min, max] of ints) {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) throw new OptionError(`${name}: given ${value}, allowed: an integer ${min}–${max}`);
  }
  if (options.readConsistency !== undefined && !READ_CONSISTENCIES.includes(options.readConsistency)) {
    throw new OptionError(`readConsistency: given ${JSON.stringify(options.readConsistency)}, allowed: ${READ_CONSISTENCIES.join(', ')}`);
  }
  for (const step of options.nemesis ?? []) {
    if (!NEMESIS_ACTIONS.includes(step.action)) throw new OptionError(`nemesis action: given ${JSON.stringify(step.action)}, allowed: ${NEMESIS_ACTIONS.join(', ')}`);
  }
}

/** Reads one key from one client; a missing key is the register's initial null. */
export async function readRegister(client: Etcd3, key: string, consistency: ReadConsistency): Promise<number | null> {
  const text = await client.get(KEY_PREFIX + key).serializable(consistency === 'serializable').string();
  return text === null ? null : Number(text);
}

export async function writeRegister(client: Etcd3, key: string, value: number): Promise<void> {
  await client.put(KEY_PREFIX + key).value(String(value));
}

/** Compare-and-set in one etcd transaction: put `to` if the value is `from`; true if it did. */
export async function casRegister(client: Etcd3, key: string, from: number, to: number): Promise<boolean> {
  const result = await client.if(KEY_PREFIX + key, 'Value', '==', String(from)).then(client.put(KEY_PREFIX + key).value(String(to))).commit();
  return result.succeeded;
}

/** Applies one nemesis action; returns the member it hit (null for heal). */
export async function applyNemesis(cluster: EtcdCluster, action: NemesisAction): Promise<string | null> {
  if (action === 'heal') {
    await cluster.healAll();
    return null;
  }
  const leader = await cluster.leader();
  if (!leader) return null;
  const member = cluster.member(leader.name);
  if (action === 'isolate-leader') cluster.network.isolate(leader.name);
  else if (action === 'pause-leader') member.process.pause();
  else await member.process.kill();
  return leader.name;
}

export async function runRegisterWorkload(cluster: EtcdCluster, options: RegisterWorkloadOptions = {}): Promise<RegisterWorkloadResult> {
  checkOptions(options);
  const keys = options.keys ?? ['r0', 'r1', 'r2'];
  const clientCount = options.clientCount ?? 5;
  const durationMs = options.durationMs ?? 6_000;
  const consistency = options.readConsistency ?? 'linearizable';
  const timeoutMs = options.operationTimeoutMs ?? 500;
  const thinkMs = options.thinkMs ?? 10;
  const seed = options.seed ?? 1;
  const operationsMax = options.operationsMax ?? 5_000;
  const histories: Record<string, CheckedOperation[]> = Object.fromEntries(keys.map((key) => [key, []]));
  const counts = { ok: 0, failed: 0, unknown: 0, readsFailed: 0 };
  const nemesis: NemesisRecord[] = [];
  // Fresh registers: every key starts as null for the checker.
  const admin = cluster.client(undefined, 2_000);
  for (const key of keys) await admin.delete().key(KEY_PREFIX + key);
  const startedAt = performance.now();
  const nowMs = (): number => Math.round((performance.now() - startedAt) * 1000) / 1000;
  let operationCount = 0;

  const runClient = async (index: number): Promise<void> => {
    const client = cluster.client(cluster.members[index % cluster.members.length].name, timeoutMs);
    const clientRng = new Rng(seed * 1009 + index);
    let processId = index;
    while (nowMs() < durationMs && operationCount < operationsMax) {
      operationCount++;
      const key = keys[clientRng.int(0, keys.length - 1)];
      const roll = clientRng.float();
      const call = nowMs();
      if (roll < 0.5) {
        try {
          const value = await readRegister(client, key, consistency);
          histories[key].push({ process: processId, call, return: nowMs(), input: { f: 'read' }, output: { value } });
          counts.ok++;
        } catch {
          counts.readsFailed++;
        }
      } else if (roll < 0.75) {
        const value = clientRng.int(0, 4);
        const record: CheckedOperation = { process: processId, call, return: null, input: { f: 'write', value }, output: null };
        histories[key].push(record);
        try {
          await writeRegister(client, key, value);
          record.return = nowMs();
          record.output = { ok: true };
          counts.ok++;
        } catch {
          counts.unknown++;
          processId += clientCount;
        }
      } else {
        const from = clientRng.int(0, 4);
        const to = clientRng.int(0, 4);
        const record: CheckedOperation = { process: processId, call, return: null, input: { f: 'cas', from, to }, output: null };
        histories[key].push(record);
        try {
          const succeeded = await casRegister(client, key, from, to);
          record.return = nowMs();
          record.output = { ok: succeeded };
          if (succeeded) counts.ok++;
          else counts.failed++;
        } catch {
          counts.unknown++;
          processId += clientCount;
        }
      }
      if (thinkMs > 0) await sleepMs(thinkMs);
    }
  };

  const runNemesis = async (): Promise<void> => {
    const steps = [...(options.nemesis ?? [])].sort((a, b) => a.atMs - b.atMs);
    for (const step of steps) {
      const waitMs = step.atMs - nowMs();
      if (waitMs > 0) await sleepMs(waitMs);
      const atMs = nowMs();
      const member = await applyNemesis(cluster, step.action);
      nemesis.push({ atMs, action: step.action, member });
    }
  };

  await Promise.all([...Array.from({ length: clientCount }, (_, i) => runClient(i)), runNemesis()]);
  return { seed, readConsistency: consistency, histories, counts, nemesis, durationMs: nowMs() };
}

export interface KeyVerdict {
  key: string;
  operationCount: number;
  result: LinearizabilityResult;
}

/** Checks each key's register history with lib/check's linearizability checker. */
export function checkRegisterHistories(histories: Record<string, CheckedOperation[]>, timeoutMs = 10_000): KeyVerdict[] {
  return Object.entries(histories).map(([key, operations]) => ({
    key,
    operationCount: operations.length,
    result: checkLinearizable({ model: 'register', operations }, { timeoutMs }),
  }));
}
