// Personal-data export and erasure over HTTP, with real sessions (JWT authenticator, TOTP for staff).
import { ManualClock, uniquePhone } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, staffSession, type TestApp } from '../../testing/test-app.js';

const PASSWORD = 'a long enough password';
const EMAIL = 'hari.pasal@example.com';

async function world() {
  const clock = new ManualClock(new Date());
  const app = await startTestApp({ authenticator: 'jwt', clock });
  const admin = await staffSession(app, clock, 'ADMIN', 'admin@khaacho.np');
  const operator = await staffSession(app, clock, 'OPERATOR', 'operator@khaacho.np');
  return { app, admin: admin.accessToken, operator: operator.accessToken };
}

/** A self-registered shop, approved, signed in. */
async function signedInShop(app: TestApp, operator: string) {
  const phone = uniquePhone().value;
  const registered = await app.request('POST', '/api/v1/auth/register', {
    body: {
      role: 'RETAILER',
      email: EMAIL,
      phone,
      password: PASSWORD,
      retailer: { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' },
    },
  });
  assert.is(registered.status, 201, JSON.stringify(registered.body));
  const approved = await app.request('POST', `/api/v1/accounts/${registered.body.id}/approve`, {
    token: operator,
    body: {},
  });
  assert.is(approved.status, 200, JSON.stringify(approved.body));
  const login = await app.request('POST', '/api/v1/auth/login', { body: { identifier: phone, password: PASSWORD } });
  assert.is(login.status, 200, JSON.stringify(login.body));
  return { phone, retailerId: registered.body.retailerId as string, token: login.body.accessToken as string };
}

test('the export is an ADMIN-only JSON download of everything held, and is audited', async () => {
  const { app, admin, operator } = await world();
  try {
    const shop = await signedInShop(app, operator);
    const path = `/api/v1/admin/retailers/${shop.retailerId}/personal-data`;
    assert.is((await app.request('GET', path, { token: operator })).status, 403);
    assert.is((await app.request('GET', path, { token: shop.token })).status, 403);
    const res = await app.request('GET', path, { token: admin, headers: { 'X-Request-Id': 'export-req-0001' } });
    assert.is(res.status, 200, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="khaacho-personal-data-/);
    assert.is(res.body.retailer.phone, shop.phone);
    assert.is(res.body.users[0].email, EMAIL);
    assert.not.ok('passwordHash' in res.body.users[0]);
    assert.ok(res.body.auditEntries.some((e: { action: string }) => e.action === 'auth.register'));
    for (const section of ['orders', 'ledgerEntries', 'creditScores', 'orderDrafts']) {
      assert.ok(Array.isArray(res.body[section]), section);
    }
    const audit = await app.request('GET', '/api/v1/admin/audit-log?action=privacy.export', { token: admin });
    assert.is(audit.body.items.length, 1);
    assert.is(audit.body.items[0].requestId, 'export-req-0001');
    assert.equal(audit.body.items[0].target, { type: 'retailer', id: shop.retailerId });

    const absent = '0190a000-0000-7000-8000-00000000dead';
    assert.is(
      (await app.request('GET', `/api/v1/admin/retailers/${absent}/personal-data`, { token: admin })).status,
      404,
    );
    assert.is(
      (await app.request('GET', '/api/v1/admin/retailers/not-a-uuid/personal-data', { token: admin })).status,
      422,
    );
  } finally {
    await app.close();
  }
});

test('erasure: ADMIN only with a reason; the shop is signed out and cannot log in; a repeat changes nothing', async () => {
  const { app, admin, operator } = await world();
  try {
    const shop = await signedInShop(app, operator);
    const path = `/api/v1/admin/retailers/${shop.retailerId}/erasure`;
    assert.is((await app.request('POST', path, { token: operator, body: { reason: 'asked' } })).status, 403);
    assert.is((await app.request('POST', path, { token: shop.token, body: { reason: 'asked' } })).status, 403);
    assert.is((await app.request('POST', path, { token: admin, body: {} })).status, 422, 'a reason is required');
    assert.is((await app.request('POST', path, { token: admin, body: { reason: 'x', extra: 1 } })).status, 422);
    assert.is((await app.request('GET', '/api/v1/orders', { token: shop.token })).status, 200, 'still in');

    const erased = await app.request('POST', path, {
      token: admin,
      body: { reason: 'the shop asked to be forgotten' },
      headers: { 'X-Request-Id': 'erase-req-0001' },
    });
    assert.is(erased.status, 200, JSON.stringify(erased.body));
    assert.is(erased.body.changed, true);
    assert.is(erased.body.counts.users, 1);

    assert.is((await app.request('GET', '/api/v1/orders', { token: shop.token })).status, 401, 'its token is dead');
    for (const identifier of [shop.phone, EMAIL]) {
      const login = await app.request('POST', '/api/v1/auth/login', { body: { identifier, password: PASSWORD } });
      assert.is(login.status, 401, `login as ${identifier}`);
    }
    const again = await app.request('POST', path, { token: admin, body: { reason: 'asked again' } });
    assert.equal([again.status, again.body.changed, again.body.erasedAt], [200, false, erased.body.erasedAt]);

    const audit = await app.request('GET', '/api/v1/admin/audit-log?action=privacy.erase', { token: admin });
    assert.is(audit.body.items.length, 1, 'one erasure, one entry');
    const [entry] = audit.body.items;
    assert.is(entry.requestId, 'erase-req-0001');
    assert.is(entry.details.reason, 'the shop asked to be forgotten');
    assert.not.ok(JSON.stringify(entry).includes(shop.phone), 'the entry holds no phone');

    const exported = await app.request('GET', `/api/v1/admin/retailers/${shop.retailerId}/personal-data`, {
      token: admin,
    });
    const { auditEntries: _kept, ...sections } = exported.body;
    const text = JSON.stringify(sections);
    for (const personal of [shop.phone, EMAIL, 'Hari Pasal']) assert.not.ok(text.includes(personal), personal);

    // The number is free again: the same person registers a new shop.
    const back = await app.request('POST', '/api/v1/auth/register', {
      body: {
        role: 'RETAILER',
        email: EMAIL,
        phone: shop.phone,
        password: PASSWORD,
        retailer: { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' },
      },
    });
    assert.is(back.status, 201, JSON.stringify(back.body));
    assert.is.not(back.body.retailerId, shop.retailerId);
  } finally {
    await app.close();
  }
});

test.run();
