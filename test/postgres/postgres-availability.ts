import { describe, test } from 'vitest';
import { postgresAvailability } from '../../lib/postgres';

/**
 * Real-PostgreSQL suites run when the server binaries are installed. In CI (CI=true) they
 * are required: a missing install fails with the command that installs it, because a
 * silently skipped integration test proves nothing. Elsewhere the suite is skipped with
 * the same explanation.
 */
export const postgres = postgresAvailability();
const inCi = process.env.CI === 'true' || process.env.CI === '1';

export function describeWithPostgres(name: string, body: () => void): void {
  if (postgres.binaries) {
    describe(name, body);
    return;
  }
  if (inCi) {
    describe(name, () => {
      test('PostgreSQL server binaries are installed (required when CI=true)', () => {
        throw new Error(postgres.reason);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`[skipped] ${name}: ${postgres.reason}`);
  describe.skip(`${name} (skipped: PostgreSQL server binaries not installed; see the install hint in the log)`, body);
}
