import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inspect } from 'util';
import { Client, ClientConfig } from 'pg';
import { OptionError, checkKnownKeys, checkNumber, checkOneOf } from '../util/option-error';
import { PostgresBinaries, findPostgresBinaries } from './binaries';
import { ClusterWatchdog, POSTGRES_DIRECTORY_PREFIX } from './cluster-watchdog';
import { freePort } from './free-port';
import { runProgram } from './program-run';
import { PrimaryReplicationStats, StandbyStatus, parseLsn, readPrimaryReplicationStats, readStandbyStatus } from './replication-stats';
import { ServerProcess, StopMode, delay } from './server-process';
import { ServerUser, handOver, serverUser } from './server-user';

/**
 * A throwaway PostgreSQL streaming-replication cluster on loopback: one primary and N
 * standbys, each a real server with its own data folder and port under one temporary
 * folder. Standbys are cloned with `pg_basebackup -R -X stream` (the way an operator
 * builds one), each with its own replication slot, and can lag on purpose with
 * `recovery_min_apply_delay` to stand in for a distant region. Everything listens on
 * 127.0.0.1 only and needs a password; `teardown()` stops every server, kills any
 * process that survives, and deletes the folder.
 */

export const SYNCHRONOUS_COMMIT_LEVELS = ['off', 'local', 'remote_write', 'on', 'remote_apply'] as const;
export type SynchronousCommit = (typeof SYNCHRONOUS_COMMIT_LEVELS)[number];

export interface StandbySpec {
  /** Server and replication-slot name, also its application_name in pg_stat_replication: [a-z][a-z0-9_]*. */
  name: string;
  /** recovery_min_apply_delay: the standby replays each commit this long after it happened on the primary. */
  applyDelayMs?: number;
}

export interface LocalClusterOptions {
  /** Standbys by name, or with an apply delay. Default: none. */
  standbys?: Array<string | StandbySpec>;
  /** synchronous_standby_names on the primary, e.g. "FIRST 1 (delhi)" or "ANY 1 (delhi, kolkata)". Default "" (all async). */
  synchronousStandbyNames?: string;
  /** The cluster-wide default synchronous_commit. Default "on". */
  synchronousCommit?: SynchronousCommit;
  /** fsync WAL to disk (true, the default, makes commit latencies honest; false makes tests faster). */
  fsync?: boolean;
  /** Any further settings for every server, e.g. { shared_buffers: '64MB' }. */
  settings?: Record<string, string | number | boolean>;
  /** Folder in which the cluster's temporary folder is made. Default: the OS temp folder. */
  parentDir?: string;
  /** Limit for each server to accept connections, ms. Default 30 000. */
  startTimeoutMs?: number;
  /** Name of the primary. Default "primary". */
  primaryName?: string;
  /** Use these binaries instead of searching for them. */
  binaries?: PostgresBinaries;
}

const OPTION_KEYS = ['standbys', 'synchronousStandbyNames', 'synchronousCommit', 'fsync', 'settings', 'parentDir', 'startTimeoutMs', 'primaryName', 'binaries'];
const NAME_PATTERN = /^[a-z][a-z0-9_]{0,30}$/;
const STANDBYS_MAX = 8;
const SETTING_NAME_PATTERN = /^[a-z][a-z0-9_.]*$/;
const STOP_TIMEOUT_MS = 10_000;

/** 'old-primary': a primary that a promotion replaced; it is not a standby of anyone. */
export type NodeRole = 'primary' | 'standby' | 'old-primary';

/** A server of the cluster as a caller sees it. */
export interface ClusterNodeInfo {
  name: string;
  role: NodeRole;
  port: number;
  running: boolean;
  pid: number | null;
  applyDelayMs: number;
  dataDir: string;
}

interface ClusterNode {
  name: string;
  role: NodeRole;
  applyDelayMs: number;
  dataDir: string;
  server: ServerProcess;
}

/** A value in postgresql.conf syntax: numbers and booleans bare, strings single-quoted. */
function confValue(value: string | number | boolean): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function confBlock(title: string, settings: Record<string, string | number | boolean>): string {
  const lines = Object.entries(settings).map(([name, value]) => `${name} = ${confValue(value)}`);
  return `\n# ${title}\n${lines.join('\n')}\n`;
}

function checkName(option: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new OptionError(`${option}: got ${JSON.stringify(name)}; allowed: a name of lowercase letters, digits and _ that starts with a letter (at most 31 characters)`);
  }
  return name;
}

