/**
 * npm run bench:monitor — a bounded load test of the monitor service on loopback.
 *
 * Starts the service in this process with the simulated cluster on a free 127.0.0.1 port,
 * then drives each endpoint with autocannon for a fixed time (and a hard cap on requests),
 * and prints requests/s, latency percentiles, errors and non-2xx answers. It exits non-zero
 * if any request failed. Options (environment): BENCH_SECONDS per endpoint (default 5, at
 * most 60), BENCH_CONNECTIONS (default 10, at most 100).
 */
import { loadMonitorConfig, startMonitorService } from '../lib/monitor';

interface Histogram {
  average: number;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  throughput: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => unknown;
// autocannon ships no type declarations; this is the part of its API we use.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const autocannon = require('autocannon') as Autocannon;

function boundedInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`bench:monitor: ${name}: got ${JSON.stringify(raw)}; allowed: an integer between 1 and ${max}`);
    process.exit(2);
  }
  return value;
}

function run(url: string, seconds: number, connections: number): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        // A hard cap on requests as well as the time limit: the load test can never run away.
        maxOverallRequests: 500_000,
        timeout: 10,
        headers: { accept: 'application/json' },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function main(): Promise<void> {
  const seconds = boundedInt('BENCH_SECONDS', 5, 60);
  const connections = boundedInt('BENCH_CONNECTIONS', 10, 100);
  const config = loadMonitorConfig({ PORT: '0', HOST: '127.0.0.1', MONITORING_INTERVAL_SECONDS: '1' });
  const service = await startMonitorService({ config, log: () => undefined });
  // Let a few samples, and with them some history and alerts, accumulate.
  for (let i = 0; i < 30; i++) await service.sampleNow();
  const endpoints = ['/health', '/metrics', '/alerts', '/regions', '/cluster-status', '/lag-history?limit=300'];
  console.log(`bench:monitor — ${service.url}, ${connections} connections, ${seconds} s per endpoint, simulated cluster sampled every 1 s (Node ${process.version})`);
  console.log('endpoint                 req/s   latency ms: p50    p90  p97.5    p99    max   requests  errors  non-2xx   (autocannon measures latency in whole ms)');
  let failures = 0;
  try {
    for (const path of endpoints) {
      const r = await run(`${service.url}${path}`, seconds, connections);
      failures += r.errors + r.timeouts + r.non2xx;
      const f = (x: number, w: number, d = 1) => x.toFixed(d).padStart(w);
      console.log(
        `${path.padEnd(22)} ${f(r.requests.average, 7, 0)}   ${f(r.latency.p50, 14)} ${f(r.latency.p90, 6)} ${f(r.latency.p97_5, 6)} ${f(r.latency.p99, 6)} ${f(r.latency.max, 6)} ${String(r.requests.total).padStart(10)} ${String(r.errors + r.timeouts).padStart(7)} ${String(r.non2xx).padStart(8)}`,
      );
    }
  } finally {
    await service.stop();
  }
  if (failures > 0) {
    console.error(`bench:monitor: ${failures} requests failed or answered non-2xx`);
    process.exit(1);
  }
  console.log('no errors, every answer 2xx');
}

main().catch((error: unknown) => {
  console.error(`bench:monitor: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
