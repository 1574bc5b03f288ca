import { expect, test } from 'vitest';
import { describeWithPostgres } from './postgres-availability';
import { measureAddStandby } from '../../lib/postgres';
import { fitCopyModel, provisioningTimeline } from '../../lib/strategies/autoscaling';

describeWithPostgres('adding a standby with pg_basebackup while the primary takes writes (calibrates the autoscaling model)', () => {
  test('the standby is ready only after copy + start + catch-up, holds every row, and the load really ran during the add', async () => {
    const runs = await measureAddStandby({ sizesBytes: [24e6, 120e6], writesPerSec: 200, loadMs: 3000 });
    // eslint-disable-next-line no-console
    console.log(runs.map((r) => `${(r.dataBytes / 1e6).toFixed(0)} MB: copy ${r.copyMs} ms, start ${r.startMs} ms, catch-up ${r.catchUpMs} ms, ready ${r.readyMs} ms, WAL ${(r.walBytesPerSec / 1e3).toFixed(0)} kB/s`).join('\n'));
    const [small, large] = runs;
    expect(large.dataBytes).toBeGreaterThan(3 * small.dataBytes);
    for (const r of runs) {
      expect(r.copyMs).toBeGreaterThan(0);
      expect(r.readyMs).toBeGreaterThanOrEqual(r.copyMs + r.startMs);
      expect(r.walBytes).toBeGreaterThan(0); // the write load really ran during the add
      expect(r.writesDuringAdd).toBeGreaterThan(0);
      expect(r.fillerRowsOnStandby).toBeGreaterThan(0);
    }
    // Loopback copies at hundreds of MB/s, so at these sizes a fixed cost (WAL switch, backup
    // start/stop, process start) dominates and copy time need not grow with size on a busy machine;
    // when it does, the fitted model reproduces both points (start-up + size ÷ bandwidth).
    if (large.copyMs > small.copyMs) {
      const fit = fitCopyModel(runs.map((r) => ({ dataBytes: r.dataBytes, copyMs: r.copyMs })));
      for (const r of runs) {
        const t = provisioningTimeline({ ...fit, replayBytesPerSec: 1e12, lagObjectiveMs: 1000 }, r.dataBytes, r.walBytesPerSec);
        expect(Math.abs(t.startupMs + t.copyMs - r.copyMs)).toBeLessThan(1);
      }
    }
  }, 60_000);
});
