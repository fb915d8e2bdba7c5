import { AUTH_USE_CASES, type OrderId, SYSTEM_ACTOR, USE_CASE_TOKENS, unwrap } from '@khaacho/core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Shop, seedShop, startTestApp, type TestApp } from '../testing/test-app.js';
import { API_ROUTES } from './api-routes.js';

type Who = keyof Shop['tokens'];
const WHO: readonly Who[] = ['admin', 'operator', 'retailer', 'otherRetailer', 'vendor', 'otherVendor'];

/**
 * Every route × every caller → the status expected, on an order placed by `retailer` and
 * offered to `vendor` (whichever of the two vendors routing chose). "other…" callers are a
 * party that does not own it. A route added without a row fails the first test.
 */
interface Target {
  /** A fresh order of `retailer`, offered to `vendor`. */
  readonly order: string;
  readonly productId: string;
  /** `vendor`'s own id. */
  readonly vendorId: string;
  readonly retailerId: string;
  /** A fresh self-registered account, PENDING_APPROVAL. */
  readonly pendingUser: string;
}

/** `anonymous`: the status without a token (default 401; the public /auth routes answer as for anyone). */
type Row = { call: (t: Target) => [string, string, unknown?]; expect: Record<Who, number>; anonymous?: number };

const every = (status: number): Record<Who, number> =>
  Object.fromEntries(WHO.map((who) => [who, status])) as Record<Who, number>;
let registrations = 0;
// A new unknown identifier per call: core locks one after repeated failures (429), not what this is about.
const ghost = () => ({ identifier: `ghost-${++registrations}@example.com`, password: 'not the password' });

const TABLE: Readonly<Record<string, Row>> = {
  placeOrder: {
    call: () => ['POST', '/api/v1/orders', { lines: [{ sku: 'WAIWAI-75', quantity: 1 }] }],
    // Staff must name the retailer (422 here, without one); vendors may not order.
    expect: { admin: 422, operator: 422, retailer: 201, otherRetailer: 201, vendor: 403, otherVendor: 403 },
  },
  listOrders: {
    call: () => ['GET', '/api/v1/orders'],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 200, vendor: 200, otherVendor: 200 },
  },
  getOrder: {
    call: (t) => ['GET', `/api/v1/orders/${t.order}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 200, otherVendor: 404 },
  },
  getOrderTimeline: {
    call: (t) => ['GET', `/api/v1/orders/${t.order}/timeline`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 200, otherVendor: 404 },
  },
  cancelOrder: {
    // Each caller gets a fresh order, so one's cancel does not change the next one's answer.
    call: (t) => ['POST', `/api/v1/orders/${t.order}/cancel`, { reason: 'changed my mind' }],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  listProducts: {
    call: () => ['GET', '/api/v1/products'],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 200, vendor: 200, otherVendor: 200 },
  },
  getProduct: {
    call: (t) => ['GET', `/api/v1/products/${t.productId}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 200, vendor: 200, otherVendor: 200 },
  },
  listProductOffers: {
    call: (t) => ['GET', `/api/v1/products/${t.productId}/offers`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 200, vendor: 200, otherVendor: 200 },
  },
  listVendorOffers: {
    // A vendor's own catalog: another vendor is told it does not exist; retailers may not list it.
    call: (t) => ['GET', `/api/v1/vendors/${t.vendorId}/offers`],
    expect: { admin: 200, operator: 200, retailer: 403, otherRetailer: 403, vendor: 200, otherVendor: 404 },
  },
  getCreditBalance: {
    call: (t) => ['GET', `/api/v1/credit/balance?retailerId=${t.retailerId}`],
    expect: { admin: 200, operator: 200, retailer: 200, otherRetailer: 404, vendor: 403, otherVendor: 403 },
  },
  // The sign-in routes are public: a token changes nothing, the credentials decide.
  register: {
    call: () => {
      const n = String(++registrations).padStart(4, '0');
      return [
        'POST',
        '/api/v1/auth/register',
        {
          role: 'RETAILER',
          phone: `98420${n}0`,
          password: 'a long enough password',
          retailer: { name: `Pasal ${n}`, area: 'kathmandu-10', district: 'kathmandu' },
        },
      ];
    },
    expect: every(201),
    anonymous: 201,
  },
  login: { call: () => ['POST', '/api/v1/auth/login', ghost()], expect: every(401), anonymous: 401 },
  refreshSession: {
    call: () => ['POST', '/api/v1/auth/refresh', { refreshToken: 'not-a-refresh-token' }],
    expect: every(401),
    anonymous: 401,
  },
  logout: {
    call: () => ['POST', '/api/v1/auth/logout', { refreshToken: 'not-a-refresh-token' }],
    expect: every(204),
    anonymous: 204,
  },
  enrolTotp: { call: () => ['POST', '/api/v1/auth/totp/enrol', ghost()], expect: every(401), anonymous: 401 },
  confirmTotp: {
    call: () => ['POST', '/api/v1/auth/totp/confirm', { ...ghost(), code: '123456' }],
    expect: every(401),
    anonymous: 401,
  },
  getMe: { call: () => ['GET', '/api/v1/auth/me'], expect: every(200) },
  listAccounts: {
    call: () => ['GET', '/api/v1/accounts?status=PENDING_APPROVAL'],
    expect: { ...every(403), admin: 200, operator: 200 },
  },
  approveAccount: {
    call: (t) => ['POST', `/api/v1/accounts/${t.pendingUser}/approve`, {}],
    expect: { ...every(403), admin: 200, operator: 200 },
  },
  rejectAccount: {
    call: (t) => ['POST', `/api/v1/accounts/${t.pendingUser}/reject`, { reason: 'no trade licence' }],
    expect: { ...every(403), admin: 200, operator: 200 },
  },
  createStaffUser: {
    call: () => [
      'POST',
      '/api/v1/accounts/staff',
      { role: 'OPERATOR', email: `op-${++registrations}@khaacho.np`, password: 'a long enough password' },
    ],
    expect: { ...every(403), admin: 201 },
  },
  listAuditLog: { call: () => ['GET', '/api/v1/admin/audit-log?limit=5'], expect: { ...every(403), admin: 200 } },
};

