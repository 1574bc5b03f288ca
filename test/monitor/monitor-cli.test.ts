// Proves `npm run monitor` as a process: a bad variable stops it with one precise line and exit 2;
// with the simulated cluster /metrics shows per-replica lag; with an unreachable DATABASE_URL it
// stays up with degraded health and never prints the password; SIGTERM/SIGINT stop it with exit 0.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { afterEach, describe, expect, test } from 'vitest';
import { freePort } from '../../lib/postgres';
import { request } from './http-client';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const running: ChildProcess[] = [];

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Launched {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['DATABASE_URL', 'DB_HOST', 'DB_PASSWORD', 'PORT', 'HOST', 'REGION'].includes(k)) clean[k] = v;
  const child = spawn(TSX, ['scripts/monitor.ts'], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitFor(condition: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; output so far:\n${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm run monitor', () => {
  test('a bad variable: one line naming it, what was given and what is allowed, exit status 2, no stack trace', async () => {
    const run = launch({ REGION: 'london' });
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('monitor: REGION: got "london"; allowed: mumbai | delhi');
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  test('with the simulated cluster, /metrics shows the lag of every follower; SIGINT stops it (exit 0)', async () => {
    const port = await freePort();
    const run = launch({ PORT: String(port), MONITORING_INTERVAL_SECONDS: '0.2' });
    await waitFor(() => run.output().includes('monitor listening on'), run.output);
    // "listening" is logged before the first sample is ingested: poll until a scrape has every follower.
    const patternFor = (replica: string) => new RegExp(`replication_lag_seconds\\{replica="${replica}",region="[a-z]+",stage="replay"\\} [0-9.e-]+`);
    let metrics = '';
    const deadline = Date.now() + 20_000;
    do {
      metrics = (await request(`http://127.0.0.1:${port}`, '/metrics')).body;
      if (['mumbai-2', 'delhi', 'bangalore', 'kolkata'].every((r) => patternFor(r).test(metrics))) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    for (const replica of ['mumbai-2', 'delhi', 'bangalore', 'kolkata']) {
      expect(metrics).toMatch(new RegExp(`replication_lag_seconds\\{replica="${replica}",region="[a-z]+",stage="replay"\\} [0-9.e-]+`));
    }
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('monitor stopped');
  });

  test('an unreachable database: the service stays up, /health is degraded, the password is never printed; SIGTERM exits 0', async () => {
    const port = await freePort();
    const deadDbPort = await freePort();
    const password = 'Pw-for-a-dead-db-7781';
    const run = launch({ PORT: String(port), DATABASE_URL: `postgres://monitor:${password}@127.0.0.1:${deadDbPort}/bank`, MONITORING_INTERVAL_SECONDS: '0.2' });
    await waitFor(() => run.output().includes('monitor listening on'), run.output);
    const health = await request(`http://127.0.0.1:${port}`, '/health');
    expect(health.status).toBe(503);
    expect(health.json().source.lastError).toMatch(/ECONNREFUSED/);
    await waitFor(() => run.output().includes('sampling failed'), run.output);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain(`source: PostgreSQL primary monitor@127.0.0.1:${deadDbPort}/bank`);
    expect(run.output()).not.toContain(password);
    expect(health.body).not.toContain(password);
  });
});
