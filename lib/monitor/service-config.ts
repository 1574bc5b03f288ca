import * as fs from 'fs';
import type { ClientConfig } from 'pg';
import { OptionError } from '../util/option-error';
import { indiaTopology } from '../sim/topology';

/**
 * The monitor service's configuration, from the environment variables the episode uses.
 * Every value is validated and a bad one is an OptionError that names the variable, what
 * was given and what is allowed, except secrets: a bad DATABASE_URL is described without
 * repeating it, because it may hold a password.
 */
export type SourceConfig =
  | { kind: 'simulated'; seed: number }
  | { kind: 'postgres'; primary: ClientConfig; standbys: ClientConfig[]; business: string };

export interface MonitorServiceConfig {
  host: string;
  port: number;
  /** The leader's region (and the monitor's). */
  region: string;
  intervalMs: number;
  lagThresholdMs: number;
  lagThresholdByRegionMs: Record<string, number>;
  forMs: number;
  clearForMs: number;
  slaTargetShare: number;
  source: SourceConfig;
  /** This deployment's data-centre name (DATACENTER), a label on monitor_info and in /cluster-status. */
  datacenter: string;
  /** The connection pool size the pool rule judges (MAX_CONNECTIONS); null: what the source reports. */
  maxConnections: number | null;
  /** The business day, [start, end) hours: it shapes the simulated day and, for PostgreSQL, the SLA window (BUSINESS_HOURS_START/END). */
  businessHoursStart: number;
  businessHoursEnd: number;
  /** Peak traffic relative to the episode's default (PEAK_MULTIPLIER): scales the simulated peaks. */
  peakMultiplier: number;
  /** Prefer cheaper regions when scaling (COST_OPTIMIZATION); read by the replica-fleet controller. */
  costOptimization: boolean;
}

/** The variables the service reads, with what each means (for --help and the README). */
export const MONITOR_ENV_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'DATABASE_URL', default: '(unset: simulated cluster)', meaning: 'postgres://user:password@host:port/db of the PostgreSQL primary; query sslmode=disable|require|verify-full' },
  { name: 'DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME', default: '(unset), 5432, postgres, (none), postgres', meaning: 'the primary, field by field, instead of DATABASE_URL' },
  { name: 'STANDBY_DATABASE_URLS', default: '(unset)', meaning: 'comma-separated URLs of standbys to query directly (replay LSN, failover detection); a URL without password uses the primary\'s' },
  { name: 'REGION', default: 'mumbai', meaning: 'region of the leader; PostgreSQL standbys named after a region (kolkata, delhi_2) are placed in that region, others here' },
  { name: 'BUSINESS', default: 'banking', meaning: 'banking | ecommerce: which error-rate threshold (1 % | 2 %) applies to a PostgreSQL database' },
  { name: 'REPLICATION_LAG_THRESHOLD_MS', default: '200', meaning: 'critical replication lag for regions without their own threshold' },
  { name: 'REGION_LAG_THRESHOLDS_MS', default: 'mumbai=100', meaning: 'per-region thresholds, e.g. mumbai=100,kolkata=250' },
  { name: 'MONITORING_INTERVAL_SECONDS', default: '5', meaning: 'how often the cluster is sampled (0.05 to 3600)' },
  { name: 'ALERT_FOR_SECONDS', default: '30', meaning: 'how long a breach must last before an alert fires' },
  { name: 'ALERT_CLEAR_SECONDS', default: '30', meaning: 'how long a firing alert must be clear before it resolves' },
  { name: 'SLA_TARGET_PERCENT', default: '99.9', meaning: 'promised share of time within the lag threshold' },
  { name: 'SIM_SEED', default: '41', meaning: 'seed of the simulated cluster' },
  { name: 'DB_PASSWORD_FILE', default: '(unset)', meaning: 'a file holding the primary\'s password (first line), so it need not sit in the environment; PGPASSFILE (~/.pgpass format) also works when no password is given' },
  { name: 'DATACENTER', default: '<REGION>-dc1', meaning: 'name of this data centre, shown on monitor_info and /cluster-status (letters, digits, . _ -)' },
  { name: 'MAX_CONNECTIONS', default: '(unset: the server\'s max_connections; 16 per simulated client)', meaning: 'connection pool size the ConnectionPoolSaturated rule judges (1 to 100000)' },
  { name: 'BUSINESS_HOURS_START, BUSINESS_HOURS_END', default: '8, 24', meaning: 'the business day in hours [start, end): the simulated cluster runs these hours, day after day; for PostgreSQL the SLA judges only these hours (India Standard Time)' },
  { name: 'PEAK_MULTIPLIER', default: '1', meaning: 'peak traffic relative to the episode\'s 150 writes/s and 300 reads/s of the simulated cluster (0.1 to 20); above about 1.3 its modelled CPU passes 80 %' },
  { name: 'COST_OPTIMIZATION', default: 'false', meaning: 'true | false: prefer cheaper regions within the latency objective when the replica-fleet controller scales' },
  { name: 'PORT', default: '8080', meaning: 'HTTP port (0 = any free port)' },
  { name: 'HOST', default: '127.0.0.1', meaning: 'address to listen on; keep loopback unless a proxy or firewall protects the service' },
];

