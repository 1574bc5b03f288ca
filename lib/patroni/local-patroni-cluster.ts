import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { Client } from 'pg';
import { stringify } from 'yaml';
import { FaultNetwork, FaultProxy, ManagedProcess, groupAlive, sleepMs } from '../chaos';
import { EtcdCluster } from '../etcd';
import { findPostgresBinaries, freePort, lookupAccount } from '../postgres';
import { OptionError } from '../util';

/**
 * Patroni (HA PostgreSQL) on loopback: three PostgreSQL servers, each run by its own Patroni
 * agent that keeps the leader key in our etcd cluster and serves the REST API. Two kinds of
 * link go through lib/chaos proxies, so they can be cut:
 * - each agent's link to etcd (endpoints pgN → 'dcs'): cut it and the agent can no longer
 *   renew its leader key; a primary's agent then demotes its PostgreSQL;
 * - each server's replication port (endpoint 'standbys' → pgN): what the standbys stream WAL
 *   through, so replication can stall while clients still reach the primary directly.
 * Patroni starts PostgreSQL in a session of its own, so a node kill SIGKILLs both groups.
 */
export const PATRONI_INSTALL_HINT = 'Install Patroni: Debian/Ubuntu `sudo apt-get install -y patroni postgresql` (needs python3-etcd, pulled in by the package).';

export interface PatroniAvailability {
  program: string | null;
  version: string | null;
  reason: string;
}

export function patroniAvailability(): PatroniAvailability {
  const program = process.env.PATRONI_BIN || (fs.existsSync('/usr/bin/patroni') ? '/usr/bin/patroni' : null);
  if (!program) return { program: null, version: null, reason: `patroni not found (/usr/bin/patroni). ${PATRONI_INSTALL_HINT}` };
  try {
    const text = execFileSync(program, ['--version'], { encoding: 'utf8', timeout: 15_000 });
    const version = /patroni\s+(\S+)/.exec(text)?.[1] ?? null;
    return { program, version, reason: `patroni ${version} at ${program}` };
  } catch (error) {
    return { program: null, version: null, reason: `${program} --version failed: ${(error as Error).message.split('\n')[0]}. ${PATRONI_INSTALL_HINT}` };
  }
}

export interface PatroniClusterOptions {
  etcd: EtcdCluster;
  synchronousMode: boolean;
  /** Patroni ttl of the leader key, seconds (default 10). */
  ttlS?: number;
  startTimeoutMs?: number;
}

export interface PatroniNode {
  name: string;
  pgPort: number;
  restPort: number;
  dataDir: string;
  agent: ManagedProcess;
  replicationProxy: FaultProxy;
  dcsProxies: FaultProxy[];
}

export interface PatroniMemberView {
  name: string;
  role: string;
  state: string;
}

let scopeCounter = 0;

export function httpGetJson(port: number, urlPath: string, timeoutMs = 500): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: timeoutMs }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

export class PatroniCluster {
  private stopped = false;

  private constructor(
    readonly directory: string,
    readonly scope: string,
    readonly network: FaultNetwork,
    readonly nodes: PatroniNode[],
    readonly synchronousMode: boolean,
    readonly version: string,
    private readonly etcd: EtcdCluster,
  ) {}