function normaliseStandbys(value: unknown): StandbySpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new OptionError(`standbys: got ${JSON.stringify(value)}; allowed: an array of names or { name, applyDelayMs }`);
  if (value.length > STANDBYS_MAX) throw new OptionError(`standbys: got ${value.length}; allowed: at most ${STANDBYS_MAX} standbys`);
  return value.map((entry, index) => {
    const spec: StandbySpec = typeof entry === 'string' ? { name: entry } : (entry as StandbySpec);
    if (typeof spec !== 'object' || spec === null) throw new OptionError(`standbys[${index}]: got ${JSON.stringify(entry)}; allowed: a name or { name, applyDelayMs }`);
    checkKnownKeys(`standbys[${index}]`, spec, ['name', 'applyDelayMs']);
    checkName(`standbys[${index}].name`, spec.name);
    const applyDelayMs = checkNumber(`standbys[${index}].applyDelayMs`, spec.applyDelayMs ?? 0, { integer: true, min: 0, max: 3_600_000 });
    return { name: spec.name, applyDelayMs };
  });
}

/** Removes every process group we started if this process exits without a teardown. */
const liveClusters = new Set<LocalPgCluster>();
let exitHandlerInstalled = false;
function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.once('exit', () => {
    for (const cluster of liveClusters) cluster.killEverythingNow();
  });
}

export class LocalPgCluster {
  /** The cluster's temporary folder: one data folder per server, the logs, the socket. */
  readonly dir: string;
  readonly binaries: PostgresBinaries;
  readonly synchronousCommit: SynchronousCommit;
  private readonly user: ServerUser;
  private readonly nodes = new Map<string, ClusterNode>();
  private readonly watchdog: ClusterWatchdog;
  private readonly startTimeoutMs: number;
  private currentPrimary: string;
  private tornDown = false;
  // The superuser password lives in a closure, not a field, so printing the cluster
  // object (console.log, a notebook cell's result) cannot show it.
  private readonly secret: () => string;

  private constructor(dir: string, binaries: PostgresBinaries, user: ServerUser, primaryName: string, synchronousCommit: SynchronousCommit, startTimeoutMs: number) {
    const password = randomBytes(18).toString('base64url');
    this.secret = () => password;
    this.dir = dir;
    this.binaries = binaries;
    this.user = user;
    this.currentPrimary = primaryName;
    this.synchronousCommit = synchronousCommit;
    this.startTimeoutMs = startTimeoutMs;
    this.watchdog = new ClusterWatchdog(dir);
  }

  /** Builds and starts the whole cluster; on any failure it tears down what it started and rethrows. */
  static async start(options: LocalClusterOptions = {}): Promise<LocalPgCluster> {
    if (typeof options !== 'object' || options === null) throw new OptionError(`LocalPgCluster.start options: got ${JSON.stringify(options)}; allowed: an object`);
    checkKnownKeys('LocalPgCluster.start options', options, OPTION_KEYS);
    const standbys = normaliseStandbys(options.standbys);
    const primaryName = checkName('primaryName', options.primaryName ?? 'primary');
    const names = [primaryName, ...standbys.map((s) => s.name)];
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new OptionError(`standbys: the name ${JSON.stringify(duplicate)} is used twice; every server needs its own name`);
    const synchronousCommit = checkOneOf('synchronousCommit', options.synchronousCommit ?? 'on', SYNCHRONOUS_COMMIT_LEVELS);
    const synchronousStandbyNames = options.synchronousStandbyNames ?? '';
    if (typeof synchronousStandbyNames !== 'string') throw new OptionError(`synchronousStandbyNames: got ${JSON.stringify(synchronousStandbyNames)}; allowed: a string such as "FIRST 1 (delhi)"`);
    const fsyncOn = options.fsync ?? true;
    if (typeof fsyncOn !== 'boolean') throw new OptionError(`fsync: got ${JSON.stringify(fsyncOn)}; allowed: true | false`);
    const extra = options.settings ?? {};
    for (const [name, value] of Object.entries(extra)) {
      if (!SETTING_NAME_PATTERN.test(name)) throw new OptionError(`settings: got the setting name ${JSON.stringify(name)}; allowed: a PostgreSQL setting name such as "shared_buffers"`);
      if (!['string', 'number', 'boolean'].includes(typeof value)) throw new OptionError(`settings.${name}: got ${JSON.stringify(value)}; allowed: a string, number or boolean`);
    }
    const startTimeoutMs = checkNumber('startTimeoutMs', options.startTimeoutMs ?? 30_000, { min: 1000, max: 600_000 });
    const binaries = options.binaries ?? findPostgresBinaries();
    const user = serverUser();

    const parentDir = options.parentDir ?? os.tmpdir();
    const dir = fs.mkdtempSync(path.join(parentDir, POSTGRES_DIRECTORY_PREFIX));
    handOver(user, dir);
    const cluster = new LocalPgCluster(dir, binaries, user, primaryName, synchronousCommit, startTimeoutMs);
    liveClusters.add(cluster);
    installExitHandler();
    try {
      await cluster.initPrimary(primaryName, {
        ...extra,
        fsync: fsyncOn,
        synchronous_commit: synchronousCommit,
        synchronous_standby_names: synchronousStandbyNames,
      });
      await cluster.startServer(primaryName);
      await Promise.all(standbys.map((spec) => cluster.cloneStandby(spec)));
      await Promise.all(standbys.map((spec) => cluster.startServer(spec.name)));
      await cluster.waitForStreaming(standbys.map((s) => s.name));
    } catch (error) {
      await cluster.teardown().catch(() => undefined);
      throw error;
    }
    return cluster;
  }

