// Proves the alert state machine: pending → firing only after forMs, blips shorter than forMs
// never fire, a firing alert resolves only after clearForMs of clear samples, vanished series
// resolve, and every limit and bad input is an error that says so.
import { describe, expect, test } from 'vitest';
import { AlertEngine, AlertRule, episodeAlertRules, observe } from '../../lib/monitor';
import { snapshot } from './snapshots';

const lagRule: AlertRule = { name: 'Lag', metric: 'replicaLagMs', severity: 'critical', threshold: 200, thresholdByRegion: { mumbai: 100 }, forMs: 3000, clearForMs: 2000 };

/** Runs one lag series (one sample per second) through an engine; returns the transitions as "t:to". */
function run(lags: Array<number | null | 'down'>, rule: AlertRule = lagRule, replica = 'kolkata-1'): string[] {
  const engine = new AlertEngine([rule]);
  const out: string[] = [];
  lags.forEach((lag, i) => {
    const snap = snapshot(i * 1000, { [replica]: lag });
    for (const e of engine.step(snap.timeMs, observe([rule], snap))) out.push(`${e.timeMs / 1000}:${e.to}`);
  });
  return out;
}

describe('alert state machine', () => {
  test('a sustained breach goes pending, then fires after forMs, then resolves after clearForMs', () => {
    expect(run([50, 250, 250, 250, 250, 50, 50, 50])).toEqual(['1:pending', '4:firing', '7:resolved']);
  });

  test('a spike shorter than forMs is cancelled and never fires (no false alarm)', () => {
    expect(run([50, 300, 300, 50, 300, 50])).toEqual(['1:pending', '3:inactive', '4:pending', '5:inactive']);
  });

  test('one good sample inside a firing alert does not resolve it: the clear timer restarts', () => {
    // clear at 5, breach again at 6, then clear from 7: resolves at 7 + 2 = 9.
    expect(run([250, 250, 250, 250, 250, 50, 250, 50, 50, 50])).toEqual(['0:pending', '3:firing', '9:resolved']);
  });

  test('forMs = 0 fires on the first breached sample', () => {
    expect(run([50, 250, 50], { ...lagRule, forMs: 0, clearForMs: 0 })).toEqual(['1:pending', '1:firing', '2:resolved']);
  });

  test('Mumbai uses its own 100 ms threshold: 150 ms fires there but not in Kolkata', () => {
    expect(run([150, 150, 150, 150], lagRule, 'mumbai-1')).toEqual(['0:pending', '3:firing']);
    expect(run([150, 150, 150, 150], lagRule, 'kolkata-1')).toEqual([]);
  });

  test('a replica that vanishes from the report counts as clear and its alert resolves', () => {
    const engine = new AlertEngine([{ ...lagRule, forMs: 0, clearForMs: 1000 }]);
    const step = (t: number, lags: Record<string, number>) => engine.step(t, observe(engine.rules, snapshot(t, lags))).map((e) => e.to);
    expect(step(0, { 'kolkata-1': 500 })).toEqual(['pending', 'firing']);
    expect(step(1000, {})).toEqual([]);
    expect(step(2000, {})).toEqual(['resolved']);
    expect(engine.active()).toEqual([]);
  });

  test('active() shows the firing alert with its value, threshold, unit and a readable summary', () => {
    const engine = new AlertEngine([{ ...lagRule, forMs: 0 }]);
    engine.step(0, observe(engine.rules, snapshot(0, { 'kolkata-1': 243.5, 'delhi-1': 20 })));
    const [alert] = engine.active();
    expect(alert).toMatchObject({ id: 'Lag/kolkata-1', state: 'firing', value: 243.5, threshold: 200, unit: 'ms', labels: { replica: 'kolkata-1', region: 'kolkata' } });
    expect(alert.summary).toBe('Replication lag of replica kolkata-1 (kolkata) is 243.5 ms, above the 200 ms threshold');
  });

  test('the episode rules: a disconnected replica fires ReplicaDisconnected, not the lag rule', () => {
    const rules = episodeAlertRules({ forMs: 0, clearForMs: 0 });
    const engine = new AlertEngine(rules);
    engine.step(0, observe(rules, snapshot(0, { 'delhi-1': 'down' })));
    expect(engine.active().map((a) => `${a.rule}:${a.state}`)).toEqual(['ReplicaDisconnected:firing']);
  });

  test('time going backwards is an error naming both times', () => {
    const engine = new AlertEngine([lagRule]);
    engine.step(5000, []);
    expect(() => engine.step(4000, [])).toThrow(/timeMs: got 4000; allowed: ≥ the previous step's 5000/);
  });

  test('a full event history throws by default and drops the oldest when asked to', () => {
    const rule = { ...lagRule, forMs: 0, clearForMs: 0 };
    const strict = new AlertEngine([rule], { maxEvents: 3 });
    const feed = (engine: AlertEngine) => [500, 0, 500, 0].forEach((lag, i) => engine.step(i, observe([rule], snapshot(i, { 'kolkata-1': lag }))));
    expect(() => feed(strict)).toThrow(/alert history holds 3 events, its limit \(maxEvents = 3\)/);
    const rolling = new AlertEngine([rule], { maxEvents: 3, whenEventsFull: 'drop-oldest' });
    feed(rolling);
    expect(rolling.events().length).toBe(3);
    expect(rolling.droppedEventCount).toBe(3);
  });

  test('too many series is a label explosion and an error', () => {
    const rule = { ...lagRule, forMs: 10_000 };
    const engine = new AlertEngine([rule], { maxSeries: 2 });
    expect(() => engine.step(0, observe([rule], snapshot(0, { 'a-1': 900, 'b-1': 900, 'c-1': 900 })))).toThrow(/maxSeries = 2/);
  });

  test('invalid rules are rejected with the rule, the field and what is allowed', () => {
    expect(() => new AlertEngine([{ ...lagRule, metric: 'lag' as never }])).toThrow(/rules\[0\]\.metric: got "lag"; allowed: "replicaLagMs" \| "replicaDisconnected" \| "errorRate" \| "poolUtilization"/);
    expect(() => new AlertEngine([{ ...lagRule, forMs: -1 }])).toThrow(/rules\[0\]\.forMs: got -1/);
    expect(() => new AlertEngine([lagRule, lagRule])).toThrow(/"Lag" is used twice/);
  });
});
