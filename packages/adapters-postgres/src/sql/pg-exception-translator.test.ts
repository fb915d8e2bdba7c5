import { ConcurrencyError, ConflictError, UnavailableError, ValidationError } from '@khaacho/core';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { isRetryable, translatePgError } from './pg-exception-translator.js';

const pgError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`pg ${code}`), { code, ...extra });

test('unique violation → ConflictError naming the constraint', () => {
  const e = translatePgError(pgError('23505', { constraint: 'retailers_phone_key' }));
  assert.ok(ConflictError.is(e));
  assert.is((e as ConflictError).details.constraint, 'retailers_phone_key');
});

test('serialization failure and deadlock → retryable ConcurrencyError', () => {
  for (const code of ['40001', '40P01']) {
    const e = translatePgError(pgError(code));
    assert.ok(ConcurrencyError.is(e) && isRetryable(e), code);
  }
});

test('connection refused, admin shutdown, too many connections → UnavailableError', () => {
  assert.ok(UnavailableError.is(translatePgError(pgError('ECONNREFUSED'))));
  assert.ok(UnavailableError.is(translatePgError(new AggregateError([pgError('ECONNREFUSED')]))));
  assert.ok(UnavailableError.is(translatePgError(pgError('57P01'))));
  assert.ok(UnavailableError.is(translatePgError(pgError('53300'))));
  assert.ok(UnavailableError.is(translatePgError(new Error('Connection terminated unexpectedly'))));
});

test('check violations and bad values → ValidationError; causes are followed', () => {
  assert.ok(ValidationError.is(translatePgError(pgError('23514'))));
  assert.ok(ValidationError.is(translatePgError(new Error('wrapped', { cause: pgError('22P02') }))));
});

test('anything else passes through unchanged', () => {
  const own = new Error('boom');
  assert.is(translatePgError(own), own);
  assert.is(translatePgError(pgError('42P01')) instanceof Error, true);
});

test.run();
