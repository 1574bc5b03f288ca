import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Finding the etcd server program (Debian `etcd-server`) and its version. */
export const ETCD_INSTALL_HINT =
  'Install etcd: Debian/Ubuntu `sudo apt-get install -y etcd-server etcd-client`, macOS `brew install etcd`; ' +
  'or set ETCD_BIN to the etcd program.';

export interface EtcdAvailability {
  /** Absolute path of the etcd program, or null when it is missing. */
  program: string | null;
  version: string | null;
  reason: string;
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** Where etcd is and which version, or why it is not usable (with the install command). */
export function etcdAvailability(): EtcdAvailability {
  const program = process.env.ETCD_BIN || findOnPath('etcd') || (fs.existsSync('/usr/bin/etcd') ? '/usr/bin/etcd' : null);
  if (!program) return { program: null, version: null, reason: `etcd not found on PATH. ${ETCD_INSTALL_HINT}` };
  try {
    const text = execFileSync(program, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const version = /etcd Version:\s*(\S+)/.exec(text)?.[1] ?? null;
    if (!version) return { program: null, version: null, reason: `${program} --version printed no version. ${ETCD_INSTALL_HINT}` };
    return { program, version, reason: `etcd ${version} at ${program}` };
  } catch (error) {
    return { program: null, version: null, reason: `${program} --version failed: ${(error as Error).message}. ${ETCD_INSTALL_HINT}` };
  }
}
