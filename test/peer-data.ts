// Where ../shared/peer-data is (Porcupine's and Jepsen's histories, Elle's cases: read in place,
// never copied into the project). The project normally sits beside shared/, but a git worktree
// (/work/wt/NAME) or Stryker's sandbox (.stryker-tmp/sandbox-*) sits deeper, and a fixed
// `../shared` from there found nothing, so the peer suites skipped silently exactly where the
// mutation run needed them. The nearest ancestor holding shared/peer-data wins;
// PEER_DATA_DIR overrides.
import * as fs from 'fs';
import * as path from 'path';

function find(): string {
  if (process.env.PEER_DATA_DIR) return path.resolve(process.env.PEER_DATA_DIR);
  let dir = path.resolve(__dirname, '..', '..');
  for (;;) {
    const candidate = path.join(dir, 'shared', 'peer-data');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..', '..', 'shared', 'peer-data');
    dir = parent;
  }
}

/** The peer-data directory, or a path inside it (which may not exist: callers skip then). */
export function peerData(...parts: string[]): string {
  return path.join(find(), ...parts);
}
