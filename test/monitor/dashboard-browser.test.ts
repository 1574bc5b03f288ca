// Proves /dashboard really draws in headless Chromium: plotly.js comes from the service itself
// (no other host is contacted), one line per replica and one dashed threshold line per region are
// drawn, the alerts and regions tables fill in, the strict CSP raises no violation, and a hostile
// replica name is shown as text rather than run as markup.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunningMonitorService, loadMonitorConfig, replicaLag, startMonitorService } from '../../lib/monitor';
import { ScriptedSource } from './scripted-source';
import { snapshot } from './snapshots';

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const chromiumPath = CHROMIUM_CANDIDATES.find((candidate) => candidate && fs.existsSync(candidate)) ?? null;
const INSTALL_HINT = 'Chromium is not installed, so the dashboard cannot be checked in a browser. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)';
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const SCREENSHOT = path.resolve(__dirname, '..', '..', 'artifacts', 'monitor-dashboard.png');

if (!chromiumPath && !inCi) console.warn(`[skipped] dashboard browser test: ${INSTALL_HINT}`);

describe.skipIf(!chromiumPath && !inCi)('the /dashboard page in headless Chromium', () => {
  let service: RunningMonitorService;
  let context: BrowserContext | null = null;
  let userDataDir = '';

  beforeAll(async () => {
    if (!chromiumPath) throw new Error(INSTALL_HINT);
    const source = new ScriptedSource((t) => {
      const snap = snapshot(t, { 'mumbai-2': 20 + (t % 7), 'delhi-1': 35, 'kolkata-1': 260 + (t % 50) });
      snap.replicas.push(replicaLag({ replica: HOSTILE, region: 'chennai', lagMs: 10 }));
      return snap;
    });
    const config = loadMonitorConfig({ PORT: '0', MONITORING_INTERVAL_SECONDS: '3600', ALERT_FOR_SECONDS: '1', ALERT_CLEAR_SECONDS: '1' });
    service = await startMonitorService({ config, source, log: () => undefined });
    for (let i = 0; i < 5; i++) await service.sampleNow();
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replication-workbook-dashboard-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1200, height: 1000 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    await service?.stop();
  });

  test('the lag chart is drawn with every replica and the thresholds, the tables fill in, nothing else is fetched', async () => {
    const page = await context!.newPage();
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('request', (req) => {
      if (!req.url().startsWith(service.url)) foreign.push(req.url());
    });
    await page.goto(`${service.url}/dashboard`, { waitUntil: 'load', timeout: 60_000 });
    // Browser code is passed as strings because this project compiles without DOM types.
    await page.waitForFunction('window.__monitorDashboard && window.__monitorDashboard.draws >= 1', undefined, { timeout: 60_000 });
    const state = (await page.evaluate(`({
      traces: document.querySelectorAll('#lag-chart .scatterlayer .trace').length,
      drawnLines: Array.from(document.querySelectorAll('#lag-chart .scatterlayer .trace path.js-line')).filter((p) => (p.getAttribute('d') || '').length > 10).length,
      thresholdLines: document.querySelectorAll('#lag-chart .shapelayer path').length,
      thresholdLabels: Array.from(document.querySelectorAll('#lag-chart .annotation-text')).map((e) => e.textContent),
      title: (document.querySelector('#lag-chart .gtitle') || {}).textContent,
      legend: Array.from(document.querySelectorAll('#lag-chart .legendtext')).map((e) => e.textContent),
      alertRows: Array.from(document.querySelectorAll('#alerts tbody tr')).map((tr) => tr.textContent),
      regionRows: document.querySelectorAll('#regions tbody tr').length,
      status: document.getElementById('status').textContent,
      injectedImages: document.querySelectorAll('img').length,
      pwned: window.__pwned === 1,
      lastError: window.__monitorDashboard.lastError,
    })`)) as Record<string, unknown>;
    await page.screenshot({ path: SCREENSHOT, fullPage: true }).catch(() => undefined);
    await page.close();
    expect(state.lastError).toBeNull();
    expect(state.traces).toBe(4);
    expect(state.drawnLines).toBe(4);
    expect(state.thresholdLines).toBe(2); // mumbai 100 ms; delhi, kolkata and chennai share 200 ms
    expect(state.thresholdLabels).toEqual(['mumbai threshold 100 ms', 'delhi, kolkata, chennai threshold 200 ms']);
    expect(state.title).toBe('Replication lag per replica (postgres)');
    expect(state.legend).toContain(`${HOSTILE} (chennai)`);
    expect((state.alertRows as string[]).some((row) => row.startsWith('firingcriticalReplicationLagCritical'))).toBe(true);
    expect(state.regionRows).toBe(4);
    expect(String(state.status)).toMatch(/^health: ok · leader mumbai-0 \(mumbai\), epoch 1 · updated /);
    expect(state.injectedImages).toBe(0);
    expect(state.pwned).toBe(false);
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
