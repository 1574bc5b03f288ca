// Proves that stopping `npm run monitor` stops the service: SIGINT (Ctrl-C or `kill -INT`) and
// SIGTERM sent to the npm process alone, not to its process group, end the service and free its
// port. Before the script used `exec node --import tsx`, npm's sh swallowed SIGINT and the tsx
// CLI's child survived SIGTERM, leaving the service running on its port.
import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { afterEach, describe, expect, test } from 'vitest';
import { freePort } from '../../lib/postgres';

const ROOT = path.resolve(__dirname, '..', '..');
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm run monitor stops when npm is stopped', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)('%s to the npm process stops the service and frees its port', async (signal) => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', MONITORING_INTERVAL_SECONDS: '1' };
    delete env.DATABASE_URL;
    const npm = spawn('npm', ['run', '--silent', 'monitor'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(npm);
    let output = '';
    npm.stdout!.on('data', (chunk) => (output += chunk));
    npm.stderr!.on('data', (chunk) => (output += chunk));
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    await waitFor(() => output.includes('monitor listening on'), `the service to listen (output: ${output})`, 60_000);
    expect(await portAnswers(port)).toBe(true);

    npm.kill(signal);
    await waitFor(async () => !(await portAnswers(port)), `port ${port} to close after ${signal} to npm (output: ${output})`, 15_000);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    expect(npm.exitCode !== null || npm.signalCode !== null, 'npm itself exits').toBe(true);
    expect(output).toContain(`${signal} received, shutting down`);
  }, 90_000);
});
