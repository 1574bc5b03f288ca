/**
 * The /dashboard page: live plotly charts of the lag of every replica with the alert
 * thresholds of their regions, the SLA per region, and the active alerts. Everything is
 * served by the monitor itself (plotly.js from the project's node_modules, never a CDN),
 * and the page's own script is a separate file, so the Content-Security-Policy can forbid
 * inline scripts. Text from the cluster (replica names, alert summaries) is inserted with
 * textContent only: a hostile application_name cannot inject markup.
 */
import { escapeHtml } from '../viz/table-html';

export interface DashboardPageOptions {
  title: string;
  /** How often the page polls the service, ms. */
  refreshMs: number;
  plotlyVersion: string;
}

export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function dashboardHtml(options: DashboardPageOptions): string {
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1rem 2rem; color: #222; }
  h1 { font-size: 1.3rem; margin-bottom: 0.2rem; }
  #status { color: #555; margin-bottom: 0.8rem; }
  #status.degraded { color: #b00020; font-weight: 600; }
  .chart { width: 100%; height: 420px; }
  table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
  th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.7rem; text-align: left; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .firing { color: #b00020; font-weight: 600; }
  .pending { color: #b36b00; }
</style>
</head>
<body data-refresh-ms="${Math.round(options.refreshMs)}">
<h1>${title}</h1>
<div id="status">loading…</div>
<div id="lag-chart" class="chart" role="img" aria-label="Replication lag per replica with thresholds"></div>
<h2>Active alerts</h2>
<table id="alerts"><thead><tr><th>state</th><th>severity</th><th>rule</th><th>summary</th><th>since</th></tr></thead><tbody></tbody></table>
<h2>Regions</h2>
<table id="regions"><thead><tr><th>region</th><th>threshold (ms)</th><th>current lag (ms)</th><th>time within threshold</th><th>SLA target</th><th>firing alerts</th></tr></thead><tbody></tbody></table>
<script src="/dashboard/plotly.js?v=${escapeHtml(options.plotlyVersion)}"></script>
<script src="/dashboard/app.js"></script>
</body>
</html>
`;
}

/** The page's script: plain ES2017 that every current browser runs, no build step. */
export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var refreshMs = Number(document.body.getAttribute('data-refresh-ms')) || 2000;
  var state = { draws: 0, lastError: null, lastTraceCount: 0 };
  window.__monitorDashboard = state;
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];

  function getJson(path) {
    return fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' }).then(function (response) {
      if (!response.ok && response.status !== 503) throw new Error(path + ' answered ' + response.status);
      return response.json();
    });
  }

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
  }

  function fillTable(id, rows, build) {
    var body = document.querySelector('#' + id + ' tbody');
    while (body.firstChild) body.removeChild(body.firstChild);
    rows.forEach(function (item) {
      var tr = document.createElement('tr');
      build(tr, item);
      body.appendChild(tr);
    });
  }

  function percent(x) {
    return x === null || x === undefined ? '–' : (x * 100).toFixed(3) + ' %';
  }

  function draw(history, alerts, regions, health) {
    var colorOf = {};
    var traces = history.series.map(function (s, i) {
      colorOf[s.region] = colorOf[s.region] || palette[i % palette.length];
      return {
        type: 'scatter', mode: 'lines', name: s.replica + ' (' + s.region + ')',
        x: s.points.map(function (p) { return new Date(p[0]); }),
        y: s.points.map(function (p) { return p[1]; }),
        connectgaps: false, line: { color: palette[i % palette.length] }
      };
    });
    // One dashed line per distinct threshold, naming every region that shares it.
    var byValue = {};
    history.thresholds.forEach(function (t) {
      (byValue[t.thresholdMs] = byValue[t.thresholdMs] || []).push(t.region);
    });
    var shapes = [];
    var annotations = [];
    Object.keys(byValue).forEach(function (value) {
      var y = Number(value);
      shapes.push({ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: y, y1: y,
        line: { color: '#d62728', width: 1.5, dash: 'dash' } });
      annotations.push({ xref: 'paper', x: 1, xanchor: 'right', yref: 'y', y: y, yanchor: 'bottom',
        text: byValue[value].join(', ') + ' threshold ' + y + ' ms', showarrow: false, font: { size: 11, color: '#d62728' } });
    });
    var layout = {
      title: { text: 'Replication lag per replica (' + history.source + ')' },
      xaxis: { title: { text: 'time' }, type: 'date' },
      yaxis: { title: { text: 'replication lag (ms)' }, rangemode: 'tozero' },
      shapes: shapes, annotations: annotations, margin: { t: 50, r: 20, b: 110 }, legend: { orientation: 'h', y: -0.3 }
    };
    return window.Plotly.react('lag-chart', traces, layout, { responsive: true, displaylogo: false }).then(function () {
      fillTable('alerts', alerts.alerts, function (tr, a) {
        cell(tr, a.state, a.state);
        cell(tr, a.severity);
        cell(tr, a.rule);
        cell(tr, a.summary);
        cell(tr, a.activeSince || '');
      });
      fillTable('regions', regions.regions, function (tr, r) {
        cell(tr, r.region);
        cell(tr, String(r.thresholdMs), 'num');
        cell(tr, r.currentLagMs === null ? '–' : r.currentLagMs.toFixed(1), 'num');
        cell(tr, percent(r.sla ? r.sla.withinShare : null), 'num');
        cell(tr, percent(r.sla ? r.sla.targetShare : null), 'num');
        cell(tr, String(r.firingAlertCount), 'num');
      });
      var status = document.getElementById('status');
      status.textContent = 'health: ' + health.status + ' · ' + (health.leader || 'no leader') + ' · updated ' + new Date().toLocaleTimeString();
      status.className = health.status === 'ok' ? '' : 'degraded';
      state.draws += 1;
      state.lastTraceCount = traces.length;
      state.lastError = null;
    });
  }

  function refresh() {
    Promise.all([getJson('/lag-history?limit=600'), getJson('/alerts'), getJson('/regions'), getJson('/health')])
      .then(function (r) {
        var health = { status: r[3].status, leader: r[3].checks.filter(function (c) { return c.name === 'leader-present'; }).map(function (c) { return c.detail; })[0] };
        return draw(r[0], r[1], r[2], health);
      })
      .catch(function (error) {
        state.lastError = String(error && error.message || error);
        var status = document.getElementById('status');
        status.textContent = 'cannot reach the monitor: ' + state.lastError;
        status.className = 'degraded';
      })
      .then(function () { setTimeout(refresh, refreshMs); });
  }

  if (!window.Plotly) {
    state.lastError = 'plotly.js did not load from /dashboard/plotly.js';
    document.getElementById('status').textContent = state.lastError;
    return;
  }
  refresh();
})();
`;
