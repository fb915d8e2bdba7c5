import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCodes, ValidationError } from '../shared/errors.js';
import { errorWith, expectRejects } from '../testing/contract.js';
import type { UserId } from '../shared/ids.js';
import { MS_PER_MINUTE } from '../shared/clock.js';
import { uniquePhone } from '../testing/builders.js';
import {
  FakeOpaqueTokenIssuer,
  FakePasswordHasher,
  FakeTotpAuthenticator,
} from '../testing/in-memory-auth-repositories.js';
import { expectFailure, expectOk } from '../testing/outcomes.js';
import { createTestWorld } from '../testing/test-world.js';
import type { Page } from '../ports/pagination.js';
import type { AuditEntry } from './audit.js';
import { createAuthUseCases } from './auth-use-cases.js';
import { DEFAULT_IDENTIFIER_THROTTLE } from './login-throttle.js';

const PASSWORD = 'correct horse battery';
const ADMIN = { type: 'admin', id: '0190a000-0000-7000-8000-000000000001' } as const;
const OPERATOR = { type: 'operator', id: '0190a000-0000-7000-8000-000000000002' } as const;
const META = { ip: '203.0.113.7', requestId: 'req-42' };

function authWorld() {
  const world = createTestWorld();
  const hasher = new FakePasswordHasher();
  const tokens = new FakeOpaqueTokenIssuer();
  const totp = new FakeTotpAuthenticator();
  const auth = createAuthUseCases(world.ctx, {
    hasher,
    tokens,
    totp,
    settings: { refreshTtlMs: 60 * MS_PER_MINUTE },
  });
  return { ...world, hasher, tokens, totp, auth };
}
type World = ReturnType<typeof authWorld>;

