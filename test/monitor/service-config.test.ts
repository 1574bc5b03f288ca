// Proves the environment is validated with precise errors, that DATABASE_URL and DB_* become
// connection settings, and that no error or description ever repeats a password.
import { describe, expect, test } from 'vitest';
import { configSecrets, describeConfig, loadMonitorConfig, parseDatabaseUrl } from '../../lib/monitor';

const PASSWORD = 's3cr3t-Pa55word';

describe('monitor configuration from the environment', () => {
  test('defaults: loopback:8080, Mumbai, 5 s interval, 200 ms lag threshold (100 ms in Mumbai), simulated source', () => {
    const config = loadMonitorConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      region: 'mumbai',
      intervalMs: 5000,
      lagThresholdMs: 200,
      lagThresholdByRegionMs: { mumbai: 100 },
      slaTargetShare: 0.999,
      source: { kind: 'simulated', seed: 41 },
    });
  });

  test('the episode variables are read and converted to ms', () => {
    const config = loadMonitorConfig({
      REGION: 'Delhi',
      REPLICATION_LAG_THRESHOLD_MS: '150',
      REGION_LAG_THRESHOLDS_MS: 'mumbai=80, kolkata=300',
      MONITORING_INTERVAL_SECONDS: '0.5',
      ALERT_FOR_SECONDS: '10',
      PORT: '9090',
    });
    expect(config).toMatchObject({ region: 'delhi', lagThresholdMs: 150, lagThresholdByRegionMs: { mumbai: 80, kolkata: 300 }, intervalMs: 500, forMs: 10_000, port: 9090 });
  });

  test.each([
    [{ PORT: '80a' }, 'PORT: got "80a"; allowed: an integer of a TCP port between 0 and 65535'],
    [{ PORT: '70000' }, 'PORT: got "70000"'],
    [{ MONITORING_INTERVAL_SECONDS: '0' }, 'MONITORING_INTERVAL_SECONDS: got "0"; allowed: a number of seconds between 0.05 and 3600'],
    [{ REGION: 'london' }, 'REGION: got "london"; allowed: mumbai | delhi | bangalore'],
    [{ REPLICATION_LAG_THRESHOLD_MS: '-5' }, 'REPLICATION_LAG_THRESHOLD_MS: got "-5"'],
    [{ REGION_LAG_THRESHOLDS_MS: 'mumbai:100' }, 'REGION_LAG_THRESHOLDS_MS: got "mumbai:100"'],
    [{ REGION_LAG_THRESHOLDS_MS: 'paris=100' }, 'REGION_LAG_THRESHOLDS_MS: got the region "paris"'],
    [{ HOST: 'evil host' }, 'HOST: got "evil host"'],
    [{ BUSINESS: 'retail' }, 'BUSINESS: got "retail"; allowed: banking | ecommerce'],
    [{ DB_PORT: '5432' }, 'DB_HOST: not set, but DB_PORT is'],
    [{ DATABASE_URL: 'postgres://a@h/db', DB_HOST: 'x' }, 'DATABASE_URL and DB_HOST are both set'],
    [{ DATABASE_URL: 'mysql://u@h/db' }, 'DATABASE_URL: got the scheme "mysql"; allowed: postgres | postgresql'],
    [{ DATABASE_URL: 'postgres://u@h/db?sslmode=allow' }, 'DATABASE_URL: got sslmode="allow"; allowed: disable | require | verify-full'],
    [{ STANDBY_DATABASE_URLS: 'postgres://h/db' }, 'STANDBY_DATABASE_URLS: set without a primary'],
  ])('bad value %j is an error naming the variable: %s', (env, message) => {
    expect(() => loadMonitorConfig(env)).toThrow(message);
  });

  test('DATABASE_URL becomes node-postgres settings; a standby URL without a password borrows the primary\'s', () => {
    const config = loadMonitorConfig({
      DATABASE_URL: `postgresql://monitor:${encodeURIComponent(PASSWORD)}@db.internal:6543/bank?sslmode=require`,
      STANDBY_DATABASE_URLS: 'postgres://monitor@standby1:5433/bank, postgres://monitor@standby2/bank',
    });
    expect(config.source).toMatchObject({
      kind: 'postgres',
      primary: { host: 'db.internal', port: 6543, user: 'monitor', password: PASSWORD, database: 'bank', ssl: { rejectUnauthorized: false } },
      standbys: [
        { host: 'standby1', port: 5433, password: PASSWORD },
        { host: 'standby2', port: 5432, password: PASSWORD },
      ],
    });
  });

  test('DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME work instead of DATABASE_URL', () => {
    const config = loadMonitorConfig({ DB_HOST: '10.0.0.5', DB_PORT: '5433', DB_USER: 'mon', DB_PASSWORD: PASSWORD, DB_NAME: 'shop', BUSINESS: 'ecommerce' });
    expect(config.source).toEqual({ kind: 'postgres', primary: { host: '10.0.0.5', port: 5433, user: 'mon', password: PASSWORD, database: 'shop' }, standbys: [], business: 'ecommerce' });
  });

  test('a malformed DATABASE_URL is reported without repeating it (it may hold a password)', () => {
    let message = '';
    try {
      loadMonitorConfig({ DATABASE_URL: `postgres://user:${PASSWORD}@host:notaport/db` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^DATABASE_URL: /);
    expect(message).not.toContain(PASSWORD);
    expect(() => parseDatabaseUrl('DATABASE_URL', `::${PASSWORD}::`)).toThrow(/not a valid URL \(the value is not shown/);
  });

  test('describeConfig shows where we connect but never the password; configSecrets lists it for redaction', () => {
    const config = loadMonitorConfig({ DATABASE_URL: `postgres://monitor:${PASSWORD}@db:5432/bank` });
    const text = JSON.stringify(describeConfig(config));
    expect(text).toContain('monitor@db:5432/bank (password set)');
    expect(text).not.toContain(PASSWORD);
    expect(configSecrets(config)).toContain(PASSWORD);
  });
});