test('every declared route has a row in the RBAC table, and every row a route', () => {
  assert.equal(Object.keys(TABLE).sort(), API_ROUTES.map((r) => r.operationId).sort());
});

/** A fresh order of `retailer`, routed; the tokens of the vendor offered it and of the other vendor. */
async function offeredOrder(app: TestApp, shop: Shop): Promise<{ target: Target; tokens: Shop['tokens'] }> {
  const placed = await app.request('POST', '/api/v1/orders', {
    token: shop.tokens.retailer,
    body: { lines: [{ sku: 'WAIWAI-75', quantity: 1 }] },
  });
  const id = placed.body.order.id as OrderId;
  const routed = unwrap(
    await app.composition.get(USE_CASE_TOKENS.routeOrder).execute({ orderId: id, actor: SYSTEM_ACTOR }),
  );
  const offeredTo = routed.outcome === 'OFFERED' ? routed.vendorId : null;
  assert.ok(offeredTo, `routing offered the order: ${routed.outcome}, ${placed.body.order.status}`);
  const first = offeredTo === shop.vendorId;
  const n = String(++registrations).padStart(4, '0');
  const pending = unwrap(
    await app.composition.get(AUTH_USE_CASES).registerAccount.execute({
      role: 'VENDOR',
      phone: `98510${n}9`,
      password: 'a long enough password',
      vendor: { name: `Traders ${n}`, serviceAreas: ['kathmandu-10'], dailyCapacity: 10 },
    }),
  );
  return {
    target: {
      order: id,
      productId: placed.body.order.lines[0].productId,
      vendorId: offeredTo,
      retailerId: shop.retailerId,
      pendingUser: pending.id,
    },
    tokens: {
      ...shop.tokens,
      vendor: first ? shop.tokens.vendor : shop.tokens.otherVendor,
      otherVendor: first ? shop.tokens.otherVendor : shop.tokens.vendor,
    },
  };
}

test('route × role × own/other resource → the expected status; without a token 401 (public routes: as for anyone)', async () => {
  // ~40 orders of one shop in a second would trip the velocity rule and hold them: not what this is about.
  const app = await startTestApp({ risk: 'allow-all' });
  try {
    const shop = await seedShop(app);
    const misses: string[] = [];
    for (const route of API_ROUTES) {
      const row = TABLE[route.operationId];
      if (!row) continue;
      for (const who of WHO) {
        const { target, tokens } = await offeredOrder(app, shop);
        const [method, path, body] = row.call(target);
        const response = await app.request(method, path, {
          token: tokens[who],
          ...(body === undefined ? {} : { body }),
        });
        if (response.status !== row.expect[who]) {
          misses.push(`${route.operationId} as ${who}: ${response.status}, expected ${row.expect[who]}`);
        }
      }
      const { target } = await offeredOrder(app, shop);
      const [method, path, body] = row.call(target);
      const anonymous = await app.request(method, path, body === undefined ? {} : { body });
      if (anonymous.status !== (row.anonymous ?? 401)) {
        misses.push(`${route.operationId} anonymous: ${anonymous.status}, expected ${row.anonymous ?? 401}`);
      }
    }
    assert.equal(misses, []);
  } finally {
    await app.close();
  }
});

test.run();