function retailerSignup(overrides: Record<string, unknown> = {}) {
  return {
    role: 'RETAILER' as const,
    email: `shop${Math.random().toString(36).slice(2)}@example.com`,
    phone: uniquePhone().value,
    password: PASSWORD,
    retailer: { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' },
    meta: META,
    ...overrides,
  };
}

async function activeRetailer(w: World) {
  const signup = retailerSignup();
  const account = expectOk(await w.auth.registerAccount.execute(signup));
  expectOk(await w.auth.approveAccount.execute({ userId: account.id, actor: OPERATOR, meta: META }));
  return { account, signup };
}

async function auditActions(w: World): Promise<AuditEntry[]> {
  return [...(await w.repos.auditLog.list({}, { limit: 200 })).items].reverse();
}

test('self-registration makes a retailer PENDING_KYC and a user PENDING_APPROVAL, audited without secrets', async () => {
  const w = authWorld();
  const signup = retailerSignup();
  const account = expectOk(await w.auth.registerAccount.execute(signup));
  assert.is(account.status, 'PENDING_APPROVAL');
  assert.is(account.role, 'RETAILER');
  const retailer = await w.repos.retailers.get(account.retailerId as never);
  assert.is(retailer?.status, 'PENDING_KYC');
  assert.ok(await w.repos.credit.get(account.retailerId as never), 'credit account opened with it');
  const user = await w.repos.users.get(account.id);
  assert.ok(user && user.passwordHash !== PASSWORD && (await w.hasher.verify(PASSWORD, user.passwordHash)));
  const [entry] = await auditActions(w);
  assert.is(entry?.action, 'auth.register');
  assert.is(entry?.ip, META.ip);
  assert.is(entry?.requestId, META.requestId);
  assert.not.match(JSON.stringify(entry), /fake\$|correct horse/);
});

test('self-registration of a vendor leaves the vendor INACTIVE until approval', async () => {
  const w = authWorld();
  const account = expectOk(
    await w.auth.registerAccount.execute({
      role: 'VENDOR',
      phone: uniquePhone().value,
      password: PASSWORD,
      vendor: { name: 'Everest Traders', serviceAreas: ['kathmandu-10'], dailyCapacity: 20 },
    }),
  );
  assert.is((await w.repos.vendors.get(account.vendorId as never))?.status, 'INACTIVE');
  assert.equal(await w.repos.vendors.listActiveServing('kathmandu-10'), [], 'not routed to');
  expectOk(await w.auth.approveAccount.execute({ userId: account.id, actor: ADMIN }));
  assert.is((await w.repos.vendors.get(account.vendorId as never))?.status, 'ACTIVE');
  assert.is((await w.repos.users.get(account.id))?.status, 'ACTIVE');
});

test('self-registration can never create ADMIN or OPERATOR, and nothing is stored', async () => {
  const w = authWorld();
  for (const role of ['ADMIN', 'OPERATOR', 'SUPERUSER']) {
    expectFailure(await w.auth.registerAccount.execute(retailerSignup({ role }) as never), ErrorCodes.FORBIDDEN);
  }
  assert.is((await w.repos.retailers.list({ limit: 10 })).items.length, 0);
  assert.is((await auditActions(w)).length, 0);
});

test('registration refuses a weak password and a taken email or phone, storing nothing more', async () => {
  const w = authWorld();
  expectFailure(
    await w.auth.registerAccount.execute(retailerSignup({ password: 'short' })),
    ErrorCodes.AUTH_WEAK_PASSWORD,
  );
  const first = retailerSignup();
  expectOk(await w.auth.registerAccount.execute(first));
  expectFailure(
    await w.auth.registerAccount.execute(retailerSignup({ email: first.email.toUpperCase() })),
    ErrorCodes.DUPLICATE,
  );
  expectFailure(await w.auth.registerAccount.execute(retailerSignup({ phone: first.phone })), ErrorCodes.DUPLICATE);
  assert.is((await w.repos.retailers.list({ limit: 10 })).items.length, 1, 'rolled back with the failure');
});

test('approval and rejection are staff-only, once, and audited with before and after', async () => {
  const w = authWorld();
  const a = expectOk(await w.auth.registerAccount.execute(retailerSignup()));
  const b = expectOk(await w.auth.registerAccount.execute(retailerSignup()));
  expectFailure(
    await w.auth.approveAccount.execute({ userId: a.id, actor: { type: 'retailer', id: a.retailerId } }),
    ErrorCodes.FORBIDDEN,
  );
  expectFailure(
    await w.auth.approveAccount.execute({ userId: w.ids.next() as UserId, actor: ADMIN }),
    ErrorCodes.NOT_FOUND,
  );
  const approved = expectOk(await w.auth.approveAccount.execute({ userId: a.id, actor: OPERATOR, meta: META }));
  assert.is(approved.status, 'ACTIVE');
  assert.is((await w.repos.retailers.get(a.retailerId as never))?.status, 'ACTIVE', 'the retailer is approved with it');
  expectFailure(
    await w.auth.approveAccount.execute({ userId: a.id, actor: ADMIN }),
    ErrorCodes.AUTH_ACCOUNT_NOT_PENDING,
  );
  expectFailure(
    await w.auth.rejectAccount.execute({ userId: a.id, actor: ADMIN, reason: 'late' }),
    ErrorCodes.AUTH_ACCOUNT_NOT_PENDING,
  );
  const rejected = expectOk(
    await w.auth.rejectAccount.execute({ userId: b.id, actor: ADMIN, reason: 'fake documents' }),
  );
  assert.is(rejected.status, 'REJECTED');
  const decisions = (await auditActions(w)).filter((e) => e.action === 'auth.approve' || e.action === 'auth.reject');
  assert.equal(
    decisions.map((e) => [
      e.action,
      e.actor.id,
      (e.before as { status: string }).status,
      (e.after as { status: string }).status,
    ]),
    [
      ['auth.approve', OPERATOR.id, 'PENDING_APPROVAL', 'ACTIVE'],
      ['auth.reject', ADMIN.id, 'PENDING_APPROVAL', 'REJECTED'],
    ],
  );
  assert.equal(decisions[1]?.details, { reason: 'fake documents' });
});

test('only an ADMIN (or the system, for the first admin) creates ADMIN and OPERATOR users, ACTIVE at once', async () => {
  const w = authWorld();
  const cmd = { role: 'OPERATOR' as const, email: 'ops@khaacho.np', password: PASSWORD };
  expectFailure(await w.auth.createStaffUser.execute({ ...cmd, actor: OPERATOR }), ErrorCodes.FORBIDDEN);
  expectFailure(
    await w.auth.createStaffUser.execute({ ...cmd, actor: { type: 'retailer', id: null } }),
    ErrorCodes.FORBIDDEN,
  );
  const first = expectOk(
    await w.auth.createStaffUser.execute({
      role: 'ADMIN',
      email: 'root@khaacho.np',
      password: PASSWORD,
      actor: { type: 'system', id: null },
    }),
  );
  assert.is(first.status, 'ACTIVE');
  const op = expectOk(await w.auth.createStaffUser.execute({ ...cmd, actor: { type: 'admin', id: first.id } }));
  assert.is(op.role, 'OPERATOR');
  expectFailure(await w.auth.createStaffUser.execute({ ...cmd, actor: ADMIN }), ErrorCodes.DUPLICATE);
  const created = (await auditActions(w)).filter((e) => e.action === 'auth.staff_created');
  assert.equal(
    created.map((e) => [e.actor.type, e.target?.id]),
    [
      ['system', first.id],
      ['user', op.id],
    ],
  );
  // Staff hold no session before they enrol a second factor.
  expectFailure(
    await w.auth.login.execute({ identifier: 'OPS@khaacho.np', password: PASSWORD }),
    ErrorCodes.AUTH_TOTP_ENROLMENT_REQUIRED,
  );
});

test('login by email or phone grants a session; only the digest of the refresh token is stored', async () => {
  const w = authWorld();
  const { account, signup } = await activeRetailer(w);
  const byEmail = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD, meta: META }));
  assert.equal(byEmail.principal, {
    userId: account.id,
    role: 'RETAILER',
    retailerId: account.retailerId,
    vendorId: null,
  });
  const byPhone = expectOk(await w.auth.login.execute({ identifier: ` ${signup.phone} `, password: PASSWORD }));
  assert.is.not(byPhone.sessionId, byEmail.sessionId, 'each login is its own family');
  assert.is(await w.repos.refreshTokens.findByDigest(byEmail.refreshToken), null, 'the token itself is not a key');
  const stored = await w.repos.refreshTokens.findByDigest(w.tokens.digest(byEmail.refreshToken));
  assert.is(stored?.familyId, byEmail.sessionId);
  assert.equal(stored?.expiresAt, byEmail.refreshTokenExpiresAt);
  const login = (await auditActions(w)).find((e) => e.action === 'auth.login');
  assert.is(login?.actor.id, account.id);
  assert.is(login?.ip, META.ip);
});

