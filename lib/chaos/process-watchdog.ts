import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A tiny shell process that outlives us only to clean up. A notebook kernel or a test worker
 * can die without running any of our handlers; the engines it started (etcd members, Patroni,
 * MariaDB) would then keep running forever. The watchdog checks once a second whether our
 * process is alive; when it is not, it SIGKILLs every process group listed in the run folder's
 * `process-groups` file and deletes the folder. A normal teardown stops the watchdog first.
 * lib/postgres's cluster watchdog is this one with its own folder prefix. The watchdog deletes
 * only a folder whose name starts with its prefix, so a wrong path can never lose other files.
 */
export const RUN_DIRECTORY_PREFIX = 'replication-workbook-chaos-';

/** The watchdog's shell script; `$3` is the folder-name prefix it may delete. */
const SCRIPT = [
  'parent="$1"; dir="$2"; prefix="$3"',
  'while kill -0 "$parent" 2>/dev/null; do sleep 1; done',
  'if [ -f "$dir/process-groups" ]; then',
  // dash (Debian's /bin/sh) rejects "kill -KILL -- -N"; "kill -9 -N" works in every POSIX sh.
  '  for group in $(cat "$dir/process-groups"); do kill -9 "-$group" 2>/dev/null; done',
  'fi',
  'case "$(basename "$dir")" in "$prefix"*) rm -rf -- "$dir" ;; esac',
].join('\n');

/** A fresh temp folder for one run's engines; only folders with this prefix are ever deleted. */
export function makeRunDirectory(label: string): string {
  if (!/^[a-z0-9-]{1,40}$/.test(label)) throw new Error(`run directory label ${JSON.stringify(label)}: use 1–40 of a-z, 0-9, -`);
  return fs.mkdtempSync(path.join(os.tmpdir(), `${RUN_DIRECTORY_PREFIX}${label}-`));
}

export class ProcessWatchdog {
  private readonly child: ChildProcess | null;
  private readonly groupsFile: string;

  /**
   * `parentPid`: whose death triggers the cleanup (default: this process). `removablePrefix`: the
   * folder's name must start with it (default: `makeRunDirectory`'s prefix).
   */
  constructor(
    readonly directory: string,
    parentPid: number = process.pid,
    removablePrefix: string = RUN_DIRECTORY_PREFIX,
  ) {
    if (!/^[a-z0-9-]{8,}$/.test(removablePrefix)) throw new Error(`ProcessWatchdog removablePrefix ${JSON.stringify(removablePrefix)}: use 8 or more of a-z, 0-9, -`);
    if (!path.basename(directory).startsWith(removablePrefix)) {
      throw new Error(`ProcessWatchdog: ${directory} is not a run folder (its name must start with ${removablePrefix})`);
    }
    this.groupsFile = path.join(directory, 'process-groups');
    fs.writeFileSync(this.groupsFile, '');
    let child: ChildProcess | null = null;
    try {
      child = spawn('/bin/sh', ['-c', SCRIPT, 'watchdog', String(parentPid), directory, removablePrefix], { detached: true, stdio: 'ignore' });
      child.on('error', () => undefined);
      child.unref();
    } catch {
      child = null; // no /bin/sh: the teardown still runs on a normal exit
    }
    this.child = child;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Records a process group for the watchdog to kill should we die. */
  addProcessGroup(groupId: number): void {
    fs.appendFileSync(this.groupsFile, `${groupId}\n`);
  }

  /** Kills the watchdog; resolves once it has exited. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.ref();
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    return exited.then(() => {
      child.unref();
    });
  }

  /** True while the watchdog process is alive. */
  get running(): boolean {
    const child = this.child;
    if (!child || child.pid === undefined) return false;
    try {
      process.kill(child.pid, 0);
      return child.exitCode === null && child.signalCode === null;
    } catch {
      return false;
    }
  }
}
