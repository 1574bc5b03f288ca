import * as http from 'http';
import * as zlib from 'zlib';
import { ActiveAlert, AlertEvent } from './alert-engine';
import { DASHBOARD_CSP, DASHBOARD_SCRIPT, dashboardHtml } from './dashboard-page';
import { HealthReport, SourceStatus } from './health';
import { MonitorMetrics } from './prometheus-metrics';
import { Redactor } from './redaction';
import { ReplicationMonitor } from './replication-monitor';
import { ScalingView, scalingJson } from './scaling-view';

/**
 * The HTTP face of the monitor: a fixed table of GET routes over the monitor's state.
 * Everything else gets a JSON 4xx: unknown paths 404, other methods 405, unknown or
 * repeated query parameters and bad values 400, long URLs 414, bodies on a GET 413, and a
 * foreign Host header 403 when we listen on loopback (a defence against DNS rebinding,
 * where a web page the operator visits makes their browser read our endpoints).
 */
export interface MonitorHttpView {
  monitor: ReplicationMonitor;
  metrics: MonitorMetrics;
  redactor: Redactor;
  health(): HealthReport;
  sourceStatus(): SourceStatus;
  /** The configuration without secrets, for /cluster-status. */
  publicConfig(): Record<string, unknown>;
  /** Milliseconds between samples; the dashboard polls at this pace (at least once a second). */
  intervalMs: number;
  /** plotly.js for the dashboard, loaded lazily on the first request. */
  plotly(): { version: string; code: string };
  log(line: string): void;
  /** The simulated replica-fleet controller, when the monitor watches the simulated cluster (/scaling). */
  scaling?: ScalingView;
}

export const URL_LENGTH_MAX = 2048;
const GET_BODY_BYTES_MAX = 0;
const ROUTES = ['/', '/health', '/metrics', '/alerts', '/regions', '/cluster-status', '/replication-queue', '/consensus', '/lag-history', '/scaling', '/dashboard', '/dashboard/app.js', '/dashboard/plotly.js'] as const;
type Route = (typeof ROUTES)[number];

interface Reply {
  status: number;
  body: string | Buffer;
  contentType: string;
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function iso(epochMs: number | null | undefined): string | null {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return null;
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function json(status: number, value: unknown): Reply {
  return { status, body: `${JSON.stringify(value, null, 2)}\n`, contentType: 'application/json; charset=utf-8' };
}

/** Only the named query parameters, each at most once. */
function queryOf(url: URL, route: string, allowed: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!allowed.includes(key)) {
      const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
      throw new HttpError(400, `unknown query parameter ${JSON.stringify(shown)} for ${route}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`);
    }
    if (params.has(key)) throw new HttpError(400, `query parameter ${JSON.stringify(key)} given twice for ${route}; allowed: once`);
    params.set(key, value);
  }
  return params;
}

function intParam(params: Map<string, string>, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === undefined) return fallback;
  const value = /^[0-9]{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HttpError(400, `query parameter ${name}: got ${JSON.stringify(raw.slice(0, 40))}; allowed: an integer between ${min} and ${max}`);
  }
  return value;
}