test('unknown identifier and wrong password: the same failure after the same work, both audited', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  // The dummy hash is made once, before the first lookup; later attempts only verify.
  await w.auth.login.execute({ identifier: 'warm@example.com', password: 'x' });
  assert.is(w.hasher.calls.hash, 2, 'the registration and the dummy');
  const before = { ...w.hasher.calls };
  const unknown = expectFailure(
    await w.auth.login.execute({ identifier: 'nobody@example.com', password: PASSWORD }),
    ErrorCodes.AUTH_INVALID_CREDENTIALS,
  );
  const middle = { ...w.hasher.calls };
  const wrong = expectFailure(
    await w.auth.login.execute({ identifier: signup.email, password: 'wrong password!' }),
    ErrorCodes.AUTH_INVALID_CREDENTIALS,
  );
  const after = { ...w.hasher.calls };
  assert.equal({ ...unknown, details: {} }, { ...wrong, details: {} });
  assert.equal(unknown, wrong, 'nothing in the failure tells them apart');
  assert.equal([middle.verify - before.verify, middle.hash - before.hash], [1, 0], 'unknown: one verification');
  assert.equal([after.verify - middle.verify, after.hash - middle.hash], [1, 0], 'wrong password: one verification');
  const typedPassword = await w.auth.login.execute({ identifier: 'my secret passphrase', password: PASSWORD });
  expectFailure(typedPassword, ErrorCodes.AUTH_INVALID_CREDENTIALS);
  const failed = (await auditActions(w)).filter((e) => e.action === 'auth.login_failed');
  assert.is(failed.length, 4);
  assert.is(failed[3]?.details.identifier, null, 'neither email nor phone: never stored');
  assert.is(await w.repos.loginThrottles.get('id:my secret passphrase'), null, 'nor used as a key');
});

