import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as mysql from 'mysql2/promise';
import { ManagedProcess, ProcessWatchdog, makeRunDirectory, sleepMs } from '../chaos';
import { freePort, lookupAccount } from '../postgres';

/**
 * A 3-node MariaDB Galera cluster (synchronous multi-master) on 127.0.0.1: every node takes
 * writes; at commit a transaction's write set is broadcast in total order and certified on every
 * node, and the later of two conflicting transactions is aborted (a deadlock error at commit)
 * instead of one silently overwriting the other. The first node bootstraps the cluster
 * (--wsrep-new-cluster); the others join by rsync state transfer. As root, the servers run as
 * the `mysql` account. Sockets and data live in the run folder; a watchdog cleans up.
 */
export const GALERA_INSTALL_HINT = 'Install MariaDB Galera: Debian/Ubuntu `sudo apt-get install -y mariadb-server galera-4 rsync`.';
const PROVIDER_CANDIDATES = ['/usr/lib/galera/libgalera_smm.so', '/usr/lib/libgalera_smm.so', '/usr/lib64/galera-4/libgalera_smm.so'];

export interface GaleraAvailability {
  server: string | null;
  provider: string | null;
  version: string | null;
  reason: string;
}

export function galeraAvailability(): GaleraAvailability {
  const server = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((f) => fs.existsSync(f)) ?? null;
  const provider = PROVIDER_CANDIDATES.find((f) => fs.existsSync(f)) ?? null;
  const installDb = fs.existsSync('/usr/bin/mariadb-install-db');
  if (!server || !provider || !installDb || !fs.existsSync('/usr/bin/rsync')) {
    return { server: null, provider: null, version: null, reason: `MariaDB server, mariadb-install-db, the Galera provider or rsync is missing. ${GALERA_INSTALL_HINT}` };
  }
  try {
    const text = execFileSync(server, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const version = /Ver\s+(\S+)/.exec(text)?.[1] ?? null;
    return { server, provider, version, reason: `MariaDB ${version} with ${provider}` };
  } catch (error) {
    return { server: null, provider: null, version: null, reason: `${server} --version failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

export interface GaleraNode {
  name: string;
  sqlPort: number;
  dataDir: string;
  process: ManagedProcess;
}

export class GaleraCluster {
  private stopped = false;

  private constructor(
    readonly directory: string,
    readonly watchdog: ProcessWatchdog,
    readonly nodes: GaleraNode[],
    readonly version: string,
  ) {}

  static async start(options: { startTimeoutMs?: number } = {}): Promise<GaleraCluster> {
    const available = galeraAvailability();
    if (!available.server || !available.provider || !available.version) throw new Error(available.reason);
    const directory = makeRunDirectory('galera');
    fs.chmodSync(directory, 0o755);
    const watchdog = new ProcessWatchdog(directory);
    const account = typeof process.getuid === 'function' && process.getuid() === 0 ? lookupAccount('mysql') : null;
    const names = ['galera1', 'galera2', 'galera3'];
    const ports: Array<{ sql: number; group: number; ist: number; sst: number }> = [];
    for (let i = 0; i < names.length; i++) ports.push({ sql: await freePort(), group: await freePort(), ist: await freePort(), sst: await freePort() });
    const clusterAddress = `gcomm://${ports.map((p) => `127.0.0.1:${p.group}`).join(',')}`;
    const nodes: GaleraNode[] = [];
    const cluster = new GaleraCluster(directory, watchdog, nodes, available.version);
    try {
      for (const [i, name] of names.entries()) {
        const dataDir = path.join(directory, name);
        fs.mkdirSync(dataDir);
        execFileSync('/usr/bin/mariadb-install-db', [`--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...(account ? ['--user=mysql'] : [])], { stdio: 'ignore', timeout: 60_000 });
        if (account) execFileSync('chown', ['-R', `${account.uid}:${account.gid}`, dataDir]);
        const port = ports[i];
        const args = [
          '--no-defaults',
          ...(account ? ['--user=mysql'] : []),
          `--datadir=${dataDir}`,
          `--socket=${path.join(dataDir, 'server.sock')}`,
          `--port=${port.sql}`,
          '--bind-address=127.0.0.1',
          `--pid-file=${path.join(dataDir, 'server.pid')}`,
          '--binlog-format=ROW',
          '--default-storage-engine=InnoDB',
          '--innodb-autoinc-lock-mode=2',
          '--innodb-buffer-pool-size=32M',
          '--innodb-log-file-size=16M',
          '--innodb-flush-log-at-trx-commit=2',
          '--wsrep-on=ON',
          `--wsrep-provider=${available.provider}`,
          '--wsrep-cluster-name=workbook',
          `--wsrep-node-name=${name}`,
          `--wsrep-node-address=127.0.0.1:${port.group}`,
          `--wsrep-cluster-address=${clusterAddress}`,
          `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${port.group};ist.recv_addr=127.0.0.1:${port.ist};gcache.size=16M;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT3S;evs.keepalive_period=PT0.5S`,
          '--wsrep-sst-method=rsync',
          `--wsrep-sst-receive-address=127.0.0.1:${port.sst}`,
          ...(i === 0 ? ['--wsrep-new-cluster'] : []),
        ];
        const managed = new ManagedProcess({ name, program: available.server, args, logFile: path.join(directory, `${name}.log`), cwd: directory, watchdog });
        nodes.push({ name, sqlPort: port.sql, dataDir, process: managed });
      }
      const timeoutMs = options.startTimeoutMs ?? 60_000;
      nodes[0].process.start();
      await cluster.waitForClusterSize(nodes[0].name, 1, timeoutMs);
      // Grant root over TCP from 127.0.0.1 (replicated to the joiners by the state transfer).
      const admin = await cluster.connectSocket(nodes[0].name);
      await admin.query("CREATE USER IF NOT EXISTS 'workbook'@'127.0.0.1' IDENTIFIED BY 'workbook'");
      await admin.query("GRANT ALL ON *.* TO 'workbook'@'127.0.0.1'");
      await admin.end();
      for (const node of nodes.slice(1)) node.process.start();
      await cluster.waitForClusterSize(nodes[0].name, 3, timeoutMs);
      for (const node of nodes) await cluster.waitForClusterSize(node.name, 3, timeoutMs);
    } catch (error) {
      const logs = nodes.map((n) => `--- ${n.name}\n${n.process.logTail(5)}`).join('\n');
      await cluster.stop();
      throw new Error(`${(error as Error).message}\n${logs}`);
    }
    return cluster;
  }

  node(name: string): GaleraNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`galera node: given ${JSON.stringify(name)}, allowed: ${this.nodes.map((n) => n.name).join(', ')}`);
    return node;
  }

  private connectSocket(name: string): Promise<mysql.Connection> {
    return mysql.createConnection({ socketPath: path.join(this.node(name).dataDir, 'server.sock'), user: 'root', connectTimeout: 2_000 });
  }

  /** A client over TCP to one node. */
  connect(name: string): Promise<mysql.Connection> {
    return mysql.createConnection({ host: '127.0.0.1', port: this.node(name).sqlPort, user: 'workbook', password: 'workbook', connectTimeout: 2_000 });
  }

  /** wsrep status of one node: cluster size, component (Primary / non-Primary), ready. */
  async status(name: string): Promise<{ clusterSize: number; component: string; ready: string } | null> {
    let connection: mysql.Connection | null = null;
    try {
      connection = await this.connectSocket(name);
      const [rows] = await connection.query("SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_ready')");
      const map = new Map((rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, r.Value]));
      return { clusterSize: Number(map.get('wsrep_cluster_size') ?? 0), component: map.get('wsrep_cluster_status') ?? '?', ready: map.get('wsrep_ready') ?? '?' };
    } catch {
      return null;
    } finally {
      await connection?.end().catch(() => undefined);
    }
  }

  async waitForClusterSize(name: string, size: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; attempt < 100_000 && Date.now() < deadline; attempt++) {
      const status = await this.status(name);
      if (status && status.clusterSize === size && status.ready === 'ON') return;
      await sleepMs(100);
    }
    throw new Error(`galera: ${name} did not see a ready cluster of ${size} within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const node of this.nodes) await node.process.kill();
    await this.watchdog.stop();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}