  static async start(options: PatroniClusterOptions): Promise<PatroniCluster> {
    const available = patroniAvailability();
    if (!available.program || !available.version) throw new Error(available.reason);
    const ttlS = options.ttlS ?? 10;
    if (!Number.isInteger(ttlS) || ttlS < 6 || ttlS > 60) throw new OptionError(`ttlS: given ${ttlS}, allowed: an integer 6–60`);
    const binaries = findPostgresBinaries();
    const account = typeof process.getuid === 'function' && process.getuid() === 0 ? lookupAccount('postgres') : null;
    if (typeof process.getuid === 'function' && process.getuid() === 0 && !account) throw new Error('running as root and there is no postgres account to run PostgreSQL as; apt-get install -y postgresql');
    const etcd = options.etcd;
    scopeCounter++;
    const scope = `workbook-${options.synchronousMode ? 'sync' : 'async'}-${process.pid}-${scopeCounter}`;
    const directory = path.join(etcd.directory, scope);
    fs.mkdirSync(directory, { mode: 0o755 });
    const names = ['pg1', 'pg2', 'pg3'];
    const network = new FaultNetwork([...names, 'standbys', 'dcs']);
    const nodes: PatroniNode[] = [];
    const own = (file: string): void => {
      if (account) fs.chownSync(file, account.uid, account.gid);
    };
    own(directory);
    for (const [index, name] of names.entries()) {
      const pgPort = await freePort();
      const restPort = await freePort();
      const replicationProxy = new FaultProxy({ network, target: name, targetPort: pgPort, defaultSource: 'standbys', seed: 100 + index });
      await replicationProxy.start();
      const dcsProxies: FaultProxy[] = [];
      for (const member of etcd.members) {
        const proxy = new FaultProxy({ network, target: 'dcs', targetPort: Number(new URL(member.clientUrl).port), defaultSource: name, seed: 200 + index });
        await proxy.start();
        dcsProxies.push(proxy);
      }
      const nodeDir = path.join(directory, name);
      fs.mkdirSync(nodeDir, { mode: 0o700 });
      own(nodeDir);
      const dataDir = path.join(nodeDir, 'data');
      const config = {
        scope,
        name,
        restapi: { listen: `127.0.0.1:${restPort}`, connect_address: `127.0.0.1:${restPort}` },
        etcd3: { hosts: dcsProxies.map((p) => `127.0.0.1:${p.port}`), use_proxies: true, protocol: 'http' },
        bootstrap: {
          dcs: {
            ttl: ttlS,
            loop_wait: 1,
            retry_timeout: Math.max(2, Math.floor((ttlS - 1) / 2) - 1),
            maximum_lag_on_failover: 1024 * 1024 * 1024,
            synchronous_mode: options.synchronousMode,
            postgresql: { use_pg_rewind: false, parameters: { wal_level: 'replica', hot_standby: 'on', max_wal_senders: 10, max_replication_slots: 10, fsync: 'off', shared_buffers: '16MB' } },
          },
          initdb: [{ encoding: 'UTF8' }, { 'auth-local': 'trust' }],
        },
        postgresql: {
          listen: `127.0.0.1:${pgPort}`,
          connect_address: `127.0.0.1:${replicationProxy.port}`,
          data_dir: dataDir,
          bin_dir: binaries.binDir,
          pgpass: path.join(nodeDir, 'pgpass'),
          authentication: { superuser: { username: 'postgres', password: 'workbook' }, replication: { username: 'replicator', password: 'workbook' } },
          parameters: { unix_socket_directories: nodeDir },
          pg_hba: ['local all all trust', 'host all all 127.0.0.1/32 trust', 'host replication replicator 127.0.0.1/32 trust'],
        },
        tags: { nofailover: false, noloadbalance: false, clonefrom: false, nosync: false },
      };
      const configFile = path.join(nodeDir, 'patroni.yml');
      fs.writeFileSync(configFile, stringify(config));
      own(configFile);
      const agent = new ManagedProcess({
        name,
        program: available.program,
        args: [configFile],
        logFile: path.join(directory, `${name}.log`),
        cwd: nodeDir,
        env: { PATH: '/usr/bin:/bin', HOME: nodeDir, LANG: 'C.UTF-8' },
        uid: account?.uid ?? null,
        gid: account?.gid ?? null,
        watchdog: etcd.watchdog,
      });
      nodes.push({ name, pgPort, restPort, dataDir, agent, replicationProxy, dcsProxies });
    }
    const cluster = new PatroniCluster(directory, scope, network, nodes, options.synchronousMode, available.version, etcd);
    try {
      // The first agent bootstraps (initdb) alone; the others then clone it.
      nodes[0].agent.start();
      await cluster.waitForPrimary({ timeoutMs: options.startTimeoutMs ?? 40_000 });
      for (const node of nodes.slice(1)) node.agent.start();
      await cluster.waitForReplicas(2, options.startTimeoutMs ?? 40_000);
      cluster.registerPostmasters();
    } catch (error) {
      const logs = nodes.map((n) => `--- ${n.name}\n${n.agent.logTail(6)}`).join('\n');
      await cluster.stop();
      throw new Error(`${(error as Error).message}\n${logs}`);
    }
    return cluster;
  }

