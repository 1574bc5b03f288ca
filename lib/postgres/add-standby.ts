/**
 * Adds a read replica to a running LocalPgCluster while the primary takes writes, and times the
 * phases the autoscaling model (lib/strategies/autoscaling/provisioning.ts) predicts: the base
 * backup copy (pg_basebackup -X stream), the server start, and the catch-up until the new standby
 * streams with its replay position within `readyLagBytes` of the primary.
 *
 * It lives beside LocalPgCluster (not inside it) and manages its own server process and watchdog
 * in a sub-folder of the cluster's folder, so the cluster's teardown removes it too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { OptionError, checkNumber } from '../util';
import { ClusterWatchdog, POSTGRES_DIRECTORY_PREFIX } from './cluster-watchdog';
import { freePort } from './free-port';
import { LocalPgCluster } from './local-cluster';
import { runProgram } from './program-run';
import { lsnDistanceBytes, readPrimaryReplicationStats } from './replication-stats';
import { ServerProcess } from './server-process';
import { handOver, serverUser } from './server-user';

export interface AddStandbyOptions {
  /** Server name and application_name: [a-z][a-z0-9_]*. */
  name: string;
  /** The standby is ready once its replay position is within this many bytes of the primary's; default 64 kB. */
  readyLagBytes?: number;
  /** Limit for the whole operation, ms; default 60 000. */
  timeoutMs?: number;
  /** Poll interval while catching up, ms; default 50. */
  pollMs?: number;
}

export interface AddStandbyMeasurement {
  name: string;
  /** Size of all databases on the primary when the copy started, bytes. */
  dataBytes: number;
  copyMs: number;
  startMs: number;
  catchUpMs: number;
  readyMs: number;
  /** WAL the primary wrote from the copy's start to ready, bytes, and its rate. */
  walBytes: number;
  walBytesPerSec: number;
}

export interface AddedStandby {
  measurement: AddStandbyMeasurement;
  port: number;
  /** Stops the added standby and its watchdog (the cluster's teardown does not know about it). */
  stop(): Promise<void>;
}

/** Fills a table on the primary with about `bytes` of rows, so a base backup has something to copy. */
export async function fillPrimary(cluster: LocalPgCluster, bytes: number, table = 'filler'): Promise<number> {
  checkNumber('fillPrimary bytes', bytes, { min: 0, max: 2e9 });
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new OptionError(`fillPrimary table: got ${JSON.stringify(table)}; allowed: a lowercase SQL identifier`);
  const rows = Math.ceil(bytes / 1100); // a 1000-byte payload plus the row overhead
  await cluster.query(cluster.primaryName, `CREATE TABLE IF NOT EXISTS ${table} (id bigserial PRIMARY KEY, payload text NOT NULL)`);
  await cluster.query(cluster.primaryName, `INSERT INTO ${table} (payload) SELECT repeat(md5(g::text), 32)::varchar(1000) FROM generate_series(1, $1) g`, [rows]);
  const [r] = await cluster.query<{ bytes: string }>(cluster.primaryName, 'SELECT sum(pg_database_size(datname))::bigint AS bytes FROM pg_database');
  return Number(r.bytes);
}

export async function addStandbyUnderLoad(cluster: LocalPgCluster, options: AddStandbyOptions): Promise<AddedStandby> {
  const name = options.name;
  if (typeof name !== 'string' || !/^[a-z][a-z0-9_]{0,30}$/.test(name)) throw new OptionError(`addStandbyUnderLoad name: got ${JSON.stringify(name)}; allowed: lowercase letters, digits and _, starting with a letter`);
  if (cluster.standbyNames.includes(name)) throw new OptionError(`addStandbyUnderLoad name: "${name}" is already a standby of the cluster; allowed: a new name`);
  const readyLagBytes = checkNumber('addStandbyUnderLoad readyLagBytes', options.readyLagBytes ?? 65536, { min: 0 });
  const timeoutMs = checkNumber('addStandbyUnderLoad timeoutMs', options.timeoutMs ?? 60_000, { min: 1000, max: 600_000 });
  const pollMs = checkNumber('addStandbyUnderLoad pollMs', options.pollMs ?? 50, { min: 5, max: 5000 });
  const user = serverUser();
  const primary = cluster.clientConfig(cluster.primaryName);
  const home = path.join(cluster.dir, `${POSTGRES_DIRECTORY_PREFIX}added-${name}`);
  fs.mkdirSync(home);
  handOver(user, home);
  const watchdog = new ClusterWatchdog(home);
  const dataDir = path.join(home, 'data');
  const sampler = new Client(primary);
  await sampler.connect();
  let server: ServerProcess | null = null;
  const stop = async () => {
    if (server) await server.stop('immediate', 5000).catch(() => server?.killAllGroupsNow());
    await watchdog.stop();
  };
  try {
    const [{ bytes }] = (await sampler.query('SELECT sum(pg_database_size(datname))::bigint AS bytes FROM pg_database')).rows;
    // Flush the dirty pages first, so the timed copy is the transfer the model describes and not a
    // checkpoint of whatever was just loaded (pg_basebackup -c fast would otherwise do it inside the timer).
    await sampler.query('CHECKPOINT');
    const [{ lsn: startLsn }] = (await sampler.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
    const t0 = Date.now();
    await runProgram(cluster.binaries.programs.pg_basebackup, [
      '-d', `host=127.0.0.1 port=${primary.port} user=postgres application_name=${name}`,
      '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync',
    ], { user, cwd: home, env: { PGPASSWORD: String(primary.password) }, timeoutMs });
    const copyMs = Date.now() - t0;
    const port = await freePort();
    fs.appendFileSync(path.join(dataDir, 'postgresql.conf'), `\n# added by addStandbyUnderLoad\nport = ${port}\ncluster_name = '${name}'\nunix_socket_directories = '${home}'\n`);
    server = new ServerProcess({
      name, dataDir, logFile: path.join(home, `${name}.log`), port, user,
      postgresProgram: cluster.binaries.programs.postgres, cwd: home,
      clientConfig: () => ({ ...primary, port }),
      onProcessGroup: (group) => watchdog.addProcessGroup(group),
    });
    const t1 = Date.now();
    await server.start(Math.max(1000, timeoutMs - (t1 - t0)));
    const startMs = Date.now() - t1;
    // Ready: streaming, and replayed to within readyLagBytes of the primary's current WAL position.
    for (let polls = 0; ; polls++) {
      if (Date.now() - t0 > timeoutMs || polls > 1_000_000) throw new Error(`addStandbyUnderLoad: ${name} not ready within ${timeoutMs} ms`);
      const stats = await readPrimaryReplicationStats(sampler);
      const row = stats.standbys.find((s) => s.applicationName === name);
      const [{ lsn }] = (await sampler.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows;
      const behind = row && row.state === 'streaming' ? lsnDistanceBytes(lsn, row.replayLsn) : null;
      if (behind !== null && behind <= readyLagBytes) {
        const readyMs = Date.now() - t0;
        const walBytes = lsnDistanceBytes(lsn, startLsn) ?? 0;
        return {
          port,
          stop,
          measurement: { name, dataBytes: Number(bytes), copyMs, startMs, catchUpMs: readyMs - copyMs - startMs, readyMs, walBytes, walBytesPerSec: walBytes / (readyMs / 1000) },
        };
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await sampler.end().catch(() => undefined);
  }
}
