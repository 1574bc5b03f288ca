import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Finding the PostgreSQL server programs. Distributions put them in different places:
 * Debian and Ubuntu keep them out of PATH under /usr/lib/postgresql/<major>/bin (PATH only
 * has client wrappers), Red Hat uses /usr/pgsql-<major>/bin, Homebrew /opt/homebrew/opt/
 * postgresql@<major>/bin, a source build /usr/local/pgsql/bin. We need four programs from
 * ONE installation, because a pg_basebackup of one major version cannot copy a server of
 * another.
 */
export const REQUIRED_PROGRAMS = ['initdb', 'postgres', 'pg_ctl', 'pg_basebackup'] as const;
export type PostgresProgram = (typeof REQUIRED_PROGRAMS)[number];

/** pg_promote() and recovery settings in postgresql.conf arrived in PostgreSQL 12. */
export const MAJOR_VERSION_MIN = 12;

export interface PostgresBinaries {
  binDir: string;
  /** e.g. "15.14" */
  version: string;
  majorVersion: number;
  /** Absolute path of each program. */
  programs: Record<PostgresProgram, string>;
  /** How the folder was found, for messages: "PG_BIN_DIR", "PATH", "pg_config", "standard location". */
  foundVia: string;
}

export const POSTGRES_INSTALL_HINT =
  'Install the PostgreSQL server: Debian/Ubuntu `sudo apt-get install -y postgresql` ' +
  '(binaries land in /usr/lib/postgresql/<major>/bin), Fedora/RHEL `sudo dnf install -y postgresql-server`, ' +
  'macOS `brew install postgresql@15`; or set PG_BIN_DIR to the folder that holds initdb and postgres.';

/** The server programs are missing: the message says where we looked and how to install them. */
export class PostgresNotInstalledError extends Error {
  readonly searched: string[];

  constructor(searched: string[], detail = '') {
    super(
      `PostgreSQL server binaries (${REQUIRED_PROGRAMS.join(', ')}) not found${detail ? ` (${detail})` : ''}; ` +
        `looked in: ${searched.length > 0 ? searched.join(', ') : '(nowhere)'}. ${POSTGRES_INSTALL_HINT}`,
    );
    this.name = 'PostgresNotInstalledError';
    this.searched = searched;
    this.stack = `${this.name}: ${this.message}`;
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function hasAllPrograms(dir: string): boolean {
  return REQUIRED_PROGRAMS.every((program) => isExecutable(path.join(dir, program)));
}

/** Version folders such as /usr/lib/postgresql/15/bin, newest major first. */
function versionedDirs(parent: string, prefix: string, suffix: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return [];
  }
  return entries
    .filter((name) => name.startsWith(prefix) && /^\d+(\.\d+)?$/.test(name.slice(prefix.length)))
    .sort((a, b) => parseFloat(b.slice(prefix.length)) - parseFloat(a.slice(prefix.length)))
    .map((name) => path.join(parent, name, suffix));
}

function pgConfigBinDir(env: NodeJS.ProcessEnv): string | null {
  const dir = onPath('pg_config', env);
  if (!dir) return null;
  try {
    const out = execFileSync(path.join(dir, 'pg_config'), ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    return out.trim() || null;
  } catch {
    return null;
  }
}

function onPath(program: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, program))) return dir;
  }
  return null;
}

/** Where to look, in order, each with how it was found (only PG_BIN_DIR when it is set). */
export function candidateBinDirs(env: NodeJS.ProcessEnv = process.env, standardLocations = true): Array<{ dir: string; via: string }> {
  const candidates: Array<{ dir: string; via: string }> = [];
  // An explicit choice is the only choice: a wrong PG_BIN_DIR is reported, not silently replaced.
  if (env.PG_BIN_DIR) return [{ dir: env.PG_BIN_DIR, via: 'PG_BIN_DIR' }];
  const pathDir = onPath('initdb', env);
  if (pathDir) candidates.push({ dir: pathDir, via: 'PATH' });
  const configDir = pgConfigBinDir(env);
  if (configDir) candidates.push({ dir: configDir, via: 'pg_config' });
  if (!standardLocations) return candidates;
  const standard = [
    ...versionedDirs('/usr/lib/postgresql', '', 'bin'),
    ...versionedDirs('/usr', 'pgsql-', 'bin'),
    ...versionedDirs('/opt/homebrew/opt', 'postgresql@', 'bin'),
    ...versionedDirs('/usr/local/opt', 'postgresql@', 'bin'),
    '/usr/local/pgsql/bin',
  ];
  for (const dir of standard) candidates.push({ dir, via: 'standard location' });
  return candidates;
}

function readVersion(postgresProgram: string): string {
  const out = execFileSync(postgresProgram, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const match = /(\d+)(?:\.(\d+))?/.exec(out);
  if (!match) throw new Error(`${postgresProgram} --version printed ${JSON.stringify(out.trim())}, which names no version`);
  return match[2] === undefined ? match[1] : `${match[1]}.${match[2]}`;
}

let cached: PostgresBinaries | null = null;

/**
 * The first folder (PG_BIN_DIR, PATH, pg_config --bindir, then the standard locations)
 * that holds initdb, postgres, pg_ctl and pg_basebackup of PostgreSQL ≥ 12. Throws
 * PostgresNotInstalledError, whose message says how to install them, when there is none.
 */
export function findPostgresBinaries(options: { env?: NodeJS.ProcessEnv; refresh?: boolean; standardLocations?: boolean } = {}): PostgresBinaries {
  const custom = options.env !== undefined || options.standardLocations === false;
  if (cached && !options.refresh && !custom) return cached;
  const searched: string[] = [];
  const tooOld: string[] = [];
  for (const { dir, via } of candidateBinDirs(options.env ?? process.env, options.standardLocations ?? true)) {
    if (searched.includes(dir)) continue;
    searched.push(dir);
    if (!hasAllPrograms(dir)) continue;
    const programs = {} as Record<PostgresProgram, string>;
    for (const program of REQUIRED_PROGRAMS) programs[program] = path.join(dir, program);
    const version = readVersion(programs.postgres);
    const majorVersion = parseInt(version, 10);
    if (majorVersion < MAJOR_VERSION_MIN) {
      tooOld.push(`${dir} has ${version}`);
      continue;
    }
    const found = { binDir: dir, version, majorVersion, programs, foundVia: via };
    if (!custom) cached = found;
    return found;
  }
  throw new PostgresNotInstalledError(searched, tooOld.length > 0 ? `need PostgreSQL ≥ ${MAJOR_VERSION_MIN}; ${tooOld.join('; ')}` : '');
}

/** The binaries, or null when they are not installed (for notebooks and tests that skip). */
export function postgresAvailability(): { binaries: PostgresBinaries | null; reason: string } {
  try {
    const binaries = findPostgresBinaries();
    return { binaries, reason: `PostgreSQL ${binaries.version} in ${binaries.binDir} (found via ${binaries.foundVia})` };
  } catch (error) {
    if (error instanceof PostgresNotInstalledError) return { binaries: null, reason: error.message };
    throw error;
  }
}