test('pending, rejected and disabled accounts cannot log in, even with the right password', async () => {
  const w = authWorld();
  const pending = retailerSignup();
  expectOk(await w.auth.registerAccount.execute(pending));
  const refused = expectFailure(
    await w.auth.login.execute({ identifier: pending.email, password: PASSWORD }),
    ErrorCodes.AUTH_ACCOUNT_NOT_ACTIVE,
  );
  assert.equal(refused.details, { status: 'PENDING_APPROVAL' });
  const rejectedSignup = retailerSignup();
  const r = expectOk(await w.auth.registerAccount.execute(rejectedSignup));
  expectOk(await w.auth.rejectAccount.execute({ userId: r.id, actor: ADMIN, reason: 'duplicate shop' }));
  expectFailure(
    await w.auth.login.execute({ identifier: rejectedSignup.email, password: PASSWORD }),
    ErrorCodes.AUTH_ACCOUNT_NOT_ACTIVE,
  );
  // And a wrong password on a pending account says only "invalid credentials".
  expectFailure(
    await w.auth.login.execute({ identifier: pending.email, password: 'wrong password!' }),
    ErrorCodes.AUTH_INVALID_CREDENTIALS,
  );
});

test('backoff after a few failures, lockout after many; the lock ends with its window; success resets', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  const policy = DEFAULT_IDENTIFIER_THROTTLE;
  const attempt = (password: string) => w.auth.login.execute({ identifier: signup.email, password, meta: META });
  for (let i = 0; i < policy.freeFailures; i++) {
    expectFailure(await attempt('wrong password!'), ErrorCodes.AUTH_INVALID_CREDENTIALS);
  }
  expectFailure(await attempt('wrong password!'), ErrorCodes.AUTH_INVALID_CREDENTIALS);
  // Now past the free ones: the next try must wait, even with the right password, and is not verified.
  const verifies = w.hasher.calls.verify;
  const wait = expectFailure(await attempt(PASSWORD), ErrorCodes.AUTH_LOCKED);
  assert.equal(wait.details, { retryAfterMs: policy.backoffBaseMs, locked: false });
  assert.is(w.hasher.calls.verify, verifies, 'a throttled attempt checks no password');
  let failures = policy.freeFailures + 1;
  while (failures < policy.lockoutThreshold) {
    w.clock.advance(policy.backoffMaxMs);
    expectFailure(await attempt('wrong password!'), ErrorCodes.AUTH_INVALID_CREDENTIALS);
    failures++;
  }
  w.clock.advance(policy.backoffMaxMs);
  const locked = expectFailure(await attempt(PASSWORD), ErrorCodes.AUTH_LOCKED);
  assert.ok(locked.details.locked === true && (locked.details.retryAfterMs as number) > 0, 'locked out');
  assert.ok(
    (await auditActions(w)).some((e) => e.action === 'auth.login_locked'),
    'audited',
  );
  w.clock.advance(policy.lockoutMs);
  expectOk(await attempt(PASSWORD));
  assert.is(await w.repos.loginThrottles.get(`id:${signup.email}`), null, 'success clears the identifier counter');
});

test('an unknown identifier is throttled exactly like a known one (no account enumeration)', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  const run = async (identifier: string) => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await w.auth.login.execute({ identifier, password: 'wrong password!' });
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    return codes;
  };
  assert.equal(await run(signup.email), await run('ghost@example.com'));
});

test('failures from one address across many identifiers lock the address', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  let last = '';
  for (let i = 0; i < 100; i++) {
    const r = await w.auth.login.execute({ identifier: `spray${i}@example.com`, password: 'guess guess', meta: META });
    last = r.ok ? 'ok' : r.error.code;
    if (last === ErrorCodes.AUTH_LOCKED) break;
    w.clock.advance(1);
  }
  assert.is(last, ErrorCodes.AUTH_LOCKED, 'the spray hit the address limit');
  expectFailure(
    await w.auth.login.execute({ identifier: signup.email, password: PASSWORD, meta: META }),
    ErrorCodes.AUTH_LOCKED,
  );
  expectOk(
    await w.auth.login.execute({
      identifier: signup.email,
      password: PASSWORD,
      meta: { ip: '198.51.100.1', requestId: null },
    }),
  );
});

test('refresh rotates: the new token works, the old one is spent', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  const first = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  w.clock.advance(1000);
  const second = expectOk(await w.auth.rotateRefreshToken.execute({ refreshToken: first.refreshToken, meta: META }));
  assert.is.not(second.refreshToken, first.refreshToken);
  assert.is(second.sessionId, first.sessionId, 'same family');
  assert.equal(second.principal, first.principal);
  const third = expectOk(await w.auth.rotateRefreshToken.execute({ refreshToken: second.refreshToken }));
  assert.is(third.sessionId, first.sessionId);
  assert.ok((await auditActions(w)).filter((e) => e.action === 'auth.refresh').length === 2);
});

