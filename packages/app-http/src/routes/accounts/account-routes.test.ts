// Accounts and the audit log over HTTP with real sessions (JWT authenticator, TOTP for staff).
import { ManualClock, uniquePhone } from '@khaacho/core/testing';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startTestApp, staffSession, type TestApp } from '../../testing/test-app.js';

const PASSWORD = 'a long enough password';

async function world(options: { trustProxy?: boolean } = {}) {
  const clock = new ManualClock(new Date());
  const app = await startTestApp({ authenticator: 'jwt', clock, ...options });
  const admin = await staffSession(app, clock, 'ADMIN', 'admin@khaacho.np');
  const operator = await staffSession(app, clock, 'OPERATOR', 'operator@khaacho.np');
  return { app, clock, admin: admin.accessToken, operator: operator.accessToken, operatorId: operator.userId };
}

async function register(app: TestApp) {
  const phone = uniquePhone().value;
  const res = await app.request('POST', '/api/v1/auth/register', {
    body: {
      role: 'RETAILER',
      phone,
      password: PASSWORD,
      retailer: { name: 'Hari Pasal', area: 'kathmandu-10', district: 'kathmandu' },
    },
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id as string, phone };
}

test('the approval queue: pending accounts listed, approved by an operator (then the retailer logs in), audited with request id and IP', async () => {
  const { app, admin, operator, operatorId } = await world();
  try {
    const a = await register(app);
    const b = await register(app);
    const pending = await app.request('GET', '/api/v1/accounts?status=PENDING_APPROVAL', { token: operator });
    assert.is(pending.status, 200);
    assert.equal(
      pending.body.items.map((x: { id: string }) => x.id),
      [b.id, a.id],
    );
    const early = await app.request('POST', '/api/v1/auth/login', {
      body: { identifier: a.phone, password: PASSWORD },
    });
    assert.equal([early.status, early.body.error.code], [401, 'AUTH.ACCOUNT_NOT_ACTIVE']);
    const approved = await app.request('POST', `/api/v1/accounts/${a.id}/approve`, {
      token: operator,
      body: {},
      headers: { 'X-Request-Id': 'approve-req-0001' },
    });
    assert.is(approved.status, 200, JSON.stringify(approved.body));
    assert.is(approved.body.status, 'ACTIVE');
    assert.is(
      (await app.request('POST', `/api/v1/accounts/${a.id}/approve`, { token: operator, body: {} })).status,
      409,
    );
    const login = await app.request('POST', '/api/v1/auth/login', {
      body: { identifier: a.phone, password: PASSWORD },
    });
    assert.is(login.status, 200);
    assert.is(login.body.principal.role, 'RETAILER');

    const noReason = await app.request('POST', `/api/v1/accounts/${b.id}/reject`, { token: operator, body: {} });
    assert.is(noReason.status, 422);
    const rejected = await app.request('POST', `/api/v1/accounts/${b.id}/reject`, {
      token: admin,
      body: { reason: 'no trade licence' },
    });
    assert.is(rejected.body.status, 'REJECTED');
    const unknown = await app.request('POST', '/api/v1/accounts/0190a000-0000-7000-8000-00000000dead/approve', {
      token: admin,
      body: {},
    });
    assert.is(unknown.status, 404);

    const log = await app.request(
      'GET',
      `/api/v1/admin/audit-log?action=auth.approve&targetType=user&targetId=${a.id}`,
      {
        token: admin,
      },
    );
    assert.is(log.status, 200);
    assert.is(log.body.items.length, 1);
    const [entry] = log.body.items;
    assert.equal(entry.actor, { type: 'user', id: operatorId, role: 'OPERATOR' });
    assert.is(entry.requestId, 'approve-req-0001');
    assert.is(entry.ip, '127.0.0.1');
    assert.is(entry.before.status, 'PENDING_APPROVAL');
    assert.is(entry.after.status, 'ACTIVE');
    // Auth events are there too: the operator's and admin's logins, the retailer's refused one.
    const refused = await app.request('GET', '/api/v1/admin/audit-log?action=auth.login_refused', { token: admin });
    assert.is(refused.body.items.length, 1);
    assert.is(refused.body.items[0].ip, '127.0.0.1');
  } finally {
    await app.close();
  }
});

test('behind a trusted proxy the audit keeps the client address from X-Forwarded-For; untrusted, the header is ignored', async () => {
  for (const trustProxy of [true, false]) {
    const { app, admin } = await world({ trustProxy });
    try {
      const a = await register(app);
      await app.request('POST', `/api/v1/accounts/${a.id}/approve`, {
        token: admin,
        body: {},
        headers: { 'X-Forwarded-For': '203.0.113.9' },
      });
      const log = await app.request('GET', '/api/v1/admin/audit-log?action=auth.approve', { token: admin });
      assert.is(log.body.items[0].ip, trustProxy ? '203.0.113.9' : '127.0.0.1', `trustProxy ${trustProxy}`);
    } finally {
      await app.close();
    }
  }
});

test('only an ADMIN creates staff (idempotent by key); the new operator must enrol TOTP before a session', async () => {
  const { app, admin, operator } = await world();
  try {
    const body = { role: 'OPERATOR', email: 'new-op@khaacho.np', password: PASSWORD };
    assert.is((await app.request('POST', '/api/v1/accounts/staff', { token: operator, body })).status, 403);
    const headers = { 'Idempotency-Key': 'staff-0001' };
    const created = await app.request('POST', '/api/v1/accounts/staff', { token: admin, body, headers });
    assert.is(created.status, 201, JSON.stringify(created.body));
    assert.equal([created.body.role, created.body.status], ['OPERATOR', 'ACTIVE']);
    const replay = await app.request('POST', '/api/v1/accounts/staff', { token: admin, body, headers });
    assert.is(replay.status, 201);
    assert.is(replay.headers.get('Idempotent-Replayed'), 'true');
    assert.is(replay.body.id, created.body.id);
    assert.is((await app.request('POST', '/api/v1/accounts/staff', { token: admin, body })).status, 409);
    const noTotp = await app.request('POST', '/api/v1/auth/login', {
      body: { identifier: body.email, password: PASSWORD },
    });
    assert.is(noTotp.status, 401);
    const selfAdmin = await app.request('POST', '/api/v1/auth/register', {
      body: { role: 'ADMIN', phone: uniquePhone().value, password: PASSWORD },
    });
    assert.is(selfAdmin.status, 422, 'self-registration never makes staff');
    const audit = await app.request('GET', '/api/v1/admin/audit-log?action=auth.staff_created', { token: admin });
    assert.is(audit.body.items.length, 3, 'the two test staff and the new operator');
  } finally {
    await app.close();
  }
});

test('the audit log: ADMIN only, newest first in keyset pages that cover every entry once, bounded limit', async () => {
  const { app, admin, operator } = await world();
  try {
    for (let i = 0; i < 5; i++) await register(app);
    assert.is((await app.request('GET', '/api/v1/admin/audit-log', { token: operator })).status, 403);
    const all = await app.request('GET', '/api/v1/admin/audit-log?limit=200', { token: admin });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await app.request(
        'GET',
        `/api/v1/admin/audit-log?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        {
          token: admin,
        },
      );
      assert.is(res.status, 200);
      seen.push(...res.body.items.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.equal(
      seen,
      all.body.items.map((e: { id: string }) => e.id),
    );
    const times = all.body.items.map((e: { at: string }) => Date.parse(e.at));
    assert.equal(
      times,
      [...times].sort((x, y) => y - x),
      'newest first',
    );
    for (const bad of ['limit=0', 'limit=201', 'targetType=user', 'from=yesterday', 'unknown=1']) {
      assert.is((await app.request('GET', `/api/v1/admin/audit-log?${bad}`, { token: admin })).status, 422, bad);
    }
  } finally {
    await app.close();
  }
});

test.run();