const SSL_MODES = ['disable', 'require', 'verify-full'];
const URL_QUERY_KEYS = ['sslmode', 'application_name'];

function fail(message: string): never {
  throw new OptionError(message);
}

function isSet(env: NodeJS.ProcessEnv, name: string): boolean {
  return env[name] !== undefined && env[name] !== '';
}

function numberVar(env: NodeJS.ProcessEnv, name: string, fallback: number, range: { min: number; max: number; integer?: boolean }, unitText: string): number {
  if (!isSet(env, name)) return fallback;
  const raw = String(env[name]).trim();
  const value = raw === '' ? NaN : Number(raw);
  const kind = range.integer ? 'an integer' : 'a number';
  if (!Number.isFinite(value) || (range.integer && !Number.isInteger(value)) || value < range.min || value > range.max) {
    fail(`${name}: got ${JSON.stringify(env[name])}; allowed: ${kind} of ${unitText} between ${range.min} and ${range.max}`);
  }
  return value;
}

function regionIds(): string[] {
  return indiaTopology().regions.map((r) => r.id);
}

function regionVar(env: NodeJS.ProcessEnv): string {
  const region = isSet(env, 'REGION') ? String(env.REGION).trim().toLowerCase() : 'mumbai';
  const allowed = regionIds();
  if (!allowed.includes(region)) fail(`REGION: got ${JSON.stringify(env.REGION)}; allowed: ${allowed.join(' | ')}`);
  return region;
}

function thresholdMapVar(env: NodeJS.ProcessEnv): Record<string, number> {
  if (!isSet(env, 'REGION_LAG_THRESHOLDS_MS')) return { mumbai: 100 };
  const allowed = regionIds();
  const map: Record<string, number> = {};
  for (const part of String(env.REGION_LAG_THRESHOLDS_MS).split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const match = /^([a-z]+)\s*=\s*([0-9]+(?:\.[0-9]+)?)$/.exec(item);
    if (!match) fail(`REGION_LAG_THRESHOLDS_MS: got ${JSON.stringify(item)} in ${JSON.stringify(env.REGION_LAG_THRESHOLDS_MS)}; allowed: region=milliseconds pairs separated by commas, e.g. "mumbai=100,kolkata=250"`);
    if (!allowed.includes(match[1])) fail(`REGION_LAG_THRESHOLDS_MS: got the region ${JSON.stringify(match[1])}; allowed: ${allowed.join(' | ')}`);
    const value = Number(match[2]);
    if (value > 3_600_000) fail(`REGION_LAG_THRESHOLDS_MS: got ${value} ms for ${match[1]}; allowed: 0 to 3600000 ms`);
    map[match[1]] = value;
  }
  return map;
}

