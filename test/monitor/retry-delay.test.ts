// Proves the reconnect backoff: the normal interval while healthy, doubling after each failure,
// capped at 30 s (or at the interval itself when that is longer), never below the interval.
import { expect, test } from 'vitest';
import { retryDelayMs } from '../../lib/monitor';

test('backoff doubles from the interval and is capped', () => {
  expect([0, 1, 2, 3, 4, 5, 10].map((failures) => retryDelayMs(5000, failures))).toEqual([5000, 10_000, 20_000, 30_000, 30_000, 30_000, 30_000]);
  // A fast interval is capped at 16 intervals, so a test cluster recovers quickly.
  expect([1, 4, 5, 40].map((failures) => retryDelayMs(200, failures))).toEqual([400, 3200, 3200, 3200]);
  // An hourly interval is never shortened by a failure.
  expect(retryDelayMs(3_600_000, 3)).toBe(3_600_000);
});
