import { execFile } from 'child_process';
import { ServerUser } from './server-user';

/**
 * Running one PostgreSQL program (initdb, pg_basebackup, ...) to completion as the server
 * account. Passwords travel only in the child's environment (PGPASSWORD), never in its
 * arguments, so they never show up in `ps` or in an error message that quotes the command.
 */
export interface ProgramRunOptions {
  user: ServerUser;
  cwd: string;
  /** Added to a clean environment (our PG* variables are left out so they cannot redirect the program). */
  env?: Record<string, string>;
  timeoutMs: number;
}

/** The environment for server programs: ours without PG*, plus a predictable locale. */
export function serverEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('PG') && key !== 'DATABASE_URL' && key !== 'DB_PASSWORD') env[key] = value;
  }
  env.LC_ALL = 'C';
  env.LANG = 'C';
  return { ...env, ...extra };
}

/** The last lines of a program's output, which is where PostgreSQL programs say what failed. */
export function tailLines(text: string, lineCount = 12): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(Math.max(0, lines.length - lineCount)).join('\n');
}

export function runProgram(file: string, args: string[], options: ProgramRunOptions): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: serverEnvironment(options.env),
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
        uid: options.user.uid ?? undefined,
        gid: options.user.gid ?? undefined,
      },
      (error, stdout, stderr) => {
        if (error) {
          const how = error.killed ? `was killed after its ${options.timeoutMs} ms limit` : `failed (${error.code ?? error.signal ?? 'unknown'})`;
          reject(new Error(`${file} ${args.join(' ')} ${how}:\n${tailLines(String(stderr) || String(stdout))}`));
          return;
        }
        resolve({ stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
