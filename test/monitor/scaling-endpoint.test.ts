import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunningMonitorService, createScalingView, loadMonitorConfig, startMonitorService } from '../../lib/monitor';
import { request } from './http-client';

describe('the monitor on the simulated cluster shows the replica-fleet controller', () => {
  let service: RunningMonitorService;
  beforeAll(async () => {
    // No DATABASE_URL: the monitor watches the simulated cluster (a short interval keeps each simulated sample small).
    service = await startMonitorService({ config: loadMonitorConfig({ PORT: '0', MONITORING_INTERVAL_SECONDS: '0.5' }), log: () => undefined });
    for (let i = 0; i < 3; i++) await service.sampleNow();
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('exports replication_replicas_desired and replication_replicas_ready per region on /metrics', async () => {
    const text = (await request(service.url, '/metrics')).body;
    for (const region of ['mumbai', 'delhi', 'bangalore']) {
      expect(text).toMatch(new RegExp(`replication_replicas_desired\\{region="${region}"\\} \\d+`));
      expect(text).toMatch(new RegExp(`replication_replicas_ready\\{region="${region}"\\} \\d+`));
    }
  });

  it('lists the last decisions and why on /scaling, and rejects unknown parameters', async () => {
    const reply = await request(service.url, '/scaling?limit=5');
    expect(reply.status).toBe(200);
    const body = reply.json();
    expect(body.fleet.map((f: { region: string }) => f.region).sort()).toEqual(['bangalore', 'delhi', 'mumbai']);
    expect(body.decisions.length).toBeGreaterThan(0);
    expect(body.decisions.length).toBeLessThanOrEqual(5);
    expect(typeof body.decisions[0].reason).toBe('string');
    expect((await request(service.url, '/scaling?lmit=5')).status).toBe(400);
  });

  it('reveals the pre-warm before the sale: ready replicas rise in the 100 minutes before the sale opens', () => {
    const view = createScalingView({ startMinute: 0 });
    const readyAt = (minutesFromSale: number) => {
      while (view.minute() !== view.saleStartMinute + minutesFromSale) view.advance();
      return view.current().reduce((s, m) => s + m.readyReplicas, 0);
    };
    const before = readyAt(-100);
    const atOpen = readyAt(0);
    expect(atOpen).toBeGreaterThan(before);
    expect(view.decisions(100).some((d) => d.reason.includes('pre-warm'))).toBe(true);
  });
});
