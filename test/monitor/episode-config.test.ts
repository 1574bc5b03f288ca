// Proves the rest of the episode's configuration is implemented, validated and used: DATACENTER,
// MAX_CONNECTIONS, BUSINESS_HOURS_START/END, PEAK_MULTIPLIER, COST_OPTIMIZATION and
// DB_PASSWORD_FILE each give one precise line for a bad value, and PEAK_MULTIPLIER really pushes
// the simulated leader's modelled CPU past the resource rule's 80 %.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, test } from 'vitest';
import { CAPACITY_HEADROOM, ReplicationMonitor, SimulatedDay, loadMonitorConfig } from '../../lib/monitor';

describe('the episode configuration', () => {
  test('defaults and values', () => {
    expect(loadMonitorConfig({})).toMatchObject({ datacenter: 'mumbai-dc1', maxConnections: null, businessHoursStart: 8, businessHoursEnd: 24, peakMultiplier: 1, costOptimization: false });
    expect(loadMonitorConfig({ DATACENTER: 'bom-2', MAX_CONNECTIONS: '200', BUSINESS_HOURS_START: '9', BUSINESS_HOURS_END: '21', PEAK_MULTIPLIER: '2.5', COST_OPTIMIZATION: 'true' }))
      .toMatchObject({ datacenter: 'bom-2', maxConnections: 200, businessHoursStart: 9, businessHoursEnd: 21, peakMultiplier: 2.5, costOptimization: true });
  });

  test.each([
    [{ MAX_CONNECTIONS: 'abc' }, /^MAX_CONNECTIONS: got "abc"; allowed: an integer of connections between 1 and 100000$/],
    [{ BUSINESS_HOURS_START: '25' }, /^BUSINESS_HOURS_START: got "25"; allowed: an integer of hours between 0 and 23$/],
    [{ BUSINESS_HOURS_START: '18', BUSINESS_HOURS_END: '9' }, /^BUSINESS_HOURS_END: got 9 with BUSINESS_HOURS_START 18; allowed: an end hour after the start/],
    [{ PEAK_MULTIPLIER: '0' }, /^PEAK_MULTIPLIER: got "0"; allowed: a number of times the default peak between 0.1 and 20$/],
    [{ COST_OPTIMIZATION: 'maybe' }, /^COST_OPTIMIZATION: got "maybe"; allowed: true \| false$/],
    [{ DATACENTER: 'mumbai dc' }, /^DATACENTER: got "mumbai dc"; allowed: 1 to 63 letters/],
    [{ DB_PASSWORD_FILE: '/nonexistent/pw', DATABASE_URL: 'postgres://u@127.0.0.1/db' }, /^DB_PASSWORD_FILE: cannot read "\/nonexistent\/pw" \(ENOENT\)/],
  ])('a bad value is one precise line: %j', (env, message) => {
    expect(() => loadMonitorConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });

  test('DB_PASSWORD_FILE gives the password without putting it in the environment', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pw-')), 'password');
    fs.writeFileSync(file, 'from-a-file\n', { mode: 0o600 });
    const config = loadMonitorConfig({ DATABASE_URL: 'postgres://monitor@127.0.0.1:5432/bank', DB_PASSWORD_FILE: file });
    expect(config.source.kind === 'postgres' && config.source.primary.password).toBe('from-a-file');
    expect(() => loadMonitorConfig({ DB_PASSWORD_FILE: file, DB_PASSWORD: 'x', DB_HOST: 'h' })).toThrow(/DB_PASSWORD and DB_PASSWORD_FILE are both set/);
  });

  test('PEAK_MULTIPLIER 2 against the planned capacity fires ResourceUsageHigh on the simulated leader; the planned day does not', () => {
    const run = (multiplier: number) => {
      const day = new SimulatedDay({ seed: 41, hourMs: 500, fromHour: 9, toHour: 11, peakWritesPerSec: 150 * multiplier, peakReadsPerSec: 300 * multiplier, capacityOpsPerSec: CAPACITY_HEADROOM * 450 });
      const monitor = new ReplicationMonitor({ forMs: 100, clearForMs: 100 });
      let cpuMax = 0;
      for (let t = 100; t <= 900; t += 100) {
        day.advanceTo(t);
        const snap = day.snapshot(t);
        cpuMax = Math.max(cpuMax, snap.resources?.cpuRatio ?? 0);
        monitor.ingest(snap);
      }
      return { cpuMax, fired: monitor.alertEvents().some((e) => e.rule === 'ResourceUsageHigh' && e.to === 'firing') };
    };
    const planned = run(1);
    const doubled = run(2);
    expect(planned.cpuMax).toBeLessThan(0.8);
    expect(planned.fired).toBe(false);
    expect(doubled.cpuMax).toBeGreaterThan(0.8);
    expect(doubled.fired).toBe(true);
  });
});
