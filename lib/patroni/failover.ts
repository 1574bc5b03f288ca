import { Client } from 'pg';
import { sleepMs } from '../chaos';
import { PatroniCluster } from './local-patroni-cluster';

/**
 * Failover measured on a real Patroni cluster. A single writer inserts numbered rows into the
 * primary, one at a time, and remembers which inserts were acknowledged. Replication to the
 * standbys is stalled (their WAL link cut), then the primary is killed. Patroni promotes a
 * standby once the old leader key expires; the writer finds the new primary through the REST
 * API and carries on. Afterwards we count which acknowledged rows the new primary has: with
 * asynchronous replication the rows acknowledged after the stall are gone; with
 * synchronous_mode the primary could not acknowledge them in the first place.
 */
export interface FailoverOptions {
  /** When the standbys' WAL link is cut, ms after the writer starts. */
  stallAtMs?: number;
  /** When the primary is killed, ms after the writer starts. */
  killAtMs?: number;
  /** Per insert, ms. */
  insertTimeoutMs?: number;
  /** Whole run, ms. */
  runTimeoutMs?: number;
  /** Inserts on the new primary before the writer stops. */
  writesAfterFailover?: number;
}

export interface FailoverEvent {
  atMs: number;
  event: string;
}

export interface FailoverResult {
  synchronousMode: boolean;
  oldPrimary: string;
  newPrimary: string;
  acknowledged: number;
  /** Acknowledged inserts missing on the new primary. */
  lostAcknowledged: number;
  /** Inserts whose outcome the writer never learned (timed out or connection lost). */
  unknown: number;
  /** From the kill to the first insert acknowledged by the new primary, ms. */
  writeOutageMs: number;
  /** From the kill until the REST API names the new primary, ms. */
  promotionMs: number;
  timeline: FailoverEvent[];
}

async function closeQuietly(client: Client | null): Promise<void> {
  if (!client) return;
  try {
    await Promise.race([client.end(), sleepMs(500)]);
  } catch {
    // already broken
  }
}

export async function runFailover(cluster: PatroniCluster, options: FailoverOptions = {}): Promise<FailoverResult> {
  const stallAtMs = options.stallAtMs ?? 800;
  const killAtMs = options.killAtMs ?? 1_600;
  const insertTimeoutMs = options.insertTimeoutMs ?? 500;
  const runTimeoutMs = options.runTimeoutMs ?? 40_000;
  const writesAfterFailover = options.writesAfterFailover ?? 20;
  const oldPrimary = await cluster.waitForPrimary();
  const setup = await cluster.connect(oldPrimary);
  await setup.query('DROP TABLE IF EXISTS acks; CREATE TABLE acks (id integer PRIMARY KEY)');
  await closeQuietly(setup);

  const startedAt = performance.now();
  const nowMs = (): number => Math.round(performance.now() - startedAt);
  const timeline: FailoverEvent[] = [];
  const acked: number[] = [];
  let unknown = 0;
  let killedAtMs: number | null = null;
  let newPrimary: string | null = null;
  let promotionMs = -1;
  let writeOutageMs = -1;
  let writesOnNew = 0;

  const nemesis = (async () => {
    await sleepMs(stallAtMs);
    for (const node of cluster.nodes) if (node.name !== oldPrimary) cluster.network.cutBoth('standbys', oldPrimary);
    timeline.push({ atMs: nowMs(), event: `WAL link to the standbys cut (${oldPrimary})` });
    await sleepMs(killAtMs - stallAtMs);
    killedAtMs = nowMs();
    await cluster.killNode(oldPrimary);
    timeline.push({ atMs: killedAtMs, event: `primary ${oldPrimary} killed (SIGKILL)` });
    // The cut stays until a new primary is up: the dead primary's unsent WAL must not arrive late.
    const promoted = await cluster.waitForPrimary({ excluding: [oldPrimary], timeoutMs: runTimeoutMs });
    cluster.network.healAll();
    promotionMs = nowMs() - killedAtMs;
    timeline.push({ atMs: nowMs(), event: `REST API: ${promoted} is primary` });
  })();

  let client: Client | null = null;
  let clientNode: string | null = null;
  let nextId = 1;
  while (writesOnNew < writesAfterFailover && nowMs() < runTimeoutMs) {
    if (!client) {
      const target = killedAtMs === null ? oldPrimary : await cluster.primary([oldPrimary]);
      if (!target) {
        await sleepMs(50);
        continue;
      }
      try {
        client = await cluster.connect(target, insertTimeoutMs);
        clientNode = target;
      } catch {
        client = null;
        await sleepMs(50);
        continue;
      }
    }
    const id = nextId++;
    try {
      await client.query('INSERT INTO acks (id) VALUES ($1)', [id]);
      acked.push(id);
      if (clientNode !== oldPrimary) {
        if (writesOnNew === 0 && killedAtMs !== null) {
          newPrimary = clientNode;
          writeOutageMs = nowMs() - killedAtMs;
          timeline.push({ atMs: nowMs(), event: `first insert acknowledged by ${clientNode}` });
        }
        writesOnNew++;
      }
    } catch {
      // Timed out or the connection broke: the insert may or may not have committed.
      unknown++;
      const broken = client;
      client = null;
      void closeQuietly(broken);
      await sleepMs(20);
    }
  }
  await nemesis;
  await closeQuietly(client);
  if (!newPrimary) throw new Error(`failover: no insert acknowledged by a new primary within ${runTimeoutMs} ms`);
  const reader = await cluster.connect(newPrimary);
  const present = new Set<number>((await reader.query('SELECT id FROM acks')).rows.map((row: { id: number }) => row.id));
  await closeQuietly(reader);
  const lostAcknowledged = acked.filter((id) => !present.has(id)).length;
  return { synchronousMode: cluster.synchronousMode, oldPrimary, newPrimary, acknowledged: acked.length, lostAcknowledged, unknown, writeOutageMs, promotionMs, timeline };
}

