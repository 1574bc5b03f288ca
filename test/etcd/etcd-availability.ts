import { describe, test } from 'vitest';
import { etcdAvailability } from '../../lib/etcd';

/**
 * Real-etcd suites run when the etcd program is installed. In CI (CI=true) it is required: a
 * missing install fails with the command that installs it, because a silently skipped
 * integration test proves nothing. Elsewhere the suite is skipped with the same explanation.
 */
export const etcd = etcdAvailability();
const inCi = process.env.CI === 'true' || process.env.CI === '1';

export function describeWithEtcd(name: string, body: () => void): void {
  if (etcd.program) {
    describe(name, body);
    return;
  }
  if (inCi) {
    describe(name, () => {
      test('etcd is installed (required when CI=true)', () => {
        throw new Error(etcd.reason);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`[skipped] ${name}: ${etcd.reason}`);
  describe.skip(`${name} (skipped: etcd not installed; see the install hint in the log)`, body);
}