test('reusing a rotated refresh token revokes the whole family: the newest token stops working too', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  const first = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  const other = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  const second = expectOk(await w.auth.rotateRefreshToken.execute({ refreshToken: first.refreshToken }));
  const reuse = expectFailure(
    await w.auth.rotateRefreshToken.execute({ refreshToken: first.refreshToken, meta: META }),
    ErrorCodes.AUTH_TOKEN_INVALID,
  );
  assert.is(reuse.details.reason, 'reused');
  expectFailure(
    await w.auth.rotateRefreshToken.execute({ refreshToken: second.refreshToken }),
    ErrorCodes.AUTH_TOKEN_INVALID,
  );
  expectOk(await w.auth.rotateRefreshToken.execute({ refreshToken: other.refreshToken }));
  const entry = (await auditActions(w)).find((e) => e.action === 'auth.refresh_reuse');
  assert.equal(entry?.details, { sessionId: first.sessionId, revoked: 2 }, 'the spent token and the newest');
  assert.is(entry?.ip, META.ip);
});

test('two rotations of one token at once: one wins, the other is treated as reuse', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  const first = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  const results = await Promise.all([
    w.auth.rotateRefreshToken.execute({ refreshToken: first.refreshToken }),
    w.auth.rotateRefreshToken.execute({ refreshToken: first.refreshToken }),
  ]);
  assert.equal(results.map((r) => r.ok).sort(), [false, true]);
  const winner = results.find((r) => r.ok);
  assert.ok(winner?.ok);
  expectFailure(
    await w.auth.rotateRefreshToken.execute({ refreshToken: winner.value.refreshToken }),
    ErrorCodes.AUTH_TOKEN_INVALID,
  );
});

test('expired, unknown and oversized refresh tokens are refused; an expired one revokes nothing else', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  const grant = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  expectFailure(await w.auth.rotateRefreshToken.execute({ refreshToken: 'rt-999' }), ErrorCodes.AUTH_TOKEN_INVALID);
  await expectRejects(
    w.auth.rotateRefreshToken.execute({ refreshToken: 'x'.repeat(201) }),
    errorWith(ValidationError.is, ErrorCodes.INVALID_COMMAND),
    'oversized',
  );
  w.clock.advance(60 * MS_PER_MINUTE);
  const expired = expectFailure(
    await w.auth.rotateRefreshToken.execute({ refreshToken: grant.refreshToken }),
    ErrorCodes.AUTH_TOKEN_INVALID,
  );
  assert.is(expired.details.reason, 'expired');
});

test('logout revokes the family; it is idempotent; a rejected user loses every session', async () => {
  const w = authWorld();
  const { account, signup } = await activeRetailer(w);
  const grant = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  const rotated = expectOk(await w.auth.rotateRefreshToken.execute({ refreshToken: grant.refreshToken }));
  assert.equal(expectOk(await w.auth.logout.execute({ refreshToken: rotated.refreshToken })), { revoked: 2 });
  assert.equal(expectOk(await w.auth.logout.execute({ refreshToken: rotated.refreshToken })), { revoked: 0 });
  assert.equal(expectOk(await w.auth.logout.execute({ refreshToken: 'never-issued' })), { revoked: 0 });
  expectFailure(
    await w.auth.rotateRefreshToken.execute({ refreshToken: rotated.refreshToken }),
    ErrorCodes.AUTH_TOKEN_INVALID,
  );
  assert.ok((await auditActions(w)).some((e) => e.action === 'auth.logout' && e.target?.id === account.id));
});