/**
 * Fencing: cut the primary's agent off from etcd (its PostgreSQL stays reachable to clients)
 * and watch the agent demote its own server. Returns once the old primary refuses writes and,
 * within `newPrimaryWaitMs` of the cut (0: do not wait), another node is primary.
 */
export interface FencingResult {
  oldPrimary: string;
  /** From the cut until the old primary refuses a write, ms. */
  demotedAfterMs: number;
  /** Another node the REST API named primary within the wait, or null. */
  newPrimary: string | null;
  /** From the cut until the REST API names another primary, ms (-1: none within the wait). */
  newPrimaryAfterMs: number;
  /** Writes the old primary accepted after its agent was cut off. */
  writesAcceptedAfterCut: number;
  refusal: string;
}

export async function runFencing(cluster: PatroniCluster, timeoutMs = 20_000, newPrimaryWaitMs = 12_000): Promise<FencingResult> {
  const oldPrimary = await cluster.waitForPrimary();
  const client = await cluster.connect(oldPrimary);
  await client.query('CREATE TABLE IF NOT EXISTS fence (id serial PRIMARY KEY)');
  const startedAt = performance.now();
  const nowMs = (): number => Math.round(performance.now() - startedAt);
  cluster.network.isolate(oldPrimary, 'drop', [oldPrimary, 'dcs']);
  let demotedAfterMs = -1;
  let newPrimaryAfterMs = -1;
  let writesAcceptedAfterCut = 0;
  let refusal = '';
  let newPrimary: string | null = null;
  try {
    while (nowMs() < timeoutMs && (demotedAfterMs < 0 || (newPrimaryAfterMs < 0 && nowMs() < newPrimaryWaitMs))) {
      if (demotedAfterMs < 0) {
        try {
          await client.query('INSERT INTO fence DEFAULT VALUES');
          writesAcceptedAfterCut++;
        } catch (error) {
          demotedAfterMs = nowMs();
          refusal = (error as Error).message;
        }
      }
      if (newPrimaryAfterMs < 0) {
        newPrimary = await cluster.primary([oldPrimary]);
        if (newPrimary) newPrimaryAfterMs = nowMs();
      }
      await sleepMs(50);
    }
  } finally {
    cluster.network.healAll();
    await closeQuietly(client);
  }
  if (demotedAfterMs < 0) throw new Error(`fencing: within ${timeoutMs} ms the old primary still accepted writes`);
  return { oldPrimary, newPrimary, demotedAfterMs, newPrimaryAfterMs, writesAcceptedAfterCut, refusal };
}
