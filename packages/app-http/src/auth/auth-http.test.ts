// The auth routes through the real app (createHttpApp over the in-memory composition, the
// auth module's JWT authenticator, the one error table), on a manual clock.
import { createHash } from 'node:crypto';
import { IN_MEMORY_PERSISTENCE } from '@khaacho/app-worker/composition';
import {
  AUTH_USE_CASES,
  DEFAULT_IDENTIFIER_THROTTLE,
  DomainError,
  ErrorCodes,
  PhoneNumber,
  SYSTEM_ACTOR,
  type Token,
  USE_CASE_TOKENS,
  unwrap,
} from '@khaacho/core';
import { ManualClock, uniquePhone } from '@khaacho/core/testing';
import { SignJWT } from 'jose';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, TEST_ISSUER, TEST_JWT_SECRET } from '../testing/test-app.js';
import { createUserWithPassword, totpCode } from './index.js';

const SECRET = TEST_JWT_SECRET;
const ISSUER = TEST_ISSUER;
const PASSWORD = 'correct horse battery';
const OPERATOR = { type: 'operator', id: '0190a000-0000-7000-8000-000000000002' } as const;

async function start() {
  const clock = new ManualClock(new Date());
  const app = await startTestApp({ authenticator: 'jwt', clock });
  const resolve = <T>(t: Token<T>): T => app.composition.get<T>(t);
  const repos = app.composition.get(IN_MEMORY_PERSISTENCE).repos;
  const world = {
    clock,
    repos,
    given: {
      vendor: async () =>
        unwrap(
          await resolve(USE_CASE_TOKENS.registerVendor).execute({
            name: 'Everest Traders',
            phone: PhoneNumber.parse(uniquePhone().value),
            serviceAreas: ['kathmandu-10'],
            dailyCapacity: 20,
            actor: SYSTEM_ACTOR,
          }),
        ),
    },
  };
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await app.request(method, `/api/v1${path === '/me' ? '/auth/me' : path}`, {
      ...(body === undefined ? {} : { body }),
      ...(token === undefined ? {} : { token }),
    });
    return { status: res.status, headers: res.headers, body: res.body };
  };
  return { app, world, resolve, call, close: () => app.close() };
}

type Api = Awaited<ReturnType<typeof start>>;
let api: Api;

test.before.each(async () => {
  api = await start();
});

test.after.each(async () => {
  await api.close();
});