function oneOfParam<T extends string>(params: Map<string, string>, name: string, allowed: readonly T[], fallback: T): T {
  const raw = params.get(name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new HttpError(400, `query parameter ${name}: got ${JSON.stringify(raw.slice(0, 40))}; allowed: ${allowed.join(' | ')}`);
  return raw as T;
}

function alertJson(a: ActiveAlert): Record<string, unknown> {
  return {
    id: a.id,
    rule: a.rule,
    state: a.state,
    severity: a.severity,
    labels: a.labels,
    value: a.value,
    threshold: a.threshold,
    unit: a.unit,
    summary: a.summary,
    activeSince: iso(a.activeSinceMs),
    firingSince: iso(a.firingSinceMs),
    clearSince: iso(a.clearSinceMs),
  };
}

function eventJson(e: AlertEvent): Record<string, unknown> {
  return { at: iso(e.timeMs), rule: e.rule, key: e.key, labels: e.labels, severity: e.severity, from: e.from, to: e.to, value: e.value, threshold: e.threshold };
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1'];

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  const colon = hostHeader.lastIndexOf(':');
  return (colon >= 0 ? hostHeader.slice(0, colon) : hostHeader).toLowerCase();
}

export function createMonitorServer(view: MonitorHttpView, options: { loopbackOnly: boolean }): http.Server {
  let gzippedPlotly: Promise<{ version: string; gzip: Buffer; plain: Buffer }> | null = null;
  const plotlyAsset = () => {
    if (!gzippedPlotly) {
      gzippedPlotly = new Promise((resolve, reject) => {
        const { version, code } = view.plotly();
        const plain = Buffer.from(code, 'utf8');
        zlib.gzip(plain, { level: 6 }, (error, gzip) => (error ? reject(error) : resolve({ version, gzip, plain })));
      });
      gzippedPlotly.catch(() => {
        gzippedPlotly = null;
      });
    }
    return gzippedPlotly;
  };

  const routes: Record<Route, (url: URL, req: http.IncomingMessage) => Reply | Promise<Reply>> = {
    '/': (url) => {
      queryOf(url, '/', []);
      return json(200, {
        service: 'replication-workbook lag monitor',
        endpoints: ROUTES.filter((r) => r !== '/' && !r.startsWith('/dashboard/')),
      });
    },
    '/health': (url) => {
      queryOf(url, '/health', []);
      const report = view.health();
      const source = report.source;
      return json(report.status === 'ok' ? 200 : 503, {
        status: report.status,
        checks: report.checks,
        firingAlertCount: report.firingAlertCount,
        source: {
          kind: source.kind,
          description: source.description,
          connected: source.connected,
          lastSuccessAt: iso(source.lastSuccessEpochMs),
          lastAttemptAt: iso(source.lastAttemptEpochMs),
          lastError: source.lastError,
          consecutiveFailures: source.consecutiveFailures,
          nextAttemptAt: iso(source.nextAttemptEpochMs),
        },
      });
    },
    '/metrics': async (url) => {
      queryOf(url, '/metrics', []);
      return { status: 200, body: await view.metrics.text(), contentType: view.metrics.contentType };
    },
    '/alerts': (url) => {
      const params = queryOf(url, '/alerts', ['state', 'severity', 'limit']);
      const state = oneOfParam(params, 'state', ['pending', 'firing', 'all'] as const, 'all');
      const severity = oneOfParam(params, 'severity', ['critical', 'warning', 'info', 'all'] as const, 'all');
      const limit = intParam(params, 'limit', 50, 0, 1000);
      const alerts = view.monitor
        .activeAlerts()
        .filter((a) => (state === 'all' || a.state === state) && (severity === 'all' || a.severity === severity))
        .map(alertJson);
      const events = view.monitor.alertEvents();
      return json(200, {
        alerts,
        recentTransitions: events.slice(Math.max(0, events.length - limit)).reverse().map(eventJson),
        rules: view.monitor.rules,
      });
    },
    '/scaling': (url) => {
      const params = queryOf(url, '/scaling', ['limit']);
      const limit = intParam(params, 'limit', 20, 0, 500);
      if (!view.scaling) return json(404, { error: 'no replica-fleet controller: /scaling is served when the monitor watches the simulated cluster (SOURCE=simulated)' });
      return json(200, scalingJson(view.scaling, limit));
    },
    '/regions': (url) => {
      queryOf(url, '/regions', []);
      return json(200, { regions: view.monitor.regions(), sampledAt: iso(view.monitor.latest?.timeMs) });
    },
    '/cluster-status': (url) => {
      queryOf(url, '/cluster-status', []);
      const latest = view.monitor.latest;
      const health = view.health();
      return json(200, {
        health: health.status,
        source: { kind: view.sourceStatus().kind, description: view.sourceStatus().description },
        sampledAt: iso(latest?.timeMs),
        samplesIngested: view.monitor.samplesIngested,
        leader: latest?.leader ?? null,
        epoch: latest?.epoch ?? null,
        replicas: latest?.replicas ?? [],
        config: view.publicConfig(),
      });
    },
    '/replication-queue': (url) => {
      queryOf(url, '/replication-queue', []);
      const latest = view.monitor.latest;
      const replicas = (latest?.replicas ?? []).map((r) => ({
        replica: r.replica,
        region: r.region,
        state: r.state,
        connected: r.connected,
        pendingEntries: r.pendingEntries,
        lagBytes: r.lagBytes,
        lagMs: r.lagMs,
      }));
      const sum = (values: Array<number | null>) => (values.some((v) => v !== null) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null);
      return json(200, {
        leader: latest?.leader ?? null,
        sampledAt: iso(latest?.timeMs),
        replicas,
        totalPendingEntries: sum(replicas.map((r) => r.pendingEntries)),
        totalLagBytes: sum(replicas.map((r) => r.lagBytes)),
      });
    },
    '/consensus': (url) => {
      queryOf(url, '/consensus', []);
      const latest = view.monitor.latest;
      const source = view.sourceStatus().kind;
      return json(200, {
        leader: latest?.leader ?? null,
        epoch: latest?.epoch ?? null,
        epochMeaning: source === 'postgres' ? 'PostgreSQL WAL timeline: it grows by one at every promotion' : 'election epoch of the simulated leader–follower cluster',
        sampledAt: iso(latest?.timeMs),
      });
    },
    '/lag-history': (url) => {
      const params = queryOf(url, '/lag-history', ['replica', 'sinceMs', 'limit']);
      const limit = intParam(params, 'limit', 300, 1, 10_000);
      const sinceMs = params.has('sinceMs') ? intParam(params, 'sinceMs', 0, 0, Number.MAX_SAFE_INTEGER) : undefined;
      const replica = params.get('replica');
      const known = view.monitor.lagPoints({ limitPerReplica: 1 });
      if (replica !== undefined && !known.some((p) => p.replica === replica)) {
        throw new HttpError(404, `no replica ${JSON.stringify(replica.slice(0, 60))}; known: ${[...new Set(known.map((p) => p.replica))].join(', ') || 'none yet'}`);
      }
      const points = view.monitor.lagPoints({ replica, sinceMs, limitPerReplica: limit });
      const series = new Map<string, { replica: string; region: string; points: Array<[number, number | null]> }>();
      for (const p of points) {
        let s = series.get(p.replica);
        if (!s) {
          s = { replica: p.replica, region: p.region, points: [] };
          series.set(p.replica, s);
        }
        s.points.push([p.timeMs, p.lagMs === null ? null : Math.round(p.lagMs * 1000) / 1000]);
      }
      const regions = [...new Set([...series.values()].map((s) => s.region))];
      return json(200, {
        source: view.sourceStatus().kind,
        thresholds: regions.map((region) => ({ region, thresholdMs: view.monitor.thresholdMs(region) })),
        series: [...series.values()],
      });
    },
    '/dashboard': (url) => {
      queryOf(url, '/dashboard', []);
      return {
        status: 200,
        body: dashboardHtml({ title: 'Replication lag monitor', refreshMs: Math.max(1000, view.intervalMs), plotlyVersion: view.plotly().version }),
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': DASHBOARD_CSP },
      };
    },
    '/dashboard/app.js': (url) => {
      queryOf(url, '/dashboard/app.js', []);
      return { status: 200, body: DASHBOARD_SCRIPT, contentType: 'text/javascript; charset=utf-8' };
    },
    '/dashboard/plotly.js': async (url, req) => {
      queryOf(url, '/dashboard/plotly.js', ['v']);
      const asset = await plotlyAsset();
      const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      return {
        status: 200,
        body: acceptsGzip ? asset.gzip : asset.plain,
        contentType: 'text/javascript; charset=utf-8',
        headers: {
          'cache-control': 'public, max-age=86400',
          vary: 'accept-encoding',
          ...(acceptsGzip ? { 'content-encoding': 'gzip' } : {}),
        },
      };
    },
  };

  async function handle(req: http.IncomingMessage): Promise<{ route: string; reply: Reply }> {
    const rawUrl = req.url ?? '/';
    if (rawUrl.length > URL_LENGTH_MAX) throw new HttpError(414, `the URL is ${rawUrl.length} characters long; allowed: at most ${URL_LENGTH_MAX}`);
    if (req.headers.host === undefined || req.headers.host === '') throw new HttpError(400, 'the request has no Host header; allowed: exactly one Host header');
    // Two Host headers make "which host?" ambiguous, a request-smuggling shape: refuse it.
    let hostHeaders = 0;
    for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i].toLowerCase() === 'host') hostHeaders += 1;
    if (hostHeaders > 1) throw new HttpError(400, `the request has ${hostHeaders} Host headers; allowed: exactly one`);
    if (options.loopbackOnly) {
      const host = String(req.headers.host ?? '');
      if (!LOOPBACK_HOSTS.includes(hostnameOf(host))) {
        throw new HttpError(403, `Host header ${JSON.stringify(host.slice(0, 60))} is not a loopback name; this service listens on loopback and answers only to 127.0.0.1, localhost or [::1]`);
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new HttpError(405, `method ${JSON.stringify(String(req.method).slice(0, 20))} not allowed; allowed: GET, HEAD`, { allow: 'GET, HEAD' });
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > GET_BODY_BYTES_MAX || req.headers['transfer-encoding'] !== undefined) {
      throw new HttpError(413, 'a GET request carries no body here; allowed: an empty body');
    }
    let url: URL;
    try {
      url = new URL(rawUrl, 'http://monitor.invalid');
    } catch {
      throw new HttpError(400, 'the request target is not a valid URL path');
    }
    if (!rawUrl.startsWith('/')) throw new HttpError(400, 'the request target must be a path starting with "/"');
    // "//evil.example/metrics" parses as another host's URL: a path starts with exactly one slash.
    if (rawUrl.startsWith('//')) throw new HttpError(400, 'the request target must be a path starting with one "/", not "//"');
    const route = (ROUTES as readonly string[]).includes(url.pathname) ? (url.pathname as Route) : null;
    if (!route) {
      const shown = url.pathname.length > 60 ? `${url.pathname.slice(0, 60)}…` : url.pathname;
      throw new HttpError(404, `no such endpoint ${JSON.stringify(shown)}; endpoints: ${ROUTES.filter((r) => !r.startsWith('/dashboard/')).join(', ')}`);
    }
    return { route, reply: await routes[route](url, req) };
  }

  // Node would answer a missing Host with an empty 400 of its own; we check it in handle().
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    const method = req.method === 'GET' || req.method === 'HEAD' ? req.method : 'other';
    handle(req)
      .catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        const message = view.redactor.redact(error instanceof Error ? error.message : String(error));
        if (status >= 500) view.log(`HTTP ${req.method} ${view.redactor.redact(String(req.url).slice(0, 200))} failed: ${message}`);
        const reply = json(status, { error: status >= 500 ? `internal error: ${message}` : message, status });
        reply.headers = error instanceof HttpError ? error.headers : {};
        return { route: 'unmatched', reply };
      })
      .then(({ route, reply }) => {
        const body = typeof reply.body === 'string' ? Buffer.from(view.redactor.redact(reply.body), 'utf8') : reply.body;
        // A client whose body we did not read must not leave it in a kept-alive connection.
        const hadBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
        res.writeHead(reply.status, {
          'content-type': reply.contentType,
          'content-length': String(body.length),
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'x-frame-options': 'DENY',
          ...(hadBody ? { connection: 'close' } : {}),
          ...(reply.headers ?? {}),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        view.metrics.recordRequest(route, method, reply.status);
      })
      .catch((error: unknown) => {
        view.log(`HTTP response failed: ${view.redactor.redact(String(error))}`);
        res.destroy();
      });
  });
  // Errors Node's HTTP parser raises itself (bad method, missing Host, Content-Length with
  // Transfer-Encoding, headers too large, timeouts) get the same JSON shape as ours.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const code = error.code ?? '';
    const [status, message] =
      code === 'HPE_HEADER_OVERFLOW' ? [431, 'request headers too large; allowed: at most 16 KiB']
        : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'the request took too long to arrive']
          : code === 'HPE_INVALID_METHOD' ? [400, 'malformed request line or unknown method; allowed: GET, HEAD']
            : code === 'HPE_UNEXPECTED_CONTENT_LENGTH' ? [400, 'Content-Length and Transfer-Encoding together are not allowed']
              : [400, `malformed HTTP request (${code || 'parse error'})`];
    const body = JSON.stringify({ error: message, status });
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  // A bound on open connections: idle sockets must not exhaust memory (5,000 held ~300 MB).
  server.maxConnections = 256;
  // Slow or stuck clients must not hold connections forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  return server;
}
