import {
  ConcurrencyError,
  ConflictError,
  DomainError,
  ErrorCodes,
  IllegalStateError,
  InvariantError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HttpError, mapError } from './error-statuses.js';

test('each kind of domain error has its status', () => {
  assert.is(mapError(new ValidationError('bad')).status, 422);
  assert.is(mapError(new NotFoundError('order', 'x')).status, 404);
  assert.is(mapError(new ConflictError('taken')).status, 409);
  assert.is(mapError(new ConcurrencyError('stale')).status, 409);
  assert.is(mapError(new IllegalStateError(ErrorCodes.ORDER_ILLEGAL_TRANSITION, 'no')).status, 409);
  assert.is(mapError(new UnavailableError('down')).status, 503);
  assert.is(mapError(new DomainError('forbidden', ErrorCodes.FORBIDDEN, 'no')).status, 403);
});

test('codes listed in the table win over their kind', () => {
  assert.is(mapError(new ValidationError('x', {}, ErrorCodes.IDEMPOTENCY_KEY_REUSED)).status, 422);
  assert.is(mapError(new ConflictError('x', {}, ErrorCodes.IDEMPOTENCY_IN_PROGRESS)).status, 409);
  assert.is(mapError(new DomainError('illegal_state', ErrorCodes.PARTY_INACTIVE, 'x')).status, 409);
  assert.is(mapError(new DomainError('invariant', ErrorCodes.LOCK_TIMEOUT, 'x')).status, 503);
});

test('every core error code maps to a 4xx or a 503, but broken invariants and unknown storage faults to a bare 500', () => {
  const fiveHundreds = new Set<string>([ErrorCodes.INVARIANT, ErrorCodes.STORAGE_UNEXPECTED]);
  for (const code of Object.values(ErrorCodes)) {
    for (const kind of ['validation', 'not_found', 'conflict', 'illegal_state', 'forbidden', 'unavailable'] as const) {
      const status = mapError(new DomainError(kind, code, 'm')).status;
      assert.ok(status >= 400 && status < 600 && status !== 500, `${code} as ${kind}: ${status}`);
    }
    if (fiveHundreds.has(code)) assert.is(mapError(new DomainError('invariant', code, 'm')).status, 500);
  }
});

test('a 500 exposes nothing: not the message, not the details', () => {
  const mapped = mapError(new InvariantError('ledger sum mismatch for retailer 42', { secret: 1 }));
  assert.equal(mapped, { status: 500, code: 'INTERNAL.ERROR', message: 'internal error', expose: false });
  assert.equal(mapError(new TypeError('x is undefined')), mapped);
  assert.equal(mapError('a string'), mapped);
});

test('HTTP errors keep their status; parser errors become 400/413/415 with our own words', () => {
  assert.is(mapError(new HttpError(401, 'AUTH.UNAUTHENTICATED', 'who?')).status, 401);
  const syntax = Object.assign(new SyntaxError('Unexpected token } in JSON at position 3 secret'), { status: 400 });
  assert.equal(mapError(syntax), {
    status: 400,
    code: 'HTTP.MALFORMED_BODY',
    message: 'the body is not valid JSON',
    expose: true,
  });
  assert.is(mapError(Object.assign(new Error('too big'), { status: 413, expose: true })).code, 'HTTP.BODY_TOO_LARGE');
});

test.run();
