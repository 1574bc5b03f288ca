import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import { ProcessWatchdog } from './process-watchdog';

/**
 * One server process we start and can hurt: pause it (SIGSTOP, like a long GC pause or a
 * frozen VM), resume it (SIGCONT), kill it (SIGKILL, like a power cut) and restart it with the
 * same arguments and data. It runs detached in its own process group, so killing the group
 * also kills whatever it forked (Patroni's postgres, for example), and the group is registered
 * with the watchdog so nothing outlives us. When we are root, `uid`/`gid` run it as an
 * unprivileged account (see lib/postgres serverUser).
 */
export interface ManagedProcessOptions {
  name: string;
  program: string;
  args: string[];
  logFile: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  uid?: number | null;
  gid?: number | null;
  watchdog: ProcessWatchdog;
}

export type ProcessState = 'running' | 'paused' | 'stopped';

const EXIT_WAIT_MS_MAX = 5_000;

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * True while any process of the group is alive and not a zombie: after a SIGKILL the orphaned
 * children are re-parented to init, which may take its time to reap them, yet they run no code.
 */
export function groupAlive(groupId: number): boolean {
  if (process.platform === 'linux') {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync('/proc');
    } catch {
      entries = [];
    }
    if (entries.length > 0) {
      for (const entry of entries) {
        if (!/^\d+$/.test(entry)) continue;
        let stat: string;
        try {
          stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        } catch {
          continue;
        }
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === groupId && fields[0] !== 'Z' && fields[0] !== 'X') return true;
      }
      return false;
    }
  }
  try {
    process.kill(-groupId, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class ManagedProcess {
  private child: ChildProcess | null = null;
  private stateNow: ProcessState = 'stopped';
  /** How many times it was started, for the report. */
  startCount = 0;

  constructor(readonly options: ManagedProcessOptions) {}

  get state(): ProcessState {
    return this.stateNow;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): void {
    if (this.stateNow !== 'stopped') throw new Error(`${this.options.name}: start while ${this.stateNow}`);
    const { program, args, logFile, cwd, env, uid, gid } = this.options;
    const log = fs.openSync(logFile, 'a');
    const child = spawn(program, args, {
      cwd,
      env: env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
      ...(uid !== null && uid !== undefined ? { uid } : {}),
      ...(gid !== null && gid !== undefined ? { gid } : {}),
    });
    fs.closeSync(log);
    child.on('error', () => undefined);
    child.unref();
    if (child.pid === undefined) throw new Error(`${this.options.name}: could not start ${program}`);
    this.options.watchdog.addProcessGroup(child.pid);
    this.child = child;
    this.stateNow = 'running';
    this.startCount++;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.pid;
    if (pid === null) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGSTOP to the whole group: the process stops answering but keeps its sockets open. */
  pause(): void {
    if (this.stateNow !== 'running') throw new Error(`${this.options.name}: pause while ${this.stateNow}`);
    this.signalGroup('SIGSTOP');
    this.stateNow = 'paused';
  }

  resume(): void {
    if (this.stateNow !== 'paused') throw new Error(`${this.options.name}: resume while ${this.stateNow}`);
    this.signalGroup('SIGCONT');
    this.stateNow = 'running';
  }

  /** SIGKILL to the group (SIGCONT first so a paused process can die), then waits for it to go. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (pid === null || this.stateNow === 'stopped') return;
    this.signalGroup('SIGKILL');
    this.signalGroup('SIGCONT');
    await this.waitGone(pid);
  }

  /** A polite stop (SIGTERM), escalating to SIGKILL if it has not exited in time. */
  async stop(graceMs = 2_000): Promise<void> {
    const pid = this.pid;
    if (pid === null || this.stateNow === 'stopped') return;
    if (this.stateNow === 'paused') this.signalGroup('SIGCONT');
    this.signalGroup('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(pid) && Date.now() < deadline) await sleepMs(25);
    if (groupAlive(pid)) this.signalGroup('SIGKILL');
    await this.waitGone(pid);
  }

  async restart(): Promise<void> {
    await this.kill();
    this.start();
  }

  private async waitGone(pid: number): Promise<void> {
    const deadline = Date.now() + EXIT_WAIT_MS_MAX;
    while (groupAlive(pid) && Date.now() < deadline) await sleepMs(10);
    this.stateNow = 'stopped';
    this.child = null;
  }

  /** The last lines of its log, for error messages. */
  logTail(lineCount = 15): string {
    try {
      return fs.readFileSync(this.options.logFile, 'utf8').split('\n').slice(-lineCount).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
