// Proves notebook 05's checker section on the bank's own engine: under snapshot isolation the
// joint-minimum workload produces write skew that the checker names (G2-item) exactly in the runs
// where a customer's minimum was broken; under strict two-phase locking no run has an anomaly.
import { describe, expect, test } from 'vitest';
import { checkBankingHistory, recordBankingHistory, sweepBankingAnomalies } from '../../lib/lessons/05-banking-acid/transactional-anomalies';

describe('banking anomalies on lib/storage, judged by the transactional checker', () => {
  test('snapshot isolation: write skew found as G2-item whenever the minimum broke; serializable: never (12 seeds each)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const si = recordBankingHistory({ seed, isolation: 'snapshot' });
      const siResult = checkBankingHistory(si);
      expect(siResult.valid === false, `seed ${seed}`).toBe(si.minimumBroken > 0);
      if (siResult.valid === false) {
        expect(siResult.anomalyTypes).toEqual(['G2-item']);
        expect(siResult.not).toEqual(['repeatable-read']);
      }
      const s2pl = checkBankingHistory(recordBankingHistory({ seed, isolation: 'serializable' }));
      expect(s2pl.valid, `seed ${seed}: ${s2pl.explanations[0]}`).toBe(true);
    }
  });

  test('the sweep counts runs per isolation level and is reproducible from its seeds', () => {
    const seeds = [3, 4, 5, 6, 7];
    const a = sweepBankingAnomalies({ seeds });
    expect(a).toEqual(sweepBankingAnomalies({ seeds }));
    expect(a.find((r) => r.isolation === 'serializable')?.runsWithAnomalies).toBe(0);
    expect(a.find((r) => r.isolation === 'snapshot')?.runsWithAnomalies).toBeGreaterThan(0);
    expect(() => recordBankingHistory({ seed: 1, isolation: 'snapshot', clients: 0 })).toThrow(/clients = 0 is not allowed; allowed: an integer from 1 to 32/);
  });
});
