import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expect, test } from 'vitest';
import { ManagedProcess, ProcessWatchdog, groupAlive, makeRunDirectory, sleepMs } from '../../lib/chaos';

/**
 * If the process that started the engines dies without a teardown, the watchdog kills every
 * registered process group and deletes the run folder. A short-lived shell plays the notebook
 * kernel that dies; a detached `sleep` plays the engine it left running.
 */
test('the watchdog kills registered process groups and removes the folder when its parent dies', async () => {
  const directory = makeRunDirectory('watchdog-test');
  const parent = spawn('/bin/sh', ['-c', 'sleep 0.3'], { stdio: 'ignore' });
  const watchdog = new ProcessWatchdog(directory, parent.pid!);
  const engine = new ManagedProcess({ name: 'engine', program: 'sleep', args: ['60'], logFile: path.join(directory, 'engine.log'), cwd: directory, watchdog });
  engine.start();
  const pid = engine.pid!;
  expect(groupAlive(pid)).toBe(true);
  for (let i = 0; i < 100 && (groupAlive(pid) || fs.existsSync(directory)); i++) await sleepMs(50);
  expect(groupAlive(pid)).toBe(false);
  expect(fs.existsSync(directory)).toBe(false);
}, 15_000);
