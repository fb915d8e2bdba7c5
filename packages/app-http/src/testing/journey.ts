// The main journey over HTTP, shared by the in-memory and the PostgreSQL test (excluded from the build).
import { type OrderId, REPOSITORIES } from '@khaacho/core';
import type { ManualClock } from '@khaacho/core/testing';
import * as assert from 'uvu/assert';
import { staffSession, type TestApp, type TestResponse } from './test-app.js';

function ok(response: TestResponse, status: number, what: string): TestResponse {
  assert.is(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
  return response;
}

/**
 * The whole journey with real sessions (the app runs `authenticator: 'jwt'` on `clock`): a
 * shop and a distributor register themselves, cannot sign in until an admin approves them,
 * then do. Staff add a product and the vendor its offer, the shop orders, routing offers it
 * to the vendor, who accepts, dispatches and delivers (the invoice); staff record the
 * payment, the recalculated score differs from the one before, and the exports show the
 * delivered order and the payment.
 */
export async function runJourney(app: TestApp, clock: ManualClock): Promise<void> {
  // Registration → approval → sign-in.
  const admin = (await staffSession(app, clock, 'ADMIN', 'journey-admin@khaacho.test')).accessToken;
  const operator = (await staffSession(app, clock, 'OPERATOR', 'journey-operator@khaacho.test')).accessToken;
  const password = 'journey password 2026';
  const [shopPhone, sellerPhone] = ['9841999001', '9851999001'];
  const registered = ok(
    await app.request('POST', '/api/v1/auth/register', {
      body: {
        role: 'RETAILER',
        phone: shopPhone,
        password,
        retailer: { name: 'Gita Kirana', area: 'lalitpur-3', district: 'lalitpur' },
      },
    }),
    201,
    'retailer registered',
  ).body;
  const registeredVendor = ok(
    await app.request('POST', '/api/v1/auth/register', {
      body: {
        role: 'VENDOR',
        phone: sellerPhone,
        password,
        vendor: { name: 'Himalayan Traders', serviceAreas: ['lalitpur-3'], dailyCapacity: 50 },
      },
    }),
    201,
    'vendor registered',
  ).body;
  assert.equal([registered.status, registeredVendor.status], ['PENDING_APPROVAL', 'PENDING_APPROVAL']);
  const login = (phone: string) => app.request('POST', '/api/v1/auth/login', { body: { identifier: phone, password } });
  const unapproved = await login(shopPhone);
  assert.equal(
    [unapproved.status, unapproved.body.error?.code],
    [401, 'AUTH.ACCOUNT_NOT_ACTIVE'],
    'no session before approval',
  );
  const pending = ok(
    await app.request('GET', '/api/v1/accounts?status=PENDING_APPROVAL', { token: admin }),
    200,
    'pending accounts',
  ).body.items.map((a: { id: string }) => a.id);
  assert.equal([...pending].sort(), [registered.id, registeredVendor.id].sort(), 'both wait for the admin');
  for (const id of [registered.id, registeredVendor.id]) {
    const approved = ok(
      await app.request('POST', `/api/v1/accounts/${id}/approve`, { token: admin, body: { reason: 'KYC checked' } }),
      200,
      'approved',
    ).body;
    assert.is(approved.status, 'ACTIVE');
  }
  const shop = ok(await login(shopPhone), 200, 'retailer signs in').body.accessToken as string;
  const seller = ok(await login(sellerPhone), 200, 'vendor signs in').body.accessToken as string;
  const me = ok(await app.request('GET', '/api/v1/auth/me', { token: shop }), 200, 'me').body;
  assert.equal([me.role, me.retailerId], ['RETAILER', registered.retailerId]);
  const retailer = { id: registered.retailerId as string };
  const vendor = { id: registeredVendor.vendorId as string };
  // A new shop starts without credit; staff open it by hand (scoring takes over once handed back).
  ok(
    await app.request('PUT', '/api/v1/credit/limit', {
      token: operator,
      body: { retailerId: retailer.id, limit: 10_000_000, reason: 'opening limit after KYC' },
    }),
    200,
    'credit limit',
  );

  const product = ok(
    await app.request('POST', '/api/v1/products', {
      token: operator,
      headers: { 'Idempotency-Key': 'journey-product' },
      body: {
        sku: 'JOURNEY-OIL-1L',
        name: 'Dhara Mustard Oil 1L',
        category: 'oil',
        baseUnit: 'bottle',
        conversions: [{ unit: 'carton', toBase: 12 }],
        aliases: [{ text: 'तोरीको तेल', language: 'ne' }],
      },
    }),
    201,
    'product created',
  ).body;
  ok(
    await app.request('POST', `/api/v1/vendors/${vendor.id}/offers`, {
      token: seller,
      body: { productId: product.id, unit: 'bottle', unitPrice: 30_000, stockOnHand: 500 },
    }),
    201,
    'offer created',
  );

  const baseline = ok(
    await app.request('POST', '/api/v1/credit/score/recalculate', {
      token: operator,
      body: { retailerId: retailer.id },
    }),
    200,
    'first score',
  ).body;

  const placed = ok(
    await app.request('POST', '/api/v1/orders', {
      token: shop,
      body: { lines: [{ sku: 'JOURNEY-OIL-1L', quantity: 2, unit: 'carton' }] },
    }),
    201,
    'order placed',
  ).body.order;
  assert.is(placed.status, 'ROUTING');
  assert.equal(placed.total, { amount: 24 * 30_000, currency: 'NPR' });
  const orderId = placed.id as string;

  const routed = ok(
    await app.request('POST', `/api/v1/orders/${orderId}/route`, { token: operator }),
    200,
    'routed',
  ).body;
  assert.equal([routed.outcome, routed.vendorId], ['OFFERED', vendor.id]);
  const decisions = ok(
    await app.request('GET', `/api/v1/orders/${orderId}/routing-decisions`, { token: operator }),
    200,
    'decisions',
  ).body.items;
  assert.is(decisions.length, 1);
  assert.is(decisions[0].selectedVendorId, vendor.id);
  assert.is(decisions[0].candidates[0].vendorId, vendor.id);

  // Dispatching before accepting is an illegal transition, and changes nothing.
  const early = await app.request('POST', `/api/v1/orders/${orderId}/dispatch`, { token: operator });
  assert.is(early.status, 409, JSON.stringify(early.body));

  const accepted = ok(
    await app.request('POST', `/api/v1/orders/${orderId}/accept`, { token: seller }),
    200,
    'accepted',
  ).body;
  assert.equal([accepted.status, accepted.vendorId], ['CONFIRMED', vendor.id]);
  let balance = ok(await app.request('GET', '/api/v1/credit/balance', { token: shop }), 200, 'balance').body;
  assert.is(balance.held.amount, 720_000, 'the accepted order is held on credit');

  const dispatched = ok(
    await app.request('POST', `/api/v1/orders/${orderId}/dispatch`, { token: seller }),
    200,
    'dispatched',
  ).body;
  assert.is(dispatched.status, 'DISPATCHED');
  // Proof of delivery: the shop was sent a code on dispatch; a wrong one costs an attempt, the right one delivers.
  const code = (await app.composition.get(REPOSITORIES).deliveries.get(orderId as OrderId))?.code;
  assert.ok(code && /^[0-9]{4}$/.test(code), 'a 4-digit code was issued on dispatch');
  const wrong = await app.request('POST', `/api/v1/orders/${orderId}/deliver`, {
    token: seller,
    body: { code: code === '0000' ? '0001' : '0000' },
  });
  assert.equal(
    [wrong.status, wrong.body.error?.code, wrong.body.error?.details?.attemptsLeft],
    [422, 'DELIVERY.WRONG_CODE', 2],
    'a wrong code',
  );
  const delivered = ok(
    await app.request('POST', `/api/v1/orders/${orderId}/deliver`, { token: seller, body: { code } }),
    200,
    'delivered',
  ).body;
  assert.is(delivered.status, 'DELIVERED');
  balance = ok(await app.request('GET', '/api/v1/credit/balance', { token: shop }), 200, 'balance').body;
  assert.equal([balance.held.amount, balance.outstanding.amount], [0, 720_000], 'the hold became an invoice');

  const paymentBody = { retailerId: retailer.id, amount: 720_000, reference: 'ESEWA-JOURNEY-1' };
  const paid = ok(
    await app.request('POST', '/api/v1/credit/payments', {
      token: operator,
      headers: { 'Idempotency-Key': 'journey-payment' },
      body: paymentBody,
    }),
    201,
    'payment',
  ).body;
  assert.is(paid.duplicate, false);
  assert.equal(
    paid.completedOrders.map((o: { id: string; status: string }) => [o.id, o.status]),
    [[orderId, 'COMPLETED']],
  );
  const replay = ok(
    await app.request('POST', '/api/v1/credit/payments', {
      token: operator,
      headers: { 'Idempotency-Key': 'journey-payment' },
      body: paymentBody,
    }),
    201,
    'payment replayed',
  );
  assert.is(replay.headers.get('Idempotent-Replayed'), 'true');
  assert.is(replay.body.entry.id, paid.entry.id);

  const statement = ok(await app.request('GET', '/api/v1/credit/statement', { token: shop }), 200, 'statement').body;
  const types = statement.entries.map((e: { type: string }) => e.type);
  assert.ok(types.includes('HOLD') && types.includes('INVOICE') && types.at(-1) === 'PAYMENT', types.join());
  assert.is(statement.closingBalance.amount, 0, 'paid in full');

  const rescored = ok(
    await app.request('POST', '/api/v1/credit/score/recalculate', {
      token: operator,
      body: { retailerId: retailer.id },
    }),
    200,
    'rescored',
  ).body;
  // One invoice paid on time is the first evidence of paying: the thin file's prior gives way upwards.
  assert.ok(rescored.score > baseline.score, `paying on time raised the score (${baseline.score} → ${rescored.score})`);
  assert.ok(rescored.explanation.evidence.invoices > baseline.explanation.evidence.invoices);
  const history = ok(await app.request('GET', '/api/v1/credit/score/history', { token: shop }), 200, 'history').body;
  assert.equal(
    history.items.map((s: { id: string }) => s.id),
    [rescored.id, baseline.id],
  );
  const latest = ok(await app.request('GET', '/api/v1/credit/score', { token: shop }), 200, 'score').body;
  assert.is(latest.id, rescored.id);

  // The exports show the delivered order and the payment.
  clock.advance(60_000);
  const volume = ok(
    await app.request('GET', `/api/v1/exports/purchase-volume?retailerId=${retailer.id}&groupBy=product`, {
      token: operator,
    }),
    200,
    'purchase volume',
  ).body.items;
  assert.equal(
    volume.map((r: { label: string; orderCount: number; value: number; quantities: string }) => [
      r.label,
      r.orderCount,
      r.value,
      r.quantities,
    ]),
    [['JOURNEY-OIL-1L', 1, 720_000, '2 carton']],
  );
  const discipline = ok(
    await app.request('GET', '/api/v1/exports/payment-discipline', { token: shop }),
    200,
    'payment discipline (own)',
  ).body.items;
  assert.equal(
    discipline.map(
      (r: {
        retailerId: string;
        invoiceCount: number;
        settledCount: number;
        openCount: number;
        onTimeRatio: number;
      }) => [r.retailerId, r.invoiceCount, r.settledCount, r.openCount, r.onTimeRatio],
    ),
    [[retailer.id, 1, 1, 0, 1]],
    'one invoice, paid on time',
  );
  const summary = ok(await app.request('GET', '/api/v1/exports/credit-summary', { token: shop }), 200, 'credit summary')
    .body.items;
  assert.equal(
    summary.map((r: { retailerId: string; creditLimit: number; outstanding: number; held: number; score: number }) => [
      r.retailerId,
      r.creditLimit,
      r.outstanding,
      r.held,
      r.score,
    ]),
    [[retailer.id, 10_000_000, 0, 0, rescored.score]],
    'paid off, with the new score',
  );
  const csv = ok(
    await app.request('GET', `/api/v1/exports/credit-summary.csv?retailerId=${retailer.id}`, { token: operator }),
    200,
    'credit summary CSV',
  );
  const lines = String(csv.body).trim().split('\n');
  assert.is(lines.length, 2, 'a header and the one shop');
  assert.ok(lines[1]?.startsWith(`${retailer.id},NPR,10000000,0,0,`), lines[1]);
}
