import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * A tiny shell process that outlives us only to clean up. A notebook kernel can be killed
 * (restart, closed tab, Jupyter shutdown) without running any of our handlers; then the
 * servers it started would keep running forever. The watchdog checks once a second whether
 * our process is alive; when it is not, it SIGKILLs every process group listed in the
 * cluster's `process-groups` file and deletes the cluster's folder. A normal teardown
 * stops the watchdog first.
 */
const SCRIPT = [
  'parent="$1"; dir="$2"',
  'while kill -0 "$parent" 2>/dev/null; do sleep 1; done',
  'if [ -f "$dir/process-groups" ]; then',
  '  for group in $(cat "$dir/process-groups"); do kill -9 "-$group" 2>/dev/null; done',
  'fi',
  'case "$dir" in */replication-workbook-pg-*) rm -rf -- "$dir" ;; esac',
].join('\n');

export class ClusterWatchdog {
  private readonly child: ChildProcess | null;
  private readonly groupsFile: string;

  constructor(private readonly clusterDir: string) {
    this.groupsFile = path.join(clusterDir, 'process-groups');
    fs.writeFileSync(this.groupsFile, '');
    let child: ChildProcess | null = null;
    try {
      child = spawn('/bin/sh', ['-c', SCRIPT, 'watchdog', String(process.pid), clusterDir], { detached: true, stdio: 'ignore' });
      child.on('error', () => undefined);
      child.unref();
    } catch {
      // Without /bin/sh there is no watchdog; the process 'exit' handler still cleans up.
      child = null;
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

  /** Kills the watchdog; the promise resolves once it has exited. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Referenced while we wait, so the event loop stays alive until the exit arrives.
    child.ref();
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    return exited.then(() => {
      child.unref();
    });
  }

  /** True while the watchdog process is alive. */
  get running(): boolean {
    const pid = this.pid;
    if (pid === null) return false;
    try {
      process.kill(pid, 0);
      return this.child?.exitCode === null && this.child.signalCode === null;
    } catch {
      return false;
    }
  }

  get directory(): string {
    return this.clusterDir;
  }
}