async function registered(role: 'RETAILER' | 'VENDOR' = 'RETAILER') {
  const email = `shop-${Math.random().toString(36).slice(2)}@example.com`;
  const party =
    role === 'RETAILER'
      ? { retailer: { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' } }
      : { vendor: { name: 'Everest Traders', serviceAreas: ['kathmandu-10'], dailyCapacity: 20 } };
  const res = await api.call('POST', '/auth/register', {
    role,
    email,
    phone: uniquePhone().value,
    password: PASSWORD,
    ...party,
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return { email, account: res.body as { id: string; status: string; retailerId: string | null } };
}

async function approved() {
  const r = await registered();
  const out = await api
    .resolve(AUTH_USE_CASES)
    .approveAccount.execute({ userId: r.account.id as never, actor: OPERATOR });
  assert.ok(out.ok);
  return r;
}

async function login(email: string) {
  const res = await api.call('POST', '/auth/login', { identifier: email, password: PASSWORD });
  assert.is(res.status, 200, JSON.stringify(res.body));
  return res.body as { accessToken: string; refreshToken: string; principal: { userId: string } };
}

test('register → pending: login refused until approved; then the access token works', async () => {
  const { email, account } = await registered();
  assert.is(account.status, 'PENDING_APPROVAL');
  const early = await api.call('POST', '/auth/login', { identifier: email, password: PASSWORD });
  assert.is(early.status, 401);
  assert.is(early.body.error.code, 'AUTH.ACCOUNT_NOT_ACTIVE');
  await api.resolve(AUTH_USE_CASES).approveAccount.execute({ userId: account.id as never, actor: OPERATOR });
  const res = await api.call('POST', '/auth/login', { identifier: email, password: PASSWORD });
  assert.is(res.status, 200);
  assert.is(res.headers.get('cache-control'), 'no-store');
  assert.is(res.body.tokenType, 'Bearer');
  assert.match(res.body.refreshToken, /^[A-Za-z0-9_-]{43}$/);
  const me = await api.call('GET', '/me', undefined, res.body.accessToken);
  assert.is(me.status, 200);
  assert.equal(me.body, { userId: account.id, role: 'RETAILER', retailerId: account.retailerId, vendorId: null });
  // Only the SHA-256 of the refresh token is stored.
  const digest = createHash('sha256').update(res.body.refreshToken).digest('base64url');
  assert.ok(await api.world.repos.refreshTokens.findByDigest(digest));
  assert.is(await api.world.repos.refreshTokens.findByDigest(res.body.refreshToken), null);
});

test('the access token carries sub, role, iss, iat, exp and jti, HS256, short-lived', async () => {
  const { email, account } = await approved();
  const { accessToken } = await login(email);
  const [header, payload] = accessToken
    .split('.')
    .slice(0, 2)
    .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
  assert.equal(header, { alg: 'HS256', typ: 'JWT' });
  assert.is(payload.sub, account.id);
  assert.is(payload.role, 'RETAILER');
  assert.is(payload.iss, ISSUER);
  assert.is(payload.exp - payload.iat, 300);
  assert.match(payload.jti, /^[0-9a-f-]{36}$/);
});

test('refresh rotates; reusing the old token → 401 and the family is revoked (the newest stops working too)', async () => {
  const { email } = await approved();
  const first = await login(email);
  const second = await api.call('POST', '/auth/refresh', { refreshToken: first.refreshToken });
  assert.is(second.status, 200);
  assert.is.not(second.body.refreshToken, first.refreshToken);
  assert.is((await api.call('GET', '/me', undefined, second.body.accessToken)).status, 200);
  const reuse = await api.call('POST', '/auth/refresh', { refreshToken: first.refreshToken });
  assert.is(reuse.status, 401);
  assert.is(reuse.body.error.code, 'AUTH.TOKEN_INVALID');
  const newest = await api.call('POST', '/auth/refresh', { refreshToken: second.body.refreshToken });
  assert.is(newest.status, 401, 'the whole family is revoked');
  // Another login (another family) is untouched.
  const other = await login(email);
  assert.is((await api.call('POST', '/auth/refresh', { refreshToken: other.refreshToken })).status, 200);
});

test('expired, forged, alg:none, tampered, wrong-issuer and malformed access tokens → 401', async () => {
  const { email, account } = await approved();
  const { accessToken } = await login(email);
  const now = Math.floor(api.world.clock.now().getTime() / 1000);
  const forged = await new SignJWT({ role: 'ADMIN' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(account.id)
    .setIssuer(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti('0190a000-0000-7000-8000-0000000000ff')
    .sign(new TextEncoder().encode('another-secret-of-at-least-32-bytes!!'));
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const [h, p, s] = accessToken.split('.');
  const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
  const none = `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`;
  const tampered = `${h}.${b64({ ...claims, role: 'ADMIN' })}.${s}`;
  const wrongIssuer = await new SignJWT({ role: 'RETAILER' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(account.id)
    .setIssuer('someone-else')
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .setJti('0190a000-0000-7000-8000-0000000000fe')
    .sign(new TextEncoder().encode(SECRET));
  for (const [name, token] of [
    ['forged', forged],
    ['alg none', none],
    ['tampered', tampered],
    ['wrong issuer', wrongIssuer],
    ['garbage', 'not.a.jwt'],
  ] as const) {
    const res = await api.call('GET', '/me', undefined, token);
    assert.is(res.status, 401, name);
    assert.is(res.body.error.code, 'AUTH.TOKEN_INVALID', name);
  }
  const missing = await api.call('GET', '/me');
  assert.is([missing.status, missing.body.error.code].join(' '), '401 AUTH.UNAUTHENTICATED');
  api.world.clock.advance(301_000 + 5_000);
  const expired = await api.call('GET', '/me', undefined, accessToken);
  assert.is([expired.status, expired.body.error.code].join(' '), '401 AUTH.TOKEN_EXPIRED');
});

test('a valid token of an account disabled since → 401 at once', async () => {
  const { email, account } = await approved();
  const { accessToken } = await login(email);
  const user = await api.world.repos.users.get(account.id as never);
  assert.ok(user);
  await api.world.repos.users.save({ ...user, status: 'DISABLED' });
  assert.is((await api.call('GET', '/me', undefined, accessToken)).status, 401);
});

test('lockout after repeated failures: 429 with Retry-After, even with the right password', async () => {
  const { email } = await approved();
  let res = { status: 0, headers: new Headers(), body: null as unknown as { error: { code: string } } };
  for (let i = 0; i < DEFAULT_IDENTIFIER_THROTTLE.lockoutThreshold; i++) {
    res = await api.call('POST', '/auth/login', { identifier: email, password: 'wrong password!' });
    assert.is(res.status, 401, `failure ${i + 1}`);
    api.world.clock.advance(DEFAULT_IDENTIFIER_THROTTLE.backoffMaxMs);
  }
  res = await api.call('POST', '/auth/login', { identifier: email, password: PASSWORD });
  assert.is(res.status, 429);
  assert.is(res.body.error.code, 'AUTH.LOCKED');
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= DEFAULT_IDENTIFIER_THROTTLE.lockoutMs / 1000);
});

test('unknown identifier and wrong password answer the same 401 body', async () => {
  const { email } = await approved();
  const wrong = await api.call('POST', '/auth/login', { identifier: email, password: 'wrong password!' });
  const unknown = await api.call('POST', '/auth/login', {
    identifier: 'ghost@example.com',
    password: 'wrong password!',
  });
  assert.is(wrong.status, 401);
  assert.is(unknown.status, 401);
  // The same but for the errorId, which is every error's own.
  const { errorId: _a, ...wrongError } = wrong.body.error;
  const { errorId: _b, ...unknownError } = unknown.body.error;
  assert.equal(wrongError, unknownError);
});

test('logout → 204 and the session is over; a second logout is fine', async () => {
  const { email } = await approved();
  const s = await login(email);
  assert.is((await api.call('POST', '/auth/logout', { refreshToken: s.refreshToken })).status, 204);
  assert.is((await api.call('POST', '/auth/logout', { refreshToken: s.refreshToken })).status, 204);
  assert.is((await api.call('POST', '/auth/refresh', { refreshToken: s.refreshToken })).status, 401);
});

test('bodies are validated: unknown fields, wrong types, ADMIN self-registration, mismatched party → 422', async () => {
  const base = { role: 'RETAILER', phone: uniquePhone().value, password: PASSWORD };
  const retailer = { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' };
  for (const [name, body] of [
    ['unknown field', { identifier: 'a@b.np', password: 'x', admin: true }],
    ['wrong type', { identifier: 42, password: 'x' }],
    ['missing field', { identifier: 'a@b.np' }],
  ] as const) {
    const res = await api.call('POST', '/auth/login', body);
    assert.is(res.status, 422, name);
  }
  for (const [name, body] of [
    ['admin', { ...base, role: 'ADMIN', retailer }],
    ['operator', { ...base, role: 'OPERATOR', retailer }],
    ['no party', base],
    ['both parties', { ...base, retailer, vendor: { name: 'V', serviceAreas: ['a'], dailyCapacity: 1 } }],
    ['short password', { ...base, retailer, password: 'short' }],
  ] as const) {
    const res = await api.call('POST', '/auth/register', body);
    assert.is(res.status, 422, name);
  }
  assert.is((await api.world.repos.retailers.list({ limit: 5 })).items.length, 0, 'nothing written');
});

test('one phone, one party: registering a retailer with a vendor’s phone (or back) is 409 PARTY.PHONE_TAKEN', async () => {
  const vendor = await api.world.given.vendor();
  const base = { password: PASSWORD, phone: vendor.phone.value };
  const asShop = await api.call('POST', '/auth/register', {
    ...base,
    role: 'RETAILER',
    email: 'hari@example.com',
    retailer: { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' },
  });
  assert.is([asShop.status, asShop.body.error.code].join(' '), '409 PARTY.PHONE_TAKEN');
  assert.is(asShop.body.error.details.takenBy, 'vendor');
  assert.is(await api.world.repos.retailers.getByPhone(vendor.phone), null, 'no retailer was created');
  assert.is(await api.world.repos.users.getByEmail('hari@example.com'), null, 'nor an account');

  // A retailer the field team registered (no account yet), and a vendor account asked for its number.
  const shop = unwrap(
    await api.resolve(USE_CASE_TOKENS.registerRetailer).execute({
      name: 'Sita Pasal',
      phone: PhoneNumber.parse(uniquePhone().value),
      area: 'kathmandu-10',
      district: 'kathmandu',
      actor: SYSTEM_ACTOR,
    }),
  );
  const asVendor = await api.call('POST', '/auth/register', {
    password: PASSWORD,
    phone: shop.phone.value,
    role: 'VENDOR',
    email: 'everest@example.com',
    vendor: { name: 'Everest Traders', serviceAreas: ['kathmandu-10'], dailyCapacity: 20 },
  });
  assert.is([asVendor.status, asVendor.body.error.code].join(' '), '409 PARTY.PHONE_TAKEN');
  assert.is(asVendor.body.error.details.takenBy, 'retailer');
  assert.is(await api.world.repos.vendors.getByPhone(shop.phone), null, 'no vendor was created');
});

test('createUserWithPassword: the first ADMIN (who enrols TOTP before a session), and a login for an existing vendor', async () => {
  const admin = await createUserWithPassword(api.resolve, {
    role: 'ADMIN',
    email: 'root@khaacho.np',
    password: PASSWORD,
  });
  assert.is(admin.status, 'ACTIVE');
  const creds = { identifier: 'root@khaacho.np', password: PASSWORD };
  const early = await api.call('POST', '/auth/login', creds);
  assert.is([early.status, early.body.error.code].join(' '), '401 AUTH.TOTP_ENROLMENT_REQUIRED');
  const enrolment = await api.call('POST', '/auth/totp/enrol', creds);
  assert.is(enrolment.status, 200);
  assert.is(enrolment.headers.get('cache-control'), 'no-store');
  const code = () => totpCode(enrolment.body.secret, api.world.clock.now());
  assert.is((await api.call('POST', '/auth/totp/confirm', { ...creds, code: code() })).status, 204);
  assert.is((await api.call('POST', '/auth/totp/enrol', creds)).status, 409, 'enrolled once');
  const noCode = await api.call('POST', '/auth/login', creds);
  assert.is([noCode.status, noCode.body.error.code].join(' '), '401 AUTH.TOTP_REQUIRED');
  api.world.clock.advance(30_000);
  const res = await api.call('POST', '/auth/login', { ...creds, totpCode: code() });
  assert.is(res.status, 200, JSON.stringify(res.body));
  const me = await api.call('GET', '/me', undefined, res.body.accessToken);
  assert.is(me.body.role, 'ADMIN');
  const vendor = await api.world.given.vendor();
  const v = await createUserWithPassword(api.resolve, {
    role: 'VENDOR',
    vendorId: vendor.id,
    phone: '+9779812345678',
    password: PASSWORD,
  });
  assert.is(v.vendorId, vendor.id);
  assert.is((await login('+9779812345678')).principal.userId, v.id);
  try {
    await createUserWithPassword(api.resolve, { role: 'OPERATOR', email: 'ROOT@khaacho.np', password: PASSWORD });
    assert.unreachable('duplicate email');
  } catch (error) {
    assert.ok(DomainError.hasCode(error, ErrorCodes.DUPLICATE));
  }
});

test.run();