test('a session of an account that is no longer ACTIVE cannot refresh, and the principal lookup refuses it', async () => {
  const w = authWorld();
  const { account, signup } = await activeRetailer(w);
  const grant = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  expectOk(await w.auth.getActivePrincipal.execute({ userId: account.id }));
  const user = await w.repos.users.get(account.id);
  assert.ok(user);
  await w.repos.users.save({ ...user, status: 'DISABLED' });
  expectFailure(await w.auth.getActivePrincipal.execute({ userId: account.id }), ErrorCodes.AUTH_TOKEN_INVALID);
  expectFailure(
    await w.auth.getActivePrincipal.execute({ userId: 'not-a-uuid' as UserId }),
    ErrorCodes.AUTH_TOKEN_INVALID,
  );
  const refused = expectFailure(
    await w.auth.rotateRefreshToken.execute({ refreshToken: grant.refreshToken }),
    ErrorCodes.AUTH_TOKEN_INVALID,
  );
  assert.is(refused.details.reason, 'account not active');
  assert.is((await w.repos.refreshTokens.findByDigest(w.tokens.digest(grant.refreshToken)))?.revokedAt !== null, true);
});

test('staff or the system give an existing retailer a login, ACTIVE at once; the party must exist', async () => {
  const w = authWorld();
  const retailer = await w.given.retailer();
  const cmd = { role: 'RETAILER' as const, retailerId: retailer.id, email: 'owner@pasal.np', password: PASSWORD };
  expectFailure(
    await w.auth.createPartyUser.execute({ ...cmd, actor: { type: 'retailer', id: retailer.id } }),
    ErrorCodes.FORBIDDEN,
  );
  expectFailure(
    await w.auth.createPartyUser.execute({ ...cmd, retailerId: w.ids.next() as never, actor: OPERATOR }),
    ErrorCodes.NOT_FOUND,
  );
  const user = expectOk(await w.auth.createPartyUser.execute({ ...cmd, actor: { type: 'system', id: null } }));
  assert.is(user.status, 'ACTIVE');
  const grant = expectOk(await w.auth.login.execute({ identifier: 'owner@pasal.np', password: PASSWORD }));
  assert.is(grant.principal.retailerId, retailer.id);
  assert.ok((await auditActions(w)).some((e) => e.action === 'auth.user_created' && e.actor.type === 'system'));
});

test('staff list pending accounts newest first; others may not', async () => {
  const w = authWorld();
  const a = expectOk(await w.auth.registerAccount.execute(retailerSignup()));
  w.clock.advance(1000);
  const b = expectOk(await w.auth.registerAccount.execute(retailerSignup()));
  expectOk(await w.auth.approveAccount.execute({ userId: a.id, actor: ADMIN }));
  const page = expectOk(
    await w.auth.listAccounts.execute({ filter: { status: 'PENDING_APPROVAL' }, page: { limit: 10 }, actor: OPERATOR }),
  );
  assert.equal(
    page.items.map((x) => x.id),
    [b.id],
  );
  assert.not.ok('passwordHash' in (page.items[0] ?? {}), 'no hash in the view');
  expectFailure(
    await w.auth.listAccounts.execute({ page: { limit: 10 }, actor: { type: 'retailer', id: a.retailerId } }),
    ErrorCodes.FORBIDDEN,
  );
});

test('an ADMIN reads the audit log newest first, filtered and in keyset pages; nobody else may', async () => {
  const w = authWorld();
  const accounts = [];
  for (let i = 0; i < 3; i++) {
    accounts.push(expectOk(await w.auth.registerAccount.execute(retailerSignup())));
    w.clock.advance(1000);
  }
  for (const a of accounts)
    expectOk(await w.auth.approveAccount.execute({ userId: a.id, actor: OPERATOR, meta: META }));
  const all = expectOk(await w.auth.listAuditLog.execute({ page: { limit: 200 }, actor: ADMIN }));
  assert.is(all.items.length, 6);
  const approvals: AuditEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<AuditEntry> = expectOk(
      await w.auth.listAuditLog.execute({
        filter: { action: 'auth.approve' },
        page: { limit: 2, cursor },
        actor: ADMIN,
      }),
    );
    approvals.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(
    approvals.map((e) => e.target?.id),
    accounts.map((a) => a.id).reverse(),
    'newest first, each once',
  );
  assert.ok(approvals.every((e) => e.ip === META.ip && e.requestId === META.requestId && e.actor.id === OPERATOR.id));
  for (const actor of [OPERATOR, { type: 'retailer', id: accounts[0]?.retailerId ?? null } as const]) {
    expectFailure(await w.auth.listAuditLog.execute({ page: { limit: 10 }, actor }), ErrorCodes.FORBIDDEN);
  }
  for (const limit of [0, 201, 1.5]) {
    await expectRejects(
      w.auth.listAuditLog.execute({ page: { limit }, actor: ADMIN }),
      errorWith(ValidationError.is, ErrorCodes.INVALID_COMMAND),
      `limit ${limit}`,
    );
  }
});