  private async initPrimary(name: string, settings: Record<string, string | number | boolean>): Promise<void> {
    const dataDir = path.join(this.dir, name);
    const passwordFile = path.join(this.dir, 'initdb-password');
    fs.writeFileSync(passwordFile, this.secret(), { mode: 0o600 });
    handOver(this.user, passwordFile);
    try {
      await runProgram(
        this.binaries.programs.initdb,
        ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C', '--no-sync'],
        { user: this.user, cwd: this.dir, timeoutMs: 60_000 },
      );
    } finally {
      fs.rmSync(passwordFile, { force: true });
    }
    const port = await freePort();
    fs.appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      confBlock('Replication Workbook (lib/postgres): a throwaway cluster on loopback, settings for every server', {
        listen_addresses: '127.0.0.1',
        port,
        unix_socket_directories: this.dir,
        wal_level: 'replica',
        max_wal_senders: 16,
        max_replication_slots: 16,
        // Standbys are cloned in parallel: each clone's checkpoint must not recycle WAL
        // that another clone is still streaming, before its slot holds it.
        wal_keep_size: '256MB',
        hot_standby: true,
        // Standbys report their replay position every second, so replay_lag stays fresh.
        wal_receiver_status_interval: '1s',
        // A dead standby or primary is noticed in seconds, not the default minute.
        wal_sender_timeout: '10s',
        wal_receiver_timeout: '10s',
        // A standby whose primary restarted reconnects after half a second, not the default 5 s.
        wal_retrieve_retry_interval: '500ms',
        shared_buffers: '32MB',
        max_connections: 50,
        log_line_prefix: '%m [%p] %q%a ',
        ...settings,
      }),
    );
    this.addNode(name, 'primary', 0, dataDir, port);
  }

  private addNode(name: string, role: NodeRole, applyDelayMs: number, dataDir: string, port: number): void {
    const server = new ServerProcess({
      name,
      dataDir,
      logFile: path.join(this.dir, `${name}.log`),
      port,
      user: this.user,
      postgresProgram: this.binaries.programs.postgres,
      cwd: this.dir,
      clientConfig: () => this.clientConfig(name),
      onProcessGroup: (group) => this.watchdog.addProcessGroup(group),
    });
    this.nodes.set(name, { name, role, applyDelayMs, dataDir, server });
  }

  private async cloneStandby(spec: StandbySpec): Promise<void> {
    const primary = this.requireNode('cloneStandby', this.currentPrimary);
    const dataDir = path.join(this.dir, spec.name);
    await runProgram(
      this.binaries.programs.pg_basebackup,
      [
        '-d',
        `host=127.0.0.1 port=${primary.server.port} user=postgres application_name=${spec.name}`,
        '-D',
        dataDir,
        '-R',
        '-X',
        'stream',
        '-c',
        'fast',
        '-C',
        '-S',
        spec.name,
        '--no-sync',
      ],
      { user: this.user, cwd: this.dir, env: { PGPASSWORD: this.secret() }, timeoutMs: 120_000 },
    );
    const port = await freePort();
    fs.appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      confBlock(`Replication Workbook (lib/postgres): standby ${spec.name}`, {
        port,
        cluster_name: spec.name,
        recovery_min_apply_delay: `${spec.applyDelayMs ?? 0}ms`,
      }),
    );
    this.addNode(spec.name, 'standby', spec.applyDelayMs ?? 0, dataDir, port);
  }

  private async startServer(name: string): Promise<void> {
    await this.requireNode('start', name).server.start(this.startTimeoutMs);
  }

  private requireNode(option: string, name: string): ClusterNode {
    if (this.tornDown) throw new Error(`${option}: the cluster in ${this.dir} has been torn down`);
    const node = this.nodes.get(name);
    if (!node) throw new OptionError(`${option}: unknown server ${JSON.stringify(name)}; servers: ${[...this.nodes.keys()].join(', ')}`);
    return node;
  }

  // ---------------------------------------------------------------- connecting

  /** The name of the current primary (changes after promote()). */
  get primaryName(): string {
    return this.currentPrimary;
  }

  /** Names of the servers that are standbys now. */
  get standbyNames(): string[] {
    return [...this.nodes.values()].filter((n) => n.role === 'standby').map((n) => n.name);
  }

  nodeInfo(name: string): ClusterNodeInfo {
    const node = this.requireNode('nodeInfo', name);
    return { name, role: node.role, port: node.server.port, running: node.server.running, pid: node.server.pid, applyDelayMs: node.applyDelayMs, dataDir: node.dataDir };
  }

  nodeInfos(): ClusterNodeInfo[] {
    return [...this.nodes.keys()].map((name) => this.nodeInfo(name));
  }

  /** node-postgres settings for a server, password included. */
  clientConfig(name: string, database = 'postgres'): ClientConfig {
    if (this.tornDown) throw new Error(`clientConfig: the cluster in ${this.dir} has been torn down`);
    const node = this.nodes.get(name);
    if (!node) throw new OptionError(`clientConfig: unknown server ${JSON.stringify(name)}; servers: ${[...this.nodes.keys()].join(', ')}`);
    return { host: '127.0.0.1', port: node.server.port, user: 'postgres', password: this.secret(), database, application_name: 'replication-workbook' };
  }

  /**
   * A postgres:// URL for a server. With `redact` (the default) the password is shown as
   * "***", fit for printing; pass { redact: false } only to hand the URL to a program.
   */
  connectionString(name: string, options: { database?: string; redact?: boolean } = {}): string {
    const config = this.clientConfig(name, options.database ?? 'postgres');
    const password = options.redact === false ? encodeURIComponent(this.secret()) : '***';
    return `postgres://postgres:${password}@127.0.0.1:${config.port}/${config.database}`;
  }

  /** A connected client; the caller ends it. Connection errors after connecting are swallowed (check with a query). */
  async connect(name: string, database = 'postgres'): Promise<Client> {
    const client = new Client({ ...this.clientConfig(name, database), connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  /** One statement on one server with a short-lived connection. */
  async query<R extends Record<string, unknown> = Record<string, unknown>>(name: string, sql: string, params: unknown[] = []): Promise<R[]> {
    const client = await this.connect(name);
    try {
      return (await client.query(sql, params)).rows as R[];
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async replicationStats(): Promise<PrimaryReplicationStats> {
    const client = await this.connect(this.currentPrimary);
    try {
      return await readPrimaryReplicationStats(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async standbyStatus(name: string): Promise<StandbyStatus> {
    const client = await this.connect(name);
    try {
      return await readStandbyStatus(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Waits until the primary lists each named standby as "streaming" in pg_stat_replication. */
  async waitForStreaming(names: string[] = this.standbyNames, timeoutMs = this.startTimeoutMs): Promise<void> {
    for (const name of names) this.requireNode('waitForStreaming', name);
    const deadline = Date.now() + timeoutMs;
    let missing = names;
    for (;;) {
      if (missing.length === 0) return;
      try {
        const stats = await this.replicationStats();
        missing = names.filter((name) => !stats.standbys.some((s) => s.applicationName === name && s.state === 'streaming'));
        if (missing.length === 0) return;
      } catch {
        // The primary may be restarting; try again until the deadline.
      }
      if (Date.now() > deadline) {
        const logs = missing.map((name) => `--- ${name}.log\n${this.requireNode('waitForStreaming', name).server.logTail(8)}`).join('\n');
        throw new Error(`waitForStreaming: ${missing.join(', ')} not streaming from ${this.currentPrimary} after ${timeoutMs} ms\n${logs}`);
      }
      await delay(50);
    }
  }

  /** Waits until a standby has replayed everything the primary had written when called. */
  async waitForReplay(name: string, timeoutMs = 30_000): Promise<void> {
    this.requireNode('waitForReplay', name);
    const target = parseLsn((await this.replicationStats()).currentLsn);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.standbyStatus(name);
      if (status.replayLsn !== null && parseLsn(status.replayLsn) >= target) return;
      if (Date.now() > deadline) throw new Error(`waitForReplay: ${name} replayed up to ${status.replayLsn ?? 'nothing'}, not ${(await this.replicationStats()).currentLsn}, within ${timeoutMs} ms`);
      await delay(20);
    }
  }

  // ---------------------------------------------------------------- faults and operations

  /** Stops a server: "fast" rolls back its clients, "immediate" aborts like a crash, "smart" waits for clients. */
  async stop(name: string, mode: StopMode = 'fast'): Promise<void> {
    checkOneOf('stop mode', mode, ['smart', 'fast', 'immediate']);
    await this.requireNode('stop', name).server.stop(mode, STOP_TIMEOUT_MS);
  }

  /** kill -9 of a server's postmaster: no shutdown checkpoint, clients cut off mid-transaction. */
  async kill(name: string): Promise<void> {
    await this.requireNode('kill', name).server.kill();
  }

  /** Starts a stopped server again from its data folder (a standby reconnects and catches up). */
  async start(name: string): Promise<void> {
    const node = this.requireNode('start', name);
    if (node.server.running) throw new Error(`start: server ${name} is already running (pid ${node.server.pid})`);
    await node.server.start(this.startTimeoutMs);
  }

  async restart(name: string, mode: StopMode = 'fast'): Promise<void> {
    await this.stop(name, mode);
    await this.start(name);
  }

  /**
   * Promotes a standby with pg_promote(): it replays what it has received, leaves
   * recovery, starts a new timeline and accepts writes. It becomes the cluster's primary;
   * the old primary (if still running) is NOT demoted: stop it, or you have two primaries.
   */
  async promote(name: string, timeoutMs = 60_000): Promise<{ tookMs: number; timelineId: number }> {
    const node = this.requireNode('promote', name);
    if (node.role !== 'standby') throw new OptionError(`promote: ${name} is the ${node.role}; allowed: a standby (${this.standbyNames.join(', ') || 'none'})`);
    const waitSeconds = Math.max(1, Math.round(timeoutMs / 1000));
    const started = Date.now();
    const rows = await this.query<{ promoted: boolean }>(name, 'SELECT pg_promote(true, $1) AS promoted', [waitSeconds]);
    if (rows[0]?.promoted !== true) throw new Error(`promote: ${name} did not finish promotion within ${waitSeconds} s; its log ends with:\n${node.server.logTail()}`);
    const tookMs = Date.now() - started;
    const old = this.nodes.get(this.currentPrimary);
    if (old) old.role = 'old-primary';
    node.role = 'primary';
    node.applyDelayMs = 0;
    this.currentPrimary = name;
    const status = await this.standbyStatus(name);
    return { tookMs, timelineId: status.timelineId ?? 0 };
  }

  /**
   * Points a standby at the current primary (after a promotion): creates its replication
   * slot there and changes primary_conninfo, which PostgreSQL 13+ applies on reload. The
   * standby follows the new timeline (recovery_target_timeline = 'latest').
   */
  async follow(name: string): Promise<void> {
    const node = this.requireNode('follow', name);
    if (node.role !== 'standby') throw new OptionError(`follow: ${name} is the ${node.role}; allowed: a standby (${this.standbyNames.join(', ') || 'none'})`);
    const primary = this.requireNode('follow', this.currentPrimary);
    await this.query(this.currentPrimary, 'SELECT pg_create_physical_replication_slot($1) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)', [name]);
    const conninfo = `host=127.0.0.1 port=${primary.server.port} user=postgres password=${this.secret()} application_name=${name}`;
    await this.alterSystem(name, 'primary_conninfo', conninfo);
    await this.alterSystem(name, 'primary_slot_name', name);
  }

  /** Changes a standby's recovery_min_apply_delay at run time (ALTER SYSTEM + reload). */
  async setApplyDelay(name: string, applyDelayMs: number): Promise<void> {
    const node = this.requireNode('setApplyDelay', name);
    checkNumber('setApplyDelay applyDelayMs', applyDelayMs, { integer: true, min: 0, max: 3_600_000 });
    await this.alterSystem(name, 'recovery_min_apply_delay', `${applyDelayMs}ms`);
    node.applyDelayMs = applyDelayMs;
  }

  /** Sets synchronous_standby_names on the primary, e.g. "FIRST 1 (delhi)"; "" makes replication async. */
  async setSynchronousStandbyNames(value: string): Promise<void> {
    if (typeof value !== 'string') throw new OptionError(`setSynchronousStandbyNames: got ${JSON.stringify(value)}; allowed: a string such as "FIRST 1 (delhi)" or ""`);
    await this.alterSystem(this.currentPrimary, 'synchronous_standby_names', value);
  }

  /** Sets the primary's default synchronous_commit for new transactions. */
  async setSynchronousCommit(level: SynchronousCommit): Promise<void> {
    checkOneOf('setSynchronousCommit level', level, SYNCHRONOUS_COMMIT_LEVELS);
    await this.alterSystem(this.currentPrimary, 'synchronous_commit', level);
  }

  private async alterSystem(name: string, setting: string, value: string): Promise<void> {
    const client = await this.connect(name);
    try {
      // ALTER SYSTEM takes no parameters; the value is quoted by format('%L').
      const statement = (await client.query(`SELECT format('ALTER SYSTEM SET ${setting} = %L', $1::text) AS sql`, [value])).rows[0].sql as string;
      await client.query(statement);
      await client.query('SELECT pg_reload_conf()');
    } finally {
      await client.end().catch(() => undefined);
    }
    // pg_reload_conf() only signals the postmaster; give the servers a moment to re-read.
    await delay(100);
  }

  // ---------------------------------------------------------------- teardown

  /** Every process group any server of this cluster ever ran in. */
  processGroups(): number[] {
    return [...this.nodes.values()].flatMap((n) => n.server.processGroups);
  }

  /** Process ids still alive in our groups (empty after a teardown). */
  liveProcessGroups(): number[] {
    return this.processGroups().filter((group) => {
      try {
        process.kill(-group, 0);
        return true;
      } catch {
        return false;
      }
    });
  }

  get watchdogRunning(): boolean {
    return this.watchdog.running;
  }

  get isTornDown(): boolean {
    return this.tornDown;
  }

  /**
   * Stops every server (immediate: these clusters hold nothing worth a checkpoint), kills
   * any process that survives, stops the watchdog and deletes the folder. Safe to call twice.
   */
  async teardown(options: { keepDir?: boolean } = {}): Promise<{ dir: string; processGroups: number[]; removed: boolean }> {
    if (this.tornDown) return { dir: this.dir, processGroups: this.processGroups(), removed: !fs.existsSync(this.dir) };
    const servers = [...this.nodes.values()].map((n) => n.server);
    await Promise.all(servers.map((server) => server.stop('immediate', 5000).catch(() => server.killAllGroupsNow())));
    for (const server of servers) await server.waitForGroupsGone(5000).catch(() => undefined);
    this.tornDown = true;
    liveClusters.delete(this);
    await this.watchdog.stop();
    if (!options.keepDir) fs.rmSync(this.dir, { recursive: true, force: true });
    return { dir: this.dir, processGroups: this.processGroups(), removed: !fs.existsSync(this.dir) };
  }

  /** Synchronous last resort for the process 'exit' handler. */
  killEverythingNow(): void {
    for (const node of this.nodes.values()) node.server.killAllGroupsNow();
    void this.watchdog.stop();
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // The watchdog will try again.
    }
  }

  /** What console.log and a notebook show: the servers, never the password. */
  [inspect.custom](): string {
    const servers = [...this.nodes.values()]
      .map((n) => `${n.name} (${n.role}, port ${n.server.port}${n.applyDelayMs ? `, apply delay ${n.applyDelayMs} ms` : ''}${n.server.running ? '' : ', stopped'})`)
      .join('; ');
    return `LocalPgCluster PostgreSQL ${this.binaries.version} in ${this.dir}${this.tornDown ? ' [torn down]' : ''}: ${servers}`;
  }

  toJSON(): Record<string, unknown> {
    return { dir: this.dir, version: this.binaries.version, primary: this.currentPrimary, servers: this.tornDown ? [] : this.nodeInfos() };
  }
}
