/**
 * One database on one simulated node, for lessons and tests that are about the storage
 * engine itself (write skew, crash recovery, checkpoints) rather than the network.
 */
import { LimitExceededError, NodeBehaviour, NodeContext, OptionError, Rng, Simulation, checkKnownKeys } from '../sim';
import { Database, DatabaseEvent, DatabaseOptions } from './database';
import { TornWriteReport, crashWithTornWrite } from './torn-write';

const EVENTS_MAX = 1_000_000;

export interface DatabaseNodeBehaviour extends NodeBehaviour {
  readonly db: Database;
}

/** A node behaviour that only hosts a Database (and forwards replication messages to it). */
export function databaseNode(ctx: NodeContext, options: DatabaseOptions): DatabaseNodeBehaviour {
  const db = Database.open(ctx, options);
  return {
    db,
    onMessage(from, message) {
      db.handleReplicationMessage(from, message);
    },
  };
}

export interface SingleNodeOptions {
  seed: number;
  nodeId?: string;
  region?: string;
  /** fsync latency of the node's disk, ms. Default 1. */
  fsyncMs?: number;
  database?: Omit<DatabaseOptions, 'onEvent'>;
}

export interface SingleNodeDatabase {
  readonly sim: Simulation;
  readonly nodeId: string;
  /** Everything the database reported (recoveries, checkpoints ...), across crashes. */
  readonly events: DatabaseEvent[];
  /** The current incarnation's database; throws while the node is down. */
  db(): Database;
  /** Crashes the node (unsynced writes lost); with an Rng, leaves a torn WAL tail too. */
  crash(tornWith?: Rng): TornWriteReport | null;
  restart(): void;
  /** Runs the simulation until the database is ready (recovery done); returns the time it took. */
  runUntilReady(maxMs?: number): number;
}

export function singleNodeDatabase(options: SingleNodeOptions): SingleNodeDatabase {
  checkKnownKeys('singleNodeDatabase options', options, ['seed', 'nodeId', 'region', 'fsyncMs', 'database']);
  const sim = new Simulation({ seed: options.seed });
  const nodeId = options.nodeId ?? 'ledger';
  const events: DatabaseEvent[] = [];
  const handle = sim.addNode<DatabaseNodeBehaviour>({
    id: nodeId,
    region: options.region ?? 'mumbai',
    fsyncMs: options.fsyncMs ?? 1,
    create: (ctx) =>
      databaseNode(ctx, {
        ...(options.database ?? {}),
        onEvent: (e) => {
          if (events.length >= EVENTS_MAX) throw new LimitExceededError(`singleNodeDatabase: ${EVENTS_MAX} database events recorded, its limit`);
          events.push(e);
        },
      }),
  });
  const harness: SingleNodeDatabase = {
    sim,
    nodeId,
    events,
    db() {
      const behaviour = handle.behaviour;
      if (!behaviour) throw new OptionError(`singleNodeDatabase: node ${nodeId} is down; call restart() first`);
      return behaviour.db;
    },
    crash(tornWith) {
      if (tornWith) return crashWithTornWrite(sim, nodeId, { rng: tornWith, prefix: options.database?.wal?.prefix ?? 'wal/' });
      sim.crash(nodeId);
      return null;
    },
    restart() {
      sim.restart(nodeId);
    },
    runUntilReady(maxMs = 60_000) {
      const start = sim.nowMs();
      let readyAtMs: number | null = null;
      harness.db().whenReady(() => (readyAtMs = sim.nowMs()));
      while (readyAtMs === null) {
        if (sim.nowMs() - start > maxMs) throw new Error(`singleNodeDatabase: not ready after ${maxMs} ms; ${sim.describe()}`);
        sim.run(sim.nowMs() + 1);
      }
      return (readyAtMs as number) - start;
    },
  };
  return harness;
}