  node(name: string): PatroniNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new OptionError(`patroni node: given ${JSON.stringify(name)}, allowed: ${this.nodes.map((n) => n.name).join(', ')}`);
    return node;
  }

  /** The members as Patroni's REST API (/cluster) reports them, asked of any live agent. */
  async members(): Promise<PatroniMemberView[]> {
    for (const node of this.nodes) {
      if (node.agent.state !== 'running') continue;
      try {
        const response = await httpGetJson(node.restPort, '/cluster');
        const body = response.body as { members?: PatroniMemberView[] };
        if (response.status === 200 && Array.isArray(body.members)) return body.members.map((m) => ({ name: m.name, role: m.role, state: m.state }));
      } catch {
        // try the next agent
      }
    }
    return [];
  }

  /** The node whose REST API answers 200 on /primary (its own view, from PostgreSQL itself). */
  async primary(excluding: readonly string[] = []): Promise<string | null> {
    for (const node of this.nodes) {
      if (excluding.includes(node.name) || node.agent.state !== 'running') continue;
      try {
        if ((await httpGetJson(node.restPort, '/primary')).status === 200) return node.name;
      } catch {
        // not answering
      }
    }
    return null;
  }

  async waitForPrimary(options: { excluding?: readonly string[]; timeoutMs?: number } = {}): Promise<string> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; attempt < 100_000 && Date.now() < deadline; attempt++) {
      const primary = await this.primary(options.excluding);
      if (primary) return primary;
      await sleepMs(50);
    }
    throw new Error(`patroni: no primary${options.excluding?.length ? ` other than ${options.excluding.join(', ')}` : ''} within ${timeoutMs} ms`);
  }

  async waitForReplicas(count: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; attempt < 100_000 && Date.now() < deadline; attempt++) {
      const members = await this.members();
      const streaming = members.filter((m) => m.role !== 'leader' && (m.state === 'streaming' || m.state === 'running'));
      const syncReady = !this.synchronousMode || members.some((m) => m.role === 'sync_standby');
      if (streaming.length >= count && syncReady) return;
      await sleepMs(100);
    }
    throw new Error(`patroni: fewer than ${count} replicas streaming${this.synchronousMode ? ' (or no sync standby)' : ''} within ${timeoutMs} ms`);
  }

  /** A client connected straight to one node's PostgreSQL (not through the replication proxy). */
  async connect(name: string, timeoutMs = 2_000): Promise<Client> {
    const node = this.node(name);
    const client = new Client({ host: '127.0.0.1', port: node.pgPort, user: 'postgres', password: 'workbook', database: 'postgres', connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** The postmaster's pid from postmaster.pid, or null. */
  postmasterPid(name: string): number | null {
    try {
      const pid = Number(fs.readFileSync(path.join(this.node(name).dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  /**
   * The process group of a node's postmaster. Patroni starts PostgreSQL from a helper process
   * that calls setsid() and exits, so the group id is the helper's pid, not the postmaster's.
   */
  postmasterGroup(name: string): number | null {
    const pid = this.postmasterPid(name);
    if (pid === null) return null;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      return Number.isInteger(group) && group > 1 ? group : null;
    } catch {
      return null;
    }
  }

  /** Tells the watchdog about every running postmaster's group, so none outlives us. */
  registerPostmasters(): void {
    for (const node of this.nodes) {
      const group = this.postmasterGroup(node.name);
      if (group !== null) this.etcd.watchdog.addProcessGroup(group);
    }
  }

  /** Power cut: SIGKILL the agent and its PostgreSQL (which runs in a session of its own). */
  async killNode(name: string): Promise<void> {
    const group = this.postmasterGroup(name);
    const pid = this.postmasterPid(name);
    await this.node(name).agent.kill();
    for (const target of [group !== null ? -group : null, pid]) {
      if (target === null) continue;
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (group !== null) for (let i = 0; i < 300 && groupAlive(group); i++) await sleepMs(10);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const node of this.nodes) await this.killNode(node.name);
    for (const node of this.nodes) {
      await node.replicationProxy.close();
      for (const proxy of node.dcsProxies) await proxy.close();
    }
    // Forget the scope's keys so a later cluster on the same etcd starts clean.
    try {
      await this.etcd.client(undefined, 2_000).delete().prefix(`/service/${this.scope}/`);
    } catch {
      // etcd may be down; its folder goes anyway
    }
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}
