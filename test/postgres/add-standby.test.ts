import { expect, test } from 'vitest';
import { describeWithPostgres } from './postgres-availability';
import { measureAddStandby } from '../../lib/postgres';
import { fitCopyModel, provisioningTimeline } from '../../lib/strategies/autoscaling';

describeWithPostgres('adding a standby with pg_basebackup while the primary takes writes (calibrates the autoscaling model)', () => {
  test('copy time grows with the data size, the standby is ready only after copy + start + catch-up, and it holds every row', async () => {
    const runs = await measureAddStandby({ sizesBytes: [24e6, 96e6], writesPerSec: 200, loadMs: 3000 });
    // eslint-disable-next-line no-console
    console.log(runs.map((r) => `${(r.dataBytes / 1e6).toFixed(0)} MB: copy ${r.copyMs} ms, start ${r.startMs} ms, catch-up ${r.catchUpMs} ms, ready ${r.readyMs} ms, WAL ${(r.walBytesPerSec / 1e3).toFixed(0)} kB/s`).join('\n'));
    const [small, large] = runs;
    expect(large.dataBytes).toBeGreaterThan(2.5 * small.dataBytes);
    expect(large.copyMs).toBeGreaterThan(small.copyMs);
    for (const r of runs) {
      expect(r.readyMs).toBeGreaterThanOrEqual(r.copyMs + r.startMs);
      expect(r.walBytes).toBeGreaterThan(0); // the write load really ran during the add
      expect(r.fillerRowsOnStandby).toBeGreaterThan(0);
    }
    // The model, fitted on these two points, reproduces their copy phase (start-up + size ÷ bandwidth).
    const fit = fitCopyModel(runs.map((r) => ({ dataBytes: r.dataBytes, copyMs: r.copyMs })));
    for (const r of runs) {
      const t = provisioningTimeline({ ...fit, replayBytesPerSec: 1e12, lagObjectiveMs: 1000 }, r.dataBytes, r.walBytesPerSec);
      expect(Math.abs(t.startupMs + t.copyMs - r.copyMs)).toBeLessThan(1);
    }
    expect(fit.copyBytesPerSec).toBeGreaterThan(1e6);
  }, 60_000);
});
