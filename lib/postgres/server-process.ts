import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import { Client, ClientConfig } from 'pg';
import { groupAlive } from '../chaos/managed-process';
import { serverEnvironment, tailLines } from './program-run';
import { ServerUser } from './server-user';

/**
 * One running (or stopped) PostgreSQL server: a postmaster we spawn ourselves, detached
 * into its own session, so that its process-group id equals its pid and every backend,
 * walsender and background worker it forks stays in that group. Killing the group is the
 * last resort that leaves nothing running, even after a kill -9 orphaned the children.
 */
export type StopMode = 'smart' | 'fast' | 'immediate';

/** PostgreSQL's shutdown signals: smart waits for clients, fast rolls them back, immediate aborts (crash-like). */
const STOP_SIGNALS: Record<StopMode, NodeJS.Signals> = { smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' };
const POLL_MS = 25;

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * True while any process of the group is alive; a zombie does not count (after a kill -9 the
 * postmaster's orphaned children wait for init to reap them, yet run no code). lib/chaos's check.
 */
export const processGroupAlive: (groupId: number) => boolean = groupAlive;

export function killProcessGroup(groupId: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-groupId, signal);
  } catch {
    // Already gone: nothing to do.
  }
}

export interface ServerProcessOptions {
  name: string;
  dataDir: string;
  logFile: string;
  port: number;
  user: ServerUser;
  postgresProgram: string;
  cwd: string;
  /** How a client reaches this server (with the password), for the readiness probe. */
  clientConfig: () => ClientConfig;
  /** Called with the group id of every postmaster started, so a watchdog can clean up. */
  onProcessGroup: (groupId: number) => void;
}

export class ServerProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private exitInfo: string | null = null;
  /** Every process group this server ever had, for teardown checks. */
  readonly processGroups: number[] = [];

  constructor(private readonly options: ServerProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get port(): number {
    return this.options.port;
  }

  /** The postmaster's pid while it runs, else null. */
  get pid(): number | null {
    return this.child && this.exitInfo === null ? (this.child.pid ?? null) : null;
  }

  get running(): boolean {
    return this.pid !== null;
  }

  /** Starts the postmaster and waits until it accepts connections (a standby: until it is consistent). */
  async start(timeoutMs: number): Promise<void> {
    if (this.running) throw new Error(`server ${this.name} is already running (pid ${this.pid})`);
    // A postmaster killed with -9 leaves children that notice its death within moments;
    // a new postmaster must not start while they still hold the old shared memory.
    await this.waitForGroupsGone(5000);
    const logFd = fs.openSync(this.options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.options.postgresProgram, ['-D', this.options.dataDir], {
        cwd: this.options.cwd,
        env: serverEnvironment(),
        detached: true,
        stdio: ['ignore', logFd, logFd],
        uid: this.options.user.uid ?? undefined,
        gid: this.options.user.gid ?? undefined,
      });
    } finally {
      fs.closeSync(logFd);
    }
    this.child = child;
    this.exitInfo = null;
    // Do not keep a notebook kernel or a script alive just because a server runs.
    child.unref();
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
        resolve();
      });
      child.once('error', (error) => {
        this.exitInfo = `could not be started: ${error.message}`;
        resolve();
      });
    });
    if (child.pid !== undefined) {
      this.processGroups.push(child.pid);
      this.options.onProcessGroup(child.pid);
    }
    await this.waitUntilAcceptingConnections(timeoutMs);
  }

  private async waitUntilAcceptingConnections(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (;;) {
      if (this.exitInfo !== null) {
        throw new Error(`server ${this.name} ${this.exitInfo} while starting; its log ${this.options.logFile} ends with:\n${this.logTail()}`);
      }
      const client = new Client({ ...this.options.clientConfig(), connectionTimeoutMillis: 2000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch (error) {
        lastError = (error as Error).message;
        await client.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        throw new Error(`server ${this.name} did not accept connections within ${timeoutMs} ms (last error: ${lastError}); its log ends with:\n${this.logTail()}`);
      }
      await delay(POLL_MS);
    }
  }

  /** Sends the shutdown signal of `mode` and waits for the postmaster; escalates to SIGKILL after timeoutMs. */
  async stop(mode: StopMode, timeoutMs: number): Promise<void> {
    const pid = this.pid;
    if (pid === null) return;
    try {
      process.kill(pid, STOP_SIGNALS[mode]);
    } catch {
      // It died on its own just now.
    }
    const stopped = await Promise.race([this.awaitExit().then(() => true), delay(timeoutMs).then(() => false)]);
    if (!stopped) killProcessGroup(pid);
    await this.awaitExit();
    await this.waitForGroupsGone(timeoutMs);
  }

  /** kill -9 of the postmaster alone, like the OOM killer: its children find out by themselves. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (pid === null) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await this.awaitExit();
  }

  /**
   * Waits for the postmaster's exit. The child is unref'd so that a running server never
   * keeps a script alive; while we wait for it we ref it again, or Node would see an empty
   * event loop and quit in the middle of our await.
   */
  private async awaitExit(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.ref();
    try {
      await this.exited;
    } finally {
      child.unref();
    }
  }

  /** Waits until no process of any of our groups is left; SIGKILLs the stragglers after timeoutMs. */
  async waitForGroupsGone(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const alive = this.processGroups.filter(processGroupAlive);
      if (alive.length === 0) return;
      if (Date.now() > deadline) {
        for (const group of alive) killProcessGroup(group);
        await delay(POLL_MS * 4);
        const still = this.processGroups.filter(processGroupAlive);
        if (still.length > 0) throw new Error(`server ${this.name}: process groups ${still.join(', ')} survive SIGKILL`);
        return;
      }
      await delay(POLL_MS);
    }
  }

  /** Last resort, synchronous (usable from a process 'exit' handler): SIGKILL every group. */
  killAllGroupsNow(): void {
    for (const group of this.processGroups) killProcessGroup(group);
  }

  logTail(lineCount = 15): string {
    try {
      return tailLines(fs.readFileSync(this.options.logFile, 'utf8'), lineCount);
    } catch {
      return '(no log yet)';
    }
  }
}
