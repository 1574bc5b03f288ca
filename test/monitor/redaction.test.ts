// Proves the redactor removes every known secret and any URL password from text we do not control.
import { expect, test } from 'vitest';
import { Redactor } from '../../lib/monitor';

test('known secrets and URL credentials become ***', () => {
  const redactor = new Redactor(['hunter22', 'hunter2']);
  expect(redactor.redact('auth failed with hunter22 and hunter2')).toBe('auth failed with *** and ***');
  expect(redactor.redact('connect to postgres://app:unknownpw@10.0.0.1:5432/db failed')).toBe('connect to postgres://app:***@10.0.0.1:5432/db failed');
  expect(redactor.isClean('nothing here')).toBe(true);
  expect(redactor.isClean('oops hunter2')).toBe(false);
});
