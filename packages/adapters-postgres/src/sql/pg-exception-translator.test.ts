import {
  ConcurrencyError,
  ConflictError,
  DomainError,
  ErrorCodes,
  UnavailableError,
  ValidationError,
} from '@khaacho/core';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { isRetryable, translatePgError } from './pg-exception-translator.js';

const pgError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`pg ${code}`), { code, ...extra });

test('unique violation → ConflictError naming the constraint', () => {
  const e = translatePgError(pgError('23505', { constraint: 'retailers_phone_key' }));
  assert.ok(ConflictError.is(e));
  assert.is((e as ConflictError).details.constraint, 'retailers_phone_key');
  assert.is((e as ConflictError).code, ErrorCodes.DUPLICATE);
});

test('23505 on party_phones_pkey → PARTY.PHONE_TAKEN (a retailer’s number for a vendor, or back)', () => {
  const e = translatePgError(pgError('23505', { constraint: 'party_phones_pkey' }));
  assert.ok(ConflictError.is(e));
  assert.is((e as ConflictError).code, ErrorCodes.PARTY_PHONE_TAKEN);
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

test('review8 #3: an unlisted SQLSTATE becomes STORAGE.UNEXPECTED with only its code; other errors pass', () => {
  const raw = pgError('54000', { constraint: 'x', detail: 'index row requires 20016 bytes, maximum size is 8191' });
  const e = translatePgError(raw);
  assert.ok(DomainError.hasCode(e, ErrorCodes.STORAGE_UNEXPECTED), String(e));
  assert.is((e as DomainError).kind, 'invariant');
  assert.equal((e as DomainError).details, { sqlState: '54000' });
  assert.not.match(JSON.stringify((e as DomainError).toJSON()), /index row|8191|pg 54000/);
  assert.ok(
    DomainError.hasCode(translatePgError(new Error('w', { cause: pgError('XX000') })), ErrorCodes.STORAGE_UNEXPECTED),
  );
  const own = Object.assign(new Error('mine'), { code: 'EPERM' });
  assert.is(translatePgError(own), own, 'a Node error code is not a SQLSTATE');
  const plain = new TypeError('bug');
  assert.is(translatePgError(plain), plain);
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

// Issue 8 item 3: 57014 escaped as a raw pg error, and every condition shared one code per class.
const BY_SQLSTATE: readonly [string, string, (e: unknown) => boolean][] = [
  ['23505', ErrorCodes.DUPLICATE, ConflictError.is],
  ['23503', ErrorCodes.REFERENCE_MISSING, ConflictError.is],
  ['23502', ErrorCodes.REQUIRED_VALUE_MISSING, ValidationError.is],
  ['23514', ErrorCodes.CONSTRAINT_VIOLATED, ValidationError.is],
  ['22P02', ErrorCodes.CONSTRAINT_VIOLATED, ValidationError.is],
  ['22003', ErrorCodes.CONSTRAINT_VIOLATED, ValidationError.is],
  ['55P03', ErrorCodes.LOCK_TIMEOUT, UnavailableError.is],
  ['57014', ErrorCodes.QUERY_CANCELLED, UnavailableError.is],
  ['3D000', ErrorCodes.DATABASE_MISSING, UnavailableError.is],
  ['40001', ErrorCodes.SERIALIZATION_FAILURE, ConcurrencyError.is],
  ['40P01', ErrorCodes.DEADLOCK, ConcurrencyError.is],
  ['08006', ErrorCodes.CONNECTION_LOST, UnavailableError.is],
  ['57P01', ErrorCodes.CONNECTION_LOST, UnavailableError.is],
  ['57P03', ErrorCodes.CONNECTION_LOST, UnavailableError.is],
  ['53300', ErrorCodes.CONNECTION_LOST, UnavailableError.is],
  ['25P03', ErrorCodes.CONNECTION_LOST, UnavailableError.is],
  ['ECONNRESET', ErrorCodes.CONNECTION_LOST, UnavailableError.is],
];

test('issue 8 #3: each SQLSTATE gets its own stable core code (57014 no longer escapes raw)', () => {
  for (const [sqlState, code, isClass] of BY_SQLSTATE) {
    const e = translatePgError(pgError(sqlState, { constraint: 'c_name' }));
    assert.ok(DomainError.is(e), `${sqlState} is translated`);
    assert.is((e as DomainError).code, code, sqlState);
    assert.ok(isClass(e), `${sqlState} class`);
  }
});

test('issue 8 #3: lock timeout is retryable for the caller but not re-run by the unit of work', () => {
  const e = translatePgError(pgError('55P03')) as UnavailableError;
  assert.is(e.details.retryable, true);
  assert.is(isRetryable(e), false);
});

test("issue 8 #3: the database's own text never reaches the caller; SQLSTATE and constraint do", () => {
  const secret = 'Key (phone)=(+9779800000001) already exists';
  for (const [sqlState] of BY_SQLSTATE) {
    const e = translatePgError(
      pgError(sqlState, { constraint: 'retailers_phone_key', message: secret }),
    ) as DomainError;
    assert.not.match(e.message, /9779800000001|already exists/, sqlState);
    assert.not.match(JSON.stringify(e.details), /9779800000001|already exists/, sqlState);
    if (sqlState.length === 5 && /^\d/.test(sqlState)) assert.is(e.details.sqlState, sqlState);
  }
});

test('issue 8 #2: a pool that stays busy past the acquire timeout → POOL_EXHAUSTED; a connect timeout → CONNECTION_LOST', () => {
  const pool = translatePgError(new Error('timeout exceeded when trying to connect'));
  assert.is((pool as DomainError).code, ErrorCodes.POOL_EXHAUSTED);
  const connect = translatePgError(
    new Error('Connection terminated due to connection timeout', {
      cause: new Error('Connection terminated unexpectedly'),
    }),
  );
  assert.is((connect as DomainError).code, ErrorCodes.CONNECTION_LOST);
  const dead = translatePgError(new Error('Client has encountered a connection error and is not queryable'));
  assert.is((dead as DomainError).code, ErrorCodes.CONNECTION_LOST);
});

test.run();
