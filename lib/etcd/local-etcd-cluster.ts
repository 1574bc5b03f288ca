import * as fs from 'fs';
import * as path from 'path';
import { noop } from 'cockatiel';
import { Etcd3 } from 'etcd3';
import { FaultNetwork, FaultProxy, ManagedProcess, ProcessWatchdog, groupAlive, makeRunDirectory, sleepMs } from '../chaos';
import { freePort, lookupAccount } from '../postgres';
import { OptionError } from '../util';
import { etcdAvailability } from './binaries';
import { etcdMemberId, serverFromHeader } from './member-id';

/**
 * A real etcd cluster (3 or 5 members) on 127.0.0.1. Each member's peer traffic goes through a
 * FaultProxy: the advertised peer URL is the proxy's port, the member listens behind it. So a
 * partition, a one-way cut or a slow link between two members is a call on `network`, and a
 * pause or a kill is a call on the member's `process`. Clients talk to each member directly
 * (endpoint 'client' in the network). Members run as the `etcd` account when we are root.
 */
export interface EtcdClusterOptions {
  memberCount?: 3 | 5;
  /** etcd --heartbeat-interval, ms (default 50). */
  heartbeatMs?: number;
  /** etcd --election-timeout, ms (default 500; etcd requires ≥ 5 × heartbeat). */
  electionTimeoutMs?: number;
  /** Seed for the proxies' jitter draws. */
  seed?: number;
  /** Whole start must finish within this (default 20 s). */
  startTimeoutMs?: number;
}

export interface EtcdMember {
  name: string;
  /** etcd's member id, hex as etcd prints it. */
  id: string;
  clientUrl: string;
  peerPort: number;
  proxy: FaultProxy;
  process: ManagedProcess;
}

export interface MemberStatus {
  name: string;
  leaderName: string | null;
  raftTerm: number;
}

const CLIENT_ENDPOINT = 'client';

function memberNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `etcd${i + 1}`);
}

export class EtcdCluster {
  private readonly clients: Etcd3[] = [];
  private stopped = false;

  private constructor(
    readonly directory: string,
    readonly watchdog: ProcessWatchdog,
    readonly network: FaultNetwork,
    readonly members: EtcdMember[],
    readonly version: string,
    readonly heartbeatMs: number,
    readonly electionTimeoutMs: number,
  ) {}

