// Proves the episode's thresholds: lag 100 ms in Mumbai and 200 ms elsewhere, error rate 1 % for
// banking and 2 % for e-commerce, connection pool 90 %; and that no data is never a breach.
import { describe, expect, test } from 'vitest';
import { episodeAlertRules, observe, thresholdFor } from '../../lib/monitor';
import { snapshot, traffic } from './snapshots';

const rules = episodeAlertRules();
const byName = (name: string) => rules.find((r) => r.name === name)!;

describe('episode alert rules', () => {
  test('lag thresholds: Mumbai 100 ms, every other region 200 ms', () => {
    const lag = byName('ReplicationLagCritical');
    expect(thresholdFor(lag, { region: 'mumbai' })).toBe(100);
    for (const region of ['delhi', 'kolkata', 'chennai']) expect(thresholdFor(lag, { region })).toBe(200);
  });

  test('error-rate thresholds: banking 1 %, e-commerce 2 %', () => {
    const errors = byName('ErrorRateHigh');
    expect(thresholdFor(errors, { region: 'mumbai', business: 'banking' })).toBe(0.01);
    expect(thresholdFor(errors, { region: 'delhi', business: 'ecommerce' })).toBe(0.02);
  });

  test('observations: 1.5 % errors breach banking but not e-commerce; a 95 % pool breaches 90 %', () => {
    const snap = snapshot(0, {}, [traffic('mumbai', 'banking', 1000, 15, 95, 100), traffic('delhi', 'ecommerce', 1000, 15, 50, 100)]);
    const obs = observe(rules, snap).map((o) => `${o.rule} ${o.key} ${o.breached}`);
    expect(obs).toEqual([
      'ErrorRateHigh mumbai/banking true',
      'ErrorRateHigh delhi/ecommerce false',
      'ConnectionPoolSaturated mumbai/banking true',
      'ConnectionPoolSaturated delhi/ecommerce false',
      'MonitorSourceDown source false',
      'ReplicationLeaderMissing leader false',
    ]);
  });

  test('no requests means no error rate (null), which is not a breach', () => {
    const [errors] = observe([byName('ErrorRateHigh')], snapshot(0, {}, [traffic('pune', 'banking', 0, 0)]));
    expect(errors.value).toBeNull();
    expect(errors.breached).toBe(false);
  });

  test('a connected replica with unknown lag is not a breach; a disconnected one breaches ReplicaDisconnected', () => {
    const obs = observe(rules, snapshot(0, { 'delhi-1': null, 'kolkata-1': 'down' }));
    const lag = obs.filter((o) => o.rule === 'ReplicationLagCritical');
    expect(lag.map((o) => o.breached)).toEqual([false, false]);
    const down = obs.filter((o) => o.rule === 'ReplicaDisconnected');
    expect(down.map((o) => `${o.key}:${o.breached}`)).toEqual(['delhi-1:false', 'kolkata-1:true']);
  });
});