test('a staff action is recorded with who, target, request id and IP; only staff; a bounded action name', async () => {
  const w = authWorld();
  const target = { type: 'order', id: '0190a000-0000-7000-8000-00000000000a' };
  expectOk(
    await w.auth.recordStaffAction.execute({
      actor: OPERATOR,
      action: 'api.cancel_order',
      target,
      details: { status: 200 },
      meta: META,
    }),
  );
  const [entry] = (await w.repos.auditLog.list({ action: 'api.cancel_order' }, { limit: 5 })).items;
  assert.equal(entry?.actor, { type: 'user', id: OPERATOR.id, role: 'OPERATOR' });
  assert.equal(
    [entry?.target, entry?.ip, entry?.requestId, entry?.details],
    [target, META.ip, META.requestId, { status: 200 }],
  );
  expectFailure(
    await w.auth.recordStaffAction.execute({ actor: { type: 'retailer', id: null }, action: 'api.place_order' }),
    ErrorCodes.FORBIDDEN,
  );
  for (const action of ['cancel', 'API.Cancel', `api.${'x'.repeat(80)}`]) {
    await expectRejects(
      w.auth.recordStaffAction.execute({ actor: ADMIN, action }),
      errorWith(ValidationError.is, ErrorCodes.INVALID_COMMAND),
      action,
    );
  }
  assert.is((await w.repos.auditLog.list({}, { limit: 10 })).items.length, 1, 'only the one recorded');
});

async function staffWithTotp(w: World, email = 'admin@khaacho.np') {
  expectOk(
    await w.auth.createStaffUser.execute({
      role: 'ADMIN',
      email,
      password: PASSWORD,
      actor: { type: 'system', id: null },
    }),
  );
  const enrolment = expectOk(await w.auth.enrolTotp.execute({ identifier: email, password: PASSWORD, meta: META }));
  const code = () => FakeTotpAuthenticator.codeFor(enrolment.secret, w.clock.now());
  expectOk(await w.auth.confirmTotp.execute({ identifier: email, password: PASSWORD, code: code() }));
  return { email, enrolment, code };
}