  /**
   * Starts the cluster and waits until every member answers and names the same leader. Ports
   * are found free and then bound by etcd a moment later, so another process (a parallel test)
   * can take one in between; etcd then exits with "address already in use". Such a start is
   * torn down and tried again with fresh ports, at most 3 times; any other failure is thrown.
   */
  static async start(options: EtcdClusterOptions = {}): Promise<EtcdCluster> {
    const attempts = 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await EtcdCluster.startOnce(options);
      } catch (error) {
        const portTaken = /address already in use/i.test((error as Error).message);
        if (!portTaken || attempt >= attempts) throw error;
      }
    }
  }

  private static async startOnce(options: EtcdClusterOptions): Promise<EtcdCluster> {
    const memberCount = options.memberCount ?? 3;
    const heartbeatMs = options.heartbeatMs ?? 50;
    const electionTimeoutMs = options.electionTimeoutMs ?? 500;
    if (memberCount !== 3 && memberCount !== 5) throw new OptionError(`memberCount: given ${memberCount}, allowed: 3, 5`);
    if (!Number.isInteger(heartbeatMs) || heartbeatMs < 10 || heartbeatMs > 1000) throw new OptionError(`heartbeatMs: given ${heartbeatMs}, allowed: an integer 10–1000`);
    if (!Number.isInteger(electionTimeoutMs) || electionTimeoutMs < 5 * heartbeatMs || electionTimeoutMs > 10_000) {
      throw new OptionError(`electionTimeoutMs: given ${electionTimeoutMs}, allowed: an integer from 5 × heartbeatMs (${5 * heartbeatMs}) to 10000`);
    }
    const available = etcdAvailability();
    if (!available.program || !available.version) throw new Error(available.reason);

    const directory = makeRunDirectory('etcd');
    fs.chmodSync(directory, 0o755);
    const watchdog = new ProcessWatchdog(directory);
    const names = memberNames(memberCount);
    const network = new FaultNetwork([...names, CLIENT_ENDPOINT]);
    const account = typeof process.getuid === 'function' && process.getuid() === 0 ? lookupAccount('etcd') ?? lookupAccount('nobody') : null;
    const token = `workbook-${path.basename(directory)}`;
    const members: EtcdMember[] = [];
    try {
      const ports = [];
      for (const name of names) ports.push({ name, client: await freePort(), peer: await freePort() });
      const idByHex = new Map<string, string>();
      const proxies: FaultProxy[] = [];
      for (const [index, port] of ports.entries()) {
        const proxy = new FaultProxy({
          network,
          target: port.name,
          targetPort: port.peer,
          defaultSource: CLIENT_ENDPOINT,
          identifySource: (head) => {
            const id = serverFromHeader(head);
            return id === null ? null : idByHex.get(id) ?? CLIENT_ENDPOINT;
          },
          seed: (options.seed ?? 1) * 31 + index,
        });
        await proxy.start();
        proxies.push(proxy);
      }
      const advertised = ports.map((port, i) => `http://127.0.0.1:${proxies[i].port}`);
      const initialCluster = ports.map((port, i) => `${port.name}=${advertised[i]}`).join(',');
      for (const [i, port] of ports.entries()) idByHex.set(etcdMemberId([advertised[i]], token), port.name);
      for (const [i, port] of ports.entries()) {
        const dataDir = path.join(directory, port.name);
        fs.mkdirSync(dataDir, { mode: 0o700 });
        if (account) fs.chownSync(dataDir, account.uid, account.gid);
        const clientUrl = `http://127.0.0.1:${port.client}`;
        const managed = new ManagedProcess({
          name: port.name,
          program: available.program,
          args: [
            `--name=${port.name}`,
            `--data-dir=${dataDir}`,
            `--listen-client-urls=${clientUrl}`,
            `--advertise-client-urls=${clientUrl}`,
            `--listen-peer-urls=http://127.0.0.1:${port.peer}`,
            `--initial-advertise-peer-urls=${advertised[i]}`,
            `--initial-cluster=${initialCluster}`,
            `--initial-cluster-token=${token}`,
            '--initial-cluster-state=new',
            `--heartbeat-interval=${heartbeatMs}`,
            `--election-timeout=${electionTimeoutMs}`,
            '--logger=zap',
            '--log-outputs=stderr',
          ],
          logFile: path.join(directory, `${port.name}.log`),
          cwd: directory,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ETCD_UNSUPPORTED_ARCH: process.env.ETCD_UNSUPPORTED_ARCH ?? '' },
          uid: account?.uid ?? null,
          gid: account?.gid ?? null,
          watchdog,
        });
        members.push({ name: port.name, id: etcdMemberId([advertised[i]], token), clientUrl, peerPort: port.peer, proxy: proxies[i], process: managed });
      }
      for (const member of members) member.process.start();
      const cluster = new EtcdCluster(directory, watchdog, network, members, available.version, heartbeatMs, electionTimeoutMs);
      try {
        await cluster.waitForEveryMember(options.startTimeoutMs ?? 20_000);
      } catch (error) {
        const logs = members.map((m) => `--- ${m.name} (${m.process.state})\n${m.process.logTail(5)}`).join('\n');
        await cluster.stop();
        throw new Error(`${(error as Error).message}\n${logs}`);
      }
      return cluster;
    } catch (error) {
      for (const member of members) await member.process.kill();
      for (const member of members) await member.proxy.close();
      await watchdog.stop();
      fs.rmSync(directory, { recursive: true, force: true });
      throw error;
    }
  }

  member(name: string): EtcdMember {
    const member = this.members.find((m) => m.name === name);
    if (!member) throw new OptionError(`etcd member: given ${JSON.stringify(name)}, allowed: ${this.members.map((m) => m.name).join(', ')}`);
    return member;
  }

  /**
   * An etcd3 client bound to one member (or to all, when `name` is omitted), with the client's
   * retries turned off: a retried write whose first attempt did take effect would record a
   * wrong history. Every call gets a deadline of `timeoutMs`.
   */
  client(name?: string, timeoutMs = 1_000): Etcd3 {
    const hosts = name === undefined ? this.members.map((m) => m.clientUrl) : [this.member(name).clientUrl];
    const client = new Etcd3({
      hosts,
      dialTimeout: timeoutMs,
      defaultCallOptions: () => ({ deadline: Date.now() + timeoutMs }),
      faultHandling: { host: () => noop, global: noop },
    });
    this.clients.push(client);
    return client;
  }

  nameOfId(id: string): string | null {
    const hex = BigInt(id).toString(16);
    return this.members.find((m) => m.id === hex)?.name ?? null;
  }

  /** What one member says about the leader, or null when it does not answer in time. */
  async status(name: string, timeoutMs = 300): Promise<MemberStatus | null> {
    const member = this.member(name);
    if (member.process.state !== 'running') return null;
    const client = new Etcd3({ hosts: member.clientUrl, dialTimeout: timeoutMs, faultHandling: { host: () => noop, global: noop } });
    try {
      const status = await client.maintenance.status({ deadline: Date.now() + timeoutMs });
      const leaderId = status.leader;
      return { name, leaderName: leaderId === '0' ? null : this.nameOfId(leaderId), raftTerm: Number(status.raftTerm) };
    } catch {
      return null;
    } finally {
      client.close();
    }
  }

  /**
   * The leader a majority of members agree on, among those given (default all), or null.
   * Asks each member; members that do not answer count against the majority.
   */
  async leader(among: readonly string[] = this.members.map((m) => m.name)): Promise<{ name: string; raftTerm: number } | null> {
    const statuses = await Promise.all(among.map((name) => this.status(name)));
    const votes = new Map<string, number>();
    let term = 0;
    for (const status of statuses) {
      if (!status?.leaderName) continue;
      votes.set(status.leaderName, (votes.get(status.leaderName) ?? 0) + 1);
      term = Math.max(term, status.raftTerm);
    }
    const majority = Math.floor(this.members.length / 2) + 1;
    for (const [name, count] of votes) if (count >= majority && among.includes(name)) return { name, raftTerm: term };
    return null;
  }

  /** Polls until a majority of `among` agree on a leader that is not in `excluding`. */
  async waitForLeader(options: { excluding?: readonly string[]; among?: readonly string[]; timeoutMs?: number; pollMs?: number } = {}): Promise<{ name: string; raftTerm: number }> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    let attempts = 0;
    while (Date.now() < deadline && attempts < 10_000) {
      attempts++;
      const leader = await this.leader(options.among);
      if (leader && !(options.excluding ?? []).includes(leader.name)) return leader;
      await sleepMs(options.pollMs ?? 20);
    }
    throw new Error(`etcd: no leader${options.excluding?.length ? ` other than ${options.excluding.join(', ')}` : ''} within ${timeoutMs} ms`);
  }

  /**
   * Polls until every member answers and all name the same leader: a majority alone is not
   * enough at start, since a workload's client bound to the missing member would be refused.
   */
  private async waitForEveryMember(timeoutMs: number, pollMs = 20): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const exited = this.members.find((m) => m.process.pid === null || !groupAlive(m.process.pid));
      if (exited) throw new Error(`etcd: ${exited.name} exited during start`);
      const statuses = await Promise.all(this.members.map((m) => this.status(m.name)));
      const leaders = new Set(statuses.map((s) => s?.leaderName ?? null));
      if (leaders.size === 1 && !leaders.has(null)) return;
      await sleepMs(pollMs);
    }
    throw new Error(`etcd: not every member answered with the same leader within ${timeoutMs} ms`);
  }

  /** Heals the network and resumes or restarts every member; waits for a leader. */
  async healAll(timeoutMs = 10_000): Promise<void> {
    this.network.healAll();
    for (const member of this.members) {
      if (member.process.state === 'paused') member.process.resume();
      if (member.process.state === 'stopped') member.process.start();
    }
    await this.waitForLeader({ timeoutMs });
  }

  /** Stops every member, proxy and client; deletes the folder. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const client of this.clients) client.close();
    for (const member of this.members) await member.process.kill();
    for (const member of this.members) await member.proxy.close();
    await this.watchdog.stop();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}
