/**
 * npm run monitor — the replication lag monitor service.
 *
 *   npm run monitor                                   # simulated cluster, http://127.0.0.1:8080
 *   DATABASE_URL=postgres://user:pass@host:5432/db npm run monitor   # a real PostgreSQL primary
 *   npm run monitor -- --help                         # every variable
 *
 * Configuration comes from the environment (see MONITOR_ENV_VARIABLES). A bad value stops
 * the service before it starts, with one line saying which variable, what was given and
 * what is allowed (exit status 2). SIGINT/SIGTERM stop it gracefully (exit status 0).
 */
import { OptionError } from '../lib/util';
import { MONITOR_ENV_VARIABLES, Redactor, configSecrets, episodeAlertRules, loadMonitorConfig, prometheusRulesYaml, startMonitorService } from '../lib/monitor';
import type { MonitorServiceConfig, RunningMonitorService } from '../lib/monitor';

function help(): string {
  const width = Math.max(...MONITOR_ENV_VARIABLES.map((v) => v.name.length));
  const lines = MONITOR_ENV_VARIABLES.map((v) => `  ${v.name.padEnd(width)}  ${v.meaning} (default: ${v.default})`);
  return [
    'npm run monitor — replication lag monitor (GET /health /metrics /alerts /regions /cluster-status /replication-queue /consensus /lag-history /dashboard)',
    '  npm run --silent monitor -- --print-rules   the alert rules as a Prometheus rules file (promtool check rules accepts it)',
    '',
    'Environment variables:',
    ...lines,
  ].join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(help());
    return;
  }
  let config: MonitorServiceConfig;
  if (process.argv.includes('--print-rules')) {
    // The alert rules as a Prometheus rules file, with this environment's thresholds and durations.
    try {
      config = loadMonitorConfig(process.env);
    } catch (error) {
      if (error instanceof OptionError) {
        console.error(`monitor: ${error.message}`);
        process.exit(2);
      }
      throw error;
    }
    process.stdout.write(prometheusRulesYaml(episodeAlertRules({ forMs: config.forMs, clearForMs: config.clearForMs, lagThresholdMs: config.lagThresholdMs, lagThresholdByRegionMs: config.lagThresholdByRegionMs })));
    return;
  }
  try {
    config = loadMonitorConfig(process.env);
  } catch (error) {
    if (error instanceof OptionError) {
      console.error(`monitor: ${error.message}\n(run \`npm run monitor -- --help\` for every variable)`);
      process.exit(2);
    }
    throw error;
  }
  const redactor = new Redactor(configSecrets(config));
  // Signal handlers go in before the service starts, so a stop request that arrives while it
  // is still starting is honoured once it is up (instead of killing it half-started).
  let servicePromise: Promise<RunningMonitorService> | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      console.error(`monitor: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${new Date().toISOString()} ${signal} received, shutting down`);
    if (!servicePromise) process.exit(0);
    servicePromise
      .then((service) => service.stop())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(`monitor: shutdown failed: ${redactor.redact(String(error))}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  // `npm run monitor` is `exec node --import tsx scripts/monitor.ts`: exec replaces npm's
  // `sh -c`, and node loads tsx in-process, so npm's forwarded SIGINT/SIGTERM reach this very
  // process (sh would swallow SIGINT and die on SIGTERM; the tsx CLI adds a parent that
  // outlives it). Should npm itself be killed outright (SIGKILL), we are re-parented: treat
  // losing the parent as a stop signal too, so the port never stays taken.
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid && !stopping) shutdown('parent exit');
  }, 250).unref();

  servicePromise = startMonitorService({ config });
  try {
    await servicePromise;
  } catch (error) {
    console.error(`monitor: ${redactor.redact(error instanceof Error ? error.message : String(error))}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  // Never a stack trace with a connection string in it: the message, redacted, and a non-zero exit.
  const secrets = (() => {
    try {
      return configSecrets(loadMonitorConfig(process.env));
    } catch {
      return [];
    }
  })();
  console.error(`monitor: ${new Redactor(secrets).redact(error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
});