test('staff TOTP: enrol with the password, confirm with a first code, then every login needs a fresh code', async () => {
  const w = authWorld();
  const email = 'admin@khaacho.np';
  expectOk(
    await w.auth.createStaffUser.execute({
      role: 'ADMIN',
      email,
      password: PASSWORD,
      actor: { type: 'system', id: null },
    }),
  );
  expectFailure(
    await w.auth.login.execute({ identifier: email, password: PASSWORD }),
    ErrorCodes.AUTH_TOTP_ENROLMENT_REQUIRED,
  );
  expectFailure(
    await w.auth.enrolTotp.execute({ identifier: email, password: 'wrong password!' }),
    ErrorCodes.AUTH_INVALID_CREDENTIALS,
  );
  expectFailure(
    await w.auth.confirmTotp.execute({ identifier: email, password: PASSWORD, code: '123456' }),
    ErrorCodes.AUTH_TOTP_STATE,
  );
  const enrolment = expectOk(await w.auth.enrolTotp.execute({ identifier: email, password: PASSWORD }));
  assert.match(enrolment.uri, /^otpauth:\/\/totp\//);
  const stored = await w.repos.users.getByEmail(email);
  assert.is(stored?.totp?.sealedSecret, `sealed:${enrolment.secret}`, 'stored sealed, not as shown');
  expectFailure(
    await w.auth.login.execute({ identifier: email, password: PASSWORD }),
    ErrorCodes.AUTH_TOTP_ENROLMENT_REQUIRED,
  );
  const code = () => FakeTotpAuthenticator.codeFor(enrolment.secret, w.clock.now());
  const wrong = code() === '000000' ? '000001' : '000000';
  expectFailure(
    await w.auth.confirmTotp.execute({ identifier: email, password: PASSWORD, code: wrong }),
    ErrorCodes.AUTH_TOTP_INVALID,
  );
  expectOk(await w.auth.confirmTotp.execute({ identifier: email, password: PASSWORD, code: code() }));
  expectFailure(await w.auth.enrolTotp.execute({ identifier: email, password: PASSWORD }), ErrorCodes.AUTH_TOTP_STATE);
  expectFailure(await w.auth.login.execute({ identifier: email, password: PASSWORD }), ErrorCodes.AUTH_TOTP_REQUIRED);
  expectFailure(
    await w.auth.login.execute({ identifier: email, password: PASSWORD, totpCode: code() }),
    ErrorCodes.AUTH_TOTP_INVALID,
  );
  w.clock.advance(30_000);
  const fresh = code();
  const grant = expectOk(await w.auth.login.execute({ identifier: email, password: PASSWORD, totpCode: fresh }));
  assert.is(grant.principal.role, 'ADMIN');
  expectFailure(
    await w.auth.login.execute({ identifier: email, password: PASSWORD, totpCode: fresh }),
    ErrorCodes.AUTH_TOTP_INVALID,
  );
  const actions = (await auditActions(w)).map((e) => e.action);
  assert.ok(actions.includes('auth.totp_enrol') && actions.includes('auth.totp_confirmed'));
  assert.not.match(JSON.stringify(await auditActions(w)), new RegExp(enrolment.secret));
});

test('wrong TOTP codes count toward the lockout like wrong passwords', async () => {
  const w = authWorld();
  const { email, code } = await staffWithTotp(w);
  const policy = DEFAULT_IDENTIFIER_THROTTLE;
  for (let i = 0; i < policy.lockoutThreshold; i++) {
    w.clock.advance(policy.backoffMaxMs);
    const wrong = code() === '999999' ? '999998' : '999999';
    expectFailure(
      await w.auth.login.execute({ identifier: email, password: PASSWORD, totpCode: wrong }),
      ErrorCodes.AUTH_TOTP_INVALID,
    );
  }
  w.clock.advance(policy.backoffMaxMs);
  expectFailure(
    await w.auth.login.execute({ identifier: email, password: PASSWORD, totpCode: code() }),
    ErrorCodes.AUTH_LOCKED,
  );
});

test('two logins with one code at once: one session', async () => {
  const w = authWorld();
  const { email, code } = await staffWithTotp(w);
  w.clock.advance(30_000);
  const c = code();
  const results = await Promise.all([
    w.auth.login.execute({ identifier: email, password: PASSWORD, totpCode: c }),
    w.auth.login.execute({ identifier: email, password: PASSWORD, totpCode: c }),
  ]);
  assert.equal(results.map((r) => r.ok).sort(), [false, true]);
});

test('a retailer who enrolled TOTP needs codes too; one who did not, does not', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  const enrolment = expectOk(await w.auth.enrolTotp.execute({ identifier: signup.email, password: PASSWORD }));
  const code = FakeTotpAuthenticator.codeFor(enrolment.secret, w.clock.now());
  expectOk(await w.auth.confirmTotp.execute({ identifier: signup.email, password: PASSWORD, code }));
  expectFailure(
    await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }),
    ErrorCodes.AUTH_TOTP_REQUIRED,
  );
});

test('purging removes long-expired refresh tokens and idle counters, and refuses a retention shorter than a window', async () => {
  const w = authWorld();
  const { signup } = await activeRetailer(w);
  const grant = expectOk(await w.auth.login.execute({ identifier: signup.email, password: PASSWORD }));
  await w.auth.login.execute({ identifier: 'ghost@example.com', password: 'wrong password!' });
  await expectRejects(
    w.auth.purgeAuthRecords.execute({ retentionMs: 1000 }),
    errorWith(ValidationError.is, ErrorCodes.INVALID_COMMAND),
    'too short',
  );
  const day = 24 * 60 * MS_PER_MINUTE;
  assert.equal(expectOk(await w.auth.purgeAuthRecords.execute({ retentionMs: day })), {
    refreshTokens: 0,
    loginThrottles: 0,
  });
  w.clock.advance(2 * day);
  assert.equal(expectOk(await w.auth.purgeAuthRecords.execute({ retentionMs: day })), {
    refreshTokens: 1,
    loginThrottles: 1,
  });
  expectFailure(
    await w.auth.rotateRefreshToken.execute({ refreshToken: grant.refreshToken }),
    ErrorCodes.AUTH_TOKEN_INVALID,
  );
});

test.run();
