import {
  createAuthUseCases,
  ErrorCodes,
  NOOP_LOGGER,
  systemIds,
  type UseCaseContext,
  ValidationError,
} from '@khaacho/core';
import { FakeOpaqueTokenIssuer, FakePasswordHasher, FakeTotpAuthenticator, uniquePhone } from '@khaacho/core/testing';
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { createPostgresPersistence, type PostgresPersistence } from './create-postgres-persistence.js';
import { ormOf } from './orm/persistence-orm.js';
import { translatePgError } from './sql/pg-exception-translator.js';
import { truncateAll } from './testing/contract-subject.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

/*
 * The auth use cases on a real server, where transactions really run side by side: the
 * row locks behind token rotation and login throttling, and the audit log's trigger.
 */
const test = suite('auth on a real server');
const PASSWORD = 'correct horse battery';
let db: TestDatabase;
let p: PostgresPersistence;

test.before(async () => {
  db = await createTestDatabase('khaacho_auth');
  p = await createPostgresPersistence({ databaseUrl: db.url, migrate: true, poolMax: 12 });
});

test.after(async () => {
  await p?.close();
  await db?.drop();
});

test.before.each(async () => {
  await truncateAll(p);
});

function auth() {
  const ctx: UseCaseContext = {
    uow: p.uow,
    repos: p.repos,
    clock: { now: () => new Date() },
    ids: systemIds(),
    logger: NOOP_LOGGER,
  };
  return createAuthUseCases(ctx, {
    hasher: new FakePasswordHasher(),
    tokens: new FakeOpaqueTokenIssuer(),
    totp: new FakeTotpAuthenticator(),
  });
}

async function activeRetailer(a: ReturnType<typeof auth>) {
  const email = `shop-${Math.random().toString(36).slice(2)}@example.com`;
  const registered = await a.registerAccount.execute({
    role: 'RETAILER',
    email,
    phone: uniquePhone().value,
    password: PASSWORD,
    retailer: { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' },
  });
  assert.ok(registered.ok);
  const approved = await a.approveAccount.execute({
    userId: registered.value.id,
    actor: { type: 'admin', id: '0190a000-0000-7000-8000-000000000001' },
  });
  assert.ok(approved.ok);
  return email;
}

test('16 concurrent rotations of one refresh token: exactly one wins, and its token is revoked with the family', async () => {
  const a = auth();
  const email = await activeRetailer(a);
  const login = await a.login.execute({ identifier: email, password: PASSWORD });
  assert.ok(login.ok);
  const results = await Promise.all(
    Array.from({ length: 16 }, () => a.rotateRefreshToken.execute({ refreshToken: login.value.refreshToken })),
  );
  const winners = results.filter((r) => r.ok);
  assert.is(winners.length, 1, 'one rotation');
  const winner = winners[0];
  assert.ok(winner?.ok);
  const again = await a.rotateRefreshToken.execute({ refreshToken: winner.value.refreshToken });
  assert.is(again.ok, false, 'the losers replayed a spent token: the family is revoked');
  // A loser that read the token before the family was revoked is reuse; one that read it after finds it revoked.
  const reuse = (await p.repos.auditLog.list({ action: 'auth.refresh_reuse' }, { limit: 50 })).items.length;
  const refused = (await p.repos.auditLog.list({ action: 'auth.refresh_refused' }, { limit: 50 })).items.length;
  assert.ok(reuse >= 1, 'reuse detected');
  assert.is(reuse + refused, 16, 'every loser audited, and the replay above');
});

test('12 concurrent failed logins for one identifier all count', async () => {
  const a = auth();
  const email = await activeRetailer(a);
  const results = await Promise.all(
    Array.from({ length: 12 }, () => a.login.execute({ identifier: email, password: 'wrong password!' })),
  );
  assert.ok(results.every((r) => !r.ok));
  const throttle = await p.repos.loginThrottles.get(`id:${email}`);
  // Attempts that found the counter already past the free ones were refused before any check.
  const counted = results.filter((r) => !r.ok && r.error.code === ErrorCodes.AUTH_INVALID_CREDENTIALS).length;
  assert.is(throttle?.failures, counted);
});

test('the audit log refuses UPDATE, DELETE and TRUNCATE (its trigger), reported as VALIDATION.CONSTRAINT_VIOLATED', async () => {
  const a = auth();
  await activeRetailer(a);
  const before = await p.repos.auditLog.list({}, { limit: 50 });
  assert.ok(before.items.length >= 2);
  const conn = ormOf(p).em.fork().getConnection();
  for (const sql of [
    `update audit_log set action = 'auth.nothing'`,
    `delete from audit_log`,
    `truncate table audit_log`,
  ]) {
    let caught: unknown = null;
    try {
      await conn.execute(sql);
    } catch (error) {
      caught = translatePgError(error);
    }
    assert.ok(ValidationError.is(caught), `${sql}: refused`);
    assert.is(caught.code, ErrorCodes.CONSTRAINT_VIOLATED);
    assert.is(caught.details.constraint, 'audit_log_append_only');
  }
  assert.equal(await p.repos.auditLog.list({}, { limit: 50 }), before, 'unchanged');
});

test.run();