/**
 * Parses a postgres:// URL into node-postgres settings. `what` names the variable in
 * errors; the URL itself is never quoted in an error because it may carry a password.
 */
export function parseDatabaseUrl(what: string, url: string, fallbackPassword?: string): ClientConfig {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    fail(`${what}: not a valid URL (the value is not shown because it may contain a password); allowed: postgres://user:password@host:port/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    fail(`${what}: got the scheme ${JSON.stringify(parsed.protocol.replace(/:$/, ''))}; allowed: postgres | postgresql`);
  }
  if (!parsed.hostname) fail(`${what}: no host; allowed: postgres://user:password@host:port/database`);
  const port = parsed.port === '' ? 5432 : Number(parsed.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${what}: got the port ${JSON.stringify(parsed.port)}; allowed: 1 to 65535`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  if (database.includes('/')) fail(`${what}: got the database ${JSON.stringify(database)}; allowed: one database name after the host`);
  for (const key of parsed.searchParams.keys()) {
    if (!URL_QUERY_KEYS.includes(key)) fail(`${what}: got the query parameter ${JSON.stringify(key)}; allowed: ${URL_QUERY_KEYS.join(', ')}`);
  }
  const sslmode = parsed.searchParams.get('sslmode') ?? 'disable';
  if (!SSL_MODES.includes(sslmode)) fail(`${what}: got sslmode=${JSON.stringify(sslmode)}; allowed: ${SSL_MODES.join(' | ')}`);
  const password = parsed.password !== '' ? decodeURIComponent(parsed.password) : fallbackPassword;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    user: parsed.username !== '' ? decodeURIComponent(parsed.username) : 'postgres',
    ...(password !== undefined ? { password } : {}),
    database,
    ...(sslmode === 'require' ? { ssl: { rejectUnauthorized: false } } : sslmode === 'verify-full' ? { ssl: true } : {}),
  };
}

/** DB_PASSWORD_FILE: the first line of a file, so the password need not be in the environment. */
function passwordFromFile(env: NodeJS.ProcessEnv): string | undefined {
  if (!isSet(env, 'DB_PASSWORD_FILE')) return undefined;
  if (isSet(env, 'DB_PASSWORD')) fail('DB_PASSWORD and DB_PASSWORD_FILE are both set; allowed: one of them');
  const file = String(env.DB_PASSWORD_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    fail(`DB_PASSWORD_FILE: cannot read ${JSON.stringify(file)} (${(error as NodeJS.ErrnoException).code ?? 'error'}); allowed: a readable file whose first line is the password`);
  }
  const password = text.split(/\r?\n/, 1)[0];
  if (password === '') fail(`DB_PASSWORD_FILE: ${JSON.stringify(file)} is empty; allowed: a file whose first line is the password`);
  return password;
}

function sourceVar(env: NodeJS.ProcessEnv): SourceConfig {
  const filePassword = passwordFromFile(env);
  const business = isSet(env, 'BUSINESS') ? String(env.BUSINESS).trim().toLowerCase() : 'banking';
  if (!['banking', 'ecommerce'].includes(business)) fail(`BUSINESS: got ${JSON.stringify(env.BUSINESS)}; allowed: banking | ecommerce`);
  const fieldVars = ['DB_HOST', 'DB_PORT', 'DB_USER', 'DB_PASSWORD', 'DB_NAME'].filter((name) => isSet(env, name));
  if (filePassword !== undefined && fieldVars.length === 0 && !isSet(env, 'DATABASE_URL')) fail('DB_PASSWORD_FILE: set without a primary; allowed: set DATABASE_URL (or DB_HOST) too');
  let primary: ClientConfig | null = null;
  if (isSet(env, 'DATABASE_URL')) {
    const conflicting = fieldVars.filter((name) => name !== 'DB_PASSWORD');
    if (conflicting.length > 0) fail(`DATABASE_URL and ${conflicting.join(', ')} are both set; allowed: either DATABASE_URL or the DB_* variables`);
    primary = parseDatabaseUrl('DATABASE_URL', String(env.DATABASE_URL), isSet(env, 'DB_PASSWORD') ? String(env.DB_PASSWORD) : filePassword);
  } else if (fieldVars.length > 0) {
    if (!isSet(env, 'DB_HOST')) fail(`DB_HOST: not set, but ${fieldVars.join(', ')} ${fieldVars.length === 1 ? 'is' : 'are'}; allowed: set DB_HOST (and optionally DB_PORT, DB_USER, DB_PASSWORD, DB_NAME) or DATABASE_URL`);
    const host = String(env.DB_HOST).trim();
    if (!/^[A-Za-z0-9._:-]+$/.test(host)) fail(`DB_HOST: got ${JSON.stringify(env.DB_HOST)}; allowed: a host name or IP address`);
    primary = {
      host,
      port: numberVar(env, 'DB_PORT', 5432, { min: 1, max: 65535, integer: true }, 'a TCP port'),
      user: isSet(env, 'DB_USER') ? String(env.DB_USER) : 'postgres',
      ...(isSet(env, 'DB_PASSWORD') ? { password: String(env.DB_PASSWORD) } : filePassword !== undefined ? { password: filePassword } : {}),
      database: isSet(env, 'DB_NAME') ? String(env.DB_NAME) : 'postgres',
    };
  }
  if (primary === null) {
    if (isSet(env, 'STANDBY_DATABASE_URLS')) fail('STANDBY_DATABASE_URLS: set without a primary; allowed: set DATABASE_URL (or DB_HOST) too');
    return { kind: 'simulated', seed: numberVar(env, 'SIM_SEED', 41, { min: 0, max: 2 ** 31 - 1, integer: true }, 'a seed') };
  }
  const standbyUrls = isSet(env, 'STANDBY_DATABASE_URLS') ? String(env.STANDBY_DATABASE_URLS).split(',').map((u) => u.trim()).filter((u) => u !== '') : [];
  if (standbyUrls.length > 16) fail(`STANDBY_DATABASE_URLS: got ${standbyUrls.length} URLs; allowed: at most 16`);
  const fallbackPassword = typeof primary.password === 'string' ? primary.password : undefined;
  const standbys = standbyUrls.map((url, i) => parseDatabaseUrl(`STANDBY_DATABASE_URLS[${i}]`, url, fallbackPassword));
  return { kind: 'postgres', primary, standbys, business };
}

function hostVar(env: NodeJS.ProcessEnv): string {
  if (!isSet(env, 'HOST')) return '127.0.0.1';
  const host = String(env.HOST).trim();
  if (!/^[A-Za-z0-9._:-]+$/.test(host) || host.length > 253) fail(`HOST: got ${JSON.stringify(env.HOST)}; allowed: an IP address or host name to listen on, e.g. 127.0.0.1`);
  return host;
}

function booleanVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  if (!isSet(env, name)) return fallback;
  const raw = String(env[name]).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  fail(`${name}: got ${JSON.stringify(env[name])}; allowed: true | false`);
}

function datacenterVar(env: NodeJS.ProcessEnv, region: string): string {
  if (!isSet(env, 'DATACENTER')) return `${region}-dc1`;
  const value = String(env.DATACENTER).trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(value)) fail(`DATACENTER: got ${JSON.stringify(env.DATACENTER)}; allowed: 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  return value;
}

/** Reads and validates the whole configuration. */
export function loadMonitorConfig(env: NodeJS.ProcessEnv = process.env): MonitorServiceConfig {
  const region = regionVar(env);
  const businessHoursStart = numberVar(env, 'BUSINESS_HOURS_START', 8, { min: 0, max: 23, integer: true }, 'hours');
  const businessHoursEnd = numberVar(env, 'BUSINESS_HOURS_END', 24, { min: 1, max: 24, integer: true }, 'hours');
  if (businessHoursEnd <= businessHoursStart) {
    fail(`BUSINESS_HOURS_END: got ${businessHoursEnd} with BUSINESS_HOURS_START ${businessHoursStart}; allowed: an end hour after the start (the day runs [start, end))`);
  }
  return {
    datacenter: datacenterVar(env, region),
    maxConnections: isSet(env, 'MAX_CONNECTIONS') ? numberVar(env, 'MAX_CONNECTIONS', 0, { min: 1, max: 100_000, integer: true }, 'connections') : null,
    businessHoursStart,
    businessHoursEnd,
    peakMultiplier: numberVar(env, 'PEAK_MULTIPLIER', 1, { min: 0.1, max: 20 }, 'times the default peak'),
    costOptimization: booleanVar(env, 'COST_OPTIMIZATION', false),
    host: hostVar(env),
    port: numberVar(env, 'PORT', 8080, { min: 0, max: 65535, integer: true }, 'a TCP port'),
    region,
    intervalMs: numberVar(env, 'MONITORING_INTERVAL_SECONDS', 5, { min: 0.05, max: 3600 }, 'seconds') * 1000,
    lagThresholdMs: numberVar(env, 'REPLICATION_LAG_THRESHOLD_MS', 200, { min: 0, max: 3_600_000 }, 'milliseconds'),
    lagThresholdByRegionMs: thresholdMapVar(env),
    forMs: numberVar(env, 'ALERT_FOR_SECONDS', 30, { min: 0, max: 86_400 }, 'seconds') * 1000,
    clearForMs: numberVar(env, 'ALERT_CLEAR_SECONDS', 30, { min: 0, max: 86_400 }, 'seconds') * 1000,
    // toPrecision: 99.9 / 100 is 0.9990000000000001 in binary floating point.
    slaTargetShare: Number((numberVar(env, 'SLA_TARGET_PERCENT', 99.9, { min: 0, max: 100 }, 'percent') / 100).toPrecision(12)),
    source: sourceVar(env),
  };
}

/** Every secret in a configuration: what the logger and the responses must never show. */
export function configSecrets(config: MonitorServiceConfig): string[] {
  if (config.source.kind !== 'postgres') return [];
  const secrets: string[] = [];
  for (const c of [config.source.primary, ...config.source.standbys]) {
    if (typeof c.password === 'string' && c.password !== '') {
      secrets.push(c.password, encodeURIComponent(c.password));
    }
  }
  return [...new Set(secrets)];
}

/** The configuration as it may be shown (logs, /cluster-status): connection targets without passwords. */
export function describeConfig(config: MonitorServiceConfig): Record<string, unknown> {
  const target = (c: ClientConfig) => `${c.user ?? 'postgres'}@${c.host}:${c.port}/${c.database}${c.password ? ' (password set)' : ''}`;
  return {
    host: config.host,
    port: config.port,
    region: config.region,
    intervalMs: config.intervalMs,
    lagThresholdMs: config.lagThresholdMs,
    lagThresholdByRegionMs: config.lagThresholdByRegionMs,
    forMs: config.forMs,
    clearForMs: config.clearForMs,
    slaTargetShare: config.slaTargetShare,
    datacenter: config.datacenter,
    maxConnections: config.maxConnections,
    businessHours: [config.businessHoursStart, config.businessHoursEnd],
    peakMultiplier: config.peakMultiplier,
    costOptimization: config.costOptimization,
    source:
      config.source.kind === 'simulated'
        ? { kind: 'simulated', seed: config.source.seed }
        : { kind: 'postgres', primary: target(config.source.primary), standbys: config.source.standbys.map(target), business: config.source.business },
  };
}
